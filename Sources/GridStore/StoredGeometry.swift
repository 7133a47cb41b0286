import GEOS
import GeoJSON

/// A geometry as the store keeps it: Well-Known Binary (2D, full double precision, written by
/// GEOS so that PostGIS reads the same bytes) plus its bounding box, which the envelope columns
/// hold so that area queries prefilter in SQL before asking GEOS. Like all GEOS work in
/// GridMap this is 2D: an altitude in the input is not stored.
struct StoredGeometry: Sendable, Hashable {
    var wkb: [UInt8]
    /// The GeoJSON type name ("Point", "Polygon", …).
    var typeName: String
    /// Nil for an empty geometry (an empty GeometryCollection has no box).
    var envelope: Envelope?

    /// Encodes a GEOS geometry that was converted from `geometry`.
    init(_ geos: GEOSGeometry, typeName: String) throws(GEOSError) {
        wkb = try geos.wkb()
        self.typeName = typeName
        envelope = try geos.bounds
    }

    /// The GeoJSON value of stored WKB (`GEOSWKBReader_read_r`, then GEOS → GeoJSON).
    static func decode(_ wkb: [UInt8], in context: GEOSContext) throws(GEOSError) -> Geometry {
        try Geometry(GEOSGeometry(wkb: wkb, context: context))
    }
}
