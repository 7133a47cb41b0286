import GEOS
import Testing

@Suite("Constructors and accessors")
struct ConstructorTests {
    let context = GEOSContext()

    @Test("each constructor makes the expected type and coordinates")
    func constructors() throws {
        let point = try GEOSGeometry.point(x: 3, y: 4, context: context)
        #expect(point.type == .point)
        #expect(try point.coordinates() == [c(3, 4)])

        let line = try GEOSGeometry.lineString([c(0, 0), c(3, 4), c(6, 0)], context: context)
        #expect(line.type == .lineString)
        #expect(try line.coordinates() == [c(0, 0), c(3, 4), c(6, 0)])
        #expect(try line.length() == 10)

        let ring = try GEOSGeometry.linearRing(square(0, 0, 1, 1), context: context)
        #expect(ring.type == .linearRing)
        #expect(try ring.coordinates() == square(0, 0, 1, 1))

        let multiPoint = try GEOSGeometry.multiPoint([c(0, 0), c(1, 1), c(2, 2)], context: context)
        #expect(multiPoint.type == .multiPoint)
        #expect(try multiPoint.numGeometries == 3)
        #expect(try multiPoint.geometry(at: 2).coordinates() == [c(2, 2)])

        let multiLine = try GEOSGeometry.multiLineString([[c(0, 0), c(1, 0)], [c(0, 1), c(2, 1)]], context: context)
        #expect(multiLine.type == .multiLineString)
        #expect(try multiLine.length() == 3)

        let a = try GEOSGeometry.polygon(exterior: square(0, 0, 1, 1), context: context)
        let b = try GEOSGeometry.polygon(exterior: square(2, 0, 4, 2), context: context)
        let multiPolygon = try GEOSGeometry.multiPolygon([a, b], context: context)
        #expect(multiPolygon.type == .multiPolygon)
        #expect(try multiPolygon.area() == 5)

        let collection = try GEOSGeometry.collection([point, line, a], context: context)
        #expect(collection.type == .geometryCollection)
        #expect(try collection.numGeometries == 3)
        #expect(try collection.geometry(at: 1).equalsExact(line))
        #expect(try collection.wkt() == "GEOMETRYCOLLECTION (POINT (3 4), LINESTRING (0 0, 3 4, 6 0), POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0)))")
    }

    @Test("empty collections are empty and have no bounds")
    func emptyCollections() throws {
        let empty = try GEOSGeometry.collection([], context: context)
        #expect(try empty.isEmpty)
        #expect(try empty.bounds == nil)
        #expect(try GEOSGeometry.multiPoint([], context: context).wkt() == "MULTIPOINT EMPTY")
        let emptyPoint = try GEOSGeometry(wkt: "POINT EMPTY", context: context)
        #expect(try emptyPoint.coordinates().isEmpty)
        #expect(thrownError { _ = try emptyPoint.pointCoordinate() } == .invalidInput("pointCoordinate() of an empty Point"))
    }

    @Test("a polygon with holes has the known area and gives back its rings")
    func polygonWithHoles() throws {
        let polygon = try GEOSGeometry.polygon(exterior: square(0, 0, 10, 10),
                                           holes: [square(1, 1, 3, 3), square(5, 5, 8, 9)], context: context)
        #expect(try polygon.area() == 100 - 4 - 12)
        #expect(try polygon.length() == 40 + 8 + 14)
        #expect(try polygon.exteriorRing().coordinates() == square(0, 0, 10, 10))
        let holes = try polygon.interiorRings()
        #expect(holes.count == 2)
        #expect(try holes[1].coordinates() == square(5, 5, 8, 9))
        #expect(try polygon.bounds == Envelope(minX: 0, minY: 0, maxX: 10, maxY: 10))
    }

    @Test("an unclosed ring is rejected with both end points in the message")
    func unclosedRing() {
        let error = thrownError { _ = try GEOSGeometry.polygon(exterior: [c(0, 0), c(1, 0), c(1, 1), c(0, 1)], context: context) }
        #expect(error == .invalidInput("exterior ring of polygon is not closed: first point (0.0, 0.0) ≠ last point (0.0, 1.0)"))
        let hole = thrownError {
            _ = try GEOSGeometry.polygon(exterior: square(0, 0, 9, 9), holes: [[c(1, 1), c(2, 1), c(2, 2), c(1, 2.5)]], context: context)
        }
        #expect(hole == .invalidInput("interior ring 0 of polygon is not closed: first point (1.0, 1.0) ≠ last point (1.0, 2.5)"))
    }

    @Test("rings with fewer than 4 points and lines with fewer than 2 are rejected")
    func tooFewPoints() {
        #expect(thrownError { _ = try GEOSGeometry.linearRing([c(0, 0), c(1, 1), c(0, 0)], context: context) }
                == .invalidInput("linear ring needs at least 4 points (closed), got 3"))
        #expect(thrownError { _ = try GEOSGeometry.lineString([c(0, 0)], context: context) }
                == .invalidInput("line string needs at least 2 points, got 1"))
        #expect(thrownError { _ = try GEOSGeometry.multiLineString([[c(0, 0), c(1, 1)], []], context: context) }
                == .invalidInput("line string 1 of multi-line string needs at least 2 points, got 0"))
    }

    @Test("NaN and infinite coordinates are rejected with their position")
    func nonFinite() {
        #expect(thrownError { _ = try GEOSGeometry.point(x: .nan, y: 0, context: context) }
                == .invalidInput("point has a non-finite coordinate (nan, 0.0)"))
        #expect(thrownError { _ = try GEOSGeometry.lineString([c(0, 0), c(.infinity, 1)], context: context) }
                == .invalidInput("point 1 of line string has a non-finite coordinate (inf, 1.0)"))
        #expect(thrownError { _ = try GEOSGeometry.multiPoint([c(0, 0), c(1, 1), c(2, -.infinity)], context: context) }
                == .invalidInput("point 2 of multi-point has a non-finite coordinate (2.0, -inf)"))
        let ring = [c(0, 0), c(1, 0), c(.nan, 1), c(0, 0)]
        #expect(thrownError { _ = try GEOSGeometry.polygon(exterior: ring, context: context) }
                == .invalidInput("point 2 of exterior ring of polygon has a non-finite coordinate (nan, 1.0)"))
    }

    @Test("a multi-polygon refuses parts that are not polygons")
    func multiPolygonTypeCheck() throws {
        let point = try GEOSGeometry.point(x: 0, y: 0, context: context)
        #expect(thrownError { _ = try GEOSGeometry.multiPolygon([point], context: context) }
                == .invalidInput("part 0 of multi-polygon is a point, not a polygon"))
    }

    @Test("accessors refuse geometry types they do not apply to")
    func accessorTypeChecks() throws {
        let polygon = try GEOSGeometry.polygon(exterior: square(0, 0, 1, 1), context: context)
        #expect(thrownError { _ = try polygon.coordinates() }
                == .invalidInput("coordinates() needs a Point, LineString or LinearRing, not a polygon"))
        let point = try GEOSGeometry.point(x: 0, y: 0, context: context)
        #expect(thrownError { _ = try point.exteriorRing() } == .invalidInput("exteriorRing() needs a Polygon, not a point"))
        #expect(thrownError { _ = try polygon.geometry(at: 1) }
                == .invalidInput("geometry index 1 is out of range 0..<1 for a polygon"))
    }

    @Test("geometries from two contexts are not combined")
    func contextMixing() throws {
        let other = GEOSContext()
        let a = try GEOSGeometry.point(x: 0, y: 0, context: context)
        let b = try GEOSGeometry.point(x: 1, y: 0, context: other)
        #expect(thrownError { _ = try a.distance(to: b) }
                == .invalidInput("distance(to:): the geometries belong to different GEOS contexts"))
        #expect(thrownError { _ = try GEOSGeometry.collection([a, b], context: context) }
                == .invalidInput("part 1 of the collection belongs to a different GEOS context"))
    }

    @Test("the GEOS version is 3.11 or later")
    func version() {
        #expect(GEOSContext.version.hasPrefix("3."))
        let minor = GEOSContext.version.split(separator: ".").dropFirst().first.flatMap { Int($0) } ?? 0
        #expect(minor >= 11)
    }
}
