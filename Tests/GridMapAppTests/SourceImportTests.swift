import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
import GridStore
import PROJ
import Testing

/// `TownTransfer.importSource` on files GDAL writes from a real extract (issue #11, items 1–4):
/// a GeoPackage, a Shapefile, KML and CSV made by `ogr2ogr` in the test import with a mapping
/// file and give the features the built-in OSM mapping gives; bad mappings and bad sources are
/// refused naming file, layer and feature, and the store is left as it was.
@Suite("Import job: other sources through GDAL")
struct SourceImportTests {
    static let realData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../geodata/osm").standardizedFileURL
    static let pbf = realData.appendingPathComponent("aguascalientes.osm.pbf")

    /// A temporary folder for one test.
    static func withFolder<T>(_ body: (URL) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("source-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try body(folder)
    }

    /// Runs GDAL's `ogr2ogr` with `arguments`.
    static func ogr2ogr(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ogr2ogr")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "ogr2ogr \(arguments.joined(separator: " "))")
    }

    static func write(_ text: String, to url: URL) throws -> URL {
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The features of `kind` an import of `source` stores, by id.
    static func imported(_ source: URL, _ options: SourceImportOptions, kind: FeatureKind) throws -> [String: MapFeature] {
        let store = InMemoryTownStore()
        try TownTransfer.importSource(source, options: options, into: store)
        let features = try store.features(of: kind)
        return Dictionary(features.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The built-in mapping's features of `kind` from the PBF, by id.
    static func fromPBF(kind: FeatureKind) throws -> [String: MapFeature] {
        try imported(pbf, SourceImportOptions(code: "AG"), kind: kind)
    }

    /// Whether two geometries have the same positions, to `tolerance` degrees.
    static func samePositions(_ a: Geometry, _ b: Geometry, tolerance: Double = 1e-9) -> Bool {
        var first: [Position] = [], second: [Position] = []
        a.forEachPosition { first.append($0) }
        b.forEachPosition { second.append($0) }
        let sort = { (p: Position, q: Position) in (p.x, p.y) < (q.x, q.y) }
        first.sort(by: sort)
        second.sort(by: sort)
        return first.count == second.count && zip(first, second).allSatisfy { abs($0.x - $1.x) <= tolerance && abs($0.y - $1.y) <= tolerance }
    }

    static let roadMapping = """
        {"town": {"code": "AG", "name": "Aguascalientes"},
         "topology": "shared-vertices",
         "layers": [{"layer": "lines", "where": {"highway": {"in": [\(FeatureKind.roadClasses.map { "\"\($0)\"" }.joined(separator: ","))]}},
                     "kind": "road", "id": "osm_id", "idPrefix": "way/", "name": "name", "class": "highway", "properties": []}]}
        """

    @Test("a GeoPackage and a Shapefile written by ogr2ogr import with a mapping file and give the PBF's roads")
    func geoPackageAndShapefile() throws {
        let reference = try Self.fromPBF(kind: .road).filter {
            $0.value.properties["class"] == $0.value.properties["highway"]
        }
        #expect(reference.count > 600)
        try Self.withFolder { folder in
            let mapping = try Self.write(Self.roadMapping, to: folder.appendingPathComponent("roads.json"))
            let gpkg = folder.appendingPathComponent("ag.gpkg")
            try Self.ogr2ogr(["-f", "GPKG", gpkg.path, Self.pbf.path, "lines"])
            let shapefile = folder.appendingPathComponent("shp")
            try Self.ogr2ogr(["-f", "ESRI Shapefile", shapefile.path, Self.pbf.path, "lines"])
            for source in [gpkg, shapefile.appendingPathComponent("lines.shp")] {
                let roads = try Self.imported(source, SourceImportOptions(mapping: mapping), kind: .road)
                #expect(Set(roads.keys) == Set(reference.keys), "\(source.lastPathComponent)")
                for (id, road) in roads {
                    guard let expected = reference[id] else { continue }
                    #expect(road.name == expected.name && road.properties["class"] == expected.properties["class"], "\(id)")
                    #expect(Self.samePositions(road.geometry, expected.geometry), "\(source.lastPathComponent) \(id)")
                }
            }
        }
    }

    @Test("KML of buildings written by ogr2ogr imports as homes with the PBF's ids and shapes")
    func kml() throws {
        let reference = try Self.fromPBF(kind: .home).filter { $0.key.hasPrefix("way/") }
        #expect(!reference.isEmpty)
        try Self.withFolder { folder in
            let kml = folder.appendingPathComponent("buildings.kml")
            try Self.ogr2ogr(["-f", "KML", kml.path, Self.pbf.path, "multipolygons", "-where", "building IS NOT NULL AND osm_way_id IS NOT NULL"
                              + " AND amenity IS NULL AND shop IS NULL AND office IS NULL"])
            let mapping = try Self.write("""
                {"town": {"code": "AG"},
                 "layers": [{"where": {"osm_way_id": {"exists": true}}, "kind": "home", "id": "osm_way_id", "idPrefix": "way/", "name": "Name"}]}
                """, to: folder.appendingPathComponent("kml.json"))
            let homes = try Self.imported(kml, SourceImportOptions(mapping: mapping), kind: .home)
            #expect(Set(homes.keys) == Set(reference.keys))
            for (id, home) in homes {
                guard let expected = reference[id] else { continue }
                #expect(Self.samePositions(home.geometry, expected.geometry, tolerance: 1e-7), "\(id)")
            }
        }
    }

    @Test("CSV points with a GCJ-02 mapping: outside China the published algorithm is the identity, inside it is undone to 1 cm")
    func csvInGCJ02() throws {
        let reference = try Self.fromPBF(kind: .road)  // the town's extent, for the box
        #expect(!reference.isEmpty)
        try Self.withFolder { folder in
            // Named points of the extract, as CSV with X,Y columns.
            let csv = folder.appendingPathComponent("points.csv")
            try Self.ogr2ogr(["-f", "CSV", csv.path, Self.pbf.path, "points", "-lco", "GEOMETRY=AS_XY", "-where", "name IS NOT NULL"])
            let mapping = try Self.write("""
                {"town": {"code": "AG"}, "crs": "GCJ02",
                 "layers": [{"kind": "well", "id": "osm_id", "idPrefix": "node/", "name": "name", "properties": ["highway"]}]}
                """, to: folder.appendingPathComponent("csv.json"))
            let wells = try Self.imported(csv, SourceImportOptions(mapping: mapping), kind: .well)
            #expect(!wells.isEmpty)
            #expect(wells.values.allSatisfy { $0.id.hasPrefix("node/") && !$0.name.isEmpty })

            // In China: points shifted into GCJ-02 come back to WGS84.
            let wgs84 = [Position(x: 120.1, y: 30.2), Position(x: 120.105, y: 30.203), Position(x: 120.11, y: 30.21)]
            let gcj = try Projection(from: .wgs84, to: CRSDefinition("GCJ02")).transform(wgs84)
            #expect(abs(gcj[0].x - wgs84[0].x) > 0.001, "GCJ-02 shifts by hundreds of metres in China")
            let chinese = try Self.write("id,name,lon,lat\n" + gcj.enumerated().map { "w\($0.offset),井\($0.offset),\($0.element.x),\($0.element.y)" }
                .joined(separator: "\n") + "\n", to: folder.appendingPathComponent("wells.csv"))
            let chineseMapping = try Self.write("""
                {"town": {"code": "HZ"}, "crs": "GCJ02", "layers": [{"kind": "well", "id": "id", "name": "name"}]}
                """, to: folder.appendingPathComponent("wells.json"))
            let back = try Self.imported(chinese, SourceImportOptions(mapping: chineseMapping), kind: .well)
            for (index, expected) in wgs84.enumerated() {
                guard case .point(let position)? = back["w\(index)"]?.geometry else { Issue.record("w\(index) missing"); continue }
                #expect(abs(position.x - expected.x) < 1e-7 && abs(position.y - expected.y) < 1e-7)
            }
        }
    }

    @Test("a bad mapping file is refused with every problem's path, before the source is read")
    func badMapping() throws {
        try Self.withFolder { folder in
            let mapping = try Self.write("""
                {"town": {"code": "ag"}, "topology": "sometimes", "colour": 1,
                 "layers": [{"layer": "lines", "kind": "Road", "where": {"highway": {"like": "x"}}},
                            {"layer": "lines", "kind": "road"},
                            {"kind": "home", "where": {"building": {"exists": 1}}}]}
                """, to: folder.appendingPathComponent("bad.json"))
            let store = InMemoryTownStore()
            #expect {
                try TownTransfer.importSource(Self.pbf, options: SourceImportOptions(mapping: mapping), into: store)
            } throws: { error in
                guard let error = error as? JobError, error.kind == .cannotStart else { return false }
                let lines = error.details.joined(separator: "\n")
                return error.message.contains("bad.json has 7 problems") && lines.contains("bad.json: colour: unknown member")
                    && lines.contains("town.code: town code \"ag\"") && lines.contains("topology: must be one of")
                    && lines.contains("layers[0].kind: \"Road\" is not a kind name") && lines.contains("layers[0].where.highway: unknown test \"like\"")
                    && lines.contains("layers[1].class: missing: a road needs a class") && lines.contains("layers[2].where.building.exists: must be true or false")
            }
            #expect(try store.town() == nil)
        }
    }

    @Test("a source the mapping does not fit is refused naming the file, the layer and the layers it has")
    func missingLayer() throws {
        try Self.withFolder { folder in
            let mapping = try Self.write("""
                {"town": {"code": "AG"}, "layers": [{"layer": "roads", "kind": "road", "class": "highway"}]}
                """, to: folder.appendingPathComponent("m.json"))
            #expect {
                try TownTransfer.importSource(Self.pbf, options: SourceImportOptions(mapping: mapping), into: InMemoryTownStore())
            } throws: { error in
                guard let error = error as? JobError else { return false }
                return error.kind == .cannotStart && error.message.contains("aguascalientes.osm.pbf has no layer \"roads\"")
                    && error.message.contains("its layers: points, lines, multilinestrings, multipolygons, other_relations")
            }
        }
    }

    @Test("bad features are all reported in one pass, counted by kind, naming file, layer and feature; the store keeps its town")
    func badFeatures() throws {
        try Self.withFolder { folder in
            let source = try Self.write("""
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"ref":"h1","no":-3},"geometry":{"type":"Point","coordinates":[-102.27,21.87]}},
                 {"type":"Feature","properties":{"ref":"h2","no":7},"geometry":{"type":"Polygon","coordinates":[[[-102.27,21.87],[-102.26,21.87],[-102.27,21.86],[-102.26,21.86],[-102.27,21.87]]]}},
                 {"type":"Feature","properties":{"ref":"h3"},"geometry":null},
                 {"type":"Feature","properties":{"ref":"h1","no":3},"geometry":{"type":"Point","coordinates":[-102.271,21.871]}}
                ]}
                """, to: folder.appendingPathComponent("homes.geojson"))
            let mapping = try Self.write("""
                {"town": {"code": "AG"}, "layers": [{"kind": "home", "id": "ref", "houseNumber": "no"}]}
                """, to: folder.appendingPathComponent("m.json"))
            let store = InMemoryTownStore()
            try TownTransfer.importSource(Self.pbf, options: SourceImportOptions(code: "AG"), into: store)
            let before = try store.loadTown()
            #expect {
                try TownTransfer.importSource(source, options: SourceImportOptions(mapping: mapping), into: store)
            } throws: { error in
                guard let error = error as? JobError, error.kind == .rejected else { return false }
                let details = error.details
                let layer = "homes.geojson, layer homes"
                return error.message.contains("4 problems") && details.first?.contains("duplicate") == true
                    && details.contains { $0.contains("\(layer): feature 0, properties.houseNumber") && $0.contains("found -3") }
                    && details.contains { $0.contains("\(layer): feature 1, geometry") && $0.contains("Self-intersection") }
                    && details.contains { $0.contains("\(layer): feature 2, geometry: the feature has no geometry") }
                    && details.contains { $0.contains("\(layer): feature 3") && $0.contains("used twice") }
            }
            #expect(try store.loadTown() == before)
        }
    }
}
