import GEOS
import GeoJSON
import GridMapCore
import GridStore
import PROJ

/// What the store holds: the town summary a grid office reports upward, and one grid in detail
/// with its "1+1+N+X" team, as the reader's role may see them (``Disclosure``): town totals
/// exact, counts of residents per grid disclosed, team members filtered.
public struct TownOverview: Sendable {
    public var name: String
    public var latinName: String
    public var townCode: String
    public var workingCRS: CRSDefinition
    /// The town's boundary area in m² (not the sum of its grids, which differ when the coverage
    /// has faults).
    public var area: Double
    /// Each grid's area in m², measured in the working CRS.
    public var gridAreas: [GridCode: Double]
    /// The store's counts; per grid, its residents are zero here (see ``gridResidents``).
    public var summary: TownSummary
    /// Each grid's residents, disclosed for the reader.
    public var gridResidents: [GridCode: DisclosedCount]
    /// The coverage faults the latest import was allowed to keep (0 for a clean town).
    public var acceptedCoverageFaults: Int

    public init(store: any TownStore, as role: ResidentRole = .public) throws(JobError) {
        summary = try asJobError { try store.summary() }
        try RequestParsing.checkRole(role, grids: Array(summary.byGrid.keys))
        gridResidents = Self.gridResidents(summary, as: Disclosure(role))
        for code in summary.byGrid.keys { summary.byGrid[code]?.residents = 0 }
        acceptedCoverageFaults = try asJobError { try store.acceptedCoverageFaults().count }
        let town = try asJobError { try store.town().map(LayerEncoder.feature(for:)) }
        name = town?.properties?["name"]?.stringValue ?? summary.townCode
        latinName = town?.properties?["latin_name"]?.stringValue ?? ""
        townCode = summary.townCode
        workingCRS = CRSDefinition(town?.properties?["working_crs"]?.stringValue ?? "?")
        let crs = workingCRS
        let grids = try asJobError { try store.grids() }
        (area, gridAreas) = try asJobError {
            let transformer = try Projection(workingCRS: crs)
            let context = GEOSContext()
            let area = try town?.geometry.map { try transformer.area(of: $0, context: context) } ?? 0
            var gridAreas: [GridCode: Double] = [:]
            for grid in grids { gridAreas[grid.code] = try transformer.area(of: grid.geometry, context: context) }
            return (area, gridAreas)
        }
    }

    /// One grid: its micro-grids, counts, residents per built-in category and team, as the
    /// reader may see them.
    public struct GridDetail: Sendable {
        public var grid: Grid
        public var microGrids: [GridCode]
        public var features: Int
        public var residents: DisclosedCount
        public var residentsByCategory: [(category: ResidentCategory, count: DisclosedCount)]
        public var team: [TeamMember]
    }

    /// The grid `code` in detail, refusing a code the town does not have. Its counts are its
    /// row of the whole town's tables, so that they agree with `select --counts` and `info
    /// --grids` and suppression holds across grids.
    public static func grid(_ code: GridCode, in store: any TownStore, as role: ResidentRole = .public) throws(JobError) -> GridDetail {
        try asJobError {
            let summary = try store.summary()
            guard let grid = try store.grids().first(where: { $0.code == code }), let counts = summary.byGrid[code] else {
                throw JobError.invalidRequest("No grid \(code) in this town.")
            }
            let grids = summary.byGrid.keys.sorted()
            try RequestParsing.checkRole(role, grids: grids)
            let disclosure = Disclosure(role)
            let slot = grids.firstIndex(of: code) ?? 0
            let table = CategoryCounts(rows: try store.locatedResidents(in: nil, categories: [], page: .all), grids: grids,
                                       categories: ResidentCategory.builtIn, as: disclosure)
            return GridDetail(grid: grid, microGrids: try store.microGrids(of: code).map(\.code), features: counts.features,
                              residents: gridResidents(summary, as: disclosure)[code] ?? .suppressed,
                              residentsByCategory: Array(zip(ResidentCategory.builtIn, table.byGrid[slot])),
                              team: try store.team(of: code).filter(disclosure.sees))
        }
    }

    /// The residents column of the grids' table, disclosed.
    private static func gridResidents(_ summary: TownSummary, as disclosure: Disclosure) -> [GridCode: DisclosedCount] {
        let codes = summary.byGrid.keys.sorted()
        let column = disclosure.disclose(codes.map { summary.byGrid[$0]?.residents ?? 0 }, town: summary.residents, grids: codes)
        return Dictionary(uniqueKeysWithValues: zip(codes, column.grids))
    }
}
