import GEOS
import GeoJSON
import GridMapCore
import GridStore
import PROJ

/// What the store holds: the town summary a grid office reports upward, and one grid in detail
/// with its "1+1+N+X" team.
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
    public var summary: TownSummary
    /// The coverage faults the latest import was allowed to keep (0 for a clean town).
    public var acceptedCoverageFaults: Int

    public init(store: any TownStore) throws(JobError) {
        summary = try asJobError { try store.summary() }
        acceptedCoverageFaults = try asJobError { try store.acceptedCoverageFaults().count }
        let town = try asJobError { try store.layerFeatures(.town, in: nil, as: .office).first }
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

    /// One grid: its micro-grids, counts, residents per built-in category and team.
    public struct GridDetail: Sendable {
        public var grid: Grid
        public var microGrids: [GridCode]
        public var counts: TownSummary.GridCounts
        public var residentsByCategory: [(category: ResidentCategory, count: Int)]
        public var team: [TeamMember]
    }

    /// The grid `code` in detail, refusing a code the town does not have.
    public static func grid(_ code: GridCode, in store: any TownStore) throws(JobError) -> GridDetail {
        try asJobError {
            let summary = try store.summary()
            guard let grid = try store.grids().first(where: { $0.code == code }), let counts = summary.byGrid[code] else {
                throw JobError.invalidRequest("No grid \(code) in this town.")
            }
            let categories = try ResidentCategory.builtIn.map { category in
                (category, try store.residentCount(in: .grid(code), categories: [category]))
            }
            return GridDetail(grid: grid, microGrids: try store.microGrids(of: code).map(\.code), counts: counts,
                              residentsByCategory: categories, team: try store.team(of: code))
        }
    }
}
