import ArgumentParser
import CSV
import Foundation
import GeoJSON
import GridMapCore
import GridStore
import Routing

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
            possible, within --max-stops and --max-minutes per worker.

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

            Examples:
              gridmap route --category disabled --grid DC-017 --workers 2 --profile walk --out route.geojson
              gridmap route --category disabled --grid DC-017 --grid DC-018 --own-grid --workers 2
              gridmap route --category elderly-living-alone --village DC-V07 --own-grid --service-min 15 --max-minutes 180 --start-time 09:00
              gridmap route --category veteran --village DC-V07 --profile ebike --workers 3 --open
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Categories, comma-separated, e.g. veteran,disabled.", valueName: "cat,..."))
    var category: String

    // The area as `select` takes it (ResidentAreaOptions), except that --grid may be repeated.
    @Option(help: ArgumentHelp("Residents of this grid, e.g. DC-017; repeat for several grids.", valueName: "code"))
    var grid: [String] = []

    @Option(name: .customLong("micro-grid"), help: ArgumentHelp("Residents of this micro-grid, e.g. DC-017-2.", valueName: "code"))
    var microGrid: String?

    @Option(help: ArgumentHelp("Residents of this administrative village, e.g. DC-V07.", valueName: "code"))
    var village: String?

    @Option(help: ArgumentHelp("walk (default), ebike or car.", valueName: "profile"))
    var profile: TravelMode = .walk

    @Option(help: ArgumentHelp("The feature to start from (default: the nearest service station or centre).", valueName: "id"))
    var start: String?

    @OptionGroup var trip: TripOptions

    @Flag(name: .customLong("own-grid"), help: "Each grid's homes go only to that grid's own team members (--workers per grid).")
    var ownGrid = false

    @Option(help: ArgumentHelp("Write the routes as GeoJSON LineStrings along the roads, one per worker.", valueName: "file.geojson"))
    var out: String?

    static let serviceKinds: [FeatureKind] = [.citizenServiceStation, .partyMassesServiceCentre]
    /// The order in which --own-grid takes a grid's team members as workers.
    static let workerRoles: [TeamRole] = [.liaison, .chief, .functional, .volunteer]

    func validate() throws {
        if [!grid.isEmpty, microGrid != nil, village != nil].filter({ $0 }).count != 1 {
            throw ValidationError("Give one area: --grid (repeatable), --micro-grid or --village.")
        }
        _ = try areas()
        try trip.validate()
    }

    func run() throws {
        let (store, data) = try TownAtlas.load(self.store)
        let categories = try Select.categories(category, in: data)
        let areas = try areas()
        let grids = try areaGrids(areas, in: data)
        // Office role for the selection itself; only ids leave this command.
        var rows = try areas.flatMap { try store.residentRows(as: .office, in: $0, categories: Set(categories)) }
        rows = rows.filter { $0.grid.map(grids.contains) ?? false }
        let located = rows.filter { $0.location != nil }
        if located.count < rows.count {
            StandardError.write("gridmap route: \(rows.count - located.count) residents have no home location and are left out: "
                + rows.filter { $0.location == nil }.map(\.id).joined(separator: ", "))
        }
        guard !located.isEmpty else {
            throw ValidationError("No residents of \(categories.map(\.rawValue).joined(separator: ", ")) live in \(areaName): nothing to route.")
        }
        // One stop per home, in first-seen order.
        var homes: [String] = [], homeResidents: [String: [String]] = [:], homeLocation: [String: Position] = [:]
        var homeGrid: [String: GridCode] = [:]
        for row in located {
            if homeResidents[row.homeID] == nil { homes.append(row.homeID); homeLocation[row.homeID] = row.location!; homeGrid[row.homeID] = row.grid }
            homeResidents[row.homeID, default: []].append(row.id)
        }
        let depot = try startFeature(in: data, store: store, area: areas.count == 1 ? areas[0] : nil, grids: grids, near: homes.map { homeLocation[$0]! })
        let endFeature = try trip.end.map { try Self.pointFeature($0, option: "--end", in: data) }
        // Nodes: 0 the start, 1…homes, then the --end feature if any.
        var ids = [depot.id] + homes
        var positions = [depot.position] + homes.map { homeLocation[$0]! }
        if let endFeature { ids.append(endFeature.id); positions.append(endFeature.position) }
        let ending = try trip.ending { _ in ids.count - 1 }
        let road = try RoadStops(data: data, positions: positions, ids: ids, profile: profile.profile, command: "route")
        let settings = TourSettings(trip: trip)
        let plan: TourSettings.Plan
        if ownGrid {
            let teams = try gridTeams(homes: homes, homeGrid: homeGrid, store: store)
            plan = try settings.plan(road.costs, start: 0, ending: ending, labels: teams.labels, teams: teams.teams)
        } else {
            plan = try settings.plan(road.costs, start: 0, ending: ending, labels: (1...trip.workers).map(String.init))
        }
        let laid = try road.lay(plan)

        var text = "worker,order,home,residents,leg_m,leg_min,arrival,departure\n"
        for (worker, tour) in laid.enumerated() where !tour.tour.stops.isEmpty {
            for (order, stop) in tour.tour.order.enumerated() {
                let leg = order == 0 ? 0 : tour.legDistances[order - 1]
                let residents = homeResidents[ids[stop]]?.joined(separator: ";") ?? ""
                text += "\(CSVField.escaped(plan.labels[worker])),\(order),\(CSVField.escaped(ids[stop])),\(CSVField.escaped(residents)),"
                    + "\(TourSettings.fixed(leg, 1)),\(settings.timeColumns(tour.tour, at: order))\n"
            }
        }
        for stop in plan.leftOut {
            text += ",,\(CSVField.escaped(ids[stop])),\(CSVField.escaped(homeResidents[ids[stop]]!.joined(separator: ";"))),,,,\n"
        }
        print(text, terminator: "")
        StandardError.write("gridmap route: \(located.count) residents in \(homes.count) homes, starting at \(depot.id)"
            + (depot.name.isEmpty ? "" : " (\(depot.name))") + ", \(profile.rawValue)")
        settings.summarise("route", plan: plan, ids: ids, distances: laid.map(RoadStops.distance), timed: true, unit: " m")
        if let out {
            try RoadStops.writeRoutes(laid, labels: plan.labels, to: out) { worker in
                ["start": .string(depot.id), "profile": .string(profile.rawValue),
                 "homes": .array(laid[worker].tour.stops.map { .string(ids[$0]) })]
            }
        }
    }

    /// One team per grid with homes (nodes 1…homes.count), of `--workers` members of the grid's
    /// team; the workers are named GRID/n and introduced on standard error.
    private func gridTeams(homes: [String], homeGrid: [String: GridCode], store: any TownStore) throws
        -> (teams: [MultiWorkerPlanner.Team], labels: [String]) {
        var stopsByGrid: [GridCode: [Int]] = [:]
        for (index, home) in homes.enumerated() { stopsByGrid[homeGrid[home]!, default: []].append(index + 1) }
        var teams: [MultiWorkerPlanner.Team] = [], labels: [String] = [], introductions: [String] = []
        for grid in stopsByGrid.keys.sorted(by: { $0.description < $1.description }) {
            let members = try store.team(of: grid).sorted {
                Self.workerRoles.firstIndex(of: $0.role)! < Self.workerRoles.firstIndex(of: $1.role)!
            }
            guard members.count >= trip.workers else {
                throw ValidationError("Grid \(grid) has \(stopsByGrid[grid]!.count) homes to visit but \(members.count) team members in "
                    + "team.csv: --own-grid needs \(trip.workers) per grid (lower --workers, or add members to the grid's team).")
            }
            teams.append(.init(workers: trip.workers, stops: stopsByGrid[grid]!))
            for (n, member) in members.prefix(trip.workers).enumerated() {
                labels.append("\(grid)/\(n + 1)")
                introductions.append("gridmap route: worker \(grid)/\(n + 1) is the grid's \(member.role.rawValue) \(member.name)")
            }
        }
        introductions.forEach(StandardError.write)
        return (teams, labels)
    }

    private var areaName: String {
        if !grid.isEmpty { return (grid.count == 1 ? "grid " : "grids ") + grid.joined(separator: ", ") }
        return microGrid.map { "micro-grid \($0)" } ?? "village \(village ?? "")"
    }

    /// The areas to select from: each --grid (once), the micro-grid, or nil for the village.
    private func areas() throws -> [AreaFilter?] {
        if grid.isEmpty { return [try AreaRoleParsing.area(grid: nil, microGrid: microGrid)] }
        var seen: Set<String> = []
        return try grid.filter { seen.insert($0).inserted }.map { try AreaRoleParsing.area(grid: $0, microGrid: nil) }
    }

    /// The grids of the areas, refusing codes the town does not have.
    private func areaGrids(_ areas: [AreaFilter?], in data: TownData) throws -> Set<GridCode> {
        var grids: Set<GridCode> = []
        for area in areas {
            try Select.checkArea(area, village: village, in: data)
            switch area {
            case .grid(let code)?: grids.insert(code)
            case .microGrid(let code)?: grids.insert(code.gridCode)
            case nil: grids.formUnion(data.grids.filter { $0.villageCode == village }.map(\.code))
            }
        }
        return grids
    }

    /// `--start`, or the service station / centre of the area nearest the homes' centre (the
    /// town's when the area has none).
    private func startFeature(in data: TownData, store: any TownStore, area: AreaFilter?, grids: Set<GridCode>,
                              near homes: [Position]) throws -> (id: String, name: String, position: Position) {
        if let start { return try Self.pointFeature(start, option: "--start", in: data) }
        var candidates: [MapFeature] = []
        for kind in Self.serviceKinds {
            if let area {
                candidates += try store.features(of: kind, in: .grid(area.gridCode))
            } else {
                for grid in grids.sorted(by: { $0.description < $1.description }) { candidates += try store.features(of: kind, in: .grid(grid)) }
            }
        }
        if candidates.compactMap(Self.point).isEmpty {
            candidates = data.features.filter { Self.serviceKinds.contains($0.kind) }
        }
        let centreX = homes.map(\.x).reduce(0, +) / Double(homes.count)
        let centreY = homes.map(\.y).reduce(0, +) / Double(homes.count)
        let scale = cos(centreY * .pi / 180)   // enough to rank a few nearby points
        let best = candidates.compactMap { feature in Self.point(feature).map { (feature, $0) } }.min { a, b in
            let da = hypot((a.1.x - centreX) * scale, a.1.y - centreY), db = hypot((b.1.x - centreX) * scale, b.1.y - centreY)
            return da != db ? da < db : a.0.id < b.0.id
        }
        guard let best else {
            throw ValidationError("The town has no citizen service station or party-masses service centre to start from: give --start ID.")
        }
        return (best.0.id, best.0.name, best.1)
    }

    private static func point(_ feature: MapFeature) -> Position? {
        if case .point(let position) = feature.geometry { return position }
        return nil
    }

    /// The point feature `id` of the town, named by `option` in errors.
    private static func pointFeature(_ id: String, option: String, in data: TownData) throws
        -> (id: String, name: String, position: Position) {
        guard let feature = data.features.first(where: { $0.id == id }) else {
            throw ValidationError("\(option) \(id) is not a feature of the town.")
        }
        guard let position = point(feature) else { throw ValidationError("\(option) \(id) is not a point feature.") }
        return (feature.id, feature.name, position)
    }
}
