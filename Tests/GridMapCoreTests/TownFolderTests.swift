import Foundation
import GeoJSON
import GridMapCore
import PROJ
import Testing

@Suite("Town folder: writing and reading")
struct TownFolderTests {
    @Test("write → read gives the same TownData")
    func roundTrip() throws {
        let folder = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: folder) }
        let read = try TownFolder.read(from: folder)
        #expect(read.town == TownFolderFixture.town.town)
        #expect(read.villages == TownFolderFixture.town.villages)
        #expect(read.grids == TownFolderFixture.town.grids)
        #expect(read.microGrids == TownFolderFixture.town.microGrids)
        #expect(read.features == TownFolderFixture.town.features)
        #expect(read.residents == TownFolderFixture.town.residents)
        #expect(read.team == TownFolderFixture.town.team)
        #expect(read == TownFolderFixture.town)
    }

    @Test("the folder holds the documented files, and writing twice gives the same bytes")
    func filesAndDeterminism() throws {
        let (a, b) = (TownFolderFixture.temporaryFolder(), TownFolderFixture.temporaryFolder())
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        try TownFolder.write(TownFolderFixture.town, to: a)
        try TownFolder.write(TownFolderFixture.town, to: b)
        let names = try FileManager.default.contentsOfDirectory(atPath: a.path).sorted()
        #expect(names == [
            "fields.geojson", "fish-ponds.geojson", "grids.geojson", "homes.geojson", "manifest.json", "microgrids.geojson",
            "residents.csv", "roads.geojson", "team.csv", "town.geojson", "villages.geojson", "wells.geojson",
        ])
        for name in names {
            #expect(try Data(contentsOf: a.appendingPathComponent(name)) == Data(contentsOf: b.appendingPathComponent(name)))
        }
        let residents = try String(contentsOf: a.appendingPathComponent("residents.csv"), encoding: .utf8)
        #expect(residents == """
            id,name,home,categories,phone,birthYear
            R-000001,王秀英,home-1,elderly-living-alone;party-member,138****1234,1948
            R-000002,"Li, ""Xiao"" Ming",home-2,new-arrival,,
            R-000003,"张
            伟",home-2,,,2015

            """)
        let grids = try String(contentsOf: a.appendingPathComponent("grids.geojson"), encoding: .utf8)
        #expect(grids.hasPrefix(#"{"type":"FeatureCollection","name":"grids","features":["#))
        #expect(grids.contains(#"{"type":"Feature","id":"DC-001","geometry":{"type":"Polygon","coordinates":[[[119.8,35.9],[119.81,35.9],[119.81,35.91],[119.8,35.91],[119.8,35.9]]]},"properties":{"code":"DC-001","name":"东河村","village":"DC-V01"}}"#))
        let manifest = try String(contentsOf: a.appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(manifest.contains(#""code": "DC""#) && manifest.contains(#""workingCRS": "EPSG:4549""#) && manifest.contains(#""homes": 2"#))
        // A village's outline is the union of its grids.
        let villages = try GeoJSONReader.read(contentsOfFile: a.appendingPathComponent("villages.geojson").path)
        #expect(villages.features.first?.geometry == TownFolderFixture.town.grids[0].geometry)
    }

    @Test("rewriting a folder removes layers that no longer exist")
    func staleLayersAreRemoved() throws {
        let folder = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: folder) }
        var smaller = TownFolderFixture.town
        smaller.features.removeAll { $0.kind == .well }
        try TownFolder.write(smaller, to: folder, options: .init(replacesFullTown: true))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("wells.geojson").path))
        #expect(try TownFolder.read(from: folder) == smaller)
    }

    @Test("data that cannot be written faithfully is refused")
    func unwritableData() throws {
        var data = TownFolderFixture.town
        data.features[0].properties["name"] = "other name"
        data.features.append(MapFeature(id: "g-1", kind: FeatureKind(rawValue: "grid")!, name: "x", geometry: .point(Position(x: 119.81, y: 35.905))))
        #expect {
            try TownFolder.encode(data)
        } throws: { error in
            let problems = (error as? TownFolderError)?.problems ?? []
            return problems.count == 2 && problems.contains { $0.file == "grids.geojson" && $0.message.contains("reserved layer name") }
                && problems.contains { $0.file == "fields.geojson" && $0.message.contains("\"name\"") }
        }
    }

    @Test("layers in a projected CRS are read into WGS84: by the crs option and by a legacy GDAL crs member")
    func otherCRS() throws {
        let folder = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: folder) }
        let toMetres = try Projection(workingCRS: "EPSG:4549")
        // Rewrite every layer in EPSG:4549 metres; the roads layer also names its CRS as GDAL does.
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".geojson") {
            let url = folder.appendingPathComponent(name)
            guard case .featureCollection(var collection) = try GeoJSONReader.read(contentsOfFile: url.path) else { continue }
            collection.features = try collection.features.map { feature in
                var copy = feature
                copy.geometry = try feature.geometry.map { try toMetres.transform($0) }
                return copy
            }
            if name == "roads.geojson" {
                collection.foreignMembers["crs"] = ["type": "name", "properties": ["name": "urn:ogc:def:crs:EPSG::4549"]]
            }
            try Data(GeoJSONWriter.encode(collection, options: .init(coordinatePrecision: 4))).write(to: url)
        }
        // Without the option, the metre values are out of the longitude/latitude range.
        let problems = TownFolderFixture.problems(folder)
        #expect(problems.contains { $0.file == "grids.geojson" && $0.featureIndex == 0 && $0.message.contains("longitude") })
        #expect(!problems.contains { $0.file == "roads.geojson" }, "the roads layer says its CRS itself")

        let read = try TownFolder.read(from: folder, options: .init(crs: "EPSG:4549"))
        let original = TownFolderFixture.town
        #expect(read.grids.count == original.grids.count && read.features.count == original.features.count)
        for (a, b) in zip(read.features + read.grids.map { MapFeature(id: "", kind: .field, name: "", geometry: $0.geometry) },
                          original.features + original.grids.map { MapFeature(id: "", kind: .field, name: "", geometry: $0.geometry) }) {
            #expect(Self.maximumDifference(a.geometry, b.geometry) < 1e-8, "\(a.id) moved in the round trip through EPSG:4549")
        }
        #expect(read.residents == original.residents)
    }

    @Test("a legacy crs member after the features reads the layer as one before them: read again, nothing kept twice")
    func legacyCRSAfterFeatures() throws {
        let folder = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: folder) }
        let toMetres = try Projection(workingCRS: "EPSG:4549")
        let url = folder.appendingPathComponent("roads.geojson")
        guard case .featureCollection(var collection) = try GeoJSONReader.read(contentsOfFile: url.path) else {
            Issue.record("roads.geojson holds no collection")
            return
        }
        collection.features = try collection.features.map { feature in
            var copy = feature
            copy.geometry = try feature.geometry.map { try toMetres.transform($0) }
            return copy
        }
        let written = try #require(String(data: Data(GeoJSONWriter.encode(collection, options: .init(coordinatePrecision: 4))), encoding: .utf8))
        let text = written.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(text.hasPrefix(#"{"type":"FeatureCollection","#) && text.hasSuffix("}"))
        func read(crs name: String, first: Bool) throws -> Result<TownData, TownFolderError> {
            let member = #""crs":{"type":"name","properties":{"name":"\#(name)"}}"#
            let placed = first ? text.replacingOccurrences(of: #"{"type":"FeatureCollection","#, with: #"{"type":"FeatureCollection","# + member + ",")
                : String(text.dropLast()) + "," + member + "}"
            try Data(placed.utf8).write(to: url)
            return Result { () throws(TownFolderError) in try TownFolder.read(from: folder) }
        }
        let before = try read(crs: "EPSG:4549", first: true).get()
        let after = try read(crs: "EPSG:4549", first: false).get()
        #expect(after == before)
        #expect(after.features.count { $0.kind == .road } == collection.features.count)
        // An unknown CRS after the features: the same problems as before them, no road kept.
        guard case .failure(let early) = try read(crs: "EPSG:999999", first: true),
              case .failure(let late) = try read(crs: "EPSG:999999", first: false) else {
            Issue.record("an unknown CRS was accepted")
            return
        }
        #expect(late.problems == early.problems)
        #expect(late.problems.contains { $0.file == "roads.geojson" && $0.message.contains("EPSG:999999") })
    }

    @Test("a point layer as CSV: columns found by name in any case, the others as properties, each broken row by its line")
    func pointLayerCSV() throws {
        let folder = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clinics = folder.appendingPathComponent("clinics.csv")
        try "ID,Name,Lon,Lat,beds,level,note\nclinic-1,东村卫生室,119.805,35.902,12,village,\n".write(to: clinics, atomically: true, encoding: .utf8)
        let read = try TownFolder.read(from: folder)
        let clinic = try #require(read.features.first { $0.id == "clinic-1" })
        #expect(clinic.kind == .clinic && clinic.name == "东村卫生室" && clinic.geometry == .point(Position(x: 119.805, y: 35.902)))
        #expect(clinic.properties == ["beds": .number(JSONNumber(text: "12")!), "level": .string("village")])

        try "id,name,lon,lat\nclinic-1,a,east,35.9\nclinic-2,b,119.8\n\"clinic-3,c,119.8,35.9\n".write(to: clinics, atomically: true, encoding: .utf8)
        #expect(TownFolderFixture.problems(folder).map(\.description) == [
            "clinics.csv: line 2: the coordinates \"east\", \"35.9\" are not numbers",
            "clinics.csv: line 3: 3 fields, but the header has 4",
            "clinics.csv: line 4: a quoted field opened on this line is not closed by the end of the input",
        ])
    }

    @Test("an unknown CRS is a clear error naming the file")
    func unknownCRS() throws {
        let folder = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TownFolderFixture.replace("wells.geojson", in: folder) {
            $0.replacingOccurrences(of: #""name":"wells","#, with: #""name":"wells","crs":{"type":"name","properties":{"name":"EPSG:999999"}},"#)
        }
        let problems = TownFolderFixture.problems(folder)
        #expect(problems.count == 1)
        #expect(problems.first?.description.hasPrefix("wells.geojson: crs: unknown CRS \"EPSG:999999\"") == true)
        // An unknown CRS given as the read option.
        let option = TownFolderFixture.problems(folder, options: .init(crs: "EPSG:nonsense"))
        #expect(option.contains { $0.file == "" && $0.message.contains("unknown CRS \"EPSG:nonsense\"") })
        // The residents of an unreadable homes layer are not each blamed for it: the file is.
        try TownFolderFixture.replace("homes.geojson", in: folder) {
            $0.replacingOccurrences(of: #""name":"homes","#, with: #""name":"homes","crs":{"type":"name","properties":{"name":"EPSG:999999"}},"#)
        }
        #expect(!TownFolderFixture.problems(folder).contains { $0.file == "residents.csv" })
    }


    static func positions(_ geometry: Geometry) -> [Position] {
        switch geometry {
        case .point(let p): [p]
        case .multiPoint(let ps), .lineString(let ps): ps
        case .multiLineString(let ls), .polygon(let ls): ls.flatMap { $0 }
        case .multiPolygon(let ps): ps.flatMap { $0.flatMap { $0 } }
        case .geometryCollection(let gs): gs.flatMap(positions)
        }
    }

    static func maximumDifference(_ a: Geometry, _ b: Geometry) -> Double {
        let (pa, pb) = (positions(a), positions(b))
        guard pa.count == pb.count else { return .infinity }
        return zip(pa, pb).map { max(abs($0.x - $1.x), abs($0.y - $1.y)) }.max() ?? 0
    }
}
