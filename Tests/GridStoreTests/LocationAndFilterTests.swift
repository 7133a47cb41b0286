import GeoJSON
import GridMapCore
import Testing
@testable import GridStore

@Suite("Micro-grid assignment and filtered reads")
struct LocationAndFilterTests {
    static let store: SQLiteTownStore = {
        let store = try! SQLiteTownStore()
        try! store.importTown(SyntheticTown.data, source: "synthetic")
        return store
    }()

    static func code(_ text: String) -> GridCode { GridCode(text)! }

    /// The micro-grid stored for each feature, as the export reports it.
    static func storedMicroGrids() throws -> [String: String] {
        var result: [String: String] = [:]
        for layer in try store.layers() {
            guard case .features = layer else { continue }
            for feature in try store.layerFeatures(layer, in: nil, as: .office) {
                guard case .string(let id)? = feature.id else { continue }
                result[id] = feature.properties?["micro_grid"]?.stringValue ?? "none"
            }
        }
        return result
    }

    @Test("each feature is assigned the micro-grid of its point or point-on-surface")
    func microGridAssignment() throws {
        #expect(try Self.storedMicroGrids() == [
            "home-1": "TS-001-1", "home-2": "TS-001-2", "home-3": "TS-004-2",
            "home-4": "TS-001-1",  // on the TS-001-1 | TS-001-2 edge: the smaller code
            "home-5": "TS-003-1",  // a polygon, by its point-on-surface
            "well-1": "TS-002-1", "well-2": "none",
            "road-1": "TS-002-1",  // its interior vertex
            "field-1": "TS-004-1",
        ])
    }

    @Test("micro-grids are read all or per grid, in import order")
    func microGridsPerGrid() throws {
        #expect(try Self.store.microGrids(of: nil).count == 8)
        #expect(try Self.store.microGrids(of: Self.code("TS-003")).map(\.code.description) == ["TS-003-1", "TS-003-2"])
        #expect(try Self.store.grids().map(\.code.description) == ["TS-001", "TS-002", "TS-003", "TS-004"])
    }

    @Test("points and homes are filtered by their stored micro-grid")
    func pointFilters() throws {
        let ids = { (kind: FeatureKind, area: AreaFilter?) in try Self.store.features(of: kind, in: area).map(\.id) }
        #expect(try ids(.home, nil) == ["home-1", "home-2", "home-3", "home-4", "home-5"])
        #expect(try ids(.home, .grid(Self.code("TS-001"))) == ["home-1", "home-2", "home-4"])
        #expect(try ids(.home, .microGrid(Self.code("TS-001-1"))) == ["home-1", "home-4"])
        #expect(try ids(.home, .microGrid(Self.code("TS-001-2"))) == ["home-2"])
        #expect(try ids(.home, .grid(Self.code("TS-003"))) == ["home-5"])
        #expect(try ids(.well, .grid(Self.code("TS-002"))) == ["well-1"])
        #expect(try ids(.well, .grid(Self.code("TS-004"))) == [])
    }

    @Test("lines and areas are filtered by intersection with the grid or micro-grid")
    func geometryFilters() throws {
        let ids = { (kind: FeatureKind, area: AreaFilter) in try Self.store.features(of: kind, in: area).map(\.id) }
        for crossed in ["TS-001-1", "TS-001-2", "TS-002-1", "TS-002-2"] {
            #expect(try ids(.road, .microGrid(Self.code(crossed))) == ["road-1"], "road in \(crossed)")
        }
        #expect(try ids(.road, .grid(Self.code("TS-001"))) == ["road-1"])
        #expect(try ids(.road, .grid(Self.code("TS-003"))) == [])
        #expect(try ids(.field, .microGrid(Self.code("TS-004-1"))) == ["field-1"])
        #expect(try ids(.field, .microGrid(Self.code("TS-004-2"))) == [])
    }

    @Test("an area the store does not hold is a not-found error")
    func unknownArea() {
        #expect(throws: StoreError.notFound("grid TS-077")) {
            try Self.store.features(of: .home, in: .grid(Self.code("TS-077")))
        }
    }

    @Test("residents are filtered by their home's grid or micro-grid and by categories")
    func residentFilters() throws {
        let ids = { (area: AreaFilter?, categories: Set<ResidentCategory>) in
            try Self.store.residents(in: area, categories: categories).map(\.id)
        }
        #expect(try ids(nil, []) == ["R-1", "R-2", "R-3", "R-4", "R-5"])
        #expect(try ids(.grid(Self.code("TS-001")), []) == ["R-1", "R-2", "R-5"])
        #expect(try ids(.microGrid(Self.code("TS-001-1")), []) == ["R-1", "R-5"])
        #expect(try ids(nil, [.veteran]) == ["R-1", "R-3"])
        #expect(try ids(nil, [.veteran, .disabled]) == ["R-1", "R-3", "R-5"])
        #expect(try ids(.grid(Self.code("TS-001")), [.veteran]) == ["R-1"])
        #expect(try ids(.grid(Self.code("TS-002")), []) == [])
    }

    @Test("a grid's team is read with roles in import order")
    func teamOfGrid() throws {
        #expect(try Self.store.team(of: Self.code("TS-001")).map(\.role) == [.chief, .liaison])
        #expect(try Self.store.team(of: Self.code("TS-004")).map(\.unit) == ["派出所", nil])
        #expect(try Self.store.team(of: Self.code("TS-002")).isEmpty)
    }

    @Test("the summary counts features per kind, residents per category and per grid")
    func summaryCounts() throws {
        let summary = try Self.store.summary()
        #expect(summary.townCode == "TS")
        #expect(summary.grids == 4 && summary.microGrids == 8 && summary.villages == 2)
        #expect(summary.featuresByKind == [.home: 5, .well: 2, .road: 1, .field: 1])
        #expect(summary.residents == 5)
        #expect(summary.residentsByCategory == [.partyMember: 1, .veteran: 2, .elderlyLivingAlone: 1,
                                                .disabled: 1, .lowIncome: 1])
        #expect(summary.teamMembers == 4)
        #expect(summary.byGrid[Self.code("TS-001")] == .init(microGrids: 2, features: 3, residents: 3))
        #expect(summary.byGrid[Self.code("TS-002")] == .init(microGrids: 2, features: 2, residents: 0))
        #expect(summary.byGrid[Self.code("TS-003")] == .init(microGrids: 2, features: 1, residents: 1))
        #expect(summary.byGrid[Self.code("TS-004")] == .init(microGrids: 2, features: 2, residents: 1))
    }
}
