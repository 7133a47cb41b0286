/// Tolerances and choices of coverage validation. All lengths in metres, areas in m², measured
/// in the town's working CRS.
public struct CoverageOptions: Hashable, Sendable {
    /// Gaps, overlaps and outside parts smaller than this are reported as slivers (severity
    /// warning) rather than as real gaps or overlaps (error). Default 1 m²: less than a person
    /// standing, so no home, well or road can fall into it.
    public var sliverArea: Double
    /// Faults whose mean width (2 × area / perimeter) is below this are slivers too, however long:
    /// a 2 km seam 5 cm wide is a digitising mismatch, not a missing strip of land. Default 0.1 m;
    /// 0 turns the width test off.
    public var sliverWidth: Double
    /// Polygonal pieces of overlay results smaller than this are ignored as floating-point
    /// residue. Overlaying edges that are shared in theory but not bit for bit (a vertex lying
    /// on a neighbour's edge, coordinates after a projection round trip) leaves polygons of
    /// ~1e-9 m²; they are not faults of the data but of binary arithmetic. Default 1e-4 m²
    /// (1 cm × 1 cm), far below `sliverArea`, so real slivers are still reported.
    public var residueArea: Double
    /// How far from a fault a grid or micro-grid may be and still be named as adjacent to it.
    /// Default 0.01 m: faults share their edges with their neighbours, up to rounding.
    public var adjacencyDistance: Double
    /// The kinds of point features that must lie in a micro-grid; nil checks every point feature.
    /// Default: homes and wells. Point features of other kinds outside every micro-grid are
    /// reported as `.info` when `reportsOtherPointFeatures` is set.
    public var checkedPointKinds: Set<FeatureKind>?
    /// Whether point features of unchecked kinds outside every micro-grid are reported (as info).
    public var reportsOtherPointFeatures: Bool

    public init(sliverArea: Double = 1, sliverWidth: Double = 0.1, residueArea: Double = 1e-4,
                adjacencyDistance: Double = 0.01, checkedPointKinds: Set<FeatureKind>? = [.home, .well],
                reportsOtherPointFeatures: Bool = false) {
        self.sliverArea = sliverArea
        self.sliverWidth = sliverWidth
        self.residueArea = residueArea
        self.adjacencyDistance = adjacencyDistance
        self.checkedPointKinds = checkedPointKinds
        self.reportsOtherPointFeatures = reportsOtherPointFeatures
    }

    /// Throws when a tolerance is negative, not finite, or the residue is not below the sliver.
    func validate() throws(CoverageError) {
        for (name, value) in [("sliverArea", sliverArea), ("sliverWidth", sliverWidth),
                              ("residueArea", residueArea), ("adjacencyDistance", adjacencyDistance)]
        where !(value.isFinite && value >= 0) {
            throw .invalidOption("\(name) must be a finite number ≥ 0, got \(value)")
        }
        guard residueArea < sliverArea || sliverArea == 0 else {
            throw .invalidOption("residueArea (\(residueArea) m²) must be below sliverArea (\(sliverArea) m²)")
        }
    }
}
