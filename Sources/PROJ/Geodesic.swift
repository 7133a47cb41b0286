import CPROJ

/// Geodesics on an ellipsoid, by Karney's algorithms as shipped in PROJ (`geodesic.h`:
/// `geod_init`, `geod_inverse`).
///
/// Holds only the `geod_geodesic` constants (no PROJ context or handle), so it is a `Sendable`
/// value usable from any thread.
public struct Geodesic: Sendable {
    /// The shortest path between two points, as `geod_inverse` solves it.
    public struct Line: Sendable, Equatable {
        /// Length of the geodesic in metres.
        public var distance: Double
        /// Azimuth at the first point, degrees clockwise from north, in [-180, 180].
        public var initialAzimuth: Double
        /// Azimuth at the second point, in the direction of travel (forward azimuth; add 180 for
        /// the azimuth looking back at the first point, which `geod -I` prints).
        public var finalAzimuth: Double
    }

    /// Semi-major axis in metres.
    public let semiMajorAxis: Double
    /// Flattening (a − b) / a.
    public let flattening: Double
    private let constants: geod_geodesic

    /// WGS84: a = 6378137 m, f = 1/298.257223563.
    public static let wgs84 = Geodesic(semiMajorAxis: 6_378_137, flattening: 1 / 298.257223563)

    /// Prepares the ellipsoid constants (`geod_init`).
    public init(semiMajorAxis: Double, flattening: Double) {
        self.semiMajorAxis = semiMajorAxis
        self.flattening = flattening
        var constants = geod_geodesic()
        geod_init(&constants, semiMajorAxis, flattening)
        self.constants = constants
    }

    /// Solves the inverse problem between (lon1, lat1) and (lon2, lat2) in degrees
    /// (`geod_inverse`): distance in metres and azimuths at both ends.
    public func inverse(lon1: Double, lat1: Double, lon2: Double, lat2: Double) -> Line {
        var distance = 0.0, azimuth1 = 0.0, azimuth2 = 0.0
        withUnsafePointer(to: constants) { geodesic in
            geod_inverse(geodesic, lat1, lon1, lat2, lon2, &distance, &azimuth1, &azimuth2)
        }
        return Line(distance: distance, initialAzimuth: azimuth1, finalAzimuth: azimuth2)
    }

    /// Geodesic distance in metres between (lon1, lat1) and (lon2, lat2) in degrees.
    public func distance(lon1: Double, lat1: Double, lon2: Double, lat2: Double) -> Double {
        inverse(lon1: lon1, lat1: lat1, lon2: lon2, lat2: lat2).distance
    }
}
