import GEOS
import Testing

@Suite("Validity and repair")
struct ValidityTests {
    let context = GEOSContext()

    @Test("a bow-tie polygon is invalid with GEOS's reason and the crossing point")
    func bowTie() throws {
        let bowTie = try GEOSGeometry.polygon(exterior: [c(0, 0), c(2, 2), c(2, 0), c(0, 2), c(0, 0)], context: context)
        #expect(try !bowTie.isValid)
        let problem = try #require(try bowTie.validity())
        #expect(problem.reason == "Self-intersection")
        #expect(problem.location == c(1, 1))
    }

    @Test("makeValid turns the bow-tie into two valid triangles of area 1 each")
    func makeValid() throws {
        let bowTie = try GEOSGeometry(wkt: "POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))", context: context)
        let repaired = try bowTie.makeValid()
        #expect(try repaired.isValid)
        #expect(try repaired.validity() == nil)
        #expect(repaired.type == .multiPolygon)
        #expect(try repaired.numGeometries == 2)
        #expect(try repaired.area() == 2)
    }

    @Test("a hole outside its shell is reported with GEOS's reason")
    func holeOutsideShell() throws {
        let polygon = try GEOSGeometry.polygon(exterior: square(0, 0, 1, 1), holes: [square(5, 5, 6, 6)], context: context)
        let problem = try #require(try polygon.validity())
        #expect(problem.reason == "Hole lies outside shell")
        #expect(problem.location == c(5, 5))
    }

    @Test("a valid polygon has no validity problem")
    func validPolygon() throws {
        let polygon = try GEOSGeometry.polygon(exterior: square(0, 0, 1, 1), context: context)
        #expect(try polygon.isValid)
        #expect(try polygon.validity() == nil)
    }
}
