/// A GeoJSON geometry object (RFC 7946 §3.1).
///
/// Polygon rings are stored as read; the writer orients them (§3.1.6). Geometry-level `bbox`
/// and foreign members are not kept (Feature and FeatureCollection keep theirs).
public indirect enum Geometry: Sendable, Hashable {
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
}
