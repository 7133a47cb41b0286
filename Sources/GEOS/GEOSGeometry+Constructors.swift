import CGEOS

/// GEOSGeometry constructors. Coordinates are checked in Swift first (finite, enough points, closed
/// rings) so that bad data is a precise ``GEOSError/invalidInput(_:)`` instead of a GEOS failure.
///
/// Ownership (verified against GEOS 3.11.1 under AddressSanitizer): `GEOSGeom_createLineString_r`,
/// `GEOSGeom_createLinearRing_r`, `GEOSGeom_createPolygon_r` and `GEOSGeom_createCollection_r`
/// take ownership of their inputs *unconditionally* — on failure GEOS has already freed them, so
/// destroying them again would be a double free. Inputs are therefore only destroyed by Swift when
/// the call that would adopt them is never reached. Children taken from existing `GEOSGeometry`
/// objects are cloned first, so the originals stay usable.
extension GEOSGeometry {
    /// A point (`GEOSGeom_createPointFromXY_r`).
    public static func point(x: Double, y: Double, context: GEOSContext) throws(GEOSError) -> GEOSGeometry {
        try CoordinateCheck.finite(Coordinate(x: x, y: y), at: "point")
        return try GEOSGeometry(result: GEOSGeom_createPointFromXY_r(context.handle, x, y), context: context,
                            "GEOSGeom_createPointFromXY_r")
    }

    /// A point at `coordinate`.
    public static func point(_ coordinate: Coordinate, context: GEOSContext) throws(GEOSError) -> GEOSGeometry {
        try point(x: coordinate.x, y: coordinate.y, context: context)
    }

    /// A line string of at least 2 finite points (`GEOSGeom_createLineString_r`).
    public static func lineString(_ coordinates: [Coordinate], context: GEOSContext) throws(GEOSError) -> GEOSGeometry {
        try CoordinateCheck.line(coordinates, what: "line string")
        return try GEOSGeometry(adopting: try makeLineString(coordinates, context: context), context: context)
    }

    /// A closed linear ring of at least 4 finite points (`GEOSGeom_createLinearRing_r`).
    public static func linearRing(_ coordinates: [Coordinate], context: GEOSContext) throws(GEOSError) -> GEOSGeometry {
        try CoordinateCheck.ring(coordinates, what: "linear ring")
        return try GEOSGeometry(adopting: try makeRing(coordinates, context: context), context: context)
    }

    /// A polygon from its shell and holes (`GEOSGeom_createPolygon_r`). Every ring must be closed,
    /// have at least 4 finite points; GEOS does not require a particular orientation.
    public static func polygon(exterior: [Coordinate], holes: [[Coordinate]] = [],
                               context: GEOSContext) throws(GEOSError) -> GEOSGeometry {
        try CoordinateCheck.ring(exterior, what: "exterior ring of polygon")
        for (index, hole) in holes.enumerated() {
            try CoordinateCheck.ring(hole, what: "interior ring \(index) of polygon")
        }
        return try GEOSGeometry(adopting: try makePolygon(exterior: exterior, holes: holes, context: context), context: context)
    }

    /// A multi-point of finite points (`GEOSGeom_createCollection_r` with `GEOS_MULTIPOINT`).
    public static func multiPoint(_ coordinates: [Coordinate], context: GEOSContext) throws(GEOSError) -> GEOSGeometry {
        for (index, coordinate) in coordinates.enumerated() {
            try CoordinateCheck.finite(coordinate, at: "point \(index) of multi-point")
        }
        var parts = OwnedParts(context: context)
        for coordinate in coordinates {
            parts.append(try context.check(GEOSGeom_createPointFromXY_r(context.handle, coordinate.x, coordinate.y),
                                           "GEOSGeom_createPointFromXY_r"))
        }
        return try parts.collect(GEOS_MULTIPOINT)
    }

    /// A multi-line string; each line needs at least 2 finite points.
    public static func multiLineString(_ lines: [[Coordinate]], context: GEOSContext) throws(GEOSError) -> GEOSGeometry {
        for (index, line) in lines.enumerated() {
            try CoordinateCheck.line(line, what: "line string \(index) of multi-line string")
        }
        var parts = OwnedParts(context: context)
        for line in lines { parts.append(try makeLineString(line, context: context)) }
        return try parts.collect(GEOS_MULTILINESTRING)
    }

    /// A multi-polygon from polygons (each cloned; the originals stay usable).
    public static func multiPolygon(_ polygons: [GEOSGeometry], context: GEOSContext) throws(GEOSError) -> GEOSGeometry {
        for (index, polygon) in polygons.enumerated() where polygon.type != .polygon {
            throw .invalidInput("part \(index) of multi-polygon is a \(polygon.type), not a polygon")
        }
        return try collecting(polygons, as: GEOS_MULTIPOLYGON, context: context)
    }

    /// A geometry collection of any geometries (each cloned; the originals stay usable).
    public static func collection(_ geometries: [GEOSGeometry], context: GEOSContext) throws(GEOSError) -> GEOSGeometry {
        try collecting(geometries, as: GEOS_GEOMETRYCOLLECTION, context: context)
    }

    /// The axis-aligned rectangle `envelope` as a polygon (`GEOSGeom_createRectangle_r`; a point or
    /// line when the box is degenerate).
    public static func rectangle(_ envelope: Envelope, context: GEOSContext) throws(GEOSError) -> GEOSGeometry {
        try GEOSGeometry(result: try rectangleHandle(envelope, context: context), context: context, "GEOSGeom_createRectangle_r")
    }

    // MARK: Building blocks returning owned handles

    static func rectangleHandle(_ envelope: Envelope, context: GEOSContext) throws(GEOSError) -> OpaquePointer {
        for corner in [Coordinate(x: envelope.minX, y: envelope.minY), Coordinate(x: envelope.maxX, y: envelope.maxY)] {
            try CoordinateCheck.finite(corner, at: "envelope corner")
        }
        guard envelope.minX <= envelope.maxX, envelope.minY <= envelope.maxY else {
            throw .invalidInput("envelope has min > max: \(envelope)")
        }
        return try context.check(GEOSGeom_createRectangle_r(context.handle, envelope.minX, envelope.minY,
                                                            envelope.maxX, envelope.maxY),
                                 "GEOSGeom_createRectangle_r")
    }

    private static func makeLineString(_ coordinates: [Coordinate], context: GEOSContext) throws(GEOSError) -> OpaquePointer {
        let sequence = try CoordinateBuffer.sequence(coordinates, context: context)
        // Adopts `sequence`, even on failure.
        return try context.check(GEOSGeom_createLineString_r(context.handle, sequence), "GEOSGeom_createLineString_r")
    }

    private static func makeRing(_ coordinates: [Coordinate], context: GEOSContext) throws(GEOSError) -> OpaquePointer {
        let sequence = try CoordinateBuffer.sequence(coordinates, context: context)
        // Adopts `sequence`, even on failure.
        return try context.check(GEOSGeom_createLinearRing_r(context.handle, sequence), "GEOSGeom_createLinearRing_r")
    }

    private static func makePolygon(exterior: [Coordinate], holes: [[Coordinate]],
                                    context: GEOSContext) throws(GEOSError) -> OpaquePointer {
        var holeRings = OwnedParts(context: context)
        for hole in holes { holeRings.append(try makeRing(hole, context: context)) }
        let shell = try makeRing(exterior, context: context)
        let holeHandles: [OpaquePointer?] = holeRings.release()
        // Adopts `shell` and every hole, even on failure.
        let result = holeHandles.withUnsafeBufferPointer { buffer in
            GEOSGeom_createPolygon_r(context.handle, shell, UnsafeMutablePointer(mutating: buffer.baseAddress),
                                     UInt32(buffer.count))
        }
        return try context.check(result, "GEOSGeom_createPolygon_r")
    }

    private static func collecting(_ geometries: [GEOSGeometry], as type: GEOSGeomTypes,
                                   context: GEOSContext) throws(GEOSError) -> GEOSGeometry {
        var parts = OwnedParts(context: context)
        for (index, geometry) in geometries.enumerated() {
            guard geometry.context === context else {
                throw .invalidInput("part \(index) of the collection belongs to a different GEOS context")
            }
            parts.append(try context.check(GEOSGeom_clone_r(context.handle, geometry.handle), "GEOSGeom_clone_r"))
        }
        return try parts.collect(type)
    }
}

/// Owned geometry handles waiting to be handed to a GEOS constructor. If construction stops early
/// (a Swift error before the adopting call), the handles are destroyed when this value is dropped.
private struct OwnedParts: ~Copyable {
    let context: GEOSContext
    private var handles: [OpaquePointer?] = []

    init(context: GEOSContext) { self.context = context }

    mutating func append(_ handle: OpaquePointer) { handles.append(handle) }

    /// Gives up ownership (the next call adopts the handles).
    consuming func release() -> [OpaquePointer?] {
        let released = handles
        handles = []
        return released
    }

    /// Builds a collection of `type` (`GEOSGeom_createCollection_r`, which adopts every part even
    /// on failure); an empty list gives an empty collection (`GEOSGeom_createEmptyCollection_r`).
    consuming func collect(_ type: GEOSGeomTypes) throws(GEOSError) -> GEOSGeometry {
        let context = self.context
        let parts = release()
        let typeID = Int32(type.rawValue)
        if parts.isEmpty {
            return try GEOSGeometry(result: GEOSGeom_createEmptyCollection_r(context.handle, typeID), context: context,
                                "GEOSGeom_createEmptyCollection_r")
        }
        let result = parts.withUnsafeBufferPointer { buffer in
            GEOSGeom_createCollection_r(context.handle, typeID, UnsafeMutablePointer(mutating: buffer.baseAddress),
                                        UInt32(buffer.count))
        }
        return try GEOSGeometry(result: result, context: context, "GEOSGeom_createCollection_r")
    }

    deinit {
        for handle in handles { GEOSGeom_destroy_r(context.handle, handle) }
    }
}

/// The checks made in Swift before coordinates reach GEOS.
enum CoordinateCheck {
    static func finite(_ coordinate: Coordinate, at place: String) throws(GEOSError) {
        guard coordinate.isFinite else {
            throw .invalidInput("\(place) has a non-finite coordinate (\(coordinate.x), \(coordinate.y))")
        }
    }

    static func allFinite(_ coordinates: [Coordinate], what: String) throws(GEOSError) {
        for (index, coordinate) in coordinates.enumerated() where !coordinate.isFinite {
            throw .invalidInput("point \(index) of \(what) has a non-finite coordinate (\(coordinate.x), \(coordinate.y))")
        }
    }

    /// A line string needs at least 2 points, all finite.
    static func line(_ coordinates: [Coordinate], what: String) throws(GEOSError) {
        guard coordinates.count >= 2 else {
            throw .invalidInput("\(what) needs at least 2 points, got \(coordinates.count)")
        }
        try allFinite(coordinates, what: what)
    }

    /// A linear ring needs at least 4 finite points, the last equal to the first.
    static func ring(_ coordinates: [Coordinate], what: String) throws(GEOSError) {
        guard coordinates.count >= 4 else {
            throw .invalidInput("\(what) needs at least 4 points (closed), got \(coordinates.count)")
        }
        try allFinite(coordinates, what: what)
        let first = coordinates[0], last = coordinates[coordinates.count - 1]
        guard first == last else {
            throw .invalidInput("\(what) is not closed: first point (\(first.x), \(first.y)) ≠ last point (\(last.x), \(last.y))")
        }
    }
}
