import Foundation
import Testing
@testable import GeoJSON

@Suite("Reader")
struct ReaderTests {
    @Test("every geometry type reads into the matching case")
    func geometryTypes() throws {
        let cases: [(String, Geometry)] = [
            (#"{"type":"Point","coordinates":[120.5,30.25,12]}"#, .point(Position(x: 120.5, y: 30.25, z: 12))),
            (#"{"type":"MultiPoint","coordinates":[[1,2],[3,4]]}"#, .multiPoint([Position(x: 1, y: 2), Position(x: 3, y: 4)])),
            (#"{"type":"LineString","coordinates":[[1,2],[3,4]]}"#, .lineString([Position(x: 1, y: 2), Position(x: 3, y: 4)])),
            (#"{"type":"MultiLineString","coordinates":[[[1,2],[3,4]],[[5,6],[7,8]]]}"#,
             .multiLineString([[Position(x: 1, y: 2), Position(x: 3, y: 4)], [Position(x: 5, y: 6), Position(x: 7, y: 8)]])),
            (#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}"#, .polygon([Fixtures.square])),
            (#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[]]}"#, .multiPolygon([[Fixtures.square], []])),
            (#"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"GeometryCollection","geometries":[]}]}"#,
             .geometryCollection([.point(Position(x: 1, y: 2)), .geometryCollection([])])),
        ]
        for (text, expected) in cases {
            #expect(try GeoJSONReader.read(string: text) == .geometry(expected), "\(text)")
        }
    }

    @Test("members may come in any order, coordinates before type")
    func memberOrder() throws {
        let text = #"{"coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]],"bbox":[0,0,1,1],"type":"Polygon"}"#
        #expect(try GeoJSONReader.read(string: text) == .geometry(.polygon([Fixtures.square])))
        let feature = #"{"properties":{"a":1},"geometry":{"coordinates":[1,2],"type":"Point"},"type":"Feature","id":"x"}"#
        #expect(try GeoJSONReader.read(string: feature) == .feature(Feature(id: "x", geometry: .point(Position(x: 1, y: 2)), properties: ["a": 1])))
        let collection = #"{"features":[],"name":"late type","type":"FeatureCollection"}"#
        #expect(try GeoJSONReader.read(string: collection) == .featureCollection(FeatureCollection(features: [], foreignMembers: ["name": "late type"])))
    }

    @Test("numbers parse to the correctly rounded double")
    func numberPrecision() throws {
        let text = #"{"type":"MultiPoint","coordinates":[[0.1,-0.3],[119.12345678901234567,1e-7],[-0,89.99999999999999],[1.7976931348623157e-300,4.9e-324]]}"#
        guard case .geometry(.multiPoint(let points)) = try GeoJSONReader.read(string: text) else {
            Issue.record("not a multipoint")
            return
        }
        #expect(points[0] == Position(x: 0.1, y: -0.3))
        #expect(points[1].x == Double("119.12345678901234567")!)
        #expect(points[1].y == 1e-7)
        #expect(points[2].x == 0 && points[2].x.sign == .minus)
        #expect(points[2].y == 89.99999999999999)
        #expect(points[3].x == 1.7976931348623157e-300)
        #expect(points[3].y == Double.leastNonzeroMagnitude)
    }

    @Test("ids, null geometry, null properties, bbox and foreign members are kept")
    func featureMembers() throws {
        let text = #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4490"}},"bbox":[1,2,3,4],"features":[{"type":"Feature","id":7,"bbox":[1,2,1,2],"geometry":null,"properties":null,"title":"无"},{"type":"Feature","id":"DC-017","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"n":null}}],"after":[true]}"#
        guard case .featureCollection(let collection) = try GeoJSONReader.read(string: text) else {
            Issue.record("not a collection")
            return
        }
        #expect(collection.bbox == [1, 2, 3, 4])
        #expect(collection.legacyCRSName == "EPSG:4490")
        #expect(collection.foreignMembers.orderedKeys == ["crs", "after"])
        #expect(collection.features.count == 2)
        #expect(collection.features[0] == Feature(id: 7, geometry: nil, properties: nil, bbox: [1, 2, 1, 2], foreignMembers: ["title": "无"]))
        #expect(collection.features[1].id == .string("DC-017"))
        #expect(collection.features[1].properties == ["n": .null])
    }

    @Test("a streamed collection with one bad feature yields the others and one error with its index")
    func streamingRecovery() throws {
        var features = (0..<50).map { Fixtures.point(Double($0), Double($0) / 2) }
        features[23] = Fixtures.feature(geometry: #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,2]]]}"#)
        let text = Fixtures.collection(features[0], features[1...].joined(separator: ",\n"))
        let reader = FeatureReader(bytes: Array(text.utf8))
        let (good, errors) = reader.readAll()
        #expect(good.count == 49)
        #expect(errors.count == 1)
        #expect(errors.first?.featureIndex == 23)
        #expect(errors.first?.kind == .ringNotClosed)
        #expect(errors.first?.line == 23)
        let expected: [Geometry?] = (0..<50).filter { $0 != 23 }.map { (index: Int) -> Geometry? in
            Geometry.point(Position(x: Double(index), y: Double(index) / 2))
        }
        #expect(good.map(\.geometry) == expected)
    }

    @Test("a syntax error ends the stream after the good features before it")
    func streamingSyntaxError() throws {
        let text = Fixtures.collection(Fixtures.point(1, 1), Fixtures.point(2, 2), #"{"type":"Feature",,}"#, Fixtures.point(3, 3))
        let results = Array(FeatureReader(bytes: Array(text.utf8)))
        #expect(results.count == 3)
        if case .failure(let error) = results[2] {
            #expect(error.kind == .invalidJSON)
            #expect(error.featureIndex == 2)
        } else {
            Issue.record("third result should be the syntax error")
        }
    }

    @Test("a file is streamed through the memory-mapped reader")
    func fileReader() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("geojson-reader-\(UUID()).geojson").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = Fixtures.collection(Fixtures.point(1, 2), Fixtures.point(3, 4))
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let reader = try FeatureReader(path: path)
        let (features, errors) = reader.readAll()
        #expect(errors.isEmpty)
        #expect(features.map(\.geometry) == [.point(Position(x: 1, y: 2)), .point(Position(x: 3, y: 4))])
        #expect(reader.documentKind == .featureCollection)
        #expect(throws: GeoJSONError.self) { try FeatureReader(path: path + ".missing") }
    }

    @Test("a bare geometry streams as one feature with null properties")
    func bareGeometryStream() {
        let reader = FeatureReader(bytes: Array(#"{"type":"Point","coordinates":[1,2]}"#.utf8))
        let (features, errors) = reader.readAll()
        #expect(errors.isEmpty)
        #expect(features == [Feature(geometry: .point(Position(x: 1, y: 2)), properties: nil)])
        #expect(reader.documentKind == .geometry)
    }
}
