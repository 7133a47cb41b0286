import ArgumentParser
import CSV
import Foundation
import GridMapApp

/// `gridmap route`: a visiting route along the roads to the homes of selected residents.
struct Route: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Plan a visiting route along the roads to the homes of residents of some categories in an area.",
        discussion: """
            Selects the residents of --category in one or more grids (--grid, repeated), a \
            micro-grid or a village (as `select` does), takes their homes as stops (one stop per home), and plans one tour per worker \
            along the roads under --profile, from --start (a feature id; default: the area's \
            citizen service station or party-masses service centre nearest the homes, else the \
            town's) and back, to the feature --end, or ending at the last home (--open). The \
            longest working time (travel plus --service-min per home) is kept as short as \
            possible, within --max-stops and --max-minutes per worker. One call plans at most \
            20,000 places (the homes, the start and the end); more are refused before any work: \
            route one grid at a time, or a micro-grid.

            --own-grid keeps every grid's homes with that grid's own team (team.csv): each grid \
            of the area gets --workers K of its team members (liaison first, then chief, \
            functional staff, volunteers), who visit only homes of their grid; a grid with homes \
            but fewer than K team members is refused. Workers are then named GRID/n (e.g. \
            DC-017/1); the summary says which member is which.

            Output (standard output) is CSV \
            worker,order,home,residents,leg_m,leg_min,arrival,departure in visiting order: each \
            worker's list opens with the start (order 0; home is then the start's id) and closes \
            with the start again or the --end feature; residents are resident ids (never names), \
            joined by ";". arrival is the previous departure plus the leg, departure the arrival \
            plus the service, as clock times with --start-time HH:MM, else minutes from the \
            start. Homes no road joins to the start, and homes that fit no worker within \
            --max-minutes, are listed last with an empty worker and reported. Totals per worker \
            go to standard error; --out writes the routes as GeoJSON LineStrings along the \
            roads, one per worker.

            The route lists resident ids and homes, so it needs a --role that sees the \
            residents of every grid of the area: office, or grid-worker:CODE when the area lies \
            in grid CODE (docs/PRIVACY.md); the public is refused.

            Examples:
              gridmap route --category disabled --grid DC-017 --workers 2 --profile walk --out route.geojson --role grid-worker:DC-017
              gridmap route --category disabled --grid DC-017 --grid DC-018 --own-grid --workers 2 --role office
              gridmap route --category elderly-living-alone --village DC-V07 --own-grid --service-min 15 --max-minutes 180 --start-time 09:00 --role office
              gridmap route --category veteran --village DC-V07 --profile ebike --workers 3 --open --role office
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Categories, comma-separated, e.g. veteran,disabled.", valueName: "cat,..."))
    var category: String

    @OptionGroup var area: ResidentAreaOptions

    @Option(help: ArgumentHelp("walk (default), bicycle, ebike or car (docs/ROUTING.md: the roads each may use).", valueName: "profile"))
    var profile: TravelMode = .walk

    @Option(help: ArgumentHelp("The feature to start from (default: the nearest service station or centre).", valueName: "id"))
    var start: String?

    @OptionGroup var trip: TripOptions

    @OptionGroup var reader: RoleOptions

    @Flag(name: .customLong("own-grid"), help: "Each grid's homes go only to that grid's own team members (--workers per grid).")
    var ownGrid = false

    @Option(help: ArgumentHelp("Write the routes as GeoJSON LineStrings along the roads, one per worker.", valueName: "file.geojson"))
    var out: String?

    func validate() throws {
        try validating { () throws(JobError) in try job().check() }
        try trip.validate()
    }

    /// The request as the application layer takes it.
    private func job() throws(JobError) -> OutreachJob {
        var job = OutreachJob(categories: category)
        (job.grids, job.microGrid, job.village) = (area.grid, area.microGrid, area.village)
        (job.mode, job.start, job.ownGrid) = (profile, start, ownGrid)
        job.role = try reader.parsed
        job.settings = try trip.settings()
        return job
    }

    func run() throws {
        let notice = { (line: String) in StandardError.write("gridmap route: \(line)") }
        let plan = try job().plan(from: store.stores.openWithTown(), notice: notice)
        for (label, member) in plan.members { notice("worker \(label) is the grid's \(member.role.rawValue) \(member.name)") }
        var text = "worker,order,home,residents,leg_m,leg_min,arrival,departure\n"
        let output = TripOutput(command: "route", settings: try trip.settings())
        for worker in plan.trip.workers where worker.stopCount > 0 {
            for (order, visit) in worker.visits.enumerated() {
                let residents = plan.residents(ofNode: visit.node).joined(separator: ";")
                text += "\(CSVField.escaped(worker.label)),\(order),\(CSVField.escaped(plan.id(ofNode: visit.node))),\(CSVField.escaped(residents)),"
                    + "\(TripOutput.fixed(visit.legDistance, 1)),\(output.timeColumns(visit))\n"
            }
        }
        for node in plan.trip.leftOut {
            text += ",,\(CSVField.escaped(plan.id(ofNode: node))),\(CSVField.escaped(plan.residents(ofNode: node).joined(separator: ";"))),,,,\n"
        }
        try StandardOutput.write(text)
        notice("\(plan.residentCount) residents in \(plan.homes.count) homes, starting at \(plan.start.id)"
            + (plan.start.name.isEmpty ? "" : " (\(plan.start.name))") + ", \(profile.rawValue)")
        output.summarise(plan.trip, ids: (0..<(plan.homes.count + 2)).map(plan.id(ofNode:)), timed: true, unit: " m")
        if let out {
            try TripOutput.writeRoutes(plan.trip, to: out) { worker in
                ["start": .string(plan.start.id), "profile": .string(profile.rawValue),
                 "homes": .array(worker.stops.map { .string(plan.id(ofNode: $0)) })]
            }
        }
    }
}
