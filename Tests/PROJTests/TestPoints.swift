import SeededRandom
/// Shared test data: reference answers from PROJ's own command-line tools, and a seeded
/// generator of points around Dacun (119.8°E 35.9°N).

/// A point with its expected image, from `cs2cs`.
struct KnownAnswer {
    var lon: Double
    var lat: Double
    var easting: Double
    var northing: Double
}

enum ReferenceAnswers {
    /// EPSG:4326 → EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E), produced by
    ///
    ///     printf '35.9 119.8\n35.75 119.6\n36.1 119.95\n35.65 120.05\n36.18 119.55\n35.95 119.7\n' \
    ///       | cs2cs -f %.4f EPSG:4326 EPSG:4549
    ///
    /// (input "lat lon" because EPSG:4326 is latitude first; output "northing easting" because
    /// EPSG:4549 is northing first — swapped here into (easting, northing)).
    static let toCGCS2000GK120: [KnownAnswer] = [
        KnownAnswer(lon: 119.8, lat: 35.9, easting: 481944.5123, northing: 3974465.3411),
        KnownAnswer(lon: 119.6, lat: 35.75, easting: 463820.9448, northing: 3957877.2837),
        KnownAnswer(lon: 119.95, lat: 36.1, easting: 495497.5138, northing: 3996639.8206),
        KnownAnswer(lon: 120.05, lat: 35.65, easting: 504528.0205, northing: 3946709.3054),
        KnownAnswer(lon: 119.55, lat: 36.18, easting: 459518.6165, northing: 4005609.4359),
        KnownAnswer(lon: 119.7, lat: 35.95, easting: 472933.7906, northing: 3980036.3436),
    ]

    /// EPSG:4326 → EPSG:32650 (WGS 84 / UTM zone 50N), same input, produced by
    ///
    ///     printf '35.9 119.8\n35.75 119.6\n36.1 119.95\n35.65 120.05\n36.18 119.55\n35.95 119.7\n' \
    ///       | cs2cs -f %.4f EPSG:4326 EPSG:32650
    ///
    /// (output "easting northing").
    static let toUTM50N: [KnownAnswer] = [
        KnownAnswer(lon: 119.8, lat: 35.9, easting: 752707.2374, northing: 3976479.4996),
        KnownAnswer(lon: 119.6, lat: 35.75, easting: 735095.0016, northing: 3959338.0958),
        KnownAnswer(lon: 119.95, lat: 36.1, easting: 765576.5872, northing: 3999070.3547),
        KnownAnswer(lon: 120.05, lat: 35.65, easting: 776140.9108, northing: 3949415.5656),
        KnownAnswer(lon: 119.55, lat: 36.18, easting: 729325.1699, northing: 4006927.0587),
        KnownAnswer(lon: 119.7, lat: 35.95, easting: 743526.3381, northing: 3981772.8320),
    ]
}

/// `count` lon/lat points within 0.3° of 119.8°E 35.9°N.
func pointsAroundDacun(count: Int, seed: UInt64) -> (lon: [Double], lat: [Double]) {
    var generator = SplitMix64(seed: seed)
    let lon = (0..<count).map { _ in Double.random(in: 119.5...120.1, using: &generator) }
    let lat = (0..<count).map { _ in Double.random(in: 35.6...36.2, using: &generator) }
    return (lon, lat)
}
