import Testing
@testable import GeoJSON

@Suite("Writer")
struct WriterTests {
    private func written(_ value: Double, precision: Int? = 7) throws -> String {
        let text = try GeoJSONWriter.string(Geometry.point(Position(x: value, y: 0)), options: .init(coordinatePrecision: precision))
        let afterBracket = text.split(separator: "[", maxSplits: 1)[1]
        return String(afterBracket.split(separator: ",", maxSplits: 1)[0])
    }

    @Test("coordinates are rounded to the precision with carries, signs and trailing zeros right")
    func precision() throws {
        #expect(try written(119.99999996) == "120")
        #expect(try written(119.99999994) == "119.9999999")
        #expect(try written(-119.99999996) == "-120")
        #expect(try written(1.5) == "1.5")
        #expect(try written(0.00000005) == "0.0000001")
        #expect(try written(-0.00000001) == "0")
        #expect(try written(-0.0) == "0")
        #expect(try written(-73.9857) == "-73.9857")
        #expect(try written(0.1234567) == "0.1234567")
        #expect(try written(120.05, precision: 1) == "120.1")
        #expect(try written(2.5, precision: 0) == "3")
        #expect(try written(40_500_000.123, precision: 7) == "40500000.123")
        #expect(try written(1e20) == "1e+20")
        #expect(try written(0.1, precision: nil) == "0.1")
    }

    @Test("non-finite coordinates cannot be written")
    func nonFinite() {
        #expect(throws: GeoJSONError.self) { try GeoJSONWriter.encode(Geometry.point(Position(x: .nan, y: 0))) }
    }

    @Test("polygon rings are written exterior counter-clockwise and holes clockwise")
    func winding() throws {
        let clockwiseShell = Array(Fixtures.square.reversed())
        let counterClockwiseHole = [Position(x: 0.2, y: 0.2), Position(x: 0.4, y: 0.2), Position(x: 0.4, y: 0.4), Position(x: 0.2, y: 0.2)]
        let polygon = Geometry.polygon([clockwiseShell, counterClockwiseHole])
        let text = try GeoJSONWriter.string(polygon)
        #expect(text == #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[0.2,0.2],[0.4,0.4],[0.4,0.2],[0.2,0.2]]]}"#)
        guard case .geometry(.polygon(let rings)) = try GeoJSONReader.read(string: text) else {
            Issue.record("not a polygon")
            return
        }
        #expect(RingOrientation.doubledSignedArea(rings[0]) > 0)
        #expect(RingOrientation.doubledSignedArea(rings[1]) < 0)
        let kept = try GeoJSONWriter.string(polygon, options: .init(correctsWinding: false))
        #expect(kept.contains("[[0,0],[0,1],[1,1],[1,0],[0,0]]"))
    }

    @Test("the same features always give the same bytes, and members come in a fixed order")
    func deterministic() throws {
        let feature = Feature(id: 3, geometry: .point(Position(x: 1, y: 2)), properties: ["b": 1, "a": "大"],
                              bbox: [1, 2, 1, 2], foreignMembers: ["zz": true, "type": "ignored"])
        let text = try GeoJSONWriter.string(feature)
        #expect(text == #"{"type":"Feature","id":3,"bbox":[1.0,2.0,1.0,2.0],"geometry":{"type":"Point","coordinates":[1,2]},"properties":{"b":1,"a":"大"},"zz":true}"#)
        #expect(try GeoJSONWriter.encode(feature) == GeoJSONWriter.encode(feature))
    }

    @Test("the streaming writer's collection layout, flushed through small and large buffers")
    func streamingLayout() throws {
        let sink = MemorySink()
        let writer = GeoJSONWriter(sink: sink)
        try writer.beginCollection(foreignMembers: ["name": "dacun"])
        try writer.write(Feature(geometry: nil, properties: nil))
        try writer.write(Feature(id: "a", geometry: .point(Position(x: 1, y: 2)), properties: [:]))
        try writer.finish()
        #expect(sink.string == "{\"type\":\"FeatureCollection\",\"name\":\"dacun\",\"features\":[\n{\"type\":\"Feature\",\"geometry\":null,\"properties\":null},\n{\"type\":\"Feature\",\"id\":\"a\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]},\"properties\":{}}\n]}\n")
        let empty = MemorySink()
        try GeoJSONWriter(sink: empty).finish()
        #expect(empty.string == "{\"type\":\"FeatureCollection\",\"features\":[\n]}\n")
    }

    @Test("a feature that fails to write leaves no partial text and names its index")
    func failedFeature() throws {
        let sink = MemorySink()
        let writer = GeoJSONWriter(sink: sink)
        try writer.write(Feature(geometry: .point(Position(x: 1, y: 1))))
        let error = #expect(throws: GeoJSONError.self) {
            try writer.write(Feature(geometry: .lineString([Position(x: 1, y: 1), Position(x: .infinity, y: 1)])))
        }
        #expect(error?.featureIndex == 1)
        try writer.write(Feature(geometry: .point(Position(x: 2, y: 2))))
        try writer.finish()
        let (features, errors) = FeatureReader(bytes: sink.bytes).readAll()
        #expect(errors.isEmpty)
        #expect(features.count == 2)
    }
}
