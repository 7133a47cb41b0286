import GeoJSON
import GridMapCore
import Testing
@testable import GridStore

/// Micro-grid assignment and every read, with and without an area.
extension TownStoreContractTests {
    /// The micro-grid stored for each feature, as the export reports it.
    static func storedMicroGrids(_ store: any TownStore) throws -> [String: String] {
        var result: [String: String] = [:]
        for layer in try store.layers() {
            guard case .features = layer else { continue }
            for feature in try store.layerFeatures(layer, in: nil, people: .everyone) {
                guard case .string(let id)? = feature.id else { continue }
                result[id] = feature.properties?["micro_grid"]?.stringValue ?? "none"
            }
        }
        return result
    }

    @Test("each feature is assigned the micro-grid of its point or point-on-surface", arguments: StoreKind.allCases)
    func microGridAssignment(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        #expect(try Self.storedMicroGrids(store) == [
            "home-1": "TS-001-1", "home-2": "TS-001-2", "home-3": "TS-004-2",
            "home-4": "TS-001-1",  // on the TS-001-1 | TS-001-2 edge: the smaller code
            "home-5": "TS-003-1",  // a polygon, by its point-on-surface
            "well-1": "TS-002-1", "well-2": "none",
            "road-1": "TS-002-1",  // its interior vertex
            "field-1": "TS-004-1",
        ])
        #expect(try store.locatedFeatures(of: .well, in: nil, page: .all).map(\.microGrid) == [Self.code("TS-002-1"), nil])
    }

    @Test("grids and micro-grids are read all or per grid, in import order", arguments: StoreKind.allCases)
    func microGridsPerGrid(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        #expect(try store.microGrids(of: nil).count == 8)
        #expect(try store.microGrids(of: Self.code("TS-003")).map(\.code.description) == ["TS-003-1", "TS-003-2"])
        #expect(try store.microGrids(of: Self.code("TS-009")).isEmpty)
        #expect(try store.grids().map(\.code.description) == ["TS-001", "TS-002", "TS-003", "TS-004"])
        #expect(try store.grids() == SyntheticTown.data.grids)
    }

    @Test("points and homes are filtered by their stored micro-grid", arguments: StoreKind.allCases)
    func pointFilters(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        let ids = { (kind: FeatureKind, area: AreaFilter?) in try store.features(of: kind, in: area).map(\.id) }
        #expect(try ids(.home, nil) == ["home-1", "home-2", "home-3", "home-4", "home-5"])
        #expect(try ids(.home, .grid(Self.code("TS-001"))) == ["home-1", "home-2", "home-4"])
        #expect(try ids(.home, .microGrid(Self.code("TS-001-1"))) == ["home-1", "home-4"])
        #expect(try ids(.home, .microGrid(Self.code("TS-001-2"))) == ["home-2"])
        #expect(try ids(.home, .grid(Self.code("TS-003"))) == ["home-5"])
        #expect(try ids(.well, .grid(Self.code("TS-002"))) == ["well-1"])
        #expect(try ids(.well, .grid(Self.code("TS-004"))) == [])
        #expect(try ids(.ditch, nil) == [])
    }

    @Test("lines and areas are filtered by intersection with the grid or micro-grid", arguments: StoreKind.allCases)
    func geometryFilters(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        let ids = { (kind: FeatureKind, area: AreaFilter) in try store.features(of: kind, in: area).map(\.id) }
        for crossed in ["TS-001-1", "TS-001-2", "TS-002-1", "TS-002-2"] {
            #expect(try ids(.road, .microGrid(Self.code(crossed))) == ["road-1"], "road in \(crossed)")
        }
        #expect(try ids(.road, .grid(Self.code("TS-001"))) == ["road-1"])
        #expect(try ids(.road, .grid(Self.code("TS-003"))) == [])
        #expect(try ids(.field, .microGrid(Self.code("TS-004-1"))) == ["field-1"])
        #expect(try ids(.field, .microGrid(Self.code("TS-004-2"))) == [])
        // A filtered read gives the same values as the whole read: only fewer of them.
        #expect(try store.features(of: .road, in: .grid(Self.code("TS-002"))) == store.features(of: .road))
    }

    @Test("an area the store does not hold is a not-found error, for every filtered read", arguments: StoreKind.allCases)
    func unknownArea(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        let grid = AreaFilter.grid(Self.code("TS-077"))
        let microGrid = AreaFilter.microGrid(Self.code("TS-001-7"))
        #expect(throws: StoreError.notFound("grid TS-077")) { try store.features(of: .home, in: grid) }
        #expect(throws: StoreError.notFound("micro-grid TS-001-7")) { try store.features(of: .road, in: microGrid) }
        #expect(throws: StoreError.notFound("grid TS-077")) { try store.residents(in: grid) }
        #expect(throws: StoreError.notFound("micro-grid TS-001-7")) { try store.locatedResidents(in: microGrid, categories: [], page: .all) }
        #expect(throws: StoreError.notFound("grid TS-077")) { try store.residentCount(in: grid, categories: []) }
    }

    @Test("residents are filtered by their home's grid or micro-grid and by categories, and counted alike",
          arguments: StoreKind.allCases)
    func residentFilters(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        let cases: [(AreaFilter?, Set<ResidentCategory>, [String])] = [
            (nil, [], ["R-1", "R-2", "R-3", "R-4", "R-5"]),
            (.grid(Self.code("TS-001")), [], ["R-1", "R-2", "R-5"]),
            (.microGrid(Self.code("TS-001-1")), [], ["R-1", "R-5"]),
            (nil, [.veteran], ["R-1", "R-3"]),
            (nil, [.veteran, .disabled], ["R-1", "R-3", "R-5"]),
            (.grid(Self.code("TS-001")), [.veteran], ["R-1"]),
            (.grid(Self.code("TS-002")), [], []),
        ]
        for (area, categories, expected) in cases {
            let label = "\(area?.description ?? "town"), \(categories.map(\.rawValue).sorted())"
            #expect(try store.residents(in: area, categories: categories).map(\.id) == expected, "\(label)")
            #expect(try store.residentCount(in: area, categories: categories) == expected.count, "\(label)")
        }
        let located = try store.locatedResidents(in: .microGrid(Self.code("TS-001-1")), categories: [], page: .all)
        #expect(located.map(\.microGrid) == [Self.code("TS-001-1"), Self.code("TS-001-1")])
        #expect(located.first?.location == Position(x: 119.8025, y: 35.905))
        #expect(located.first?.resident == SyntheticTown.data.residents[0])
    }

    @Test("a grid's team, or the whole team, is read with roles in import order", arguments: StoreKind.allCases)
    func team(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        #expect(try store.team(of: Self.code("TS-001")).map(\.role) == [.chief, .liaison])
        #expect(try store.team(of: Self.code("TS-004")).map(\.unit) == ["派出所", nil])
        #expect(try store.team(of: Self.code("TS-002")).isEmpty)
        #expect(try store.team(of: nil) == SyntheticTown.data.team)
    }

    @Test("the summary counts features per kind, residents per category and per grid", arguments: StoreKind.allCases)
    func summaryCounts(_ kind: StoreKind) throws {
        let summary = try kind.synthetic().summary()
        #expect(summary.townCode == "TS")
        #expect(summary.grids == 4 && summary.microGrids == 8 && summary.villages == 2)
        #expect(summary.featuresByKind == [.home: 5, .well: 2, .road: 1, .field: 1])
        #expect(summary.residents == 5)
        #expect(summary.residentsByCategory == [.partyMember: 1, .veteran: 2, .elderlyLivingAlone: 1,
                                                .disabled: 1, .lowIncome: 1])
        #expect(summary.teamMembers == 4)
        #expect(summary.byGrid == [
            Self.code("TS-001"): .init(microGrids: 2, features: 3, residents: 3),
            Self.code("TS-002"): .init(microGrids: 2, features: 2, residents: 0),
            Self.code("TS-003"): .init(microGrids: 2, features: 1, residents: 1),
            Self.code("TS-004"): .init(microGrids: 2, features: 2, residents: 1),
        ])
    }

    @Test("the resident tally counts exactly the residents of the whole read, by their home's micro-grid and the categories each holds",
          arguments: StoreKind.allCases)
    func residentTally(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        var expected = ResidentTally()
        for row in try store.locatedResidents(in: nil, categories: [], page: .all) { expected.add(row.resident, in: row.microGrid) }
        let tally = try store.residentTally()
        #expect(tally == expected)
        // R-4 holds no category and is not counted; R-1's two categories are one combination.
        #expect(tally.counts.values.reduce(0, +) == 4)
        #expect(Set(tally.counts.keys.map(\.categories)) == [[.partyMember, .veteran], [.elderlyLivingAlone], [.veteran], [.disabled, .lowIncome]])
        #expect(tally.categories == [.partyMember, .veteran, .elderlyLivingAlone, .disabled, .lowIncome])
    }

    @Test("residents read by id are those of the whole read, in its order, and an unknown id is left out", arguments: StoreKind.allCases)
    func residentsByID(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        let all = try store.locatedResidents(in: nil, categories: [], page: .all)
        #expect(try store.locatedResidents(ids: ["R-5", "R-1", "nobody"]) == all.filter { ["R-1", "R-5"].contains($0.resident.id) })
        #expect(try store.locatedResidents(ids: Set(all.map(\.resident.id))) == all)
        #expect(try store.locatedResidents(ids: []).isEmpty)
    }
}
