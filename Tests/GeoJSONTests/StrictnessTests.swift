import Testing
@testable import GeoJSON

/// Where RFC 7946 is explicit, the reader is too: bbox shape (§5), members whose meaning §7.1
/// fixes, and size limits on strings and numbers; and the SHOULD-nots are told as advisories.
@Suite("Reader strictness: bbox, RFC 7946 §7.1 members, size limits; advisories")
struct StrictnessTests {
    /// The error for `feature` as the second feature (index 1) of a collection.
    private func error(inSecondFeature feature: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> GeoJSONError {
        let text = Fixtures.collection(Fixtures.point(1, 2), feature)
        let error = try #require(Fixtures.error(reading: text), sourceLocation: sourceLocation)
        #expect(error.featureIndex == 1, sourceLocation: sourceLocation)
        return error
    }

    @Test("a bbox must have 2×n numbers for n-dimensional positions, and south ≤ north; west > east crosses the antimeridian")
    func bbox() throws {
        let point = #""geometry":{"type":"Point","coordinates":[1,2]},"properties":null"#
        for bad in ["[1,2,3]", #"["1","2","3","4"]"#, "[0,0,0,1,1,1]", "[0,3,1,2]"] {
            let error = try error(inSecondFeature: #"{"type":"Feature","bbox":\#(bad),\#(point)}"#)
            #expect(error.kind == .invalidMember && error.path == "bbox", "\(bad): \(error)")
        }
        let threeD = try error(inSecondFeature: #"{"type":"Feature","bbox":[0,0,5,1,1,4],"geometry":{"type":"Point","coordinates":[1,2,3]},"properties":null}"#)
        #expect(threeD.message.contains("lowest elevation 5.0 above its highest 4.0"))
        let mismatch = try error(inSecondFeature: #"{"type":"Feature","bbox":[0,0,1,1],"geometry":{"type":"Point","coordinates":[1,2,3]},"properties":null}"#)
        #expect(mismatch.message.contains("positions have 3 dimensions, so it needs 6"))
        // On a geometry object too, and on the collection.
        let onGeometry = try error(inSecondFeature: #"{"type":"Feature","geometry":{"type":"Point","bbox":[1,2,3],"coordinates":[1,2]},"properties":null}"#)
        #expect(onGeometry.path == "geometry.bbox")
        let onCollection = try #require(Fixtures.error(reading: #"{"type":"FeatureCollection","bbox":[0,1,1,0],"features":[]}"#))
        #expect(onCollection.kind == .invalidMember && onCollection.message.contains("south 1.0 above north 0.0"))
        // Across the antimeridian: west 170 > east -170 is a valid box.
        let crossing = Fixtures.collection(#"{"type":"Feature","bbox":[170,-10,-170,10],\#(point)}"#)
        #expect(Fixtures.error(reading: crossing) == nil)
    }

    @Test("members whose meaning RFC 7946 §7.1 fixes are errors on the wrong kind of object, with the path")
    func redefinedMembers() throws {
        let point = #"{"type":"Point","coordinates":[1,2]}"#
        for (member, value) in [("coordinates", "[1,2]"), ("geometries", "[]"), ("features", "[]")] {
            let error = try error(inSecondFeature: #"{"type":"Feature","geometry":\#(point),"properties":null,"\#(member)":\#(value)}"#)
            #expect(error.kind == .invalidMember && error.message.contains("a Feature must not have a \"\(member)\" member"), "\(error)")
        }
        for member in ["geometry", "properties", "features"] {
            let error = try error(inSecondFeature: #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2],"\#(member)":null},"properties":null}"#)
            #expect(error.path == "geometry" && error.message.contains("a geometry object must not have a \"\(member)\" member"), "\(error)")
        }
        for member in ["coordinates", "geometries", "geometry", "properties"] {
            let error = try #require(Fixtures.error(reading: #"{"type":"FeatureCollection","\#(member)":null,"features":[]}"#))
            #expect(error.kind == .invalidMember && error.message.contains("a FeatureCollection must not have a \"\(member)\""), "\(error)")
        }
        // A foreign member's value is not GeoJSON (§7.1's example), so it may hold anything.
        let foreign = Fixtures.collection(#"{"type":"Feature","geometry":null,"properties":null,"custom":{"type":"Point","coordinates":[1,2],"properties":1}}"#)
        #expect(Fixtures.error(reading: foreign) == nil)
    }

    @Test("a string over 1 MiB and a number over 1,000 characters are errors naming the feature; the features after a long string are still read")
    func sizeLimits() throws {
        let long = String(repeating: "名", count: JSONScanner.maximumStringBytes / 3 + 1)
        let text = Fixtures.collection(
            Fixtures.point(1, 2), #"{"type":"Feature","geometry":null,"properties":{"name":"\#(long)"}}"#, Fixtures.point(3, 4))
        let reader = FeatureReader(bytes: Array(text.utf8))
        var results: [Result<Feature, GeoJSONError>] = []
        while let result = reader.next() { results.append(result) }
        #expect(results.count == 3)
        guard results.count == 3, case .failure(let error) = results[1], case .success = results[2] else {
            Issue.record("expected the second feature refused and the third read: \(results)")
            return
        }
        #expect(error.featureIndex == 1 && error.kind == .unsupportedValue && error.message.contains("longer than the limit of 1 MiB"))
        let number = String(repeating: "1", count: JSONScanner.maximumNumberLength + 1)
        let numberError = try self.error(inSecondFeature: #"{"type":"Feature","geometry":null,"properties":{"n":\#(number)}}"#)
        #expect(numberError.message.contains("a number of 1001 characters is longer than the limit of 1000"))
        // At the limits, both are read.
        let atLimit = String(repeating: "a", count: JSONScanner.maximumStringBytes)
        #expect(Fixtures.error(reading: Fixtures.collection(#"{"type":"Feature","geometry":null,"properties":{"s":"\#(atLimit)","n":\#(number.dropLast())}}"#)) == nil)
    }

    @Test("advisories: a ring against the right-hand rule and more than 7 decimals, each told once at its place; none for a clean geometry")
    func advisories() {
        let counterClockwise: [Position] = [.init(x: 0, y: 0), .init(x: 1, y: 0), .init(x: 1, y: 1), .init(x: 0, y: 0)]
        #expect(Geometry.polygon([counterClockwise]).advisories().isEmpty)
        let clockwise = Array(counterClockwise.reversed())
        #expect(Geometry.polygon([clockwise]).advisories() == [
            "coordinates[0]: the exterior ring runs against the right-hand rule (RFC 7946 §3.1.6: counter-clockwise); import writes it reversed",
        ])
        #expect(Geometry.polygon([counterClockwise, counterClockwise]).advisories().first?.hasPrefix("coordinates[1]: the hole runs against") == true)
        #expect(Geometry.point(.init(x: 119.8, y: 35.12345678)).advisories() == [
            "coordinates: 35.12345678 has 8 decimals, more than 7 (RFC 7946 §11.2: 6 are about 10 cm); import rounds to 7",
        ])
        #expect(Geometry.point(.init(x: 119.8123456, y: 1e-8)).advisories().count == 1)
        #expect(Geometry.multiLineString([[.init(x: 1, y: 2), .init(x: 1.000000001, y: 2)]]).advisories().first?.hasPrefix("coordinates[0][1]: 1.000000001 has 9 decimals") == true)
        #expect(Geometry.decimals(119.8) == 1 && Geometry.decimals(120) == 0 && Geometry.decimals(1.5e-7) == 8)
    }
}
