import GeoJSON

/// A feature of a layer: a field, a road, a well, a home, a clinic…
public struct MapFeature: Hashable, Sendable {
    /// Stable id, unique within the town, e.g. "home-01234" or "well-0042".
    public var id: String
    public var kind: FeatureKind
    public var name: String
    /// Any geometry, in WGS84 longitude/latitude.
    public var geometry: Geometry
    /// Free properties (a road's `class`, a home's `address` and `houseNumber`, …).
    public var properties: JSONObject

    public init(id: String, kind: FeatureKind, name: String, geometry: Geometry, properties: JSONObject = JSONObject()) {
        self.id = id
        self.kind = kind
        self.name = name
        self.geometry = geometry
        self.properties = properties
    }
}
