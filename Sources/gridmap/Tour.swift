import ArgumentParser
import Foundation
import GeoJSON
import GridMapCore
import Routing

/// `gridmap tour`: the visiting order of any list of stops, on the town's roads or on the plane.
struct TourCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tour",
        abstract: "Plan the visiting order of a list of stops (CSV), along the roads or on the plane.",
        discussion: """
            Reads CSV (FILE, or "-" for standard input) with a header: id,lon,lat (WGS84) in road \
            mode, or id,x,y with --planar. Road mode snaps every stop to the town's roads and \
            plans on travel time under --profile; --planar plans on straight-line distance in \
            the given coordinates (no store needed), so the solver can be tried on its own.

            The tour starts at --start (default: the first row) and returns there (--return, the \
            default), ends at --end ID, or ends at its last stop (--open). --workers K splits the \
            stops among K workers who all start at the start (--end needs one worker). Up to 12 \
            stops per worker are solved exactly; more by local search within --time-budget seconds.

            Output (standard output) is CSV id,worker,order,leg_m,arrival_s, one row per stop in \
            visiting order: each worker's list opens with the start (order 0) and, for a round \
            trip, closes with it again. leg_m is the leg into the row's stop (road metres; planar: \
            input units) and arrival_s the travel time so far (empty with --planar). Stops that no \
            road joins to the start are listed last with an empty worker and reported on standard \
            error. The totals per worker go to standard error. --out FILE.geojson (road mode) \
            writes one LineString along the roads per worker.

            Examples:
              gridmap tour --planar stops.csv
              gridmap tour visits.csv --profile ebike --workers 2 --out visits.geojson
              cat visits.csv | gridmap tour - --open --start clinic-1
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The stops: CSV id,lon,lat (or id,x,y with --planar); \"-\" for standard input.", valueName: "file"))
    var file: String

    @Flag(help: "Straight-line distance on plain id,x,y coordinates instead of the roads.")
    var planar = false

    @Option(help: ArgumentHelp("Road mode: walk (default), ebike or car.", valueName: "profile"))
    var profile: TravelMode = .walk

    @Option(help: ArgumentHelp("The stop to start from (default: the first row).", valueName: "id"))
    var start: String?

    @Option(help: ArgumentHelp("End at this stop instead of returning to the start.", valueName: "id"))
    var end: String?

    @Flag(help: "End at whichever stop comes last (an open path).")
    var open = false

    @Flag(name: .customLong("return"), help: "Return to the start (the default).")
    var returnToStart = false

    @Option(help: ArgumentHelp("How many workers share the stops.", valueName: "k"))
    var workers: Int = 1

    @Option(name: .customLong("time-budget"), help: ArgumentHelp("Seconds the local search may take per tour (default 1).", valueName: "s"))
    var timeBudget: Double = 1

    @Option(help: ArgumentHelp("Road mode: write the routes as GeoJSON LineStrings, one per worker.", valueName: "file.geojson"))
    var out: String?

    func validate() throws {
        try TourSettings.validate(end: end, open: open, returnToStart: returnToStart, workers: workers, timeBudget: timeBudget)
        if planar, out != nil { throw ValidationError("--out draws routes along the roads; it does not go with --planar.") }
    }

    func run() throws {
        let stops = try TourStopList.read(file, planar: planar)
        let index = Dictionary(stops.ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        func node(_ id: String, _ option: String) throws -> Int {
            guard let node = index[id] else { throw ValidationError("\(option) \(id) is not a stop in \(file).") }
            return node
        }
        let startNode = try start.map { try node($0, "--start") } ?? 0
        let ending: TourPlanner.Ending = try end.map { .at(try node($0, "--end")) } ?? (open ? .open : .returnToStart)
        let settings = TourSettings(workers: workers, timeBudget: timeBudget)
        if planar {
            let n = stops.ids.count
            var values = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in 0..<n {
                    values[i * n + j] = hypot(stops.first[i] - stops.first[j], stops.second[i] - stops.second[j])
                }
            }
            let plan = try settings.plan(CostMatrix(rows: n, columns: n, values: values), start: startNode, ending: ending)
            var text = "id,worker,order,leg_m,arrival_s\n"
            for (worker, tour) in plan.tours.enumerated() where !tour.stops.isEmpty {
                for (order, stop) in tour.order.enumerated() {
                    let leg = order == 0 ? 0 : tour.legs[order - 1]
                    text += "\(CSVField.escaped(stops.ids[stop])),\(worker + 1),\(order),\(TourSettings.fixed(leg, 3)),\n"
                }
            }
            for stop in plan.unreachable { text += "\(CSVField.escaped(stops.ids[stop])),,,,\n" }
            print(text, terminator: "")
            TourSettings.summarise("tour", plan: plan, ids: stops.ids, distances: plan.tours.map(\.totalCost), times: nil, unit: "")
            return
        }
        let (_, data) = try TownAtlas.load(store)
        let road = try RoadStops(data: data, positions: zip(stops.first, stops.second).map { Position(x: $0, y: $1) },
                                 ids: stops.ids, profile: profile.profile)
        let plan = try settings.plan(road.costs, start: startNode, ending: ending)
        let laid = try road.lay(plan)
        var text = "id,worker,order,leg_m,arrival_s\n"
        for (worker, tour) in laid.enumerated() where !tour.tour.stops.isEmpty {
            for (order, stop) in tour.tour.order.enumerated() {
                let leg = order == 0 ? 0 : tour.legDistances[order - 1]
                text += "\(CSVField.escaped(stops.ids[stop])),\(worker + 1),\(order),\(TourSettings.fixed(leg, 1)),\(TourSettings.fixed(tour.arrivals[order], 0))\n"
            }
        }
        for stop in plan.unreachable { text += "\(CSVField.escaped(stops.ids[stop])),,,,\n" }
        print(text, terminator: "")
        if let out { try RoadStops.writeRoutes(laid, to: out) }
        TourSettings.summarise("tour", plan: plan, ids: stops.ids, distances: laid.map(RoadStops.distance),
                               times: plan.tours.map(\.totalCost), unit: " m")
    }
}

/// The travel profiles by their command-line names.
enum TravelMode: String, ExpressibleByArgument, CaseIterable {
    case walk, ebike, car

    var profile: TravelProfile {
        switch self {
        case .walk: .walk
        case .ebike: .eBike
        case .car: .car
        }
    }
}

/// The planning options `tour` and `route` share, and the plan they make.
struct TourSettings {
    var workers: Int
    var timeBudget: Double

    struct Plan {
        var tours: [Routing.Tour]
        var unreachable: [Int]
    }

    static func validate(end: String?, open: Bool, returnToStart: Bool, workers: Int, timeBudget: Double) throws {
        if [end != nil, open, returnToStart].filter({ $0 }).count > 1 {
            throw ValidationError("Give one ending: --end ID, --open or --return.")
        }
        if workers < 1 { throw ValidationError("--workers must be at least 1, got \(workers).") }
        if end != nil, workers > 1 { throw ValidationError("--end ID plans one worker's path; with --workers \(workers) use --open or --return.") }
        if !(timeBudget > 0 && timeBudget.isFinite) { throw ValidationError("--time-budget must be a number of seconds > 0.") }
    }

    /// One tour per worker over `costs` (node `start` is the depot); unreachable stops apart.
    func plan(_ costs: CostMatrix, start: Int, ending: TourPlanner.Ending) throws -> Plan {
        var tourOptions = TourPlanner.Options()
        tourOptions.timeBudget = .milliseconds(Int((timeBudget * 1000).rounded()))
        do {
            if workers == 1 {
                let tour = try TourPlanner(costs: costs).plan(start: start, ending: ending, options: tourOptions)
                return Plan(tours: [tour], unreachable: tour.unreachable)
            }
            let plan = try MultiWorkerPlanner(costs: costs)
                .plan(depot: start, workers: workers, ending: ending, options: .init(tour: tourOptions))
            return Plan(tours: plan.tours, unreachable: plan.unreachable)
        } catch {
            throw ValidationError("Cannot plan the tour: \(error)")
        }
    }

    /// Per-worker and total distance (and time) on standard error, and the unreachable stops.
    static func summarise(_ command: String, plan: Plan, ids: [String], distances: [Double], times: [Double]?, unit: String) {
        func line(_ distance: Double, _ time: Double?) -> String {
            fixed(distance, 1) + unit + (time.map { ", " + fixed($0 / 60, 1) + " min" } ?? "")
        }
        for (worker, tour) in plan.tours.enumerated() {
            StandardError.write("gridmap \(command): worker \(worker + 1): \(tour.stops.count) stops, \(line(distances[worker], times?[worker]))")
        }
        StandardError.write("gridmap \(command): total \(line(distances.reduce(0, +), times?.reduce(0, +)))")
        if !plan.unreachable.isEmpty {
            StandardError.write("gridmap \(command): \(plan.unreachable.count) stops cannot be reached from the start (not connected by road), listed last without a worker: "
                + plan.unreachable.map { ids[$0] }.joined(separator: ", "))
        }
    }

    static func fixed(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
}

/// The stops of a `tour` CSV: ids and two coordinate columns (lon,lat or x,y).
struct TourStopList {
    var ids: [String] = []
    var first: [Double] = []
    var second: [Double] = []

    /// Reads `path` ("-" for standard input); every bad row is reported with its line, then the
    /// command fails.
    static func read(_ path: String, planar: Bool) throws -> TourStopList {
        guard let reader = LineReader(path: path) else {
            throw ValidationError("Cannot read \(path): \(String(cString: strerror(errno))).")
        }
        let wanted = planar ? ["x", "y"] : ["lon", "lat"]
        guard let header = reader.next() else { throw ValidationError("\(path) is empty: it needs a header id,\(wanted.joined(separator: ",")) and stops.") }
        let names = CSVField.split(Substring(header)).map { CSVField.value($0).lowercased() }
        let xNames = planar ? ["x"] : PointCSVStream.longitudeNames.filter { $0 != "x" }
        let yNames = planar ? ["y"] : PointCSVStream.latitudeNames.filter { $0 != "y" }
        guard let idColumn = names.firstIndex(of: "id"),
              let xColumn = names.firstIndex(where: xNames.contains),
              let yColumn = names.firstIndex(where: yNames.contains)
        else {
            throw ValidationError("\(path): line 1 must be the header id,\(wanted.joined(separator: ","))"
                + (planar ? "" : " (or id,x,y with --planar)") + ", not '\(header)'.")
        }
        var list = TourStopList()
        var seen: [String: Int] = [:]
        var bad: [String] = []
        var lineNumber = 1
        while let line = reader.next() {
            lineNumber += 1
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = CSVField.split(Substring(line))
            guard fields.count > max(idColumn, xColumn, yColumn) else {
                bad.append("line \(lineNumber): \(fields.count) fields, the header has \(names.count)")
                continue
            }
            let id = CSVField.value(fields[idColumn])
            guard !id.isEmpty else { bad.append("line \(lineNumber): no id"); continue }
            guard let x = CSVField.number(fields[xColumn]), let y = CSVField.number(fields[yColumn]) else {
                bad.append("line \(lineNumber): \(wanted.joined(separator: ",")) of \(id) are not numbers")
                continue
            }
            if !planar, !(abs(x) <= 180 && abs(y) <= 90) {
                bad.append("line \(lineNumber): \(x),\(y) is not a WGS84 longitude,latitude (use --planar for x,y)")
                continue
            }
            if let earlier = seen[id] { bad.append("line \(lineNumber): stop \(id) again (first on line \(earlier))"); continue }
            seen[id] = lineNumber
            list.ids.append(id)
            list.first.append(x)
            list.second.append(y)
        }
        if let error = reader.readError { throw ValidationError("Cannot read \(path): \(error).") }
        if !bad.isEmpty {
            for problem in bad { StandardError.write("gridmap tour: \(path): \(problem)") }
            throw ValidationError("\(path): \(bad.count) bad rows; nothing planned.")
        }
        if list.ids.isEmpty { throw ValidationError("\(path) lists no stops.") }
        return list
    }
}

/// Stops snapped onto the town's roads, with their travel-time matrix.
struct RoadStops {
    let network: RoadNetwork
    let positions: [RoadPosition]
    let cost: RouteCost
    let costs: CostMatrix

    /// Farther than this from every road, a stop is refused as not on the road network.
    static let maximumOffRoad = 2000.0

    init(data: TownData, positions wgs84: [Position], ids: [String], profile: TravelProfile) throws {
        do {
            network = try RoadNetwork(roads: data.features, workingCRS: data.town.workingCRS)
        } catch {
            throw ValidationError("Cannot build the road network: \(error)")
        }
        guard network.edgeCount > 0 else { throw ValidationError("The town has no roads to route along (features of kind road).") }
        let snapped = try network.snap(wgs84, using: RoadProjection(workingCRS: data.town.workingCRS))
        var problems: [String] = []
        var positions: [RoadPosition] = []
        for (i, position) in snapped.enumerated() {
            guard let position, position.offRoadDistance <= Self.maximumOffRoad else {
                problems.append("\(ids[i]) at \(wgs84[i].x),\(wgs84[i].y)"
                    + (snapped[i].map { " is \(TourSettings.fixed($0.offRoadDistance, 0)) m from the nearest road" } ?? ""))
                continue
            }
            positions.append(position)
        }
        if !problems.isEmpty {
            throw ValidationError("Cannot snap \(problems.count) stops to the roads (farther than \(Int(Self.maximumOffRoad)) m): "
                + problems.joined(separator: "; ") + ".")
        }
        self.positions = positions
        cost = .time(profile)
        costs = network.matrix(among: positions, cost: cost)
    }

    /// Each worker's tour laid onto the roads.
    func lay(_ plan: TourSettings.Plan) throws -> [RoadTour] {
        try plan.tours.map { tour in
            guard let laid = network.roadTour(tour, positions: positions, cost: cost) else {
                throw ValidationError("A leg of the tour has no road route.")
            }
            return laid
        }
    }

    /// Metres along a laid tour (0 for a worker with no stops).
    static func distance(_ tour: RoadTour) -> Double {
        tour.tour.stops.isEmpty ? 0 : tour.legDistances.reduce(0, +)
    }

    /// One LineString feature per worker with stops (worker, stops, distance_m, time_s), written atomically.
    static func writeRoutes(_ tours: [RoadTour], to path: String, extra: (Int) -> JSONObject = { _ in JSONObject() }) throws {
        try AtomicFile.write(to: URL(fileURLWithPath: path)) { temporary in
            let writer = GeoJSONWriter(sink: try FileSink(path: temporary.path))
            try writer.beginCollection()
            for (worker, tour) in tours.enumerated() where !tour.tour.stops.isEmpty {
                var properties: JSONObject = [
                    "worker": .number(JSONNumber(worker + 1)),
                    "stops": .number(JSONNumber(tour.tour.stops.count)),
                    "distance_m": .number(JSONNumber((distance(tour) * 10).rounded() / 10)),
                    "time_s": .number(JSONNumber(tour.tour.totalCost.rounded())),
                ]
                for (key, value) in extra(worker) { properties[key] = value }
                try writer.write(Feature(id: .string("worker-\(worker + 1)"), geometry: tour.geometry, properties: properties))
            }
            try writer.finish()
        }
        StandardError.write("gridmap: wrote \(tours.count { !$0.tour.stops.isEmpty }) routes to \(path)")
    }
}
