import GEOS
import Testing

/// Lifetimes across owners. Each test drops the owner and then uses what was taken from it;
/// AddressSanitizer (`swift test --sanitize=address`) turns any mistake here into a failure.
@Suite("Ownership of GEOS handles")
struct OwnershipTests {
    let context = GEOSContext()

    @Test("a geometry taken from a collection outlives the collection")
    func partOutlivesCollection() throws {
        var collection: GEOSGeometry? = try GEOSGeometry(wkt: "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)), ((5 5, 7 5, 7 7, 5 7, 5 5)))",
                                                 context: context)
        let second = try collection!.geometry(at: 1)
        let shell = try second.exteriorRing()
        collection = nil
        #expect(try second.area() == 4)
        #expect(try shell.coordinates() == square(5, 5, 7, 7))
    }

    @Test("building collections from geometries leaves the originals usable")
    func originalsStayUsable() throws {
        let a = try GEOSGeometry.polygon(exterior: square(0, 0, 1, 1), context: context)
        let b = try GEOSGeometry.polygon(exterior: square(2, 2, 3, 3), context: context)
        var multi: GEOSGeometry? = try GEOSGeometry.multiPolygon([a, b], context: context)
        var collection: GEOSGeometry? = try GEOSGeometry.collection([a, multi!], context: context)
        #expect(try collection!.numGeometries == 2)
        multi = nil
        collection = nil
        #expect(try a.area() == 1)
        #expect(try b.union(a).area() == 2)
    }

    @Test("the STRtree keeps its geometries alive after the caller's array is gone")
    func treeKeepsGeometries() throws {
        var items: [GEOSGeometry]? = try (0..<50).map { try GEOSGeometry.point(x: Double($0), y: 0, context: context) }
        let tree = try STRtree(items!, context: context)
        items = nil
        let query = try GEOSGeometry.point(x: 10.2, y: 0, context: context)
        #expect(try tree.nearest(to: query) == 10)
        #expect(try tree.query(query.buffer(width: 1), predicate: .contains) == [10, 11])
        #expect(try tree.geometries[49].pointCoordinate() == c(49, 0))
    }

    @Test("geometries keep their context alive after the caller drops it")
    func geometryKeepsContext() throws {
        var local: GEOSContext? = GEOSContext()
        let point = try GEOSGeometry.point(x: 1, y: 2, context: local!)
        local = nil
        #expect(try point.buffer(width: 1).area() > 3)
        #expect(try point.wkt() == "POINT (1 2)")
    }

    @Test("a failed constructor leaves nothing behind and the context keeps working")
    func failedConstruction() throws {
        for _ in 0..<10 {
            _ = thrownError { _ = try GEOSGeometry.polygon(exterior: square(0, 0, 1, 1), holes: [[c(0, 0)]], context: context) }
            _ = thrownError { _ = try GEOSGeometry(wkt: "POLYGON ((0 0, 1 0, 1 1, 0 0)", context: context) }
        }
        #expect(try GEOSGeometry.polygon(exterior: square(0, 0, 3, 3), context: context).area() == 9)
    }
}
