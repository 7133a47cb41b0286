import GeoJSON
import GridMapApp
import GridMapCore
import GridStore
import Testing

@Suite("Selecting residents by category and area, masked by role")
struct ResidentSelectionTests {
    @Test("the veterans of TT-001 are R-1 alone, masked for the public and in full for the office")
    func veteransOfAGrid() throws {
        let town = try TestTown()
        defer { town.remove() }
        let selection = try ResidentSelection(store: town.store)
        let veterans = try selection.categories("veteran")
        let area = ResidentArea.code(.grid(GridCode("TT-001")!))
        let public_ = try selection.residents(of: veterans, in: area, as: .public)
        #expect(public_.map(\.id) == ["R-1"])
        #expect(public_[0].name == "张*" && public_[0].isMasked)
        let office = try selection.residents(of: veterans, in: area, as: .office)
        #expect(office[0].name == "张三" && office[0].phone == "13812345678")
        #expect(try selection.residents(of: veterans, in: .code(.grid(GridCode("TT-002")!)), as: .office).isEmpty)
    }

    @Test("a village, a polygon and a radius each select the homes inside them")
    func villagePolygonAndRadius() throws {
        let town = try TestTown()
        defer { town.remove() }
        let selection = try ResidentSelection(store: town.store)
        #expect(try selection.residents(of: [], in: .village("TT-V01"), as: .office).map(\.id) == ["R-1", "R-2"])
        // A square around home-2 only; home-1 lies outside it.
        let square = Geometry.polygon([[Position(x: 119.81, y: 35.90), Position(x: 119.82, y: 35.90),
                                               Position(x: 119.82, y: 35.91), Position(x: 119.81, y: 35.91),
                                               Position(x: 119.81, y: 35.90)]])
        #expect(try selection.residents(of: [], in: .within([square], source: "square"), as: .office).map(\.id) == ["R-2"])
        // home-1 lies about 1.3 km from home-2: 100 m keeps home-2 alone, 2 km takes both.
        let nearHome2 = Position(x: 119.817, y: 35.907)
        #expect(try selection.residents(of: [], in: .around(nearHome2, radius: 100), as: .office).map(\.id) == ["R-2"])
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
            try selection.residents(of: [], in: .within([.point(Position(x: 119.8, y: 35.9))], source: "square"), as: .public)
        }
    }

    @Test("the category × grid table counts each category per grid and each resident once in the total")
    func categoryTable() throws {
        let town = try TestTown()
        defer { town.remove() }
        let counts = try ResidentSelection(store: town.store).counts(of: [])
        let lines = counts.csv.split(separator: "\n").map(String.init)
        #expect(lines[0] == "grid,party-member,veteran,disabled,elderly-living-alone,left-behind-child,low-income,total")
        #expect(lines[1] == "TT-001,0,1,0,0,0,0,1")
        #expect(lines[2] == "TT-002,1,0,1,0,0,0,1")
        #expect(lines[3] == "town,1,1,1,0,0,0,2")
    }
}
