import GridMapCore
import PROJ
import SeededRandom
import Testing

/// GCJ-02 and BD-09: the published forward formulas against values other libraries publish, the
/// iterated inverses on many random points, the identity outside China, and the chain with PROJ.
@Suite("GCJ-02 and BD-09, China's online-map offsets")
struct ChineseMapOffsetTests {
    /// Metres between two longitude/latitude points (WGS84 geodesic).
    static func metres(_ a: (Double, Double), _ b: (Double, Double)) -> Double {
        Geodesic.wgs84.distance(lon1: a.0, lat1: a.1, lon2: b.0, lat2: b.1)
    }

    /// One point through a projection.
    static func transform(_ point: (Double, Double), _ projection: Projection,
                          _ direction: TransformDirection = .forward) throws -> (Double, Double) {
        var x = [point.0], y = [point.1]
        #expect(try projection.transform(x: &x, y: &y, direction: direction).isEmpty)
        return (x[0], y[0])
    }

    /// Random points on China's land box (the tighter coordtransform box, so that no shift carries
    /// a point across the edge), reproducible by seed.
    static func pointsInChina(count: Int, seed: UInt64) -> (x: [Double], y: [Double]) {
        var generator = SplitMix64(seed: seed)
        let x = (0..<count).map { _ in Double.random(in: 73.7...135.0, using: &generator) }
        let y = (0..<count).map { _ in Double.random(in: 18.0...53.5, using: &generator) }
        return (x, y)
    }

    // Values published independently of GridMap, each (WGS84 or input) → (output), lon/lat:
    // eviltransform's test suite (github.com/googollee/eviltransform, go/transform_test.go and
    // python/test.py: Shanghai, Shenzhen, Beijing), and coordtransform's README
    // (github.com/wandergis/coordtransform, the results of its usage example at 116.404, 39.915).
    static let publishedGCJ02: [(wgs84: (Double, Double), gcj02: (Double, Double))] = [
        ((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597)),
        ((113.912316, 22.543847), (113.9171764808363, 22.540796131694766)),
        ((116.377817, 39.911954), (116.38404722455657, 39.91334545536069)),
        ((116.404, 39.915), (116.41024449916938, 39.91640428150164)),
    ]

    @Test("WGS84 → GCJ-02 gives the values eviltransform's tests and coordtransform's README publish")
    func gcj02KnownValues() throws {
        let projection = try Projection(from: .wgs84, to: "GCJ02")
        for (wgs84, gcj02) in Self.publishedGCJ02 {
            let got = try Self.transform(wgs84, projection)
            // The same formula in double precision: equal up to the last bits of sin and cos.
            #expect(abs(got.0 - gcj02.0) < 1e-12 && abs(got.1 - gcj02.1) < 1e-12, "\(wgs84) → \(got), published \(gcj02)")
            // And back, by iteration, onto the published WGS84 point.
            let back = try Self.transform(gcj02, projection, .inverse)
            #expect(Self.metres(back, wgs84) < 0.001, "\(gcj02) → \(back), published \(wgs84)")
        }
    }

    @Test("GCJ-02 → BD-09 and WGS84 → BD-09 give the published values; BD-09 → GCJ-02 lies centimetres from the published approximation")
    func bd09KnownValues() throws {
        // coordtransform's README: gcj02tobd09(116.404, 39.915) = (116.41036949371029, 39.92133699351021).
        let toBaidu = try Projection(from: "GCJ-02", to: "BD-09")
        let bd09 = try Self.transform((116.404, 39.915), toBaidu)
        #expect(abs(bd09.0 - 116.41036949371029) < 1e-12 && abs(bd09.1 - 39.92133699351021) < 1e-12)
        // The geocraft package's README (PyPI), the two steps composed:
        // wgs84_to_bd09(116.404, 39.915) = (116.41662724378733, 39.922699552216216).
        let fromWGS84 = try Self.transform((116.404, 39.915), try Projection(from: .wgs84, to: "bd09"))
        #expect(abs(fromWGS84.0 - 116.41662724378733) < 1e-12 && abs(fromWGS84.1 - 39.922699552216216) < 1e-12)
        // coordtransform's bd09togcj02(116.404, 39.915) = (116.39762729119315, 39.90865673957631) is a
        // closed-form approximation (about 5 cm off here); the iterated inverse maps back exactly.
        let gcj02 = try Self.transform((116.404, 39.915), toBaidu, .inverse)
        #expect(Self.metres(gcj02, (116.39762729119315, 39.90865673957631)) < 0.1)
        #expect(Self.metres(try Self.transform(gcj02, toBaidu), (116.404, 39.915)) < 0.001)
    }

    @Test("10,000 random points in China go to GCJ-02 and BD-09 and back within 1 cm, both ways round")
    func roundTrips() throws {
        for (system, seed) in [("GCJ02", UInt64(11)), ("BD09", 12)] {
            let projection = try Projection(from: .wgs84, to: CRSDefinition(system))
            let (lon, lat) = Self.pointsInChina(count: 10_000, seed: seed)
            // WGS84 → offset → WGS84.
            var x = lon, y = lat
            #expect(try projection.transform(x: &x, y: &y).isEmpty)
            let shifts = lon.indices.map { Self.metres((lon[$0], lat[$0]), (x[$0], y[$0])) }
            #expect(shifts.allSatisfy { $0 > 1 }, "\(system) moves every point in China")
            #expect(try projection.transform(x: &x, y: &y, direction: .inverse).isEmpty)
            let worst = lon.indices.map { Self.metres((lon[$0], lat[$0]), (x[$0], y[$0])) }.max() ?? .infinity
            #expect(worst < 0.01, "\(system): worst WGS84 round trip \(worst) m")
            // Offset → WGS84 → offset: the inverse is exact for points given in the offset system too.
            var u = lon, v = lat
            #expect(try projection.transform(x: &u, y: &v, direction: .inverse).isEmpty)
            #expect(try projection.transform(x: &u, y: &v).isEmpty)
            let worstBack = lon.indices.map { Self.metres((lon[$0], lat[$0]), (u[$0], v[$0])) }.max() ?? .infinity
            #expect(worstBack < 0.01, "\(system): worst offset round trip \(worstBack) m")
        }
    }

    @Test("outside China's box every offset is the identity, forward and back")
    func identityOutsideChina() throws {
        // West Oakland, Aguascalientes, Tokyo (east of the box), Tehran (west of it), Jakarta (south),
        // the Arctic (north), and just past each published edge.
        let places = [(-122.29, 37.81), (-102.29, 21.88), (139.69, 35.69), (51.39, 35.69), (106.85, -6.21),
                      (100.0, 70.0), (72.0039, 30.0), (137.8348, 40.0), (110.0, 0.8292), (110.0, 55.8272)]
        for system in ["GCJ-02", "BD-09"] {
            let projection = try Projection(from: .wgs84, to: CRSDefinition(system))
            for place in places {
                let forward = try Self.transform(place, projection)
                let back = try Self.transform(place, projection, .inverse)
                #expect(forward == place && back == place, "\(system) at \(place)")
            }
        }
        // The box is the published one, not China's border: Delhi lies inside it and is shifted,
        // as every implementation of the algorithm shifts it (docs/CRS.md).
        let delhi = try Self.transform((77.21, 28.61), try Projection(from: .wgs84, to: "GCJ02"))
        #expect(delhi != (77.21, 28.61))
        #expect(ChineseMapOffset.isInChina(longitude: 72.004, latitude: 0.8293))
        #expect(ChineseMapOffset.isInChina(longitude: 137.8347, latitude: 55.8271))
        #expect(!ChineseMapOffset.isInChina(longitude: .nan, latitude: 30))
    }

    @Test("GCJ-02 chains with PROJ: GCJ-02 → EPSG:4549 is GCJ-02 → WGS84, then PROJ's WGS84 → EPSG:4549")
    func chainsWithPROJ() throws {
        let (lon, lat) = Self.pointsInChina(count: 200, seed: 13)
        let direct = try Projection(from: "gcj02", to: "EPSG:4549")
        var x = lon.map { 118.5 + ($0 - 73.7) / (135.0 - 73.7) * 3 }, y = lat
        let (startX, startY) = (x, y)
        #expect(try direct.transform(x: &x, y: &y).isEmpty)
        var wgsX = startX, wgsY = startY
        #expect(try Projection(from: "GCJ-02", to: .wgs84).transform(x: &wgsX, y: &wgsY).isEmpty)
        #expect(try Transformer(from: .wgs84, to: "EPSG:4549").transform(x: &wgsX, y: &wgsY).isEmpty)
        #expect(x == wgsX && y == wgsY)
        // And back from metres to GCJ-02.
        #expect(try direct.transform(x: &x, y: &y, direction: .inverse).isEmpty)
        #expect(x.indices.allSatisfy { Self.metres((x[$0], y[$0]), (startX[$0], startY[$0])) < 0.01 })
        #expect(direct.sourceIsGeographic && !direct.targetIsGeographic)
    }

    @Test("names are GCJ02, GCJ-02, BD09 and BD-09 in any case; neither is a working CRS")
    func namesAndWorkingCRS() throws {
        for name in ["GCJ02", "gcj-02", " Gcj02 ", "BD09", "bd-09"] {
            #expect(ChineseMapOffset(CRSDefinition(name)) != nil, "\(name)")
        }
        for name in ["GCJ", "BD-9", "EPSG:4326", "GCJ02 / UTM"] {
            #expect(ChineseMapOffset(CRSDefinition(name)) == nil, "\(name)")
        }
        #expect(try Projection(from: "EPSG:4549", to: "bd09").targetName.hasPrefix("BD-09"))
        #expect(throws: ProjectionError.self) { try Projection(workingCRS: "GCJ-02") }
    }

    @Test("GCJ-02 ⇄ BD-09 is Baidu's step alone, not a detour through WGS84")
    func baiduStepAlone() throws {
        let (lon, lat) = Self.pointsInChina(count: 100, seed: 14)
        var x = lon, y = lat
        #expect(try Projection(from: "GCJ02", to: "BD09").transform(x: &x, y: &y).isEmpty)
        for index in lon.indices {
            let expected = ChineseMapOffset.baiduForward(longitude: lon[index], latitude: lat[index])
            #expect(x[index] == expected.longitude && y[index] == expected.latitude)
        }
    }

    @Test("a point that is not a finite number fails alone, as PROJ's failures do")
    func nonFiniteFails() throws {
        var x = [116.404, .nan, .infinity], y = [39.915, 39.9, 39.9]
        #expect(try Projection(from: "GCJ02", to: "BD09").transform(x: &x, y: &y) == [1, 2])
        #expect(x[0].isFinite && x[1].isNaN && x[2].isNaN)
    }
}
