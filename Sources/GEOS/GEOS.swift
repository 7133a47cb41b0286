/// # GEOS — safe Swift over the reentrant GEOS C API
///
/// Every C handle has exactly one Swift owner that frees it in `deinit`:
/// ``GEOSContext`` owns the `GEOSContextHandle_t` and its cached WKT/WKB readers and writers,
/// ``GEOSGeometry`` owns one `GEOSGeometry*`, ``PreparedGeometry`` one `GEOSPreparedGeometry*`,
/// ``STRtree`` one `GEOSSTRtree*`. Pointers GEOS only lends (`GEOSGetGeometryN_r`,
/// `GEOSGetExteriorRing_r`, `GEOSGeom_getCoordSeq_r`) are never freed; the API clones them or
/// copies their coordinates out before returning.
///
/// ## Threading model
/// A GEOS context handle is not thread-safe, so none of these types is `Sendable`:
/// - one ``GEOSContext`` per thread or per confining owner (an actor, a worker task);
/// - every ``GEOSGeometry``, ``PreparedGeometry`` and ``STRtree`` made from a context is confined to
///   the thread that uses that context, and operations combine objects of one context only;
/// - for parallel work, give each worker its own context and its own objects (e.g. read the same
///   WKB into each worker's context). Values that cross threads are the plain value types:
///   ``Coordinate``, ``Envelope``, ``GeometryType``, WKB bytes and WKT text.
///
/// ## Errors
/// Bad data is rejected in Swift before GEOS sees it (``GEOSError/invalidInput(_:)``); anything
/// GEOS itself rejects is thrown as ``GEOSError/library(message:)`` carrying GEOS's own message.
import CGEOS

/// A 2D position: `x` is longitude or easting, `y` is latitude or northing.
///
/// Its memory layout is two contiguous `Double`s (x then y), which lets coordinate arrays be
/// handed to `GEOSCoordSeq_copyFromBuffer_r` / `GEOSCoordSeq_copyToBuffer_r` without copying.
public struct Coordinate: Hashable, Sendable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// Whether both ordinates are finite (neither NaN nor infinite).
    public var isFinite: Bool { x.isFinite && y.isFinite }
}

/// An axis-aligned bounding box.
public struct Envelope: Hashable, Sendable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// Whether the point lies inside or on the border of the box.
    public func contains(x: Double, y: Double) -> Bool {
        x >= minX && x <= maxX && y >= minY && y <= maxY
    }

    /// Whether the two boxes share at least one point.
    public func intersects(_ other: Envelope) -> Bool {
        other.minX <= maxX && other.maxX >= minX && other.minY <= maxY && other.maxY >= minY
    }

    /// The box grown by `distance` on every side.
    public func expanded(by distance: Double) -> Envelope {
        Envelope(minX: minX - distance, minY: minY - distance, maxX: maxX + distance, maxY: maxY + distance)
    }
}

/// The OGC geometry types, numbered as GEOS's `GEOSGeomTypes` (`GEOSGeomTypeId_r`).
public enum GeometryType: Int32, Sendable, CaseIterable {
    case point = 0
    case lineString = 1
    case linearRing = 2
    case polygon = 3
    case multiPoint = 4
    case multiLineString = 5
    case multiPolygon = 6
    case geometryCollection = 7
}
