import CGEOS

/// The DE-9IM named predicates (OGC Simple Features), each one GEOS call that returns
/// 1 (true), 0 (false) or 2 (exception → thrown). All predicates throw, consistently.
extension GEOSGeometry {
    /// The signature shared by the binary GEOS predicates.
    typealias BinaryPredicate = (GEOSContextHandle_t?, OpaquePointer?, OpaquePointer?) -> CChar

    private func evaluate(_ predicate: BinaryPredicate, _ other: GEOSGeometry, _ call: StaticString) throws(GEOSError) -> Bool {
        try requireSameContext(other, "\(call)")
        return try context.checkPredicate(predicate(context.handle, handle, other.handle), call)
    }

    /// `other` lies in this geometry and their interiors meet (`GEOSContains_r`).
    public func contains(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSContains_r, other, "GEOSContains_r") }
    /// No point of `other` lies outside this geometry (`GEOSCovers_r`).
    public func covers(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSCovers_r, other, "GEOSCovers_r") }
    /// This geometry lies in `other` (`GEOSWithin_r`).
    public func within(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSWithin_r, other, "GEOSWithin_r") }
    /// No point of this geometry lies outside `other` (`GEOSCoveredBy_r`).
    public func coveredBy(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSCoveredBy_r, other, "GEOSCoveredBy_r") }
    /// The geometries share at least one point (`GEOSIntersects_r`).
    public func intersects(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSIntersects_r, other, "GEOSIntersects_r") }
    /// They meet only on boundaries (`GEOSTouches_r`).
    public func touches(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSTouches_r, other, "GEOSTouches_r") }
    /// They share no point (`GEOSDisjoint_r`).
    public func disjoint(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSDisjoint_r, other, "GEOSDisjoint_r") }
    /// Topological equality: the same point set (`GEOSEquals_r`).
    public func equals(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSEquals_r, other, "GEOSEquals_r") }
    /// The interiors cross (`GEOSCrosses_r`).
    public func crosses(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSCrosses_r, other, "GEOSCrosses_r") }
    /// Same dimension, interiors overlap, neither contains the other (`GEOSOverlaps_r`).
    public func overlaps(_ other: GEOSGeometry) throws(GEOSError) -> Bool { try evaluate(GEOSOverlaps_r, other, "GEOSOverlaps_r") }

    /// Structural equality: same type, same vertices in the same order, each within `tolerance`
    /// (`GEOSEqualsExact_r`).
    public func equalsExact(_ other: GEOSGeometry, tolerance: Double = 0) throws(GEOSError) -> Bool {
        try requireSameContext(other, "GEOSEqualsExact_r")
        return try context.checkPredicate(GEOSEqualsExact_r(context.handle, handle, other.handle, tolerance), "GEOSEqualsExact_r")
    }
}

extension GEOSGeometry {
    /// Whether the DE-9IM matrix of (self, other) matches `pattern`, e.g. "T**FF*FF*" for
    /// "contains properly" (`GEOSRelatePattern_r`).
    public func relate(_ other: GEOSGeometry, matches pattern: String) throws(GEOSError) -> Bool {
        try requireSameContext(other, "GEOSRelatePattern_r")
        guard pattern.utf8.count == 9, pattern.allSatisfy({ "TF*012".contains($0) }) else {
            throw .invalidInput("DE-9IM pattern must be 9 characters of T, F, *, 0, 1, 2; got \"\(pattern)\"")
        }
        return try context.checkPredicate(GEOSRelatePattern_r(context.handle, handle, other.handle, pattern), "GEOSRelatePattern_r")
    }
}
