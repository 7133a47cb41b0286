import CGEOS

/// A geometry indexed for repeated predicate tests (`GEOSPrepare_r`), freed with
/// `GEOSPreparedGeom_destroy_r`.
///
/// GEOS's prepared geometry points into its base geometry, so the base is held strongly here and
/// in-place changes to it (``GEOSGeometry/normalize()``) are refused while this object lives.
/// Confined to its context's thread, like the base.
public final class PreparedGeometry {
    /// The geometry this one indexes.
    public let base: GEOSGeometry
    /// The owned `const GEOSPreparedGeometry*`.
    let handle: OpaquePointer
    /// The base's bounding box (nil when empty): points outside it are answered without GEOS.
    public let bounds: Envelope?

    private var context: GEOSContext { base.context }

    /// Prepares `geometry` (`GEOSPrepare_r`). The index itself is built lazily by GEOS on the
    /// first predicate call.
    public init(_ geometry: GEOSGeometry) throws(GEOSError) {
        let context = geometry.context
        bounds = try geometry.bounds
        handle = try context.check(GEOSPrepare_r(context.handle, geometry.handle), "GEOSPrepare_r")
        base = geometry
        geometry.preparedReferences += 1
    }

    deinit {
        GEOSPreparedGeom_destroy_r(base.context.handle, handle)
        base.preparedReferences -= 1
    }

    typealias PreparedPredicate = (GEOSContextHandle_t?, OpaquePointer?, OpaquePointer?) -> CChar

    private func evaluate(_ predicate: PreparedPredicate, _ other: GEOSGeometry, _ call: StaticString) throws(GEOSError) -> Bool {
        try base.requireSameContext(other, "\(call)")
        return try context.checkPredicate(predicate(context.handle, handle, other.handle), call)
    }

    /// `GEOSPreparedContains_r`: same answer as ``GEOSGeometry/contains(_:)`` on the base.
    public func contains(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSPreparedContains_r, other, "GEOSPreparedContains_r") }
    /// `GEOSPreparedContainsProperly_r`: `other` lies in the base's interior, touching no boundary.
    public func containsProperly(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSPreparedContainsProperly_r, other, "GEOSPreparedContainsProperly_r") }
    /// `GEOSPreparedCovers_r`.
    public func covers(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSPreparedCovers_r, other, "GEOSPreparedCovers_r") }
    /// `GEOSPreparedCoveredBy_r`.
    public func coveredBy(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSPreparedCoveredBy_r, other, "GEOSPreparedCoveredBy_r") }
    /// `GEOSPreparedIntersects_r`.
    public func intersects(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSPreparedIntersects_r, other, "GEOSPreparedIntersects_r") }
    /// `GEOSPreparedWithin_r`.
    public func within(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSPreparedWithin_r, other, "GEOSPreparedWithin_r") }
    /// `GEOSPreparedTouches_r`.
    public func touches(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSPreparedTouches_r, other, "GEOSPreparedTouches_r") }
    /// `GEOSPreparedDisjoint_r`.
    public func disjoint(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSPreparedDisjoint_r, other, "GEOSPreparedDisjoint_r") }
    /// `GEOSPreparedCrosses_r`.
    public func crosses(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSPreparedCrosses_r, other, "GEOSPreparedCrosses_r") }
    /// `GEOSPreparedOverlaps_r`.
    public func overlaps(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSPreparedOverlaps_r, other, "GEOSPreparedOverlaps_r") }

    // MARK: Raw x/y tests

    /// Whether the point (x, y) lies in the base's interior (boundary excluded), like
    /// `contains(point)`. GEOS 3.11 has no `GEOSPreparedContainsXY`, so a point outside the
    /// bounding box is answered in Swift, and otherwise a short-lived point
    /// (`GEOSGeom_createPointFromXY_r`, one allocation, no Swift object) is tested with
    /// `GEOSPreparedContains_r` and destroyed.
    public func containsXY(x: Double, y: Double) throws(GEOSError) -> Bool {
        try evaluateXY(x, y, GEOSPreparedContains_r, "GEOSPreparedContains_r")
    }

    /// Whether the point (x, y) lies in the base or on its boundary, like `covers(point)`
    /// (`GEOSPreparedCovers_r` on a short-lived point; see ``containsXY(x:y:)``).
    public func coversXY(x: Double, y: Double) throws(GEOSError) -> Bool {
        try evaluateXY(x, y, GEOSPreparedCovers_r, "GEOSPreparedCovers_r")
    }

    private func evaluateXY(_ x: Double, _ y: Double, _ predicate: PreparedPredicate,
                            _ call: StaticString) throws(GEOSError) -> Bool {
        guard x.isFinite, y.isFinite else { throw .invalidInput("point (\(x), \(y)) is not finite") }
        // Neither contains nor covers can hold for a point outside the bounding box.
        guard let bounds, bounds.contains(x: x, y: y) else { return false }
        let point = try context.check(GEOSGeom_createPointFromXY_r(context.handle, x, y), "GEOSGeom_createPointFromXY_r")
        defer { GEOSGeom_destroy_r(context.handle, point) }
        return try context.checkPredicate(predicate(context.handle, handle, point), call)
    }
}
