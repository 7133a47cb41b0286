import GridMapApp
import GridMapCore
import GridStore
import Testing

@Suite("What a request names: areas, roles, categories, kinds")
struct RequestParsingTests {
    @Test("an unknown code's message lists a few codes in full, and many by count and range")
    func codeListing() {
        #expect(RequestParsing.listing(["TT-002", "TT-001"]) == "TT-001, TT-002")
        let grids = (1...115).map { String(format: "DC-%03d", $0) }.shuffled()
        #expect(RequestParsing.listing(grids) == "115 codes, DC-001 to DC-115")
    }

    @Test("a grid code selects a grid, a micro-grid code a micro-grid, and each refuses the other")
    func areas() throws {
        #expect(try RequestParsing.area(grid: "DC-017", microGrid: nil) == .grid(GridCode("DC-017")!))
        #expect(try RequestParsing.area(grid: nil, microGrid: "DC-017-2") == .microGrid(GridCode("DC-017-2")!))
        #expect(try RequestParsing.area(grid: nil, microGrid: nil) == nil)
        #expect(throws: JobError.invalidRequest("--grid wants a grid code like DC-017, not 'DC-017-2'.")) {
            try RequestParsing.area(grid: "DC-017-2", microGrid: nil)
        }
        #expect(throws: JobError.invalidRequest("--micro-grid wants a micro-grid code like DC-017-2, not 'DC-017'.")) {
            try RequestParsing.area(grid: nil, microGrid: "DC-017")
        }
    }

    @Test("a role is public, office or a grid worker of one grid of the town, and nothing else")
    func roles() throws {
        #expect(try RequestParsing.role("public") == .public)
        #expect(try RequestParsing.role("office") == .office)
        #expect(try RequestParsing.role("grid-worker:DC-017") == .gridWorker(GridCode("DC-017")!))
        // A micro-grid would widen silently to its grid; a grid the town lacks would see nobody.
        #expect(throws: JobError.invalidRequest("--role grid-worker:DC-017-2 names a micro-grid; a grid worker works for a grid: grid-worker:DC-017.")) {
            try RequestParsing.role("grid-worker:DC-017-2")
        }
        #expect(throws: JobError.self) { try RequestParsing.checkRole(.gridWorker(GridCode("DC-999")!), grids: [GridCode("DC-001")!]) }
        try RequestParsing.checkRole(.gridWorker(GridCode("DC-001")!), grids: [GridCode("DC-001")!])
        try RequestParsing.checkRole(.office, grids: [])
        #expect(throws: JobError.self) { try RequestParsing.role("admin") }
        #expect(throws: JobError.self) { try RequestParsing.role("grid-worker:17") }
    }
}
