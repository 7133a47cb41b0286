import Foundation
import GeoJSON
import GridMapCore
import GridStore
import Routing

/// A visiting route along the roads to the homes of residents of some categories in an area:
/// one stop per home, from a service station or centre (or a named feature), split among
/// workers — or, with `ownGrid`, among each grid's own team.
public struct OutreachJob {
    /// The categories, comma-separated (e.g. "veteran,disabled").
    public var categories: String
    /// The area: grids (several allowed), one micro-grid, or one village. Exactly one kind.
    public var grids: [String] = []
    public var microGrid: String?
    public var village: String?
    public var mode: TravelMode = .walk
    /// The feature to start from; nil for the area's service station or centre nearest the homes.
    public var start: String?
    public var settings = TripSettings()
    /// Each grid's homes go only to that grid's own team (settings.workers per grid).
    public var ownGrid = false
    /// Who plans: the route lists resident ids and homes, so the role must see the residents
    /// of every grid of the area (``Disclosure/checkSeesResidents(inGrids:instead:)``).
    public var role: ResidentRole = .public

    /// Where a route may start when none is named.
    public static let serviceKinds: [FeatureKind] = [.citizenServiceStation, .partyMassesServiceCentre]
    /// The order in which `ownGrid` takes a grid's team members as workers.
    public static let workerRoles: [TeamRole] = [.liaison, .chief, .functional, .volunteer]

    public init(categories: String) { self.categories = categories }

    /// A home to visit and who lives there.
    public struct Home: Sendable, Hashable {
        public var id: String
        public var position: Position
        public var grid: GridCode?
        /// Resident ids (never names), in the register's order.
        public var residents: [String]
    }

    /// Where the workers leave from (or end at).
    public struct Place: Sendable, Hashable {
        public var id: String
        public var name: String
        public var position: Position
    }

    public struct Plan: Sendable {
        /// The trips; node 0 is ``start``, nodes 1… the ``homes``, then ``end`` if any.
        public var trip: TripPlan
        public var start: Place
        public var homes: [Home]
        public var end: Place?
        /// How many residents the homes hold.
        public var residentCount: Int
        /// With `ownGrid`: each worker's team member, by worker label.
        public var members: [(label: String, member: TeamMember)]

        /// The id of a node: the start, a home, or the end.
        public func id(ofNode node: Int) -> String {
            if node == 0 { return start.id }
            if node <= homes.count { return homes[node - 1].id }
            return end?.id ?? ""
        }

        /// The residents of a node's home (none for the start and the end).
        public func residents(ofNode node: Int) -> [String] {
            node >= 1 && node <= homes.count ? homes[node - 1].residents : []
        }
    }

    /// Refuses an area given twice or not at all, and settings out of range.
    public func check() throws(JobError) {
        if [!grids.isEmpty, microGrid != nil, village != nil].filter({ $0 }).count != 1 {
            throw .invalidRequest("Give one area: --grid (repeatable), --micro-grid or --village.")
        }
        _ = try areas()
        try settings.check()
    }

    /// Selects the residents, finds their homes and the start, and plans the trips. `notice`
    /// hears residents left out for want of a home location, what building the road network
    /// found, and which team member each worker is.
    public func plan(from store: any TownStore, notice: (String) -> Void) throws(JobError) -> Plan {
        let data = try LoadedTown.data(from: store)
        let categories = try RequestParsing.categories(self.categories, in: data)
        let areas = try areas()
        let grids = try areaGrids(areas, in: data)
        try RequestParsing.checkRole(role, grids: data.grids.map(\.code))
        try Disclosure(role).checkSeesResidents(inGrids: grids.sorted(), instead: "a route lists resident ids and homes; use --role office or grid-worker:CODE of the area's grid")
        var rows: [LocatedResident] = []
        for area in areas {
            rows += try asJobError { try store.locatedResidents(in: area, categories: Set(categories), page: .all) }
        }
        rows = rows.filter { $0.grid.map(grids.contains) ?? false }
        let unplaced = rows.filter { $0.location == nil }
        if !unplaced.isEmpty {
            notice("\(unplaced.count) residents have no home location and are left out: " + unplaced.map(\.resident.id).joined(separator: ", "))
        }
        let homes = Self.homes(of: rows)
        guard !homes.isEmpty else {
            throw .invalidRequest("No residents of \(categories.map(\.rawValue).joined(separator: ", ")) live in \(areaName): nothing to route.")
        }
        return try route(homes, grids: grids, residentCount: rows.count - unplaced.count, in: data, notice: notice)
    }

    /// Plans the trips to `homes` (at least one) of `grids`: from the start (named, or the
    /// grids' service point nearest the homes), along the roads under the job's mode and
    /// settings. The survey's list of homes to visit is planned here too.
    func route(_ homes: [Home], grids: Set<GridCode>, residentCount: Int, in data: TownData,
               notice: (String) -> Void) throws(JobError) -> Plan {
        let start = try startPlace(in: data, grids: grids, near: homes.map(\.position))
        let end = try settings.end.map { (id) throws(JobError) in try Self.pointFeature(id, option: "--end", in: data) }
        // Nodes: 0 the start, 1…homes, then the end feature if any.
        let places = [start.position] + homes.map(\.position) + (end.map { [$0.position] } ?? [])
        let ids = [start.id] + homes.map(\.id) + (end.map { [$0.id] } ?? [])
        let ending = try settings.ending { _ in places.count - 1 }
        try TripSettings.checkPlaceCount(places.count, split: "route fewer homes per call: one grid at a time (--grid, "
            + "with each grid's own team: --own-grid), or a micro-grid (--micro-grid).")
        let road = try RoadStops(data: data, positions: places, ids: ids, profile: mode.profile,
                                 snapTolerance: settings.snapTolerance, notice: notice)
        try road.checkReach(start: 0, ending: ending, ids: ids)
        let planner = WorkerTrips(settings: settings)
        let trip: TripPlan
        var members: [(label: String, member: TeamMember)] = []
        if ownGrid {
            let teams = try gridTeams(homes: homes, team: data.team)
            members = teams.members
            trip = try road.lay(planner.plan(road.costs, start: 0, ending: ending, teams: teams.teams), labels: teams.members.map(\.label))
        } else {
            trip = try road.lay(planner.plan(road.costs, start: 0, ending: ending), labels: (1...settings.workers).map(String.init))
        }
        return Plan(trip: trip, start: start, homes: homes, end: end, residentCount: residentCount, members: members)
    }

    /// One home per distinct home of the located rows, in first-seen order.
    static func homes(of rows: [LocatedResident]) -> [Home] {
        var homes: [Home] = [], indexOfHome: [String: Int] = [:]
        for row in rows {
            guard let position = row.location else { continue }
            let resident = row.resident
            if let index = indexOfHome[resident.homeID] {
                homes[index].residents.append(resident.id)
            } else {
                indexOfHome[resident.homeID] = homes.count
                homes.append(Home(id: resident.homeID, position: position, grid: row.grid, residents: [resident.id]))
            }
        }
        return homes
    }

    /// One team per grid with homes (nodes 1…homes.count), of `settings.workers` members of the
    /// grid's team (liaison first), named GRID/n.
    private func gridTeams(homes: [Home], team: [TeamMember]) throws(JobError)
        -> (teams: [MultiWorkerPlanner.Team], members: [(label: String, member: TeamMember)]) {
        var stopsByGrid: [GridCode: [Int]] = [:]
        for (index, home) in homes.enumerated() {
            if let grid = home.grid { stopsByGrid[grid, default: []].append(index + 1) }
        }
        let rank = Dictionary(uniqueKeysWithValues: Self.workerRoles.enumerated().map { ($1, $0) })
        var teams: [MultiWorkerPlanner.Team] = [], members: [(label: String, member: TeamMember)] = []
        for (grid, stops) in stopsByGrid.sorted(by: { $0.key.description < $1.key.description }) {
            let gridTeam = team.filter { $0.gridCode == grid }.sorted { rank[$0.role, default: 0] < rank[$1.role, default: 0] }
            guard gridTeam.count >= settings.workers else {
                throw .invalidRequest("Grid \(grid) has \(stops.count) homes to visit but \(gridTeam.count) team members in "
                    + "team.csv: --own-grid needs \(settings.workers) per grid (lower --workers, or add members to the grid's team).")
            }
            teams.append(.init(workers: settings.workers, stops: stops))
            for (n, member) in gridTeam.prefix(settings.workers).enumerated() { members.append(("\(grid)/\(n + 1)", member)) }
        }
        return (teams, members)
    }

    private var areaName: String {
        if !grids.isEmpty { return (grids.count == 1 ? "grid " : "grids ") + grids.joined(separator: ", ") }
        return microGrid.map { "micro-grid \($0)" } ?? "village \(village ?? "")"
    }

    /// The areas to select from: each grid (once), the micro-grid, or nil for the village.
    private func areas() throws(JobError) -> [AreaFilter?] {
        if grids.isEmpty { return [try RequestParsing.area(grid: nil, microGrid: microGrid)] }
        var seen: Set<String> = [], areas: [AreaFilter?] = []
        for grid in grids where seen.insert(grid).inserted { areas.append(.grid(try RequestParsing.grid(grid))) }
        return areas
    }

    /// The grids of the areas, refusing codes the town does not have.
    private func areaGrids(_ areas: [AreaFilter?], in data: TownData) throws(JobError) -> Set<GridCode> {
        var grids: Set<GridCode> = []
        for area in areas {
            try RequestParsing.checkArea(area, village: village, in: data)
            switch area {
            case .grid(let code)?: grids.insert(code)
            case .microGrid(let code)?: grids.insert(code.gridCode)
            case nil: grids.formUnion(data.grids.filter { $0.villageCode == village }.map(\.code))
            }
        }
        return grids
    }

    /// The named start, or the service station or centre in the area's grids nearest the homes'
    /// centre (the town's nearest when the area has none), by the atlas's exact nearest search
    /// in the working CRS; ties go to the smaller id.
    private func startPlace(in data: TownData, grids: Set<GridCode>, near homes: [Position]) throws(JobError) -> Place {
        if let start { return try Self.pointFeature(start, option: "--start", in: data) }
        let town = try LoadedTown(data: data, indexing: Set(Self.serviceKinds))
        let services = data.features.filter { Self.serviceKinds.contains($0.kind) && Self.point($0) != nil }
        let inArea = Set(services.filter { feature in
            guard let position = Self.point(feature),
                  let index = town.atlas.microGridIndex(longitude: position.x, latitude: position.y) else { return false }
            return grids.contains(town.atlas.microGrids[index].gridCode)
        }.map(\.id))
        let centreX = homes.map(\.x).reduce(0, +) / Double(homes.count)
        let centreY = homes.map(\.y).reduce(0, +) / Double(homes.count)
        var ranked: [NearbyFeature] = []
        for kind in Self.serviceKinds where services.contains(where: { $0.kind == kind }) {
            ranked += try asJobError {
                try town.atlas.nearest(kind, longitude: centreX, latitude: centreY, k: services.count)
            }
        }
        ranked = ranked.filter { feature in services.contains { $0.id == feature.id } }
        ranked.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.id < $1.id }
        guard let best = ranked.first(where: { inArea.contains($0.id) }) ?? ranked.first else {
            throw .invalidRequest("The town has no citizen service station or party-masses service centre to start from: give --start ID.")
        }
        return try Self.pointFeature(best.id, option: "--start", in: data)
    }

    private static func point(_ feature: MapFeature) -> Position? {
        if case .point(let position) = feature.geometry { return position }
        return nil
    }

    /// The point feature `id` of the town, named by `option` in errors.
    private static func pointFeature(_ id: String, option: String, in data: TownData) throws(JobError) -> Place {
        guard let feature = data.features.first(where: { $0.id == id }) else {
            throw .invalidRequest("\(option) \(id) is not a feature of the town.")
        }
        guard let position = point(feature) else { throw .invalidRequest("\(option) \(id) is not a point feature.") }
        return Place(id: feature.id, name: feature.name, position: position)
    }
}
