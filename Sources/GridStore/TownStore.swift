import GeoJSON
import GridMapCore

/// Where the GridMap tools keep a town: the one interface the CLI and the server talk to, so that
/// the embedded SQLite store (``SQLiteTownStore``) and a later PostgreSQL + PostGIS store are
/// interchangeable.
///
/// Every operation is synchronous and may be called from any thread: a command-line tool needs
/// nothing more, and a server can call it from its own executor.
public protocol TownStore: Sendable {
    /// Replaces the stored town with `data`, or — when `data` has any problem — changes nothing
    /// and throws ``ImportError`` listing every problem. `source` (a folder or file name) goes
    /// into the import log. Importing the same data twice leaves the same contents.
    @discardableResult
    func importTown(_ data: TownData, source: String) throws -> ImportSummary

    /// Everything stored, exactly as it was imported; nil when nothing has been imported yet.
    func loadTown() throws -> TownData?

    /// All grids, in import order.
    func grids() throws -> [Grid]

    /// The micro-grids of `grid`, or all when nil, in import order.
    func microGrids(of grid: GridCode?) throws -> [MicroGrid]

    /// The features of `kind`, optionally limited to an area (see ``AreaFilter`` for the rule).
    func features(of kind: FeatureKind, in area: AreaFilter?) throws -> [MapFeature]

    /// Residents whose home lies in `area` (all when nil) and who belong to at least one of
    /// `categories` (any category when empty).
    func residents(in area: AreaFilter?, categories: Set<ResidentCategory>) throws -> [Resident]

    /// Residents as `role` may see them, with where they live (see ``ResidentRole``).
    func residentRows(as role: ResidentRole, in area: AreaFilter?,
                      categories: Set<ResidentCategory>) throws -> [ResidentRow]

    /// The "1+1+N+X" team of one grid.
    func team(of grid: GridCode) throws -> [TeamMember]

    /// The layers the store holds: town, villages, grids, microgrids, one per stored feature
    /// kind, residents, team.
    func layers() throws -> [StoreLayer]

    /// Counts for `gridmap info`.
    func summary() throws -> TownSummary

    /// The features of one export layer in the exchange format of ``LayerEncoder``, residents
    /// masked for `role`. With an area, feature layers and residents follow ``AreaFilter``;
    /// grids, team and villages keep what belongs to the area's grid; the town layer is whole.
    func layerFeatures(_ layer: StoreLayer, in area: AreaFilter?, as role: ResidentRole) throws -> [Feature]
}

/// Limits a read or an export to one grid or one micro-grid.
///
/// Points and homes belong to the micro-grid stored for them at import (the one covering their
/// representative point); every other feature belongs to each area its geometry intersects;
/// residents belong where their home does; a grid includes all of its micro-grids.
public enum AreaFilter: Sendable, Hashable, CustomStringConvertible {
    case grid(GridCode)
    case microGrid(GridCode)

    /// A grid code selects a grid, a micro-grid code a micro-grid.
    public init(_ code: GridCode) {
        self = code.isMicroGrid ? .microGrid(code) : .grid(code.gridCode)
    }

    /// The grid the area lies in.
    public var gridCode: GridCode {
        switch self {
        case .grid(let code), .microGrid(let code): code.gridCode
        }
    }

    public var description: String {
        switch self {
        case .grid(let code): "grid \(code)"
        case .microGrid(let code): "micro-grid \(code)"
        }
    }
}

/// What one successful import wrote.
public struct ImportSummary: Sendable, Hashable {
    public var villages: Int
    public var grids: Int
    public var microGrids: Int
    public var features: Int
    public var residents: Int
    public var teamMembers: Int
    /// Features whose representative point lies in no micro-grid (outside the town's tiling).
    public var featuresOutsideMicroGrids: Int

    public init(villages: Int, grids: Int, microGrids: Int, features: Int, residents: Int,
                teamMembers: Int, featuresOutsideMicroGrids: Int) {
        self.villages = villages
        self.grids = grids
        self.microGrids = microGrids
        self.features = features
        self.residents = residents
        self.teamMembers = teamMembers
        self.featuresOutsideMicroGrids = featuresOutsideMicroGrids
    }
}

/// Counts of what a store holds, for the whole town and per grid.
public struct TownSummary: Sendable, Hashable {
    /// Counts within one grid (features by their stored micro-grid).
    public struct GridCounts: Sendable, Hashable {
        public var microGrids: Int
        public var features: Int
        public var residents: Int

        public init(microGrids: Int, features: Int, residents: Int) {
            self.microGrids = microGrids
            self.features = features
            self.residents = residents
        }
    }

    public var townCode: String
    public var villages: Int
    public var grids: Int
    public var microGrids: Int
    public var featuresByKind: [FeatureKind: Int]
    public var residents: Int
    /// A resident with several categories counts once in each.
    public var residentsByCategory: [ResidentCategory: Int]
    public var teamMembers: Int
    public var byGrid: [GridCode: GridCounts]

    public init(townCode: String, villages: Int, grids: Int, microGrids: Int,
                featuresByKind: [FeatureKind: Int], residents: Int,
                residentsByCategory: [ResidentCategory: Int], teamMembers: Int,
                byGrid: [GridCode: GridCounts]) {
        self.townCode = townCode
        self.villages = villages
        self.grids = grids
        self.microGrids = microGrids
        self.featuresByKind = featuresByKind
        self.residents = residents
        self.residentsByCategory = residentsByCategory
        self.teamMembers = teamMembers
        self.byGrid = byGrid
    }
}
