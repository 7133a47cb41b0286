/// A GeoJSON FeatureCollection (RFC 7946 §3.3).
public struct FeatureCollection: Sendable, Hashable {
    public var features: [Feature]
    /// The collection's bounding box (§5), as written.
    public var bbox: [Double]?
    /// Members other than type, features and bbox (§6.1), in input order; includes a legacy
    /// `crs` member (GeoJSON 2008, still written by GDAL) — see `legacyCRS`.
    public var foreignMembers: JSONObject

    public init(features: [Feature], bbox: [Double]? = nil, foreignMembers: JSONObject = JSONObject()) {
        self.features = features
        self.bbox = bbox
        self.foreignMembers = foreignMembers
    }

    /// The pre-RFC `crs` member (e.g. `{"type":"name","properties":{"name":"EPSG:4490"}}`), if
    /// present. RFC 7946 §4 removed it, but GDAL still writes it for non-WGS84 data, so callers
    /// that accept other CRSs can honour it.
    public var legacyCRS: JSONValue? { foreignMembers["crs"] }

    /// The CRS name inside a legacy `crs` member of type "name", e.g. "EPSG:4490" or
    /// "urn:ogc:def:crs:EPSG::4549".
    public var legacyCRSName: String? {
        legacyCRS?.objectValue?["properties"]?.objectValue?["name"]?.stringValue
    }
}

/// Whatever a GeoJSON text holds at its top level (RFC 7946 §2: a Geometry, Feature or
/// FeatureCollection).
public enum GeoJSONDocument: Sendable, Hashable {
    case geometry(Geometry)
    case feature(Feature)
    case featureCollection(FeatureCollection)

    /// The document as features: a collection's features, the single feature, or the bare
    /// geometry wrapped in a feature with null properties.
    public var features: [Feature] {
        switch self {
        case .geometry(let geometry): [Feature(geometry: geometry, properties: nil)]
        case .feature(let feature): [feature]
        case .featureCollection(let collection): collection.features
        }
    }
}
