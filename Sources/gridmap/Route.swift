import ArgumentParser
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
            Selects the residents of --category in one grid, micro-grid or village (as `select` \
            does), takes their homes as stops (one stop per home), and plans one tour per worker \
            along the roads under --profile, from --start (a feature id; default: the area's \
            citizen service station or party-masses service centre nearest the homes, else the \
            town's) and back.

            Output (standard output) is CSV worker,order,home,residents,leg_m,arrival_min in \
            visiting order: each worker's list opens and closes with the start (order 0 and \
            last; home is then the start's id); residents are resident ids (never names), \
            joined by ";". Homes no road joins to the start are listed last with an empty worker \
            and reported. Totals per worker go to standard error; --out writes the routes as \
            GeoJSON LineStrings along the roads, one per worker.

            Examples:
              gridmap route --category disabled --grid DC-017 --workers 2 --profile walk --out route.geojson
              gridmap route --category veteran,elderly-living-alone --village DC-V07 --profile ebike --out v07.geojson
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Categories, comma-separated, e.g. veteran,disabled.", valueName: "cat,..."))
    var category: String

    @OptionGroup var residentArea: ResidentAreaOptions
    private var grid: String? { residentArea.grid }
    private var microGrid: String? { residentArea.microGrid }
    private var village: String? { residentArea.village }

    @Option(help: ArgumentHelp("walk (default), ebike or car.", valueName: "profile"))
    var profile: TravelMode = .walk

    @Option(help: ArgumentHelp("How many workers share the homes.", valueName: "k"))
    var workers: Int = 1

    @Option(help: ArgumentHelp("The feature to start from and return to (default: the nearest service station or centre).", valueName: "id"))
    var start: String?

    @Option(name: .customLong("time-budget"), help: ArgumentHelp("Seconds the local search may take per tour (default 1).", valueName: "s"))
    var timeBudget: Double = 1

    @Option(help: ArgumentHelp("Write the routes as GeoJSON LineStrings along the roads, one per worker.", valueName: "file.geojson"))
    var out: String?

    static let serviceKinds: [FeatureKind] = [.citizenServiceStation, .partyMassesServiceCentre]

    func validate() throws {
        if [grid, microGrid, village].compactMap({ $0 }).count != 1 {
            throw ValidationError("Give one area: --grid, --micro-grid or --village.")
        }
        _ = try AreaRoleParsing.area(grid: grid, microGrid: microGrid)
        try TourSettings.validate(end: nil, open: false, returnToStart: false, workers: workers, timeBudget: timeBudget)
    }

    func run() throws {
        let (store, data) = try TownAtlas.load(self.store)
        let categories = try Select.categories(category, in: data)
        let area = try AreaRoleParsing.area(grid: grid, microGrid: microGrid)
        let grids = try areaGrids(area, in: data)
        // Office role for the selection itself; only ids leave this command.
        var rows = try store.residentRows(as: .office, in: area, categories: Set(categories))
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
        for row in located {
            if homeResidents[row.homeID] == nil { homes.append(row.homeID); homeLocation[row.homeID] = row.location! }
            homeResidents[row.homeID, default: []].append(row.id)
        }
        let depot = try startFeature(in: data, store: store, area: area, grids: grids, near: homes.map { homeLocation[$0]! })
        let ids = [depot.id] + homes
        let road = try RoadStops(data: data, positions: [depot.position] + homes.map { homeLocation[$0]! }, ids: ids,
                                 profile: profile.profile)
        let plan = try TourSettings(workers: workers, timeBudget: timeBudget).plan(road.costs, start: 0, ending: .returnToStart)
        let laid = try road.lay(plan)

        var text = "worker,order,home,residents,leg_m,arrival_min\n"
        for (worker, tour) in laid.enumerated() where !tour.tour.stops.isEmpty {
            for (order, stop) in tour.tour.order.enumerated() {
                let leg = order == 0 ? 0 : tour.legDistances[order - 1]
                let residents = stop == 0 ? "" : homeResidents[ids[stop]]!.joined(separator: ";")
                text += "\(worker + 1),\(order),\(CSVField.escaped(ids[stop])),\(CSVField.escaped(residents)),"
                    + "\(TourSettings.fixed(leg, 1)),\(TourSettings.fixed(tour.arrivals[order] / 60, 1))\n"
            }
        }
        for stop in plan.unreachable {
            text += ",,\(CSVField.escaped(ids[stop])),\(CSVField.escaped(homeResidents[ids[stop]]!.joined(separator: ";"))),,\n"
        }
        print(text, terminator: "")
        StandardError.write("gridmap route: \(located.count) residents in \(homes.count) homes, starting at \(depot.id)"
            + (depot.name.isEmpty ? "" : " (\(depot.name))") + ", \(profile.rawValue)")
        TourSettings.summarise("route", plan: plan, ids: ids, distances: laid.map(RoadStops.distance),
                               times: plan.tours.map(\.totalCost), unit: " m")
        if let out {
            try RoadStops.writeRoutes(laid, to: out) { worker in
                ["start": .string(depot.id), "profile": .string(profile.rawValue),
                 "homes": .array(laid[worker].tour.stops.map { .string(ids[$0]) })]
            }
        }
    }

    private var areaName: String { grid.map { "grid \($0)" } ?? microGrid.map { "micro-grid \($0)" } ?? "village \(village ?? "")" }

    /// The grids of the area, refusing codes the town does not have.
    private func areaGrids(_ area: AreaFilter?, in data: TownData) throws -> Set<GridCode> {
        try Select.checkArea(area, village: village, in: data)
        switch area {
        case .grid(let code)?: return [code]
        case .microGrid(let code)?: return [code.gridCode]
        case nil: return Set(data.grids.filter { $0.villageCode == village }.map(\.code))
        }
    }

    /// `--start`, or the service station / centre of the area nearest the homes' centre (the
    /// town's when the area has none).
    private func startFeature(in data: TownData, store: SQLiteTownStore, area: AreaFilter?, grids: Set<GridCode>,
                              near homes: [Position]) throws -> (id: String, name: String, position: Position) {
        func point(_ feature: MapFeature) -> Position? {
            if case .point(let position) = feature.geometry { return position }
            return nil
        }
        if let start {
            guard let feature = data.features.first(where: { $0.id == start }) else {
                throw ValidationError("--start \(start) is not a feature of the town.")
            }
            guard let position = point(feature) else { throw ValidationError("--start \(start) is not a point feature.") }
            return (feature.id, feature.name, position)
        }
        var candidates: [MapFeature] = []
        for kind in Self.serviceKinds {
            if let area {
                candidates += try store.features(of: kind, in: .grid(area.gridCode))
            } else {
                for grid in grids.sorted(by: { $0.description < $1.description }) { candidates += try store.features(of: kind, in: .grid(grid)) }
            }
        }
        if candidates.compactMap(point).isEmpty {
            candidates = data.features.filter { Self.serviceKinds.contains($0.kind) }
        }
        let centreX = homes.map(\.x).reduce(0, +) / Double(homes.count)
        let centreY = homes.map(\.y).reduce(0, +) / Double(homes.count)
        let scale = cos(centreY * .pi / 180)   // enough to rank a few nearby points
        let best = candidates.compactMap { feature in point(feature).map { (feature, $0) } }.min { a, b in
            let da = hypot((a.1.x - centreX) * scale, a.1.y - centreY), db = hypot((b.1.x - centreX) * scale, b.1.y - centreY)
            return da != db ? da < db : a.0.id < b.0.id
        }
        guard let best else {
            throw ValidationError("The town has no citizen service station or party-masses service centre to start from: give --start ID.")
        }
        return (best.0.id, best.0.name, best.1)
    }
}
