import ArgumentParser
import CSV
import Foundation
import GridMapApp

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
            by local search within --time-budget seconds. One call plans at most 20,000 stops \
            (beyond 2,000 without a full cost matrix: each stop's nearest stops by a bounded \
            search, other pairs when asked); a longer list is refused before any work: split it \
            by area.

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

    @Option(help: ArgumentHelp("Road mode: walk (default), bicycle, ebike or car (docs/ROUTING.md: the roads each may use).", valueName: "profile"))
    var profile: TravelMode = .walk

    @Option(help: ArgumentHelp("The stop to start from (default: the first row).", valueName: "id"))
    var start: String?

    @OptionGroup var trip: TripOptions

    @Option(help: ArgumentHelp("Road mode: write the routes as GeoJSON LineStrings, one per worker.", valueName: "file.geojson"))
    var out: String?

    func validate() throws {
        try trip.validate()
        if planar, out != nil { throw ValidationError("--out draws routes along the roads; it does not go with --planar.") }
    }

    func run() throws {
        let stops = try TourStops.read(openTable(file), planar: planar) { StandardError.write("gridmap tour: \($0)") }
        let job = TourJob(stops: stops, start: start, settings: try trip.settings())
        let output = TripOutput(command: "tour", settings: job.settings)
        if planar {
            let plan = try job.planOnThePlane()
            var text = "id,worker,order,leg_m,leg_min,arrival,departure\n"
            for worker in plan.workers where worker.stopCount > 0 {
                for (order, visit) in worker.visits.enumerated() {
                    text += "\(CSVField.escaped(stops.ids[visit.node])),\(worker.label),\(order),\(TripOutput.fixed(visit.legDistance, 3)),,,\n"
                }
            }
            for stop in plan.leftOut { text += "\(CSVField.escaped(stops.ids[stop])),,,,,,\n" }
            try StandardOutput.write(text)
            output.summarise(plan, ids: stops.ids, timed: false, unit: "")
            return
        }
        let data = try LoadedTown.data(from: store.stores.openWithTown())
        let plan = try job.planOnTheRoads(of: data, mode: profile) { StandardError.write("gridmap tour: \($0)") }
        var text = "id,worker,order,leg_m,leg_min,arrival,departure\n"
        for worker in plan.workers where worker.stopCount > 0 {
            for (order, visit) in worker.visits.enumerated() {
                text += "\(CSVField.escaped(stops.ids[visit.node])),\(worker.label),\(order),\(TripOutput.fixed(visit.legDistance, 1)),"
                    + output.timeColumns(visit) + "\n"
            }
        }
        for stop in plan.leftOut { text += "\(CSVField.escaped(stops.ids[stop])),,,,,,\n" }
        try StandardOutput.write(text)
        if let out { try TripOutput.writeRoutes(plan, to: out) }
        output.summarise(plan, ids: stops.ids, timed: true, unit: " m")
    }
}

extension TravelMode: ExpressibleByArgument {}
