import GEOS
import Testing

@Suite("Reading and writing WKT, WKB and hex WKB")
struct IOTests {
    let context = GEOSContext()

    @Test("WKT written with full precision reads back as the same geometry")
    func wktRoundTrip() throws {
        let texts = [
            "POINT (1.5 -2.25)",
            "LINESTRING (0 0, 10 0, 10 10)",
            "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))",
            "MULTIPOINT (0 0, 1 1)",
            "GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1))",
        ]
        for text in texts {
            let geometry = try GEOSGeometry(wkt: text, context: context)
            #expect(try geometry.wkt() == text)
            let again = try GEOSGeometry(wkt: try geometry.wkt(), context: context)
            #expect(try again.equalsExact(geometry))
        }
    }

    @Test("WKT precision rounds to the requested number of decimals")
    func wktPrecision() throws {
        let point = try GEOSGeometry.point(x: 120.123456789, y: 30.987654321, context: context)
        #expect(try point.wkt(precision: 3) == "POINT (120.123 30.988)")
        #expect(try point.wkt() == "POINT (120.123456789 30.987654321)")
    }

    @Test("WKB of a point is the little-endian OGC encoding and reads back")
    func wkbKnownBytes() throws {
        let point = try GEOSGeometry.point(x: 1, y: 2, context: context)
        let bytes = try point.wkb()
        // byte order 1 (NDR), type 1 (Point), x = 1.0, y = 2.0
        #expect(bytes == [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0x40])
        let back = try GEOSGeometry(wkb: bytes, context: context)
        #expect(try back.equalsExact(point))
    }

    @Test("WKB and hex WKB round-trip a polygon with a hole exactly")
    func wkbRoundTrip() throws {
        let polygon = try GEOSGeometry.polygon(exterior: square(0, 0, 10, 10), holes: [square(2, 2, 4, 4)], context: context)
        let fromWKB = try GEOSGeometry(wkb: try polygon.wkb(), context: context)
        #expect(try fromWKB.equalsExact(polygon))
        let hex = try polygon.hexWKB()
        #expect(hex.hasPrefix("0103000000"))
        let fromHex = try GEOSGeometry(hexWKB: hex, context: context)
        #expect(try fromHex.equalsExact(polygon))
        #expect(try fromHex.hexWKB() == hex)
    }

    @Test("hex WKB from PostGIS is read, in either letter case")
    func hexKnown() throws {
        let hex = "0101000000000000000000F03F0000000000000040"
        let point = try GEOSGeometry(hexWKB: hex, context: context)
        #expect(try point.pointCoordinate() == c(1, 2))
        #expect(try GEOSGeometry(hexWKB: hex.lowercased(), context: context).pointCoordinate() == c(1, 2))
    }

    @Test("malformed WKT is a library error carrying GEOS's parse message")
    func malformedWKT() {
        expectLibraryError(containing: "ParseException") { _ = try GEOSGeometry(wkt: "POLYGON ((0 0, 1 0, 1 1", context: context) }
        expectLibraryError(containing: "Unknown type") { _ = try GEOSGeometry(wkt: "CIRCLE (0 0, 1)", context: context) }
    }

    @Test("bad hex WKB is an error naming the problem")
    func badHex() {
        #expect(thrownError { _ = try GEOSGeometry(hexWKB: "01010", context: context) }
                == .invalidInput("hex WKB has an odd number of characters (5)"))
        #expect(thrownError { _ = try GEOSGeometry(hexWKB: "01ZZ", context: context) }
                == .invalidInput("hex WKB has a non-hex character at offset 2"))
        #expect(thrownError { _ = try GEOSGeometry(hexWKB: "", context: context) } == .invalidInput("hex WKB is empty"))
        // Well-formed hex that is truncated WKB: GEOS's own message.
        expectLibraryError(containing: "ParseException") { _ = try GEOSGeometry(hexWKB: "0101000000000000000000F03F", context: context) }
    }

    @Test("truncated binary WKB is a library error")
    func truncatedWKB() {
        expectLibraryError { _ = try GEOSGeometry(wkb: [1, 1, 0, 0, 0, 0, 0], context: context) }
        #expect(thrownError { _ = try GEOSGeometry(wkb: [], context: context) } == .invalidInput("WKB is empty"))
    }

    @Test("a library error does not leak into the next successful call")
    func errorsAreCleared() throws {
        _ = thrownError { _ = try GEOSGeometry(wkt: "NOT WKT", context: context) }
        let point = try GEOSGeometry(wkt: "POINT (3 4)", context: context)
        #expect(try point.pointCoordinate() == c(3, 4))
    }

    /// Expects `body` to throw GEOS's own error (`.library`), whose message contains `part` if given.
    private func expectLibraryError(containing part: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
                                    _ body: () throws -> Void) {
        let error = thrownError(body)
        guard case .library(let message)? = error else {
            Issue.record("expected a library error, got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        if let part { #expect(message.contains(part), "message was: \(message)", sourceLocation: sourceLocation) }
    }
}
