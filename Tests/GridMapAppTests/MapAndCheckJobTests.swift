import ByteOutput
import Foundation
import GridMapApp
import GridMapCore
import GridStore
import Testing

@Suite("The map, one layer's export and a GeoJSON file's check, in process")
struct MapAndCheckJobTests {
    @Test("the town's map is an SVG naming the town; one grid's sheet is drawn at a larger scale")
    func townAndGridMaps() throws {
        let town = try TestTown()
        defer { town.remove() }
        let whole = try TownMap().render(from: town.store)
        #expect(whole.svg.hasPrefix("<?xml") || whole.svg.hasPrefix("<svg"))
        #expect(whole.svg.contains("小镇"))
        let sheet = try TownMap(grid: GridCode("TT-001")!).render(from: town.store)
        #expect(sheet.scaleDenominator < whole.scaleDenominator)
    }

    @Test("a map refuses an unknown page, a layer name that is no layer name, and a layer the town does not have")
    func mapRefusals() throws {
        #expect(throws: JobError.invalidRequest("Unknown page 'a9': use one of \(TownMap.pageNames.joined(separator: ", ")).")) {
            try TownMap(page: "a9").check()
        }
        #expect(throws: JobError.self) { try TownMap(layers: ["Wells!"]).check() }
        try TownMap(layers: ["volcanoes"]).check()  // a kind of the town's own may be asked for
        let town = try TestTown(roads: false)
        defer { town.remove() }
        #expect(throws: JobError.self) { try TownMap(layers: ["roads"]).render(from: town.store) }
    }

    @Test("one layer goes out as a FeatureCollection named after it, residents refused to the public; a bad layer name is refused")
    func layerExport() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let wells = MemorySink()
        #expect(try TownTransfer.exportLayer(named: "wells", from: town.store, in: nil, as: .public, to: wells, precision: 7) == 2)
        #expect(wells.string.contains("\"name\":\"wells\"") && wells.string.contains("well-1"))
        let residents = MemorySink()
        #expect(throws: JobError.self) {
            try TownTransfer.exportLayer(named: "residents", from: town.store, in: nil, as: .public, to: residents, precision: 7)
        }
        #expect(residents.bytes.isEmpty)
        #expect(try TownTransfer.exportLayer(named: "residents", from: town.store, in: nil, as: .office, to: residents, precision: 7) == 2)
        #expect(residents.string.contains("张三"))
        // A built-in kind the town has none of is an empty layer; a name the town has no layer of
        // (a typo, a kind it lacks) is refused listing its layers; a name no layer can have too.
        #expect(try TownTransfer.exportLayer(named: "clinics", from: town.store, in: nil, as: .public, to: MemorySink(), precision: 7) == 0)
        let typo = MemorySink()
        do {
            _ = try TownTransfer.exportLayer(named: "volcanoes", from: town.store, in: nil, as: .public, to: typo, precision: 7)
            Issue.record("an unknown layer was exported")
        } catch {
            #expect(error.kind == .invalidRequest)
            #expect(error.message.contains("Unknown layer 'volcanoes'") && error.message.contains("wells"), "\(error.message)")
        }
        #expect(typo.bytes.isEmpty)
        #expect(throws: JobError.self) {
            try TownTransfer.exportLayer(named: "Wells!", from: town.store, in: nil, as: .public, to: MemorySink(), precision: 7)
        }
    }

    @Test("a GeoJSON file with a self-intersecting polygon gives one problem naming the feature and GEOS's reason")
    func geoJSONCheck() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bowtie.geojson")
        try """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","id":"ok","properties":{},"geometry":{"type":"Point","coordinates":[119.8,35.9]}},
            {"type":"Feature","id":"bow","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}
            ]}
            """.write(to: file, atomically: true, encoding: .utf8)
        var lines: [String] = []
        let summary = GeoJSONFileCheck(file: file.path, projected: false).run { lines.append($0) }
        #expect(summary.features == 2 && summary.problems == 1)
        #expect(lines.count == 1 && lines[0].hasPrefix("\(file.path): feature 1 (id \"bow\"): invalid geometry: Self-intersection"), "\(lines)")
    }
}
