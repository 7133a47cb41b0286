import Testing
@testable import PROJ

@Suite("Geodesic")
struct GeodesicTests {
    /// Reference answers from
    ///
    ///     printf '35.9 119.8 36.1 120.0\n39.9042 116.4074 31.2304 121.4737\n0 0 0.5 179.5\n' \
    ///       | geod -I +ellps=WGS84 -f %.9f -F %.6f
    ///
    /// Input "lat1 lon1 lat2 lon2"; output "az1 az2 distance", where geod's az2 is the back
    /// azimuth (looking from point 2 to point 1), i.e. our forward finalAzimuth ± 180.
    static let references: [(lon1: Double, lat1: Double, lon2: Double, lat2: Double, az1: Double, backAz2: Double, distance: Double)] = [
        (119.8, 35.9, 120.0, 36.1, 39.038077226, -140.844365465, 28594.661259),
        (116.4074, 39.9042, 121.4737, 31.2304, 152.974230070, -24.069148315, 1065846.489453),
        (0, 0, 179.5, 0.5, 25.671872868, -25.672914530, 19936288.578965),  // nearly antipodal
    ]

    @Test("WGS84 distance and azimuths match geod -I")
    func knownAnswers() {
        for reference in Self.references {
            let line = Geodesic.wgs84.inverse(
                lon1: reference.lon1, lat1: reference.lat1, lon2: reference.lon2, lat2: reference.lat2)
            #expect(abs(line.distance - reference.distance) < 1e-5)
            #expect(abs(line.initialAzimuth - reference.az1) < 1e-8)
            var back = line.finalAzimuth + 180
            if back > 180 { back -= 360 }
            #expect(abs(back - reference.backAz2) < 1e-8)
        }
    }

    @Test("distance is symmetric and zero from a point to itself")
    func symmetry() {
        let (lon, lat) = pointsAroundDacun(count: 50, seed: 21)
        for index in 1..<lon.count {
            let there = Geodesic.wgs84.distance(lon1: lon[index - 1], lat1: lat[index - 1], lon2: lon[index], lat2: lat[index])
            let back = Geodesic.wgs84.distance(lon1: lon[index], lat1: lat[index], lon2: lon[index - 1], lat2: lat[index - 1])
            #expect(abs(there - back) < 1e-8)
            #expect(there > 0)
        }
        #expect(Geodesic.wgs84.distance(lon1: 119.8, lat1: 35.9, lon2: 119.8, lat2: 35.9) == 0)
    }

    @Test("a degree of longitude on the equator is a / 180 * pi")
    func equatorDegree() {
        let expected = 6_378_137 * Double.pi / 180  // 111319.4908 m; geod prints 111319.491
        #expect(abs(Geodesic.wgs84.distance(lon1: 0, lat1: 0, lon2: 1, lat2: 0) - expected) < 1e-6)
    }
}
