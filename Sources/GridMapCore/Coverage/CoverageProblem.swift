import GeoJSON

/// One fault found by coverage validation: what it is, where it is, how big it is and which
/// grids or micro-grids it concerns. A plain `Sendable` value in WGS84, ready to print or map.
public struct CoverageProblem: Hashable, Sendable {
    /// What kind of fault this is. Declaration order is the report's sort order.
    public enum Kind: String, Hashable, Sendable, CaseIterable, Comparable, CustomStringConvertible {
        /// A polygon GEOS finds invalid (self-intersection, too few points, open ring…), or a
        /// grid/micro-grid whose geometry is not polygonal at all.
        case invalidPolygon = "invalid-polygon"
        /// Two grids or micro-grids share a code.
        case duplicateCode = "duplicate-code"
        /// A micro-grid whose grid does not exist.
        case orphanMicroGrid = "orphan-micro-grid"
        /// A grid with no micro-grid at all.
        case missingMicroGrids = "missing-micro-grids"
        /// Land of the container (town, or grid) covered by none of its pieces.
        case gap
        /// Land covered by two pieces at once.
        case overlap
        /// Part of a piece lying outside its container: a grid outside the town, or a micro-grid
        /// crossing its grid's edge.
        case outsideParent = "outside-parent"
        /// A gap below the sliver tolerance: digitising residue rather than missing land.
        case sliverGap = "sliver-gap"
        /// An overlap below the sliver tolerance.
        case sliverOverlap = "sliver-overlap"
        /// An outside part below the sliver tolerance.
        case sliverOutsideParent = "sliver-outside-parent"
        /// A checked point feature (a home, a well) outside the town.
        case featureOutsideTown = "feature-outside-town"
        /// A checked point feature inside the town but in no micro-grid.
        case featureOutsideMicroGrids = "feature-outside-micro-grids"

        public var description: String { rawValue }

        public static func < (a: Kind, b: Kind) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }

        /// The sliver form of a gap, overlap or outside part; other kinds have none.
        var sliver: Kind {
            switch self {
            case .gap: .sliverGap
            case .overlap: .sliverOverlap
            case .outsideParent: .sliverOutsideParent
            default: self
            }
        }
    }

    /// Which tiling the fault belongs to.
    public enum Level: String, Hashable, Sendable, Comparable, CustomStringConvertible {
        /// The towns tiling their district (``DistrictCoverageValidator``).
        case district
        /// The grids tiling the town.
        case town
        /// The micro-grids tiling their grid.
        case grid
        /// The point features placed on the micro-grids.
        case feature

        public var description: String { rawValue }

        public static func < (a: Level, b: Level) -> Bool { a.order < b.order }

        private var order: Int {
            switch self {
            case .district: -1
            case .town: 0
            case .grid: 1
            case .feature: 2
            }
        }
    }

    /// How much a fault matters. The CLI exits non-zero when any problem is not `.info`.
    public enum Severity: String, Hashable, Sendable, CustomStringConvertible {
        /// A hole in the management net: land or people without a grid, or with two.
        case error
        /// Below the sliver tolerance: almost surely residue of digitising, but still not a tiling.
        case warning
        /// Worth knowing, not a fault of the tiling (a point feature of an unchecked kind).
        case info

        public var description: String { rawValue }
    }

    public var kind: Kind
    public var level: Level
    public var severity: Severity
    /// The fault as a geometry in WGS84: the gap, the overlap, the part outside, the invalid
    /// polygon as given, or the misplaced point.
    public var geometry: Geometry
    /// The fault's area in square metres, measured in the town's working CRS (0 for points; for
    /// an invalid polygon, the area of GEOS's valid repair of it).
    public var areaSquareMetres: Double
    /// A representative point inside the fault (GEOS point-on-surface, or GEOS's validity
    /// location), as WGS84 longitude/latitude.
    public var location: Position
    /// The grid and micro-grid codes involved or adjacent, sorted and without duplicates.
    public var codes: [GridCode]
    /// The map feature concerned, for feature problems.
    public var featureID: String?
    /// For feature problems, the distance in metres to the nearest micro-grid.
    public var distanceMetres: Double?
    /// A sentence for people, e.g. "micro-grid DC-003-2 crosses the edge of grid DC-003".
    public var message: String

    public init(kind: Kind, level: Level, severity: Severity, geometry: Geometry, areaSquareMetres: Double,
                location: Position, codes: [GridCode], featureID: String? = nil, distanceMetres: Double? = nil,
                message: String) {
        self.kind = kind
        self.level = level
        self.severity = severity
        self.geometry = geometry
        self.areaSquareMetres = areaSquareMetres
        self.location = location
        self.codes = Array(Set(codes)).sorted()
        self.featureID = featureID
        self.distanceMetres = distanceMetres
        self.message = message
    }

    /// The report's deterministic order: kind, level, codes, then location (longitude,
    /// latitude), then feature id.
    static func reportOrder(_ a: CoverageProblem, _ b: CoverageProblem) -> Bool {
        if a.kind != b.kind { return a.kind < b.kind }
        if a.level != b.level { return a.level < b.level }
        if a.codes != b.codes { return a.codes.lexicographicallyPrecedes(b.codes) }
        if a.location.x != b.location.x { return a.location.x < b.location.x }
        if a.location.y != b.location.y { return a.location.y < b.location.y }
        return (a.featureID ?? "") < (b.featureID ?? "")
    }
}
