/// How strictly the reader checks coordinates.
public struct GeoJSONReaderOptions: Sendable, Hashable {
    /// Reject longitudes outside [-180, 180] and latitudes outside [-90, 90] (RFC 7946 §4: positions
    /// are WGS84 longitude, latitude). Turn off for input in a projected CRS (eastings and
    /// northings in metres), e.g. a GDAL export carrying a legacy `crs` member.
    public var checksLongitudeLatitudeRange: Bool

    public init(checksLongitudeLatitudeRange: Bool = true) {
        self.checksLongitudeLatitudeRange = checksLongitudeLatitudeRange
    }
}
