import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
import Hummingbird

/// Query parameters read as the command line reads its options: a missing required one, or a
/// value of the wrong kind, is a 400 naming the parameter.
extension Parameters {
    func needed(_ name: String) throws -> String {
        guard let value = get(name), !value.isEmpty else { throw JobError.invalidRequest("The query parameter \(name) is required.") }
        return value
    }

    func number(_ name: String, required: Bool = false, atLeast minimum: Double = -.infinity) throws -> Double? {
        guard let text = get(name) else {
            if required { throw JobError.invalidRequest("The query parameter \(name) is required (a number).") }
            return nil
        }
        guard let value = Double(text), value.isFinite, value >= minimum else {
            throw JobError.invalidRequest("\(name) wants a number" + (minimum > -.infinity ? " ≥ \(minimum)" : "") + ", not '\(text)'.")
        }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = get(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw JobError.invalidRequest("\(name) wants a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'.")
        }
        return value
    }

    /// A flag: absent, `true`/`1` or `false`/`0`.
    func flag(_ name: String) throws -> Bool {
        switch get(name) {
        case nil, "false", "0": return false
        case "", "true", "1": return true
        case let text?: throw JobError.invalidRequest("\(name) is true or false, not '\(text)'.")
        }
    }
}

/// `nearest`'s answer: the features nearest first, with their names and positions.
struct NearestAnswer: Encodable {
    struct Item: Encodable {
        var rank: Int
        var id: String
        var name: String
        var distanceM: Double
        var lon: Double
        var lat: Double
    }

    var kind: String
    var metric: String
    var features: [Item]
    /// By road: features no road joins to the point.
    var unjoined: [String]
    var outsideTown: Bool
    var notices: [String]

    init(_ answer: NearestQuery.Answer, kind: FeatureKind, metric: NearestQuery.Metric, town: TownData, notices: [String]) {
        // The names of the features listed only (a layer can hold a million).
        let listed = Set(answer.features.map(\.id))
        var names: [String: String] = [:]
        for feature in town.features where feature.kind == kind && listed.contains(feature.id) && names[feature.id] == nil {
            names[feature.id] = feature.name
        }
        self.kind = kind.rawValue
        self.metric = metric.rawValue
        features = answer.features.enumerated().map { rank, feature in
            Item(rank: rank + 1, id: feature.id, name: names[feature.id] ?? "", distanceM: (feature.distance * 100).rounded() / 100,
                 lon: feature.position.x, lat: feature.position.y)
        }
        unjoined = answer.unjoined
        outsideTown = answer.outsideTown
        self.notices = notices
    }
}

/// `select`'s area: `grid`, `micro_grid`, `village`, or `around=LON,LAT` with `radius` (metres);
/// one at most; none: the whole town.
struct ResidentAreaQuery {
    var area = ResidentArea.town

    init(_ parameters: Parameters) throws {
        let given = ["grid", "micro_grid", "village", "around"].filter { parameters.get($0) != nil }
        guard given.count <= 1 else { throw JobError.invalidRequest("Give one area: \(given.joined(separator: ", ")) were given.") }
        if (parameters.get("around") == nil) != (parameters.get("radius") == nil) {
            throw JobError.invalidRequest("around=LON,LAT and radius=M go together.")
        }
        if let code = try RequestParsing.area(grid: parameters.get("grid"), microGrid: parameters.get("micro_grid")) {
            area = .code(code)
        } else if let village = parameters.get("village") {
            area = .village(village)
        } else if let around = parameters.get("around") {
            area = .around(try EventTimes.point(around, option: "around"), radius: try parameters.number("radius", atLeast: 0) ?? 0)
        }
    }
}

/// The trip options of `tour` and `route` (`workers`, `end`, `open`, `service_min`, `max_stops`,
/// `max_minutes`, `start_time`, `time_budget`) and the travel `profile`.
struct TripQuery {
    var settings = TripSettings()

    /// The local search's budget is capped for the server: a request holds a core while it runs.
    static let maximumTimeBudget = 10.0

    init(_ parameters: Parameters) throws {
        settings.workers = try parameters.integer("workers", in: 1...TripSettings.maximumWorkers) ?? 1
        settings.end = parameters.get("end")
        settings.open = try parameters.flag("open")
        settings.serviceMinutes = try parameters.number("service_min", atLeast: 0) ?? 0
        settings.maxStops = try parameters.integer("max_stops", in: 1...TripSettings.maximumPlaces)
        settings.maxMinutes = try parameters.number("max_minutes", atLeast: 0)
        settings.startMinute = try parameters.get("start_time").map { try TripSettings.minute(ofClock: $0) }
        settings.timeBudget = try parameters.number("time_budget", atLeast: 0) ?? 1
        if settings.timeBudget > Self.maximumTimeBudget {
            throw JobError.invalidRequest("time_budget is at most \(Int(Self.maximumTimeBudget)) seconds on the server.")
        }
        if settings.end != nil && settings.open { throw JobError.invalidRequest("Give one ending: end=ID or open=true.") }
        try settings.check()
    }

    static func mode(_ parameters: Parameters) throws -> TravelMode {
        let text = parameters.get("profile") ?? "walk"
        guard let mode = TravelMode(rawValue: text) else {
            throw JobError.invalidRequest("profile is \(TravelMode.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'.")
        }
        return mode
    }
}

/// The map's options: `grid`, `layers` (comma-separated layer names), `page`, `title`.
struct TownMapQuery {
    var map: TownMap

    init(_ parameters: Parameters) throws {
        map = TownMap(page: parameters.get("page") ?? "a3", grid: try parameters.get("grid").map { try RequestParsing.grid($0) },
                      layers: parameters.get("layers").map { $0.split(separator: ",").map(String.init) }, title: parameters.get("title"))
        try map.check()
    }
}
