import ArgumentParser
import CSV
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
            mode, or id,x,y with --planar; an optional service_min column gives the minutes spent \
            at a stop (empty: --service-min). Road mode snaps every stop to the town's roads and \
            plans on travel time under --profile; --planar plans on straight-line distance in \
            the given coordinates (no store needed), so the solver can be tried on its own.

            The tour starts at --start (default: the first row) and returns there (--return, the \
            default), ends at --end ID, or ends at its last stop (--open). --workers K splits the \
            stops among K workers who all leave from the start and end the same way, keeping the \
            longest working time as short as possible, within --max-stops and --max-minutes \
            (travel plus service) per worker. Up to 12 stops per worker are solved exactly; more \
            by local search within --time-budget seconds.

            Output (standard output) is CSV id,worker,order,leg_m,leg_min,arrival,departure, one \
            row per stop in visiting order: each worker's list opens with the start (order 0) and \
            closes with the end (the start again for a round trip; nothing more for --open). \
            leg_m is the leg into the row's stop (road metres; planar: input units), leg_min its \
            travel time; arrival is the previous departure plus the leg, departure the arrival \
            plus the stop's service, as clock times with --start-time HH:MM, else minutes from \
            the start (time columns are empty with --planar). Stops that no road joins to the \
            start (or end), and stops that fit no worker within --max-minutes, are listed last \
            with an empty worker and reported on standard error with the totals per worker. \
            --out FILE.geojson (road mode) writes one LineString along the roads per worker.

            Examples:
              gridmap tour --planar stops.csv
              gridmap tour visits.csv --profile ebike --workers 2 --service-min 10 --max-minutes 240 --start-time 08:30
              cat visits.csv | gridmap tour - --open --start clinic-1 --workers 2
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The stops: CSV id,lon,lat (or id,x,y with --planar), optional service_min; \"-\" for standard input.", valueName: "file"))
    var file: String

    @Flag(help: "Straight-line distance on plain id,x,y coordinates instead of the roads.")
    var planar = false

    @Option(help: ArgumentHelp("Road mode: walk (default), ebike or car.", valueName: "profile"))
    var profile: TravelMode = .walk

    @Option(help: ArgumentHelp("The stop to start from (default: the first row).", valueName: "id"))
    var start: String?

    @OptionGroup var trip: TripOptions

    @Option(help: ArgumentHelp("Road mode: write the routes as GeoJSON LineStrings, one per worker.", valueName: "file.geojson"))
    var out: String?

    func validate() throws {
        try trip.validate()
        if planar, out != nil { throw ValidationError("--out draws routes along the roads; it does not go with --planar.") }
        if planar, trip.usesMinutes {
            throw ValidationError("--service-min, --max-minutes and --start-time need travel times along the roads; they do not go with --planar.")
        }
    }

    func run() throws {
        let stops = try TourStopList.read(file, planar: planar)
        let index = Dictionary(stops.ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        func node(_ id: String, _ option: String) throws -> Int {
            guard let node = index[id] else { throw ValidationError("\(option) \(id) is not a stop in \(file).") }
            return node
        }
        let startNode = try start.map { try node($0, "--start") } ?? 0
        let ending = try trip.ending { try node($0, "--end") }
        var settings = TourSettings(trip: trip)
        for (node, minutes) in stops.serviceMinutes.enumerated() { settings.stopService[node] = minutes.map { $0 * 60 } }
        let labels = (1...trip.workers).map(String.init)
        if planar {
            let n = stops.ids.count
            var values = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in 0..<n {
                    values[i * n + j] = hypot(stops.first[i] - stops.first[j], stops.second[i] - stops.second[j])
                }
            }
            let plan = try settings.plan(CostMatrix(rows: n, columns: n, values: values), start: startNode, ending: ending, labels: labels)
            var text = "id,worker,order,leg_m,leg_min,arrival,departure\n"
            for (worker, tour) in plan.tours.enumerated() where !tour.stops.isEmpty {
                for (order, stop) in tour.order.enumerated() {
                    let leg = order == 0 ? 0 : tour.legs[order - 1]
                    text += "\(CSVField.escaped(stops.ids[stop])),\(plan.labels[worker]),\(order),\(TourSettings.fixed(leg, 3)),,,\n"
                }
            }
            for stop in plan.leftOut { text += "\(CSVField.escaped(stops.ids[stop])),,,,,,\n" }
            print(text, terminator: "")
            settings.summarise("tour", plan: plan, ids: stops.ids, distances: plan.tours.map(\.totalCost), timed: false, unit: "")
            return
        }
        let (_, data) = try TownAtlas.load(store)
        let road = try RoadStops(data: data, positions: zip(stops.first, stops.second).map { Position(x: $0, y: $1) },
                                 ids: stops.ids, profile: profile.profile, command: "tour")
        let plan = try settings.plan(road.costs, start: startNode, ending: ending, labels: labels)
        let laid = try road.lay(plan)
        var text = "id,worker,order,leg_m,leg_min,arrival,departure\n"
        for (worker, tour) in laid.enumerated() where !tour.tour.stops.isEmpty {
            for (order, stop) in tour.tour.order.enumerated() {
                let leg = order == 0 ? 0 : tour.legDistances[order - 1]
                text += "\(CSVField.escaped(stops.ids[stop])),\(plan.labels[worker]),\(order),\(TourSettings.fixed(leg, 1)),"
                    + settings.timeColumns(tour.tour, at: order) + "\n"
            }
        }
        for stop in plan.leftOut { text += "\(CSVField.escaped(stops.ids[stop])),,,,,,\n" }
        print(text, terminator: "")
        if let out { try RoadStops.writeRoutes(laid, labels: plan.labels, to: out) }
        settings.summarise("tour", plan: plan, ids: stops.ids, distances: laid.map(RoadStops.distance), timed: true, unit: " m")
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

/// The planning options `tour` and `route` share: workers, ending, service time and limits.
struct TripOptions: ParsableArguments {
    @Option(help: ArgumentHelp("How many workers share the stops (route --own-grid: per grid).", valueName: "k"))
    var workers: Int = 1

    @Option(help: ArgumentHelp("End every worker here (a stop of the list for tour, a feature for route) instead of returning to the start.", valueName: "id"))
    var end: String?

    @Flag(help: "End every worker at whichever stop comes last (an open path, no return leg).")
    var open = false

    @Flag(name: .customLong("return"), help: "Return to the start (the default).")
    var returnToStart = false

    @Option(name: .customLong("service-min"), help: ArgumentHelp("Minutes spent at each stop (tour: a service_min column overrides it per stop).", valueName: "min"))
    var serviceMinutes: Double = 0

    @Option(name: .customLong("max-stops"), help: ArgumentHelp("At most this many stops per worker (more stops than workers × n is refused).", valueName: "n"))
    var maxStops: Int?

    @Option(name: .customLong("max-minutes"), help: ArgumentHelp("At most this many minutes per worker, travel plus service; stops that fit no worker are listed apart.", valueName: "min"))
    var maxMinutes: Double?

    @Option(name: .customLong("start-time"), help: ArgumentHelp("Clock time of leaving the start, e.g. 08:30: arrivals and departures become clock times.", valueName: "HH:MM"))
    var startTime: String?

    @Option(name: .customLong("time-budget"), help: ArgumentHelp("Seconds the local search may take per tour.", valueName: "s"))
    var timeBudget: Double = 1

    /// Whether any option speaks of minutes (and so needs travel times).
    var usesMinutes: Bool { serviceMinutes != 0 || maxMinutes != nil || startTime != nil }

    func validate() throws {
        if [end != nil, open, returnToStart].filter({ $0 }).count > 1 {
            throw ValidationError("Give one ending: --end ID, --open or --return.")
        }
        if workers < 1 { throw ValidationError("--workers must be at least 1, got \(workers).") }
        if !(timeBudget > 0 && timeBudget.isFinite) { throw ValidationError("--time-budget must be a number of seconds > 0.") }
        if !(serviceMinutes >= 0 && serviceMinutes.isFinite) { throw ValidationError("--service-min must be a number of minutes ≥ 0.") }
        if let maxStops, maxStops < 1 { throw ValidationError("--max-stops must be at least 1, got \(maxStops).") }
        if let maxMinutes, !(maxMinutes > 0 && maxMinutes.isFinite) { throw ValidationError("--max-minutes must be a number of minutes > 0.") }
        _ = try startMinute()
    }

    /// The ending, with `--end` resolved to a node by `node`.
    func ending(_ node: (String) throws -> Int) throws -> TourPlanner.Ending {
        try end.map { .at(try node($0)) } ?? (open ? .open : .returnToStart)
    }

    /// `--start-time` as minutes after midnight, nil when not given.
    func startMinute() throws -> Double? {
        guard let startTime else { return nil }
        let parts = startTime.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0..<24).contains(hours), (0..<60).contains(minutes)
        else { throw ValidationError("--start-time must be a clock time HH:MM (00:00 to 23:59), not '\(startTime)'.") }
        return Double(hours * 60 + minutes)
    }
}

/// The plan `tour` and `route` make from ``TripOptions`` (costs in seconds on the roads, input
/// units on the plane), and how they write its times and totals.
struct TourSettings {
    var trip: TripOptions
    /// Service seconds of single stops (by node), overriding `--service-min`.
    var stopService: [Int: Double] = [:]

    struct Plan {
        var tours: [Routing.Tour]
        /// The worker's name for each tour (e.g. "2", or "DC-017/1" for a grid's own team).
        var labels: [String]
        var unreachable: [Int]
        var unserved: [Int]
        /// The stops listed last without a worker.
        var leftOut: [Int] { unreachable + unserved }
    }

    var tourOptions: TourPlanner.Options {
        TourPlanner.Options(timeBudget: .milliseconds(Int((trip.timeBudget * 1000).rounded())),
                            serviceCost: trip.serviceMinutes * 60, stopServiceCosts: stopService)
    }

    /// The tours over `costs` (node `start` is the depot): `trip.workers` workers sharing every
    /// other node, or, with `teams`, that many workers per team, each team sharing only its
    /// stops. `labels` name the workers (for teams: per team, then per worker).
    func plan(_ costs: CostMatrix, start: Int, ending: TourPlanner.Ending, labels: [String],
              teams: [MultiWorkerPlanner.Team]? = nil) throws -> Plan {
        do {
            if teams == nil, trip.workers == 1, trip.maxStops == nil, trip.maxMinutes == nil {
                let tour = try TourPlanner(costs: costs).plan(start: start, ending: ending, options: tourOptions)
                return Plan(tours: [tour], labels: labels, unreachable: tour.unreachable, unserved: [])
            }
            let options = MultiWorkerPlanner.Options(tour: tourOptions, maxStopsPerWorker: trip.maxStops,
                                                     maxCostPerWorker: trip.maxMinutes.map { $0 * 60 })
            let planner = MultiWorkerPlanner(costs: costs)
            let plan = if let teams {
                try planner.plan(depot: start, teams: teams, ending: ending, options: options)
            } else {
                try planner.plan(depot: start, workers: trip.workers, ending: ending, options: options)
            }
            return Plan(tours: plan.tours, labels: labels, unreachable: plan.unreachable, unserved: plan.unserved)
        } catch {
            throw ValidationError("Cannot plan the tour: \(error)")
        }
    }

    /// leg_min,arrival,departure of node `order` of `tour` (costs in seconds).
    func timeColumns(_ tour: Routing.Tour, at order: Int) -> String {
        let leg = order == 0 ? 0 : tour.legs[order - 1]
        return "\(Self.fixed(leg / 60, 1)),\(clock(tour.arrivals[order])),\(clock(tour.departures[order]))"
    }

    /// `seconds` after leaving the start: a clock time HH:MM with --start-time (past midnight
    /// the hours go on: 24:10), else minutes.
    func clock(_ seconds: Double) -> String {
        guard let startMinute = try? trip.startMinute() else { return Self.fixed(seconds / 60, 1) }
        let minute = Int((startMinute + seconds / 60).rounded())
        return String(format: "%02d:%02d", minute / 60, minute % 60)
    }

    /// Per-worker and total distance (and, when `timed`, travel, service and working minutes)
    /// on standard error, and the stops listed apart.
    func summarise(_ command: String, plan: Plan, ids: [String], distances: [Double], timed: Bool, unit: String) {
        func line(_ distance: Double, _ tours: [Routing.Tour]) -> String {
            let travel = tours.map(\.travelCost).reduce(0, +), total = tours.map(\.totalCost).reduce(0, +)
            return Self.fixed(distance, 1) + unit + (timed ? ", " + Self.fixed(total / 60, 1) + " min (travel "
                + Self.fixed(travel / 60, 1) + " + service " + Self.fixed((total - travel) / 60, 1) + ")" : "")
        }
        for (worker, tour) in plan.tours.enumerated() {
            StandardError.write("gridmap \(command): worker \(plan.labels[worker]): \(tour.stops.count) stops, \(line(distances[worker], [tour]))")
        }
        StandardError.write("gridmap \(command): total \(line(distances.reduce(0, +), plan.tours))")
        if !plan.unreachable.isEmpty {
            StandardError.write("gridmap \(command): \(plan.unreachable.count) stops cannot be reached from the start (not connected by road), listed last without a worker: "
                + plan.unreachable.map { ids[$0] }.joined(separator: ", "))
        }
        if !plan.unserved.isEmpty, let maxMinutes = trip.maxMinutes {
            StandardError.write("gridmap \(command): \(plan.unserved.count) stops fit no worker within --max-minutes \(Self.fixed(maxMinutes, 0)), listed last without a worker: "
                + plan.unserved.map { ids[$0] }.joined(separator: ", "))
        }
    }

    static func fixed(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
}

/// The stops of a `tour` CSV: ids, two coordinate columns (lon,lat or x,y) and the optional
/// service minutes.
struct TourStopList {
    var ids: [String] = []
    var first: [Double] = []
    var second: [Double] = []
    /// Minutes spent at each stop from the service_min column; nil when absent or empty.
    var serviceMinutes: [Double?] = []

    /// Reads `path` ("-" for standard input); every bad row is reported with its line, then the
    /// command fails.
    static func read(_ path: String, planar: Bool) throws -> TourStopList {
        guard let reader = CSVRecordReader(path: path) else {
            throw ValidationError("Cannot read \(path): \(String(cString: strerror(errno))).")
        }
        var reading = StopReading(path: path, planar: planar)
        do {
            while let block = try reader.nextBlock() {
                for record in block.records { try reading.add(record, of: block) }
            }
        } catch let error as ReadError {
            throw ValidationError("Cannot read \(path): \(error).")
        }
        guard reading.names != nil else { throw ValidationError("\(path) is empty: it needs a header id,\(reading.wanted) and stops.") }
        if !reading.bad.isEmpty {
            for problem in reading.bad { StandardError.write("gridmap tour: \(path): \(problem)") }
            throw ValidationError("\(path): \(reading.bad.count) bad rows; nothing planned.")
        }
        if reading.list.ids.isEmpty { throw ValidationError("\(path) lists no stops.") }
        return reading.list
    }

    private typealias ReadError = CSVRecordReader.ReadError

    /// The stops read so far, record by record: the header's columns, then each stop or why
    /// its row is bad.
    private struct StopReading {
        let path: String
        let planar: Bool
        var names: [String]?
        var idColumn = 0, xColumn = 0, yColumn = 0
        var serviceColumn: Int?
        var list = TourStopList()
        var seen: [String: Int] = [:]
        var bad: [String] = []

        init(path: String, planar: Bool) {
            (self.path, self.planar) = (path, planar)
        }

        /// The coordinate columns wanted, for messages.
        var wanted: String { planar ? "x,y" : "lon,lat" }

        mutating func add(_ record: CSVRecord, of block: CSVBlock) throws {
            guard names != nil else { return try readHeader(record, of: block) }
            if block.isBlank(record) { return }
            let lineNumber = record.line
            if let problem = record.problem {
                bad.append("line \(lineNumber): \(problem)")
                return
            }
            guard record.fieldCount > max(idColumn, xColumn, yColumn) else {
                bad.append("line \(lineNumber): \(record.fieldCount) fields, the header has \(names!.count)")
                return
            }
            let id = block.value(idColumn, of: record)
            guard !id.isEmpty else { bad.append("line \(lineNumber): no id"); return }
            guard let x = CSVNumber.parse(block.field(xColumn, of: record)),
                  let y = CSVNumber.parse(block.field(yColumn, of: record)) else {
                bad.append("line \(lineNumber): \(wanted) of \(id) are not numbers")
                return
            }
            if !planar, !(abs(x) <= 180 && abs(y) <= 90) {
                bad.append("line \(lineNumber): \(x),\(y) is not a WGS84 longitude,latitude (use --planar for x,y)")
                return
            }
            if let earlier = seen[id] { bad.append("line \(lineNumber): stop \(id) again (first on line \(earlier))"); return }
            var service: Double?
            if let serviceColumn, serviceColumn < record.fieldCount, !block.value(serviceColumn, of: record).isEmpty {
                guard let minutes = CSVNumber.parse(block.field(serviceColumn, of: record)), minutes >= 0 else {
                    bad.append("line \(lineNumber): service_min of \(id) is not a number of minutes ≥ 0")
                    return
                }
                service = minutes
            }
            seen[id] = lineNumber
            list.ids.append(id)
            list.first.append(x)
            list.second.append(y)
            list.serviceMinutes.append(service)
        }

        /// The first record: the header, which must name the id and coordinate columns.
        private mutating func readHeader(_ record: CSVRecord, of block: CSVBlock) throws {
            let names = block.values(of: record).map { $0.lowercased() }
            let xNames = planar ? ["x"] : PointCSVStream.longitudeNames.filter { $0 != "x" }
            let yNames = planar ? ["y"] : PointCSVStream.latitudeNames.filter { $0 != "y" }
            guard let idColumn = names.firstIndex(of: "id"),
                  let xColumn = names.firstIndex(where: xNames.contains),
                  let yColumn = names.firstIndex(where: yNames.contains)
            else {
                throw ValidationError("\(path): line 1 must be the header id,\(wanted)"
                    + (planar ? "" : " (or id,x,y with --planar)") + ", not '\(String(decoding: block.bytes(of: record), as: UTF8.self))'.")
            }
            (self.names, self.idColumn, self.xColumn, self.yColumn) = (names, idColumn, xColumn, yColumn)
            serviceColumn = names.firstIndex(of: "service_min")
        }
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

    init(data: TownData, positions wgs84: [Position], ids: [String], profile: TravelProfile, command: String) throws {
        do {
            network = try RoadNetwork(roads: data.features, workingCRS: data.town.workingCRS)
        } catch {
            throw ValidationError("Cannot build the road network: \(error)")
        }
        guard network.edgeCount > 0 else { throw ValidationError("The town has no roads to route along (features of kind road).") }
        network.reportBuild(command: command)
        let snapped = try network.snap(wgs84)
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

    /// One LineString feature per worker with stops (worker, label, stops, distance_m, time_s),
    /// written atomically; `labels` name the workers as the CSV does.
    static func writeRoutes(_ tours: [RoadTour], labels: [String], to path: String,
                            extra: (Int) -> JSONObject = { _ in JSONObject() }) throws {
        try AtomicFile.write(to: URL(fileURLWithPath: path)) { temporary in
            let writer = GeoJSONWriter(sink: try FileSink(path: temporary.path))
            try writer.beginCollection()
            for (worker, tour) in tours.enumerated() where !tour.tour.stops.isEmpty {
                var properties: JSONObject = [
                    "worker": .number(JSONNumber(worker + 1)),
                    "label": .string(labels[worker]),
                    "stops": .number(JSONNumber(tour.tour.stops.count)),
                    "distance_m": .number(JSONNumber((distance(tour) * 10).rounded() / 10)),
                    "time_s": .number(JSONNumber(tour.tour.totalCost.rounded())),
                ]
                for (key, value) in extra(worker) { properties[key] = value }
                try writer.write(Feature(id: .string("worker-\(labels[worker])"), geometry: tour.geometry, properties: properties))
            }
            try writer.finish()
        }
        StandardError.write("gridmap: wrote \(tours.count { !$0.tour.stops.isEmpty }) routes to \(path)")
    }
}
