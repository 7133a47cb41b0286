import GeoJSON
import GridMapApp
import GridMapCore
import GridStore
import Testing

@Suite("Selecting residents by category and area, as the role may see them")
struct ResidentSelectionTests {
    @Test("the veterans of TT-001 are R-1 alone, in full for the office and TT-001's grid worker, refused to the public and to TT-002's")
    func veteransOfAGrid() throws {
        let town = try TestTown()
        defer { town.remove() }
        let selection = try ResidentSelection(store: town.store)
        let veterans = try selection.categories("veteran")
        let area = ResidentArea.code(.grid(GridCode("TT-001")!))
        #expect(throws: JobError.forbidden("the public sees no resident: " + ResidentSelection.publicInstead)) {
            try selection.residents(of: veterans, in: area, as: .public)
        }
        let office = try selection.residents(of: veterans, in: area, as: .office)
        #expect(office.map(\.resident.id) == ["R-1"])
        #expect(office[0].resident.name == "张三" && office[0].resident.phone == "13812345678")
        #expect(try selection.residents(of: veterans, in: area, as: .gridWorker(GridCode("TT-001")!)) == office)
        #expect(throws: JobError.forbidden("--role grid-worker:TT-002 sees the residents of its own grid only, not those of grid TT-001.")) {
            try selection.residents(of: veterans, in: area, as: .gridWorker(GridCode("TT-002")!))
        }
        #expect(try selection.residents(of: veterans, in: .code(.grid(GridCode("TT-002")!)), as: .office).isEmpty)
    }

    @Test("a grid worker's town-wide, village, polygon or radius request answers with their own grid's residents only")
    func gridWorkerScope() throws {
        let town = try TestTown()
        defer { town.remove() }
        let selection = try ResidentSelection(store: town.store)
        let worker = ResidentRole.gridWorker(GridCode("TT-002")!)
        let everywhere = Geometry.polygon([[Position(x: 119.7, y: 35.8), Position(x: 119.9, y: 35.8), Position(x: 119.9, y: 36.0),
                                            Position(x: 119.7, y: 36.0), Position(x: 119.7, y: 35.8)]])
        for area in [ResidentArea.town, .village("TT-V01"), .within([everywhere], source: "box"), .around(Position(x: 119.81, y: 35.905), radius: 5000)] {
            #expect(try selection.residents(of: [], in: area, as: .office).count == 2, "\(area)")
            #expect(try selection.residents(of: [], in: area, as: worker).map(\.resident.id) == ["R-2"], "\(area)")
        }
        #expect(throws: JobError.self) { try selection.residents(of: [], in: .town, as: .gridWorker(GridCode("TT-009")!)) }
    }

    @Test("a village, a polygon and a radius each select the homes inside them")
    func villagePolygonAndRadius() throws {
        let town = try TestTown()
        defer { town.remove() }
        let selection = try ResidentSelection(store: town.store)
        #expect(try selection.residents(of: [], in: .village("TT-V01"), as: .office).map(\.resident.id) == ["R-1", "R-2"])
        // A square around home-2 only; home-1 lies outside it.
        let square = Geometry.polygon([[Position(x: 119.81, y: 35.90), Position(x: 119.82, y: 35.90),
                                               Position(x: 119.82, y: 35.91), Position(x: 119.81, y: 35.91),
                                               Position(x: 119.81, y: 35.90)]])
        #expect(try selection.residents(of: [], in: .within([square], source: "square"), as: .office).map(\.resident.id) == ["R-2"])
        // home-1 lies about 1.3 km from home-2: 100 m keeps home-2 alone, 2 km takes both.
        let nearHome2 = Position(x: 119.817, y: 35.907)
        #expect(try selection.residents(of: [], in: .around(nearHome2, radius: 100), as: .office).map(\.resident.id) == ["R-2"])
        #expect(try selection.residents(of: [], in: .around(nearHome2, radius: 2000), as: .office).count == 2)
    }

    @Test("an unknown grid, village or category is refused with what the town has")
    func unknownNames() throws {
        let town = try TestTown()
        defer { town.remove() }
        let selection = try ResidentSelection(store: town.store)
        #expect(throws: JobError.invalidRequest("Unknown grid TT-009: the town has TT-001, TT-002.")) {
            try selection.residents(of: [], in: .code(.grid(GridCode("TT-009")!)), as: .public)
        }
        #expect(throws: JobError.invalidRequest("Unknown village TT-V99: the town has TT-V01.")) {
            try selection.residents(of: [], in: .village("TT-V99"), as: .public)
        }
        #expect(throws: JobError.self) { try selection.categories("pilot") }
        #expect(throws: JobError.invalidRequest("--within square holds no Polygon or MultiPolygon.")) {
            try selection.residents(of: [], in: .within([.point(Position(x: 119.8, y: 35.9))], source: "square"), as: .office)
        }
    }

    @Test("the category × grid table counts each category per grid and each resident once in the total, exactly for the office")
    func categoryTable() throws {
        let town = try TestTown()
        defer { town.remove() }
        let selection = try ResidentSelection(store: town.store)
        let lines = try selection.counts(of: [], as: .office).csv.split(separator: "\n").map(String.init)
        #expect(lines[0] == "grid,party-member,veteran,disabled,elderly-living-alone,left-behind-child,low-income,total")
        #expect(lines[1] == "TT-001,0,1,0,0,0,0,1")
        #expect(lines[2] == "TT-002,1,0,1,0,0,0,1")
        #expect(lines[3] == "town,1,1,1,0,0,0,2")
    }

    @Test("for the public every grid count below 5 is <5 while the town row stays exact; a grid worker sees their own row exactly")
    func suppressedTable() throws {
        let town = try TestTown()
        defer { town.remove() }
        let selection = try ResidentSelection(store: town.store)
        let lines = try selection.counts(of: [], as: .public).csv.split(separator: "\n").map(String.init)
        #expect(lines[1] == "TT-001,<5,<5,<5,<5,<5,<5,<5")
        #expect(lines[2] == "TT-002,<5,<5,<5,<5,<5,<5,<5")
        #expect(lines[3] == "town,1,1,1,0,0,0,2")
        // TT-002's row alone is hidden from TT-001's worker: the town row would give it away, so it is suppressed too.
        let worker = try selection.counts(of: [], as: .gridWorker(GridCode("TT-001")!)).csv.split(separator: "\n").map(String.init)
        #expect(worker[1] == "TT-001,0,1,0,0,0,0,1")
        #expect(worker[2] == "TT-002,<5,<5,<5,<5,<5,<5,<5")
        #expect(worker[3] == "town,<5,<5,<5,<5,<5,<5,<5")
    }
}
