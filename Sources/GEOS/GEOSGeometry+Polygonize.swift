import CGEOS

extension GEOSGeometry {
    /// Every face that `lines` enclose (`GEOSPolygonize_r`): the polygons of the planar graph the
    /// lines make, holes included, so that together they tile what the lines surround. The lines
    /// must already be noded (split where they cross, e.g. by ``unaryUnion()``); dangles, cut
    /// edges and lines that close nothing contribute no face.
    public static func polygonize(_ lines: [GEOSGeometry], context: GEOSContext) throws(GEOSError) -> [GEOSGeometry] {
        for line in lines {
            guard line.context === context else {
                throw .invalidInput("polygonize: the lines belong to different GEOS contexts")
            }
        }
        let handles: [OpaquePointer?] = lines.map { $0.handle }
        let result = handles.withUnsafeBufferPointer { buffer in
            GEOSPolygonize_r(context.handle, buffer.baseAddress, UInt32(buffer.count))
        }
        let collection = try GEOSGeometry(result: result, context: context, "GEOSPolygonize_r")
        return try collection.geometries()
    }
}

extension GEOSGeometry {
    /// Union of all parts of this geometry with every vertex, new and old, on a grid of
    /// `gridSize` (`GEOSUnaryUnionPrec_r`, snap-rounding): lines come out noded wherever they
    /// cross or pass within half a cell of another's vertex, and polygons merge without the
    /// hair-thin slivers that floating-point intersections leave once written at that precision.
    public func unaryUnion(gridSize: Double) throws(GEOSError) -> GEOSGeometry {
        guard gridSize > 0, gridSize.isFinite else { throw .invalidInput("unaryUnion(gridSize:) needs a positive grid size, not \(gridSize)") }
        return try GEOSGeometry(result: GEOSUnaryUnionPrec_r(context.handle, handle, gridSize), context: context, "GEOSUnaryUnionPrec_r")
    }
}
