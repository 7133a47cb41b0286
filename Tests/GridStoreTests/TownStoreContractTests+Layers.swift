import Foundation
import GeoJSON
import GridMapCore
import Testing
@testable import GridStore

/// Layers, their export as GeoJSON, and re-import, whichever store holds the town.
extension TownStoreContractTests {
    /// Exports every layer as GeoJSON text and reads it back, as files would travel.
    static func exportedLayers(of store: any TownStore, people: PersonFilter) throws -> [StoreLayer: [Feature]] {
        var layers: [StoreLayer: [Feature]] = [:]
        for layer in try store.layers() {
            let sink = MemorySink()
            try store.exportLayer(layer, people: people, to: sink)
            let document = try GeoJSONReader.read(sink.bytes)
            guard case .featureCollection(let collection) = document else {
                Issue.record("\(layer) is not a FeatureCollection")
                continue
            }
            #expect(collection.foreignMembers["name"] == .string(layer.name))
            layers[layer] = collection.features
        }
        return layers
    }

    /// The town data in the order a town folder holds feature layers: by layer name, then layer order.
    static func inFolderOrder(_ data: TownData) -> TownData {
        var data = data
        let kinds = Set(data.features.map(\.kind)).sorted { $0.layerName < $1.layerName }
        data.features = kinds.flatMap { kind in data.features.filter { $0.kind == kind } }
        return data
    }

    @Test("the store lists every layer it holds", arguments: StoreKind.allCases)
    func layerList(_ kind: StoreKind) throws {
        #expect(try kind.synthetic().layers().map(\.name) == [
            "town", "villages", "grids", "microgrids", "fields", "homes", "roads", "wells", "residents", "team",
        ])
        #expect(StoreLayer(name: "microgrids") == .microGrids)
        #expect(StoreLayer(name: "ditches") == .features(.ditch))
        #expect(StoreLayer(name: "x") == nil)
    }

    @Test("every layer exports as a FeatureCollection named after it that reads back as the layer's features",
          arguments: StoreKind.allCases)
    func layersExportAndReadBack(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        let exported = try Self.exportedLayers(of: store, people: .everyone)
        #expect(exported.count == 10)
        for layer in try store.layers() {
            let features = try store.layerFeatures(layer, people: .everyone)
            let back = exported[layer] ?? []
            #expect(back.map(\.id) == features.map(\.id) && back.map(\.properties) == features.map(\.properties), "\(layer)")
            // Residents stand at computed points (a polygon home's point-on-surface), which the
            // export rounds to 7 decimals; stored coordinates in this town have 4.
            if layer != .residents { #expect(back.map(\.geometry) == features.map(\.geometry), "\(layer)") }
        }
    }

    @Test("a stored town written as a town folder reads back equal and re-imports into an equal store",
          arguments: StoreKind.allCases)
    func townFolderRoundTrip(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        let town = try #require(try store.loadTown())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridstore-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try TownFolder.write(town, to: folder)
        let back = try TownFolder.read(from: folder)
        #expect(back == Self.inFolderOrder(town))
        let copy = try kind.make()
        try copy.importTown(back, source: folder.path)
        #expect(try copy.summary() == store.summary())
    }

    @Test("feature layers carry kind, name, free properties, micro-grid and grid", arguments: StoreKind.allCases)
    func featureProperties(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        let roads = try store.layerFeatures(.features(.road), in: nil, people: .everyone)
        let properties = try #require(roads.first?.properties)
        #expect(properties.orderedKeys == ["kind", "name", "class", "lanes", "ref", "note", "tags", "micro_grid", "grid"])
        #expect(properties["ref"] == .number(JSONNumber(text: "12345678901234567890")!))
        let wells = try store.layerFeatures(.features(.well), in: nil, people: .everyone)
        #expect(wells.last?.properties?["micro_grid"] == nil)
    }

    @Test("exports filtered by grid or micro-grid hold only that area", arguments: StoreKind.allCases)
    func filteredExports(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        let grid = AreaFilter.grid(GridCode("TS-002")!)
        let micro = AreaFilter.microGrid(GridCode("TS-001-2")!)
        let ids = { (layer: StoreLayer, area: AreaFilter) in
            try store.layerFeatures(layer, in: area, people: .everyone).map { feature -> String in
                if case .string(let id)? = feature.id { id } else { feature.properties?["name"]?.stringValue ?? "?" }
            }
        }
        #expect(try ids(.grids, grid) == ["TS-002"])
        #expect(try ids(.microGrids, grid) == ["TS-002-1", "TS-002-2"])
        #expect(try ids(.microGrids, micro) == ["TS-001-2"])
        #expect(try ids(.villages, grid) == ["TS-V1"])
        #expect(try ids(.features(.home), micro) == ["home-2"])
        #expect(try ids(.features(.road), micro) == ["road-1"])
        #expect(try ids(.residents, micro) == ["R-2"])
        #expect(try ids(.team, micro) == ["刘一", "陈二"])
        #expect(try ids(.town, grid) == ["TS"])
    }

    @Test("exported polygons have counter-clockwise exteriors and 7-decimal coordinates", arguments: StoreKind.allCases)
    func windingAndPrecision(_ kind: StoreKind) throws {
        var data = SyntheticTown.data
        // Store grid TS-001 clockwise, with a coordinate finer than 7 decimals.
        var ring = SyntheticTown.rectangle(1_198_000, 359_000, 1_198_100, 359_100)
        ring.reverse()
        ring[1] = Position(x: 119.800000004, y: 35.91)
        data.grids[0].geometry = .polygon([ring])
        let store = try kind.make()
        try store.importTown(data, source: "clockwise")
        let sink = MemorySink()
        try store.exportLayer(.grids, in: .grid(GridCode("TS-001")!), people: .everyone, to: sink)
        let collection = try GeoJSONReader.read(sink.bytes)
        guard case .polygon(let rings)? = collection.features.first?.geometry else {
            Issue.record("TS-001 is not exported as a polygon")
            return
        }
        let exterior = rings[0]
        var twiceArea = 0.0
        for (a, b) in zip(exterior, exterior.dropFirst()) { twiceArea += a.x * b.y - b.x * a.y }
        #expect(twiceArea > 0, "exterior ring is clockwise")
        #expect(exterior.contains(Position(x: 119.8, y: 35.91)))
        #expect(!sink.string.contains("119.800000004"))
    }
}
