@testable import GridMapCore
import Testing

/// The exact orientation sign behind "is this point on the edge": it must be right where plain
/// double arithmetic is not.
@Suite("Atlas exact predicates: orientation and point-in-polygon decide the boundary exactly")
struct AtlasExactPredicateTests {
    @Test("near-collinear points around (0.5, 0.5) get the sign of py − px against the line y = x, as exact arithmetic says")
    func orientationIsExactNearALine() {
        // Kettner et al.'s "classroom example": orient((12, 12), (24, 24), p) = 12 (py − px), whose
        // rounded evaluation gets the sign wrong for many p within a few ulps of (0.5, 0.5).
        let ulp = 0.5.ulp
        var wrongInDoubles = 0
        for i in 0..<256 {
            for j in 0..<256 {
                let px = 0.5 + Double(i) * ulp, py = 0.5 + Double(j) * ulp
                let expected = py > px ? 1 : (py < px ? -1 : 0)
                #expect(OrientationPredicate.sign(12, 12, 24, 24, px, py) == expected)
                let naive = (24 - 12) * (py - 12) - (24 - 12) * (px - 12)
                if (naive > 0 ? 1 : (naive < 0 ? -1 : 0)) != expected { wrongInDoubles += 1 }
            }
        }
        #expect(wrongInDoubles > 0)   // the example really is hard for plain doubles
    }

    @Test("a point exactly on a sloping edge is on the boundary; its neighbours one ulp away are not")
    func pointOnSlopingEdgeIsBoundary() {
        // The triangle (0, 0), (4, 2), (0, 2): its edge from (0, 0) to (4, 2) holds (1, 0.5) exactly.
        let triangle = [PlanarSegment(ax: 0, ay: 0, bx: 4, by: 2), PlanarSegment(ax: 4, ay: 2, bx: 0, by: 2),
                        PlanarSegment(ax: 0, ay: 2, bx: 0, by: 0)]
        #expect(PolygonPointTest.placement(1, 0.5, triangle) == .boundary)
        #expect(PolygonPointTest.placement(1, 0.5.nextUp, triangle) == .interior)
        #expect(PolygonPointTest.placement(1, 0.5.nextDown, triangle) == .exterior)
        #expect(PolygonPointTest.placement(4, 2, triangle) == .boundary)
        #expect(PolygonPointTest.placement(2, 2, triangle) == .boundary)
        #expect(PolygonPointTest.placement(-1, 2, triangle) == .exterior)
        #expect(PolygonPointTest.placement(0, 1, triangle) == .boundary)
    }

    @Test("an atlas answers the same from many concurrent tasks as from one thread")
    func concurrentQueriesAgree() async throws {
        let atlas = try Atlas(try AtlasTestTowns.voronoi(count: 80, side: 5_000, seed: 4))
        let southWest = CoverageFixtures.position(0, 0), northEast = CoverageFixtures.position(5_000, 5_000)
        let points = (0..<4_000).map { i in
            (southWest.x + (northEast.x - southWest.x) * Double(i % 64) / 63, southWest.y + (northEast.y - southWest.y) * Double(i / 64) / 62)
        }
        let sequential = points.map { atlas.microGridIndex(longitude: $0.0, latitude: $0.1) }
        let concurrent = await withTaskGroup(of: (Int, [Int?]).self) { group in
            for part in 0..<8 {
                group.addTask {
                    (part, stride(from: part, to: points.count, by: 8).map { atlas.microGridIndex(longitude: points[$0].0, latitude: points[$0].1) })
                }
            }
            var merged = [Int?](repeating: nil, count: points.count)
            for await (part, answers) in group {
                for (offset, answer) in answers.enumerated() { merged[part + 8 * offset] = answer }
            }
            return merged
        }
        #expect(concurrent == sequential)
    }
}
