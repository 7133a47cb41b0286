import GridMapCore
import Testing

@Suite("Grid codes")
struct GridCodeTests {
    @Test("grid and micro-grid codes print as DC-017 and DC-017-2 and parse back")
    func codesRoundTrip() throws {
        let grid = try #require(GridCode(town: "DC", grid: 17))
        let micro = try #require(grid.microGrid(2))
        #expect(grid.description == "DC-017")
        #expect(micro.description == "DC-017-2")
        #expect(GridCode("DC-017") == grid)
        #expect(GridCode("DC-017-2") == micro)
        #expect(micro.gridCode == grid)
        #expect(micro.isMicroGrid && !grid.isMicroGrid)
    }

    @Test("malformed codes are rejected", arguments: ["", "DC", "DC-17", "DC-0170", "dc-017", "DC-017-", "DC-017-0", "DC-017-02", "DC-000", "DC-017-100", "DC-017-2-1", "DC-01a"])
    func malformedCodesAreRejected(text: String) {
        #expect(GridCode(text) == nil)
    }

    @Test("codes sort by town, then grid number, then micro-grid number")
    func codesSortNumerically() {
        let codes = ["DC-010-1", "DC-002-10", "DC-002", "DC-002-2", "DC-009"].compactMap(GridCode.init)
        #expect(codes.sorted().map(\.description) == ["DC-002", "DC-002-2", "DC-002-10", "DC-009", "DC-010-1"])
    }
}
