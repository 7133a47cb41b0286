import GEOS

/// The point whose micro-grid a feature takes at import: a point is itself; anything else uses its
/// point-on-surface (`GEOSPointOnSurface_r`), which lies on the geometry, unlike a centroid.
enum RepresentativePoint {
    /// Nil for an empty geometry.
    static func of(_ geometry: GEOSGeometry) throws(GEOSError) -> Coordinate? {
        if try geometry.isEmpty { return nil }
        if geometry.type == .point { return try geometry.pointCoordinate() }
        let point = try geometry.pointOnSurface()
        if try point.isEmpty { return nil }
        return try point.pointCoordinate()
    }
}
