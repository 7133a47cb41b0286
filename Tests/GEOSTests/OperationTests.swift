import Foundation
import GEOS
import Testing

@Suite("Measures and constructive operations")
struct OperationTests {
    let context = GEOSContext()

    @Test("a buffered point has the area of the inscribed 4·q-gon, close to πr²", arguments: [1, 2, 8, 32])
    func bufferArea(quadrantSegments: Int) throws {
        let radius = 5.0
        let disc = try GEOSGeometry.point(x: 100, y: -40, context: context).buffer(width: radius, quadrantSegments: quadrantSegments)
        let sides = Double(4 * quadrantSegments)
        let inscribed = sides / 2 * radius * radius * sin(2 * Double.pi / sides)
        #expect(abs(try disc.area() - inscribed) < 1e-9 * inscribed)
        // The polygon approaches the circle from inside: within 1% from 8 segments per quadrant on.
        let circle = Double.pi * radius * radius
        #expect(try disc.area() < circle)
        if quadrantSegments >= 8 { #expect(circle - (try disc.area()) < 0.01 * circle) }
    }

    @Test("distance and nearest points between a line and a point are known")
    func distanceAndNearestPoints() throws {
        let line = try GEOSGeometry.lineString([c(0, 0), c(10, 0)], context: context)
        let point = try GEOSGeometry.point(x: 3, y: 4, context: context)
        #expect(try line.distance(to: point) == 4)
        let (onLine, onPoint) = try line.nearestPoints(with: point)
        #expect(onLine == c(3, 0))
        #expect(onPoint == c(3, 4))
        let square = try GEOSGeometry.polygon(exterior: square(0, 0, 2, 2), context: context)
        let far = try GEOSGeometry.point(x: 5, y: 6, context: context)
        #expect(try square.distance(to: far) == 5)
        #expect(try square.nearestPoints(with: far).0 == c(2, 2))
    }

    @Test("the centroid of an L-shaped polygon is (5/6, 5/6)")
    func centroid() throws {
        let shape = try GEOSGeometry.polygon(exterior: [c(0, 0), c(2, 0), c(2, 1), c(1, 1), c(1, 2), c(0, 2), c(0, 0)], context: context)
        let centre = try shape.centroid().pointCoordinate()
        #expect(abs(centre.x - 5.0 / 6) < 1e-12)
        #expect(abs(centre.y - 5.0 / 6) < 1e-12)
        // A point on the surface of an L lies inside it, unlike some centroids.
        #expect(try shape.covers(shape.pointOnSurface()))
    }

    @Test("union, intersection, differences and unary union of two overlapping squares have known areas")
    func overlay() throws {
        let a = try GEOSGeometry.polygon(exterior: square(0, 0, 2, 2), context: context)
        let b = try GEOSGeometry.polygon(exterior: square(1, 1, 3, 3), context: context)
        #expect(try a.union(b).area() == 7)
        #expect(try a.intersection(b).area() == 1)
        #expect(try a.difference(b).area() == 3)
        #expect(try a.symmetricDifference(b).area() == 6)
        let dissolved = try GEOSGeometry.collection([a, b], context: context).unaryUnion()
        #expect(dissolved.type == .polygon)
        #expect(try dissolved.area() == 7)
        #expect(try a.intersection(b).equals(GEOSGeometry.polygon(exterior: square(1, 1, 2, 2), context: context)))
    }

    @Test("the envelope of a line is its bounding rectangle")
    func envelope() throws {
        let line = try GEOSGeometry.lineString([c(1, 5), c(4, 2), c(3, 7)], context: context)
        let box = try line.envelope()
        #expect(box.type == .polygon)
        #expect(try box.area() == 15)
        #expect(try line.bounds == Envelope(minX: 1, minY: 2, maxX: 4, maxY: 7))
    }

    @Test("the Voronoi diagram of 3 points has 3 cells, each holding its site")
    func voronoi() throws {
        let sites = try GEOSGeometry.multiPoint([c(0, 0), c(10, 0), c(5, 8)], context: context)
        let diagram = try sites.voronoiDiagram()
        #expect(diagram.type == .geometryCollection)
        #expect(try diagram.numGeometries == 3)
        for cell in try diagram.geometries() {
            #expect(cell.type == .polygon)
            let contained = try sites.geometries().filter { try cell.contains($0) }
            #expect(contained.count == 1)
        }
        let edges = try sites.voronoiDiagram(onlyEdges: true)
        #expect(edges.type == .multiLineString)
        #expect(try edges.numGeometries == 3)
    }

    @Test("topology-preserving simplification drops vertices but keeps the hole and validity")
    func simplifyKeepsTopology() throws {
        // A square whose top edge zig-zags by ±0.5, with a small hole just under that edge.
        var shell = [c(0, 0), c(10, 0)]
        for step in stride(from: 10.0, through: 0, by: -0.5) {
            shell.append(c(step, 10 + (Int(step * 2) % 2 == 0 ? 0.5 : -0.5)))
        }
        shell.append(c(0, 0))
        let hole = [c(4, 8.5), c(6, 8.5), c(6, 9), c(4, 9), c(4, 8.5)]
        let polygon = try GEOSGeometry.polygon(exterior: shell, holes: [hole], context: context)
        #expect(try polygon.isValid)
        let simplified = try polygon.simplify(tolerance: 3)
        #expect(try simplified.isValid)
        #expect(try simplified.interiorRings().count == 1)
        #expect(try simplified.exteriorRing().coordinates().count < shell.count)
        #expect(try simplified.covers(GEOSGeometry.linearRing(hole, context: context)))
    }

    @Test("normalized makes equal polygons written differently exactly equal")
    func normalized() throws {
        let a = try GEOSGeometry.polygon(exterior: square(0, 0, 1, 1), context: context)
        let b = try GEOSGeometry.polygon(exterior: [c(1, 1), c(0, 1), c(0, 0), c(1, 0), c(1, 1)], context: context)
        #expect(try a.equals(b))
        #expect(try !a.equalsExact(b))
        #expect(try a.normalized().equalsExact(b.normalized()))
        try b.normalize()
        #expect(try a.normalized().equalsExact(b))
    }

    @Test("topological predicates give the known answers for squares, points and lines")
    func predicates() throws {
        let big = try GEOSGeometry.polygon(exterior: square(0, 0, 4, 4), context: context)
        let small = try GEOSGeometry.polygon(exterior: square(1, 1, 2, 2), context: context)
        let neighbour = try GEOSGeometry.polygon(exterior: square(4, 0, 6, 4), context: context)
        let overlapping = try GEOSGeometry.polygon(exterior: square(3, 3, 5, 5), context: context)
        let edgePoint = try GEOSGeometry.point(x: 4, y: 2, context: context)
        let crossingLine = try GEOSGeometry.lineString([c(-1, 2), c(5, 2)], context: context)
        #expect(try big.contains(small) && big.covers(small) && small.within(big) && small.coveredBy(big))
        #expect(try !big.contains(edgePoint) && big.covers(edgePoint) && big.touches(edgePoint))
        #expect(try big.touches(neighbour) && !big.overlaps(neighbour) && big.intersects(neighbour))
        #expect(try big.overlaps(overlapping) && !big.touches(overlapping))
        #expect(try crossingLine.crosses(big))
        #expect(try small.disjoint(neighbour) && !small.intersects(neighbour))
        #expect(try big.equals(GEOSGeometry.polygon(exterior: [c(0, 0), c(0, 4), c(4, 4), c(4, 0), c(0, 0)], context: context)))
        #expect(try small.equalsExact(GEOSGeometry.polygon(exterior: square(1, 1, 2, 2.05), context: context), tolerance: 0.1))
        #expect(try big.relate(small, matches: "T**FF*FF*"))
    }
}
