import CGEOS

/// Measures and constructive operations. Each returns a new, owned geometry or a number; the
/// receiver is never changed (except by ``GEOSGeometry/normalize()``).
extension GEOSGeometry {
    // MARK: Measures

    /// Area (`GEOSArea_r`), in the square of the coordinate unit.
    public func area() throws(GEOSError) -> Double {
        var value = 0.0
        try context.checkStatus(GEOSArea_r(context.handle, handle, &value), "GEOSArea_r")
        return value
    }

    /// Length of lines or perimeter of polygons (`GEOSLength_r`).
    public func length() throws(GEOSError) -> Double {
        var value = 0.0
        try context.checkStatus(GEOSLength_r(context.handle, handle, &value), "GEOSLength_r")
        return value
    }

    /// Minimum Cartesian distance (`GEOSDistance_r`).
    public func distance(to other: GEOSGeometry) throws(GEOSError) -> Double {
        try requireSameContext(other, "distance(to:)")
        var value = 0.0
        try context.checkStatus(GEOSDistance_r(context.handle, handle, other.handle, &value), "GEOSDistance_r")
        return value
    }

    /// The closest pair of points, the first on this geometry and the second on `other`
    /// (`GEOSNearestPoints_r`, whose owned coordinate sequence is freed here).
    public func nearestPoints(with other: GEOSGeometry) throws(GEOSError) -> (Coordinate, Coordinate) {
        try requireSameContext(other, "nearestPoints(with:)")
        let selfEmpty = try isEmpty, otherEmpty = try other.isEmpty
        if selfEmpty || otherEmpty { throw .invalidInput("nearestPoints(with:) of an empty geometry") }
        let sequence = try context.check(GEOSNearestPoints_r(context.handle, handle, other.handle), "GEOSNearestPoints_r")
        defer { GEOSCoordSeq_destroy_r(context.handle, sequence) }
        let points = try CoordinateBuffer.copy(sequence, context: context)
        guard points.count == 2 else {
            throw .library(message: "GEOSNearestPoints_r returned \(points.count) points instead of 2")
        }
        return (points[0], points[1])
    }

    // MARK: Derived geometries

    /// Centre of mass (`GEOSGetCentroid_r`); an empty point for an empty geometry.
    public func centroid() throws(GEOSError) -> GEOSGeometry {
        try GEOSGeometry(result: GEOSGetCentroid_r(context.handle, handle), context: context, "GEOSGetCentroid_r")
    }

    /// A point guaranteed to lie on the geometry (`GEOSPointOnSurface_r`).
    public func pointOnSurface() throws(GEOSError) -> GEOSGeometry {
        try GEOSGeometry(result: GEOSPointOnSurface_r(context.handle, handle), context: context, "GEOSPointOnSurface_r")
    }

    /// The bounding box as a geometry (`GEOSEnvelope_r`): a polygon, or a point when degenerate.
    public func envelope() throws(GEOSError) -> GEOSGeometry {
        try GEOSGeometry(result: GEOSEnvelope_r(context.handle, handle), context: context, "GEOSEnvelope_r")
    }

    /// All points within `width` (`GEOSBuffer_r`); `quadrantSegments` line segments approximate a
    /// quarter circle. A negative width shrinks polygons.
    public func buffer(width: Double, quadrantSegments: Int = 8) throws(GEOSError) -> GEOSGeometry {
        guard width.isFinite else { throw .invalidInput("buffer width \(width) is not finite") }
        guard quadrantSegments >= 1 else { throw .invalidInput("buffer quadrantSegments must be ≥ 1, got \(quadrantSegments)") }
        return try GEOSGeometry(result: GEOSBuffer_r(context.handle, handle, width, Int32(clamping: quadrantSegments)),
                            context: context, "GEOSBuffer_r")
    }

    /// Common part (`GEOSIntersection_r`).
    public func intersection(_ other: GEOSGeometry) throws(GEOSError) -> GEOSGeometry {
        try binary(GEOSIntersection_r, other, "GEOSIntersection_r")
    }

    /// Point-set union (`GEOSUnion_r`).
    public func union(_ other: GEOSGeometry) throws(GEOSError) -> GEOSGeometry {
        try binary(GEOSUnion_r, other, "GEOSUnion_r")
    }

    /// Union of all parts of this geometry (`GEOSUnaryUnion_r`), e.g. dissolving a collection.
    public func unaryUnion() throws(GEOSError) -> GEOSGeometry {
        try GEOSGeometry(result: GEOSUnaryUnion_r(context.handle, handle), context: context, "GEOSUnaryUnion_r")
    }

    /// The part of this geometry not in `other` (`GEOSDifference_r`).
    public func difference(_ other: GEOSGeometry) throws(GEOSError) -> GEOSGeometry {
        try binary(GEOSDifference_r, other, "GEOSDifference_r")
    }

    /// Points in exactly one of the two geometries (`GEOSSymDifference_r`).
    public func symmetricDifference(_ other: GEOSGeometry) throws(GEOSError) -> GEOSGeometry {
        try binary(GEOSSymDifference_r, other, "GEOSSymDifference_r")
    }

    /// This geometry with its vertices snapped to `other`'s vertices within `tolerance`, and
    /// `other`'s vertices within `tolerance` of its segments inserted into them (`GEOSSnap_r`).
    /// No coordinate is invented: every vertex of the result is this geometry's or `other`'s.
    /// The result may be invalid (a ring that collapses); callers check.
    public func snapped(to other: GEOSGeometry, tolerance: Double) throws(GEOSError) -> GEOSGeometry {
        guard tolerance.isFinite, tolerance >= 0 else {
            throw .invalidInput("snap tolerance must be finite and ≥ 0, got \(tolerance)")
        }
        try requireSameContext(other, "snapped(to:tolerance:)")
        return try GEOSGeometry(result: GEOSSnap_r(context.handle, handle, other.handle, tolerance), context: context, "GEOSSnap_r")
    }

    /// Douglas–Peucker simplification that keeps topology — no new self-intersections, holes
    /// stay inside shells (`GEOSTopologyPreserveSimplify_r`).
    public func simplify(tolerance: Double) throws(GEOSError) -> GEOSGeometry {
        guard tolerance.isFinite, tolerance >= 0 else {
            throw .invalidInput("simplify tolerance must be finite and ≥ 0, got \(tolerance)")
        }
        return try GEOSGeometry(result: GEOSTopologyPreserveSimplify_r(context.handle, handle, tolerance), context: context,
                            "GEOSTopologyPreserveSimplify_r")
    }

    /// The Voronoi diagram of this geometry's vertices (`GEOSVoronoiDiagram_r`): a collection of
    /// polygons, one per distinct site, or a multi-line string of edges when `onlyEdges`.
    /// `tolerance` snaps sites closer than it; `envelope` extends the clipping frame.
    public func voronoiDiagram(tolerance: Double = 0, onlyEdges: Bool = false,
                               envelope: GEOSGeometry? = nil) throws(GEOSError) -> GEOSGeometry {
        if let envelope { try requireSameContext(envelope, "voronoiDiagram") }
        return try GEOSGeometry(result: GEOSVoronoiDiagram_r(context.handle, handle, envelope?.handle, tolerance, onlyEdges ? 1 : 0),
                            context: context, "GEOSVoronoiDiagram_r")
    }

    /// A copy in normal form (`GEOSNormalize_r` on a clone): rings start at their lowest vertex,
    /// shells clockwise, parts sorted — so that equal geometries compare equal exactly.
    public func normalized() throws(GEOSError) -> GEOSGeometry {
        let copy = try clone()
        try copy.normalize()
        return copy
    }

    /// Puts this geometry in normal form in place (`GEOSNormalize_r`; returns -1 on exception).
    /// Refused while a ``PreparedGeometry`` indexes it, since that index would go stale.
    public func normalize() throws(GEOSError) {
        guard preparedReferences == 0 else {
            throw .invalidInput("normalize(): the geometry is in use by \(preparedReferences) PreparedGeometry; use normalized()")
        }
        if GEOSNormalize_r(context.handle, handle) != 0 { throw context.libraryError("GEOSNormalize_r") }
    }

    private func binary(_ operation: (GEOSContextHandle_t?, OpaquePointer?, OpaquePointer?) -> OpaquePointer?,
                        _ other: GEOSGeometry, _ call: StaticString) throws(GEOSError) -> GEOSGeometry {
        try requireSameContext(other, "\(call)")
        return try GEOSGeometry(result: operation(context.handle, handle, other.handle), context: context, call)
    }
}
