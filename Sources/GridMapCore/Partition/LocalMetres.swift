import GEOS

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Longitude/latitude turned into metres east and north of an origin by the equirectangular
/// approximation. The partition uses it only for its choices — which block is nearer a group's
/// seed, which way a crowded block is cut, how much edge two blocks share, how big a block is —
/// where an error of a fraction of a percent across a town changes nothing. The geometry itself
/// is cut and merged in WGS84 longitude/latitude, the coordinates the town stores and the
/// coverage validator overlays, so that every vertex noding adds on a grid's edge lies on that
/// edge as the validator sees it.
struct LocalMetres: Sendable {
    let origin: Coordinate
    let metresPerDegreeX: Double
    let metresPerDegreeY: Double

    init(origin: Coordinate) {
        self.origin = origin
        let latitude = origin.y * .pi / 180
        // Metres per degree on the WGS84 ellipsoid at this latitude (the first terms of the series).
        metresPerDegreeY = 111_132.92 - 559.82 * cos(2 * latitude) + 1.175 * cos(4 * latitude)
        metresPerDegreeX = 111_412.84 * cos(latitude) - 93.5 * cos(3 * latitude)
    }

    func point(_ c: Coordinate) -> Coordinate {
        Coordinate(x: (c.x - origin.x) * metresPerDegreeX, y: (c.y - origin.y) * metresPerDegreeY)
    }

    func distance(_ a: Coordinate, _ b: Coordinate) -> Double {
        let dx = (a.x - b.x) * metresPerDegreeX, dy = (a.y - b.y) * metresPerDegreeY
        return (dx * dx + dy * dy).squareRoot()
    }

    func squareMetres(_ squareDegrees: Double) -> Double { squareDegrees * metresPerDegreeX * metresPerDegreeY }
}
