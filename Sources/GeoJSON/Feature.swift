/// A Feature's identifier: RFC 7946 §3.2 allows a string or a number.
public enum FeatureID: Sendable, Hashable {
    case string(String)
    case number(JSONNumber)
}

extension FeatureID: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
}

/// A GeoJSON Feature (RFC 7946 §3.2).
public struct Feature: Sendable, Hashable {
    public var id: FeatureID?
    /// Nil for `"geometry": null`, an unlocated feature (§3.2).
    public var geometry: Geometry?
    /// Nil for `"properties": null` (§3.2).
    public var properties: JSONObject?
    /// The feature's bounding box (§5), as written.
    public var bbox: [Double]?
    /// Members other than type, id, geometry, properties and bbox (§6.1), in input order.
    public var foreignMembers: JSONObject

    public init(
        id: FeatureID? = nil, geometry: Geometry?, properties: JSONObject? = JSONObject(),
        bbox: [Double]? = nil, foreignMembers: JSONObject = JSONObject()
    ) {
        self.id = id
        self.geometry = geometry
        self.properties = properties
        self.bbox = bbox
        self.foreignMembers = foreignMembers
    }
}
