import GEOS
import Testing

@Suite("Prepared geometry")
struct PreparedGeometryTests {
    let context = GEOSContext()

    @Test("every prepared predicate equals the unprepared GEOS predicate on 3000 random pairs")
    func differential() throws {
        var random = RandomGeometries(seed: 0x5EED_0001, context: context, side: 8)
        var truths = [String: Int]()
        for _ in 0..<3000 {
            let a = try random.any()
            let b = try random.any()
            let prepared = try PreparedGeometry(a)
            let pairs: [(String, Bool, Bool)] = [
                ("contains", try prepared.contains(b), try a.contains(b)),
                ("containsProperly", try prepared.containsProperly(b), try a.relate(b, matches: "T**FF*FF*")),
                ("covers", try prepared.covers(b), try a.covers(b)),
                ("coveredBy", try prepared.coveredBy(b), try a.coveredBy(b)),
                ("intersects", try prepared.intersects(b), try a.intersects(b)),
                ("within", try prepared.within(b), try a.within(b)),
                ("touches", try prepared.touches(b), try a.touches(b)),
                ("disjoint", try prepared.disjoint(b), try a.disjoint(b)),
                ("crosses", try prepared.crosses(b), try a.crosses(b)),
                ("overlaps", try prepared.overlaps(b), try a.overlaps(b)),
            ]
            for (name, fast, reference) in pairs {
                if fast != reference {
                    Issue.record("prepared \(name) = \(fast), unprepared = \(reference) for \(try a.wkt()), \(try b.wkt())")
                }
                if reference { truths[name, default: 0] += 1 }
            }
        }
        // The data exercises every predicate both ways, so agreement is not vacuous.
        for name in ["contains", "containsProperly", "covers", "coveredBy", "intersects", "within", "touches", "crosses", "overlaps"] {
            #expect(truths[name, default: 0] > 20, "\(name) was true only \(truths[name, default: 0]) times")
        }
        #expect(truths["disjoint", default: 0] > 20)
    }

    @Test("containsXY and coversXY equal contains and covers of a point, on grid and off-grid points")
    func xyDifferential() throws {
        var random = RandomGeometries(seed: 0x5EED_0002, context: context)
        var onBoundary = 0
        for _ in 0..<100 {
            let polygon = try random.polygon()
            let prepared = try PreparedGeometry(polygon)
            for _ in 0..<20 {
                let point = try random.point()
                let xy = try point.pointCoordinate()
                #expect(try prepared.containsXY(x: xy.x, y: xy.y) == polygon.contains(point))
                #expect(try prepared.coversXY(x: xy.x, y: xy.y) == polygon.covers(point))
                if try polygon.touches(point) { onBoundary += 1 }
            }
        }
        #expect(onBoundary > 10)
    }

    @Test("a point on the boundary is covered but not contained; outside points and NaN are handled")
    func xyKnownAnswers() throws {
        let prepared = try PreparedGeometry(GEOSGeometry.polygon(exterior: square(0, 0, 4, 4), holes: [square(1, 1, 2, 2)], context: context))
        #expect(try prepared.containsXY(x: 3, y: 3))
        #expect(try !prepared.containsXY(x: 4, y: 2))
        #expect(try prepared.coversXY(x: 4, y: 2))
        #expect(try !prepared.containsXY(x: 1.5, y: 1.5))  // in the hole
        #expect(try prepared.coversXY(x: 1, y: 1.5))       // on the hole's edge
        #expect(try !prepared.coversXY(x: 9, y: 9))
        #expect(thrownError { _ = try prepared.containsXY(x: .nan, y: 1) } == .invalidInput("point (nan, 1.0) is not finite"))
    }

    @Test("a prepared geometry keeps its base alive and blocks in-place normalization")
    func keepsBase() throws {
        var base: GEOSGeometry? = try GEOSGeometry.polygon(exterior: square(0, 0, 2, 2), context: context)
        let prepared = try PreparedGeometry(base!)
        #expect(thrownError { try base!.normalize() }
                == .invalidInput("normalize(): the geometry is in use by 1 PreparedGeometry; use normalized()"))
        base = nil
        #expect(try prepared.containsXY(x: 1, y: 1))
        #expect(try prepared.base.area() == 4)
    }

    @Test("once the prepared geometry is gone the base can be normalized again")
    func releasesBase() throws {
        let base = try GEOSGeometry.polygon(exterior: square(0, 0, 2, 2), context: context)
        do {
            let prepared = try PreparedGeometry(base)
            #expect(try prepared.covers(base))
        }
        try base.normalize()
        #expect(try base.area() == 4)
    }
}
