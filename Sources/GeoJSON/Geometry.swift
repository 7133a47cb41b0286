/// A GeoJSON geometry object (RFC 7946 §3.1).
///
/// Polygon rings are stored as read; the writer orients them (§3.1.6). Geometry-level `bbox`
/// and foreign members are not kept (Feature and FeatureCollection keep theirs).
///
/// Not `indirect`: a collection's members already live in an array's buffer, and a boxed case
/// cost every point its own heap allocation (64 bytes each, most of a large point layer's geometry).
public enum Geometry: Sendable, Hashable {
    /// §3.1.2
    case point(Position)
    /// §3.1.3
    case multiPoint([Position])
    /// §3.1.4: two or more positions.
    case lineString([Position])
    /// §3.1.5
    case multiLineString([[Position]])
    /// §3.1.6: linear rings, exterior first then holes; each ring closed, four or more positions.
    case polygon([[Position]])
    /// §3.1.7
    case multiPolygon([[[Position]]])
    /// §3.1.8
    case geometryCollection([Geometry])

    /// The "type" member's value for this geometry.
    public var typeName: String {
        switch self {
        case .point: "Point"
        case .multiPoint: "MultiPoint"
        case .lineString: "LineString"
        case .multiLineString: "MultiLineString"
        case .polygon: "Polygon"
        case .multiPolygon: "MultiPolygon"
        case .geometryCollection: "GeometryCollection"
        }
    }

    /// Whether any position has an elevation (a third number): the geometry's dimension is 3.
    public var hasElevation: Bool {
        switch self {
        case .point(let position): position.z != nil
        case .multiPoint(let positions), .lineString(let positions): positions.contains { $0.z != nil }
        case .multiLineString(let lines), .polygon(let lines): lines.contains { $0.contains { $0.z != nil } }
        case .multiPolygon(let polygons): polygons.contains { $0.contains { $0.contains { $0.z != nil } } }
        case .geometryCollection(let geometries): geometries.contains(where: \.hasElevation)
        }
    }
}
