import GEOS
import GeoJSON
@testable import GridMapApp
import SeededRandom
import Testing

@Suite("FeatureCollections' boxes: exact geometry–box tests and the box index")
struct FeatureCollectionsBoxTests {
    static func box(_ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double) -> Envelope {
        Envelope(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
    }

    static func p(_ x: Double, _ y: Double) -> Position { Position(x: x, y: y) }

    /// A 10×10 square with a 2×2 hole in the middle.
    static let squareWithHole = Geometry.polygon([
        [p(0, 0), p(10, 0), p(10, 10), p(0, 10), p(0, 0)],
        [p(4, 4), p(6, 4), p(6, 6), p(4, 6), p(4, 4)],
    ])

    @Test("a polygon meets a box inside it, on its edge or across it, but not one inside its hole or outside")
    func polygonAndBox() {
        #expect(BoxIntersection.intersects(Self.squareWithHole, Self.box(1, 1, 2, 2)))  // inside, no vertex in the box
        #expect(BoxIntersection.intersects(Self.squareWithHole, Self.box(9, 9, 12, 12)))  // across a corner
        #expect(BoxIntersection.intersects(Self.squareWithHole, Self.box(10, 2, 11, 3)))  // touching the edge
        #expect(BoxIntersection.intersects(Self.squareWithHole, Self.box(-1, 4.5, 11, 5.5)))  // across, no vertex in the box
        #expect(!BoxIntersection.intersects(Self.squareWithHole, Self.box(4.5, 4.5, 5.5, 5.5)))  // in the hole
        #expect(!BoxIntersection.intersects(Self.squareWithHole, Self.box(11, 11, 12, 12)))
    }

    @Test("a line meets a box it crosses without a vertex in it, not one beside it")
    func lineAndBox() {
        let line = Geometry.lineString([Self.p(0, 0), Self.p(10, 10)])
        #expect(BoxIntersection.intersects(line, Self.box(4, 4, 6, 6)))
        #expect(BoxIntersection.intersects(line, Self.box(5, 0, 6, 5)))  // touches at (5,5)
        #expect(!BoxIntersection.intersects(line, Self.box(6, 0, 7, 5)))
        #expect(BoxIntersection.intersects(.multiPoint([Self.p(20, 20), Self.p(1, 1)]), Self.box(0, 0, 2, 2)))
    }

    @Test("a box across the antimeridian is two envelopes; a box with south above north is refused")
    func lonLatBoxes() throws {
        let across = try LonLatBox(west: 170, south: -10, east: -170, north: 10)
        #expect(across.envelopes.count == 2)
        #expect(BoxIntersection.intersects(.point(Self.p(175, 0)), across.envelopes[0]))
        #expect(BoxIntersection.intersects(.point(Self.p(-175, 0)), across.envelopes[1]))
        #expect(throws: JobError.self) { try LonLatBox(west: 0, south: 10, east: 1, north: 5) }
        #expect(throws: JobError.self) { try LonLatBox(west: 0, south: 0, east: 200, north: 5) }
    }

    @Test("the box index gives, in order and once each, exactly the items whose envelope meets the box (5,000 random items, 200 boxes)")
    func indexAgainstEveryEnvelope() {
        var random = SplitMix64(seed: 13)
        let envelopes: [Envelope?] = (0..<5_000).map { index in
            if index % 97 == 0 { return nil }
            let x = Double.random(in: 0..<100, using: &random), y = Double.random(in: 0..<50, using: &random)
            let size = index % 5 == 0 ? Double.random(in: 0..<20, using: &random) : 0
            return Self.box(x, y, x + size, y + size / 2)
        }
        let index = BoxIndex(envelopes: envelopes)
        for _ in 0..<200 {
            let x = Double.random(in: -10..<110, using: &random), y = Double.random(in: -10..<60, using: &random)
            let query = Self.box(x, y, x + Double.random(in: 0..<30, using: &random), y + Double.random(in: 0..<15, using: &random))
            let expected = envelopes.indices.filter { envelopes[$0]?.intersects(query) == true }
            #expect(index.candidates(meeting: [query]) == expected)
        }
    }
}
