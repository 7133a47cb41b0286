import SeededRandom
import Testing
@testable import GeoJSON

@Suite("Round trips")
struct RoundTripTests {
    /// Features covering every geometry type, both id kinds, null geometry and properties,
    /// nested values, Chinese text, exact numbers and negative coordinates. Coordinates have at
    /// most 7 decimals so the default precision writes them exactly.
    static let features: [Feature] = [
        Feature(id: "DC-017", geometry: .point(Position(x: 119.1234567, y: 31.7654321)), properties: ["name": "大村镇", "n": 12]),
        Feature(id: .number(JSONNumber(text: "12345678901234567890")!), geometry: .multiPoint([Position(x: -73.9857, y: -40.5, z: 10.25)]), properties: nil),
        Feature(geometry: .lineString([Position(x: -180, y: -90), Position(x: 180, y: 90)]), properties: ["a": [1, "x", nil, ["k": false]]]),
        Feature(geometry: .multiLineString([[Position(x: 1, y: 2), Position(x: 3, y: 4)], [Position(x: -1, y: -2), Position(x: -3, y: -4)]])),
        Feature(geometry: .polygon([Fixtures.square, [Position(x: 0.25, y: 0.25), Position(x: 0.25, y: 0.5), Position(x: 0.5, y: 0.5), Position(x: 0.25, y: 0.25)]])),
        Feature(geometry: .multiPolygon([[Fixtures.square], [Fixtures.square.map { Position(x: $0.x + 2, y: $0.y - 2) }]])),
        Feature(geometry: .geometryCollection([.point(Position(x: 0, y: 0)), .geometryCollection([.lineString([Position(x: 0, y: 0), Position(x: 1, y: 1)])])])),
        Feature(geometry: nil, properties: ["exact": .number(JSONNumber(text: "0.1")!), "big": .number(JSONNumber(text: "-0")!), "e": .number(JSONNumber(text: "1e-7")!), "three": .number(JSONNumber(text: "3.0")!)],
                foreignMembers: ["note": "外来成员"]),
    ]

    @Test("every geometry type and property kind survives write then read")
    func collectionRoundTrip() throws {
        let collection = FeatureCollection(features: Self.features, bbox: [-180, -90, 180, 90], foreignMembers: ["name": "测试"])
        let bytes = try GeoJSONWriter.encode(collection)
        let document = try GeoJSONReader.read(bytes)
        #expect(document == .featureCollection(collection))
    }

    @Test("single features and geometries survive write then read")
    func singleRoundTrip() throws {
        for feature in Self.features {
            #expect(try GeoJSONReader.read(GeoJSONWriter.encode(feature)) == .feature(feature))
            if let geometry = feature.geometry {
                #expect(try GeoJSONReader.read(GeoJSONWriter.encode(geometry)) == .geometry(geometry))
            }
        }
    }

    @Test("writing what was read reproduces the text byte for byte")
    func textRoundTrip() throws {
        let text = #"{"type":"Feature","id":-0.5,"geometry":{"type":"Point","coordinates":[120.1234567,-30]},"properties":{"v":[1.50,2e3,-0],"s":"大村镇\n"},"x":{}}"#
        guard case .feature(let feature) = try GeoJSONReader.read(string: text) else {
            Issue.record("not a feature")
            return
        }
        #expect(try GeoJSONWriter.string(feature) == text)
    }

    @Test("full precision (nil) writes doubles that read back identical")
    func fullPrecision() throws {
        var generator = SplitMix64(seed: 7946)
        let positions = (0..<200).map { _ in
            Position(x: Double.random(in: -180...180, using: &generator), y: Double.random(in: -90...90, using: &generator))
        }
        let geometry = Geometry.multiPoint(positions)
        let bytes = try GeoJSONWriter.encode(geometry, options: .init(coordinatePrecision: nil))
        #expect(try GeoJSONReader.read(bytes) == .geometry(geometry))
    }

    @Test("7-decimal output reads back within half a unit of the last place")
    func roundedPrecision() throws {
        var generator = SplitMix64(seed: 7946)
        let positions = (0..<200).map { _ in
            Position(x: Double.random(in: -180...180, using: &generator), y: Double.random(in: -90...90, using: &generator))
        }
        guard case .geometry(.multiPoint(let back)) = try GeoJSONReader.read(GeoJSONWriter.encode(Geometry.multiPoint(positions))) else {
            Issue.record("not a multipoint")
            return
        }
        for (original, read) in zip(positions, back) {
            #expect(abs(original.x - read.x) <= 0.5e-7 * (1 + 1e-9))
            #expect(abs(original.y - read.y) <= 0.5e-7 * (1 + 1e-9))
        }
    }
}
