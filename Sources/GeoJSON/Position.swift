/// A GeoJSON position (RFC 7946 §3.1.1): easting/longitude, northing/latitude, optional altitude.
///
/// Positions with more than three numbers are accepted on read and the extra numbers dropped,
/// as §3.1.1 lets parsers do ("implementations SHOULD NOT extend positions beyond three elements").
public struct Position: Sendable, Hashable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var z: Double?

    public init(x: Double, y: Double, z: Double? = nil) {
        self.x = x
        self.y = y
        self.z = z
    }

    /// Longitude and latitude in WGS84, the only CRS RFC 7946 §4 allows.
    public init(longitude: Double, latitude: Double, altitude: Double? = nil) {
        self.init(x: longitude, y: latitude, z: altitude)
    }

    public var longitude: Double { x }
    public var latitude: Double { y }

    public var description: String {
        if let z { "[\(x), \(y), \(z)]" } else { "[\(x), \(y)]" }
    }
}
