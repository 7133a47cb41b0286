import ArgumentParser
import Foundation
import GeoJSON
import GridMapApp

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

    @Option(name: .customLong("time-budget"), help: ArgumentHelp("Seconds the local search may take for the whole plan (all workers); the road matrix comes before it.", valueName: "s"))
    var timeBudget: Double = 1

    @Option(name: .customLong("snap-tolerance"), help: ArgumentHelp("Metres within which a stop takes a road of the main network rather than a nearer road cut off from it (default 50).", valueName: "m"))
    var snapTolerance: Double = TripSettings.defaultSnapTolerance

    func validate() throws {
        if [end != nil, open, returnToStart].filter({ $0 }).count > 1 {
            throw ValidationError("Give one ending: --end ID, --open or --return.")
        }
        try validating { () throws(JobError) in try settings().check() }
    }

    /// The options as the application layer takes them.
    func settings() throws(JobError) -> TripSettings {
        var settings = TripSettings()
        settings.workers = workers
        settings.end = end
        settings.open = open
        settings.serviceMinutes = serviceMinutes
        settings.maxStops = maxStops
        settings.maxMinutes = maxMinutes
        settings.startMinute = try startTime.map { (text) throws(JobError) in try TripSettings.minute(ofClock: text) }
        settings.timeBudget = timeBudget
        settings.snapTolerance = snapTolerance
        return settings
    }
}

/// How `tour` and `route` write a ``TripPlan``: its times as CSV columns, the totals per worker
/// on standard error, and the routes as GeoJSON.
struct TripOutput {
    var command: String
    var settings: TripSettings

    /// leg_min,arrival,departure of a visit (costs in seconds).
    func timeColumns(_ visit: TripPlan.Visit) -> String {
        "\(Self.fixed(visit.legCost / 60, 1)),\(clock(visit.arrival)),\(clock(visit.departure))"
    }

    /// `seconds` after leaving the start: a clock time HH:MM with --start-time (past midnight
    /// the hours go on: 24:10), else minutes.
    func clock(_ seconds: Double) -> String {
        guard let startMinute = settings.startMinute else { return Self.fixed(seconds / 60, 1) }
        let minute = Int((startMinute + seconds / 60).rounded())
        return String(format: "%02d:%02d", minute / 60, minute % 60)
    }

    /// Per-worker and total distance (and, when `timed`, travel, service and working minutes)
    /// on standard error, and the stops listed apart.
    func summarise(_ plan: TripPlan, ids: [String], timed: Bool, unit: String) {
        func line(_ distance: Double, _ workers: [TripPlan.WorkerTrip]) -> String {
            let travel = workers.map(\.travelCost).reduce(0, +), total = workers.map(\.totalCost).reduce(0, +)
            return Self.fixed(distance, 1) + unit + (timed ? ", " + Self.fixed(total / 60, 1) + " min (travel "
                + Self.fixed(travel / 60, 1) + " + service " + Self.fixed((total - travel) / 60, 1) + ")" : "")
        }
        for note in plan.roadNotes { StandardError.write("gridmap \(command): \(note)") }
        for worker in plan.workers {
            StandardError.write("gridmap \(command): worker \(worker.label): \(worker.stopCount) stops, \(line(worker.distance, [worker]))")
        }
        StandardError.write("gridmap \(command): total \(line(plan.workers.map(\.distance).reduce(0, +), plan.workers))")
        if !plan.unreachable.isEmpty {
            let start = plan.workers.first?.visits.first.map { " " + ids[$0.node] } ?? ""
            StandardError.write("gridmap \(command): \(plan.unreachable.count) stops cannot be reached from the start\(start) (not connected by road), listed last without a worker: "
                + plan.unreachable.map { stop in ids[stop] + (plan.unreachableReasons[stop].map { " (\($0))" } ?? "") }.joined(separator: "; "))
        }
        if !plan.unserved.isEmpty, let maxMinutes = settings.maxMinutes {
            StandardError.write("gridmap \(command): \(plan.unserved.count) stops fit no worker within --max-minutes \(Self.fixed(maxMinutes, 0)), listed last without a worker: "
                + plan.unserved.map { ids[$0] }.joined(separator: ", "))
        }
    }

    static func fixed(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

    /// One LineString feature per worker with stops (worker, label, stops, distance_m, time_s,
    /// and `extra`'s properties), written atomically.
    static func writeRoutes(_ plan: TripPlan, to path: String, extra: (TripPlan.WorkerTrip) -> JSONObject = { _ in JSONObject() }) throws {
        try AtomicFile.write(to: URL(fileURLWithPath: path)) { temporary in
            let writer = GeoJSONWriter(sink: try FileSink(path: temporary.path))
            try writer.beginCollection()
            for feature in plan.routeFeatures(extra: extra) { try writer.write(feature) }
            try writer.finish()
        }
        StandardError.write("gridmap: wrote \(plan.workers.count { $0.stopCount > 0 }) routes to \(path)")
    }
}
