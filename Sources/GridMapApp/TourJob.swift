import CSV
import Foundation
import GeoJSON
import GridMapCore
import GridStore
import Routing

/// The visiting order of any list of stops: along the town's roads, or on the plane
/// (straight-line distance in the given coordinates, no town needed).
public struct TourJob {
    public var stops: TourStops
    /// The stop to start from (default: the first).
    public var start: String?
    public var settings: TripSettings

    public init(stops: TourStops, start: String?, settings: TripSettings) {
        (self.stops, self.start, self.settings) = (stops, start, settings)
    }

    /// Plans on straight-line distance between the stops' coordinates, which has no travel times:
    /// settings that speak of minutes are refused.
    public func planOnThePlane() throws(JobError) -> TripPlan {
        if settings.usesMinutes {
            throw .invalidRequest("--service-min, --max-minutes and --start-time need travel times along the roads; they do not go with --planar.")
        }
        try checkSize()
        let n = stops.ids.count
        guard n <= TripSettings.matrixPlaces else {
            let costs = PlanarPlaceCosts(x: stops.first, y: stops.second)
            try checkFinite(costs)
            return WorkerTrips.planar(try planner.plan(.plane(costs), start: try startNode(), ending: try ending()), labels: labels)
        }
        var values = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                values[i * n + j] = hypot(stops.first[i] - stops.first[j], stops.second[i] - stops.second[j])
            }
        }
        // A distance that overflows would make its stops look unreachable; refuse them by name
        // instead, as no stop is ever left out silently.
        if let overflow = values.firstIndex(where: { !$0.isFinite }) {
            throw .invalidRequest("The distance between stops \(stops.ids[overflow / n]) and \(stops.ids[overflow % n]) "
                + "is too large to measure: --planar takes coordinates whose differences stay below 1e308.")
        }
        let tours = try planner.plan(.matrix(CostMatrix(rows: n, columns: n, values: values)), start: try startNode(), ending: try ending())
        return WorkerTrips.planar(tours, labels: labels)
    }

    /// Plans on travel time along the town's roads under `mode`; `notice` hears what building the
    /// road network found.
    public func planOnTheRoads(of data: TownData, mode: TravelMode, notice: (String) -> Void) throws(JobError) -> TripPlan {
        try checkSize()
        let road = try RoadStops(data: data, positions: zip(stops.first, stops.second).map { Position(x: $0, y: $1) },
                                 ids: stops.ids, profile: mode.profile, snapTolerance: settings.snapTolerance, notice: notice)
        let start = try startNode(), ending = try ending()
        try road.checkReach(start: start, ending: ending, ids: stops.ids)
        return try road.lay(planner.plan(road.costs, start: start, ending: ending), labels: labels)
    }

    /// Refuses coordinates whose distances could overflow (the distances are computed as
    /// asked, so no overflow may surface later as an unreachable stop): the bounding box's
    /// diagonal must stay finite; the stops at the extremes of its wider side are named.
    private func checkFinite(_ costs: PlanarPlaceCosts) throws(JobError) {
        func extremes(_ values: [Double]) -> (low: Int, high: Int, span: Double) {
            let low = values.indices.min { values[$0] < values[$1] } ?? 0, high = values.indices.max { values[$0] < values[$1] } ?? 0
            return (low, high, values[high] - values[low])
        }
        let x = extremes(stops.first), y = extremes(stops.second)
        guard !(x.span * x.span + y.span * y.span).isFinite else { return }
        let wider = x.span >= y.span ? x : y
        throw .invalidRequest("The distance between stops \(stops.ids[wider.low]) and \(stops.ids[wider.high]) "
            + "is too large to measure: --planar takes coordinates whose differences stay below 1e154 beyond "
            + "\(TripSettings.matrixPlaces) stops.")
    }

    /// Refuses more stops than one plan takes (``TripSettings/maximumPlaces``).
    private func checkSize() throws(JobError) {
        try TripSettings.checkPlaceCount(stops.ids.count, split: "split \(stops.source) into lists of at most "
            + "\(TripSettings.maximumPlaces) stops, by area, and plan each (with --workers to share one list).")
    }

    private var labels: [String] { (1...settings.workers).map(String.init) }

    private var planner: WorkerTrips {
        var planner = WorkerTrips(settings: settings)
        for (node, minutes) in stops.serviceMinutes.enumerated() { planner.stopService[node] = minutes.map { $0 * 60 } }
        return planner
    }

    private func node(_ id: String, _ option: String) throws(JobError) -> Int {
        guard let node = stops.ids.firstIndex(of: id) else { throw .invalidRequest("\(option) \(id) is not a stop in \(stops.source).") }
        return node
    }

    private func startNode() throws(JobError) -> Int {
        guard let start else { return 0 }
        return try node(start, "--start")
    }

    private func ending() throws(JobError) -> TourPlanner.Ending {
        try settings.ending { (id) throws(JobError) in try node(id, "--end") }
    }
}

/// The stops of a tour CSV: ids, two coordinate columns (lon,lat or, on the plane, x,y) and the
/// optional service minutes.
public struct TourStops: Sendable {
    /// Where the stops came from, for messages.
    public var source: String
    public var ids: [String] = []
    public var first: [Double] = []
    public var second: [Double] = []
    /// Minutes spent at each stop from the service_min column; nil when absent or empty.
    public var serviceMinutes: [Double?] = []

    public init(source: String) { self.source = source }

    /// Reads the stops of `table`: a header `id,lon,lat` (`id,x,y` when `planar`), an optional
    /// `service_min` column. Every bad row goes to `badRow` as "FILE: line N: reason"; then the
    /// job is refused, as it is for an empty list.
    public static func read(_ table: CSVTable, planar: Bool, badRow: (String) -> Void) throws(JobError) -> TourStops {
        let wanted = planar ? "x,y" : "lon,lat"
        let id = table.optionalColumn(CSVColumn("id", aliases: ["id"]))
        let x = table.optionalColumn(planar ? CSVColumn("x", aliases: ["x"]) : CSVColumn("longitude", aliases: ["lon", "lng", "long", "longitude"]))
        let y = table.optionalColumn(planar ? CSVColumn("y", aliases: ["y"]) : CSVColumn("latitude", aliases: ["lat", "latitude"]))
        guard let id, let x, let y else {
            throw .invalidRequest("\(table.name): line 1 must be the header id,\(wanted)"
                + (planar ? "" : " (or id,x,y with --planar)") + ", not '\(String(decoding: table.headerBytes, as: UTF8.self))'.")
        }
        let service = table.optionalColumn(CSVColumn("service_min", aliases: ["service_min"]))
        var stops = TourStops(source: table.name)
        var seen: [String: Int] = [:], bad: [String] = []
        func stop(_ record: CSVRecord, in rows: CSVRows) -> String? {
            if let problem = record.problem { return problem.description }
            guard record.fieldCount > max(id, x, y) else { return "\(record.fieldCount) fields, the header has \(table.header.count)" }
            let name = rows.value(id, of: record)
            guard !name.isEmpty else { return "no id" }
            guard let first = rows.number(x, of: record), let second = rows.number(y, of: record) else {
                return "\(wanted) of \(name) are not numbers"
            }
            if !planar, !(abs(first) <= 180 && abs(second) <= 90) {
                return "\(first),\(second) is not a WGS84 longitude,latitude (use --planar for x,y)"
            }
            if let earlier = seen[name] { return "stop \(name) again (first on line \(earlier))" }
            var minutes: Double?
            if let service, service < record.fieldCount, !rows.value(service, of: record).isEmpty {
                guard let value = rows.number(service, of: record), value >= 0 else {
                    return "service_min of \(name) is not a number of minutes ≥ 0"
                }
                minutes = value
            }
            seen[name] = record.line
            stops.ids.append(name)
            stops.first.append(first)
            stops.second.append(second)
            stops.serviceMinutes.append(minutes)
            return nil
        }
        do throws(CSVTableError) {
            while let rows = try table.nextRows() {
                for record in rows.records {
                    if let problem = stop(record, in: rows) { bad.append("line \(record.line): \(problem)") }
                }
            }
        } catch {
            throw .invalidRequest("Cannot read \(table.name): \(error).")
        }
        if !bad.isEmpty {
            for problem in bad { badRow("\(table.name): \(problem)") }
            throw .invalidRequest("\(table.name): \(bad.count) bad rows; nothing planned.")
        }
        if stops.ids.isEmpty { throw .invalidRequest("\(table.name) lists no stops.") }
        return stops
    }
}
