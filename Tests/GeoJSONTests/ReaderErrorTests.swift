import Testing
@testable import GeoJSON

/// Every malformed input is an error that names its kind, the feature and the place.
@Suite("Reader errors")
struct ReaderErrorTests {
    /// The error for a collection whose second feature (index 1) has `geometry`, expected to be
    /// of `kind` at `path` in that feature.
    @discardableResult
    private func errorInSecondFeature(geometry: String, options: GeoJSONReaderOptions = .init(),
                                      is kind: GeoJSONError.Kind, at path: String,
                                      sourceLocation: SourceLocation = #_sourceLocation) throws -> GeoJSONError {
        let text = Fixtures.collection(Fixtures.point(1, 2), Fixtures.feature(geometry: geometry))
        let error = try #require(Fixtures.error(reading: text, options: options), sourceLocation: sourceLocation)
        #expect(error.featureIndex == 1, sourceLocation: sourceLocation)
        #expect(error.kind == kind, sourceLocation: sourceLocation)
        #expect(error.path == path, sourceLocation: sourceLocation)
        return error
    }

    @Test("invalid JSON syntax reports line and column")
    func syntax() throws {
        let text = "{\"type\": \"FeatureCollection\",\n  \"features\": [\n    {\"type\": \"Feature\" \"geometry\": null}]}"
        let error = try #require(Fixtures.error(reading: text))
        #expect(error.kind == .invalidJSON)
        #expect(error.line == 3)
        #expect(error.column == 24)
        #expect(error.isFatal)
        #expect(error.description.contains("line 3, column 24"))
    }

    @Test("columns count characters, not bytes, after Chinese text")
    func columnsCountCharacters() throws {
        let text = "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"名\":\"大村镇\" x}}"
        let error = try #require(Fixtures.error(reading: text))
        #expect(error.kind == .invalidJSON)
        #expect(error.line == 1)
        #expect(error.column == 59)
    }

    @Test("missing or wrong type")
    func types() throws {
        try errorInSecondFeature(geometry: #"{"coordinates":[1,2]}"#, is: .missingType, at: "geometry")
        let wrongFeature = try #require(Fixtures.error(reading: Fixtures.collection(#"{"type":"Point","coordinates":[1,2]}"#)))
        #expect(wrongFeature.kind == .wrongType)
        #expect(wrongFeature.path == "type")
        #expect(wrongFeature.featureIndex == 0)
        let noFeatureType = try #require(Fixtures.error(reading: Fixtures.collection(#"{"geometry":null,"properties":null}"#)))
        #expect(noFeatureType.kind == .missingType)
        let topLevel = try #require(Fixtures.error(reading: #"{"features":[]}"#))
        #expect(topLevel.kind == .missingType)
        #expect(topLevel.featureIndex == nil)
    }

    @Test("unknown geometry type")
    func unknownGeometryType() throws {
        let error = try errorInSecondFeature(geometry: #"{"type":"Circle","coordinates":[1,2]}"#, is: .unknownGeometryType, at: "geometry.type")
        #expect(error.message.contains("Circle"))
    }

    @Test("missing coordinates")
    func missingCoordinates() throws {
        try errorInSecondFeature(geometry: #"{"type":"LineString"}"#, is: .missingCoordinates, at: "geometry")
    }

    @Test("wrong nesting depth, both too shallow and too deep")
    func nesting() throws {
        try errorInSecondFeature(geometry: #"{"type":"Polygon","coordinates":[[0,0],[1,0],[1,1],[0,0]]}"#, is: .wrongNestingDepth, at: "geometry.coordinates[0][0]")
        try errorInSecondFeature(geometry: #"{"type":"Point","coordinates":[[1,2]]}"#, is: .wrongNestingDepth, at: "geometry.coordinates[0]")
    }

    @Test("a ring that does not close names the ring")
    func ringNotClosed() throws {
        let error = try errorInSecondFeature(geometry: #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[[0.2,0.2],[0.4,0.2],[0.4,0.4],[0.2,0.3]]]}"#, is: .ringNotClosed, at: "geometry.coordinates[1]")
        #expect(error.line == 1)
        #expect(error.column > 1)
    }

    @Test("a ring with fewer than four positions")
    func ringTooShort() throws {
        try errorInSecondFeature(geometry: #"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[0,0]]]]}"#, is: .ringTooShort, at: "geometry.coordinates[0][0]")
    }

    @Test("a line string with fewer than two positions")
    func lineStringTooShort() throws {
        try errorInSecondFeature(geometry: #"{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2]]]}"#, is: .lineStringTooShort, at: "geometry.coordinates[1]")
    }

    @Test("a position with fewer than two numbers")
    func positionTooShort() throws {
        try errorInSecondFeature(geometry: #"{"type":"LineString","coordinates":[[0,0],[1],[2,2]]}"#, is: .positionTooShort, at: "geometry.coordinates[1]")
    }

    @Test("a non-numeric coordinate")
    func nonNumeric() throws {
        try errorInSecondFeature(geometry: #"{"type":"MultiPoint","coordinates":[[0,0],[1,"2"]]}"#, is: .nonNumericCoordinate, at: "geometry.coordinates[1][1]")
    }

    @Test("a non-finite coordinate such as 1e999")
    func nonFinite() throws {
        let error = try errorInSecondFeature(geometry: #"{"type":"Point","coordinates":[1e999,0]}"#, options: .init(checksLongitudeLatitudeRange: false), is: .nonFiniteCoordinate, at: "geometry.coordinates[0]")
        #expect(error.message.contains("1e999"))
    }

    @Test("longitude and latitude out of range, unless the check is off")
    func outOfRange() throws {
        try errorInSecondFeature(geometry: #"{"type":"Point","coordinates":[180.5,0]}"#, is: .coordinateOutOfRange, at: "geometry.coordinates[0]")
        try errorInSecondFeature(geometry: #"{"type":"Point","coordinates":[120,-90.1]}"#, is: .coordinateOutOfRange, at: "geometry.coordinates[1]")
        let projected = #"{"type":"Point","coordinates":[40500000.25,3400000.5]}"#
        let document = try GeoJSONReader.read(string: projected, options: .init(checksLongitudeLatitudeRange: false))
        #expect(document == .geometry(.point(Position(x: 40_500_000.25, y: 3_400_000.5))))
    }

    @Test("a Feature without geometry")
    func missingGeometry() throws {
        let error = try #require(Fixtures.error(reading: Fixtures.collection(Fixtures.point(0, 0), #"{"type":"Feature","properties":{}}"#)))
        #expect(error.kind == .missingGeometry)
        #expect(error.featureIndex == 1)
    }

    @Test("properties neither object nor null")
    func badProperties() throws {
        let error = try #require(Fixtures.error(reading: Fixtures.collection(#"{"type":"Feature","geometry":null,"properties":[1]}"#)))
        #expect(error.kind == .invalidProperties)
        #expect(error.path == "properties")
        #expect(error.featureIndex == 0)
    }

    @Test("trailing garbage after the document")
    func trailing() throws {
        let error = try #require(Fixtures.error(reading: Fixtures.collection(Fixtures.point(0, 0)) + "\n x"))
        #expect(error.kind == .trailingContent)
        #expect(error.line == 2)
        #expect(error.column == 2)
    }

    @Test("empty or whitespace-only input")
    func empty() throws {
        #expect(Fixtures.error(reading: "")?.kind == .emptyInput)
        #expect(Fixtures.error(reading: " \n\t ")?.kind == .emptyInput)
    }

    @Test("duplicate members and bad ids are refused")
    func duplicatesAndIDs() throws {
        let duplicate = try #require(Fixtures.error(reading: #"{"type":"Feature","geometry":null,"geometry":null,"properties":null}"#))
        #expect(duplicate.kind == .invalidMember)
        let badID = try #require(Fixtures.error(reading: #"{"type":"Feature","id":[1],"geometry":null,"properties":null}"#))
        #expect(badID.kind == .invalidMember)
        #expect(badID.path == "id")
    }

    @Test("JSON grammar violations are syntax errors")
    func grammar() {
        for text in [#"{"type":"Point","coordinates":[01,2]}"#, #"{"type":"Point","coordinates":[1,2,]}"#,
                     #"{"type":"Point" "coordinates":[1,2]}"#, #"{"type":'Point'}"#, #"{"type":"Po\xnt"}"#,
                     #"{"type":"Point","coordinates":[1,2]"#, "{\"type\":\"Po\nint\"}"] {
            #expect(Fixtures.error(reading: text)?.kind == .invalidJSON, "\(text)")
        }
    }

    @Test("strings that are not well-formed UTF-8 are refused", arguments: [
        [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE5, 0xA4], [0x80],
    ] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) throws {
        let text = Array(#"{"type":"Feature","geometry":null,"properties":{"s":""#.utf8) + bytes + Array(#""}}"#.utf8)
        let error = try #require(throws: GeoJSONError.self) { try GeoJSONReader.read(text) }
        #expect(error.kind == .invalidJSON)
        #expect(error.message.contains("UTF-8"))
    }

    @Test("well-formed UTF-8 of every length is accepted")
    func validUTF8() throws {
        let text = #"{"type":"Feature","geometry":null,"properties":{"s":"aé大😀é"}}"#
        guard case .feature(let feature) = try GeoJSONReader.read(string: text) else {
            Issue.record("not a feature")
            return
        }
        #expect(feature.properties?["s"] == .string("aé大😀é"))
    }
}
