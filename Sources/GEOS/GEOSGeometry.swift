import CGEOS

/// One GEOS geometry, owned: the `GEOSGeometry*` is destroyed with `GEOSGeom_destroy_r` in
/// `deinit`, and the context it was made on is held strongly so it outlives the geometry.
///
/// Sub-geometries that GEOS only lends (`GEOSGetGeometryN_r`, `GEOSGetExteriorRing_r`,
/// `GEOSGetInteriorRingN_r`) are cloned before they are wrapped, so every `GEOSGeometry` is
/// independent of the one it came from.
///
/// Confined to its context's thread (see the module overview).
public final class GEOSGeometry {
    /// The context this geometry's calls run on.
    public let context: GEOSContext
    /// The owned C geometry.
    let handle: OpaquePointer
    /// The geometry type, read once with `GEOSGeomTypeId_r` when the handle is adopted.
    public let type: GeometryType
    /// How many live ``PreparedGeometry`` objects index this geometry; in-place changes are
    /// refused while any does, because GEOS prepared geometries cache the base's structure.
    var preparedReferences = 0

    /// Adopts an owned handle that a GEOS call returned. On failure the handle is destroyed,
    /// so the caller never has to clean up.
    init(adopting handle: OpaquePointer, context: GEOSContext) throws(GEOSError) {
        let typeID = GEOSGeomTypeId_r(context.handle, handle)
        guard let type = GeometryType(rawValue: typeID) else {
            let error = context.libraryError("GEOSGeomTypeId_r")
            GEOSGeom_destroy_r(context.handle, handle)
            throw error
        }
        self.context = context
        self.handle = handle
        self.type = type
    }

    /// Adopts the result of a GEOS call that returns a new geometry or NULL on exception.
    convenience init(result: OpaquePointer?, context: GEOSContext, _ call: StaticString) throws(GEOSError) {
        try self.init(adopting: try context.check(result, call), context: context)
    }

    /// Wraps a clone (`GEOSGeom_clone_r`) of a geometry GEOS only lends.
    convenience init(cloningBorrowed borrowed: OpaquePointer, context: GEOSContext) throws(GEOSError) {
        try self.init(result: GEOSGeom_clone_r(context.handle, borrowed), context: context, "GEOSGeom_clone_r")
    }

    deinit {
        GEOSGeom_destroy_r(context.handle, handle)
    }

    /// An independent deep copy (`GEOSGeom_clone_r`).
    public func clone() throws(GEOSError) -> GEOSGeometry {
        try GEOSGeometry(cloningBorrowed: handle, context: context)
    }

    /// Throws unless `other` was made on the same context: objects of different contexts may
    /// live on different threads and must not meet in one call.
    func requireSameContext(_ other: GEOSGeometry, _ operation: String) throws(GEOSError) {
        guard other.context === context else {
            throw .invalidInput("\(operation): the geometries belong to different GEOS contexts")
        }
    }
}

// MARK: - Accessors

extension GEOSGeometry {
    /// Whether the geometry has no points (`GEOSisEmpty_r`; 2 means exception).
    public var isEmpty: Bool {
        get throws(GEOSError) { try context.checkPredicate(GEOSisEmpty_r(context.handle, handle), "GEOSisEmpty_r") }
    }

    /// The number of parts (`GEOSGetNumGeometries_r`): 1 for a single geometry.
    public var numGeometries: Int {
        get throws(GEOSError) {
            let count = GEOSGetNumGeometries_r(context.handle, handle)
            guard count >= 0 else { throw context.libraryError("GEOSGetNumGeometries_r") }
            return Int(count)
        }
    }

    /// A copy of the part at `index` of a collection (`GEOSGetGeometryN_r`, cloned).
    public func geometry(at index: Int) throws(GEOSError) -> GEOSGeometry {
        let count = try numGeometries
        guard index >= 0, index < count else {
            throw .invalidInput("geometry index \(index) is out of range 0..<\(count) for a \(type)")
        }
        let part = try context.check(GEOSGetGeometryN_r(context.handle, handle, Int32(index)), "GEOSGetGeometryN_r")
        return try GEOSGeometry(cloningBorrowed: part, context: context)
    }

    /// All parts of a collection, each a copy.
    public func geometries() throws(GEOSError) -> [GEOSGeometry] {
        var parts: [GEOSGeometry] = []
        for index in 0..<(try numGeometries) { parts.append(try geometry(at: index)) }
        return parts
    }

    /// The coordinates of a point, line string or linear ring, copied in one call
    /// (`GEOSGeom_getCoordSeq_r` + `GEOSCoordSeq_copyToBuffer_r`). Empty for an empty geometry.
    public func coordinates() throws(GEOSError) -> [Coordinate] {
        guard type == .point || type == .lineString || type == .linearRing else {
            throw .invalidInput("coordinates() needs a Point, LineString or LinearRing, not a \(type)")
        }
        if try isEmpty { return [] }
        let sequence = try context.check(GEOSGeom_getCoordSeq_r(context.handle, handle), "GEOSGeom_getCoordSeq_r")
        return try CoordinateBuffer.copy(sequence, context: context)
    }

    /// The x and y of a non-empty point (`GEOSGeomGetX_r`, `GEOSGeomGetY_r`).
    public func pointCoordinate() throws(GEOSError) -> Coordinate {
        guard type == .point else { throw .invalidInput("pointCoordinate() needs a Point, not a \(type)") }
        guard try !isEmpty else { throw .invalidInput("pointCoordinate() of an empty Point") }
        var x = 0.0, y = 0.0
        try context.checkStatus(GEOSGeomGetX_r(context.handle, handle, &x), "GEOSGeomGetX_r")
        try context.checkStatus(GEOSGeomGetY_r(context.handle, handle, &y), "GEOSGeomGetY_r")
        return Coordinate(x: x, y: y)
    }

    /// A copy of a polygon's shell (`GEOSGetExteriorRing_r`, cloned).
    public func exteriorRing() throws(GEOSError) -> GEOSGeometry {
        guard type == .polygon else { throw .invalidInput("exteriorRing() needs a Polygon, not a \(type)") }
        let ring = try context.check(GEOSGetExteriorRing_r(context.handle, handle), "GEOSGetExteriorRing_r")
        return try GEOSGeometry(cloningBorrowed: ring, context: context)
    }

    /// Copies of a polygon's holes (`GEOSGetNumInteriorRings_r`, `GEOSGetInteriorRingN_r`, cloned).
    public func interiorRings() throws(GEOSError) -> [GEOSGeometry] {
        guard type == .polygon else { throw .invalidInput("interiorRings() needs a Polygon, not a \(type)") }
        let count = GEOSGetNumInteriorRings_r(context.handle, handle)
        guard count >= 0 else { throw context.libraryError("GEOSGetNumInteriorRings_r") }
        var rings: [GEOSGeometry] = []
        rings.reserveCapacity(Int(count))
        for index in 0..<count {
            let ring = try context.check(GEOSGetInteriorRingN_r(context.handle, handle, index), "GEOSGetInteriorRingN_r")
            rings.append(try GEOSGeometry(cloningBorrowed: ring, context: context))
        }
        return rings
    }

    /// The bounding box (`GEOSGeom_getExtent_r`), or nil for an empty geometry.
    public var bounds: Envelope? {
        get throws(GEOSError) {
            if try isEmpty { return nil }
            var envelope = Envelope(minX: 0, minY: 0, maxX: 0, maxY: 0)
            try context.checkStatus(
                GEOSGeom_getExtent_r(context.handle, handle, &envelope.minX, &envelope.minY, &envelope.maxX, &envelope.maxY),
                "GEOSGeom_getExtent_r")
            return envelope
        }
    }
}
