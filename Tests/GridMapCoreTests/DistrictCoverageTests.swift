import GeoJSON
import GridMapCore
import Testing

/// Towns as squares of whole thousandths of a degree near 119.8 E, 35.9 N (EPSG:4549's zone).
@Suite("District coverage: the towns of a district neither overlap nor leave land enclosed in none")
struct DistrictCoverageTests {
    static func square(_ code: String, _ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, hole: [Int]? = nil) -> DistrictCoverageValidator.Town {
        func ring(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> [Position] {
            [(a, b), (c, b), (c, d), (a, d), (a, b)].map { Position(x: 119.8 + Double($0.0) / 1000, y: 35.9 + Double($0.1) / 1000) }
        }
        var rings = [ring(x0, y0, x1, y1)]
        if let hole { rings.append(ring(hole[0], hole[1], hole[2], hole[3]).reversed()) }
        return .init(code: code, boundary: .polygon(rings))
    }

    static func validate(_ towns: [DistrictCoverageValidator.Town]) throws -> CoverageReport {
        try DistrictCoverageValidator().validate(towns, workingCRS: "EPSG:4549")
    }

    @Test("two towns sharing an edge exactly have no fault")
    func neighboursSharingAnEdgeAreClean() throws {
        let report = try Self.validate([Self.square("AA", 0, 0, 10, 10), Self.square("AB", 10, 0, 20, 10)])
        #expect(report.problems.isEmpty)
    }

    @Test("two towns overlapping by a strip 1/1000° wide are an overlap error naming both, measured in m²")
    func overlappingTownsAreAnError() throws {
        let report = try Self.validate([Self.square("AA", 0, 0, 10, 10), Self.square("AB", 9, 0, 20, 10)])
        #expect(report.problems.count == 1)
        let overlap = try #require(report.problems.first)
        #expect(overlap.kind == .overlap && overlap.severity == .error && overlap.level == .district)
        #expect(overlap.message == "towns AA and AB overlap")
        // 0.001° of longitude × 0.01° of latitude at 35.9° N: about 90 m × 1,109 m.
        #expect(overlap.areaSquareMetres > 95_000 && overlap.areaSquareMetres < 105_000)
    }

    @Test("land enclosed by a town's hole that no town fills is a gap; a town filling it ends the gap")
    func anEnclosedHoleIsAGapUntilATownFillsIt() throws {
        let ring = Self.square("AA", 0, 0, 30, 30, hole: [10, 10, 20, 20])
        let report = try Self.validate([ring])
        #expect(report.problems.map(\.kind) == [.gap])
        #expect(report.problems.first?.message == "land enclosed by towns AA belongs to no town")
        let filled = try Self.validate([ring, Self.square("AB", 10, 10, 20, 20)])
        #expect(filled.problems.isEmpty)
    }

    @Test("towns side by side leave no gap at the district's outer edge: only enclosed land is checked")
    func theOuterEdgeIsNotAGap() throws {
        let report = try Self.validate([Self.square("AA", 0, 0, 10, 10), Self.square("AB", 10, 0, 20, 5)])
        #expect(report.problems.isEmpty)
    }

    @Test("an overlap thinner than the sliver width is a warning, not an error")
    func aThinOverlapIsASliverWarning() throws {
        let thin = DistrictCoverageValidator.Town(code: "AB", boundary: .polygon([[
            Position(x: 119.81 - 1e-7, y: 35.9), Position(x: 119.82, y: 35.9), Position(x: 119.82, y: 35.91),
            Position(x: 119.81 - 1e-7, y: 35.91), Position(x: 119.81 - 1e-7, y: 35.9),
        ]]))
        let report = try Self.validate([Self.square("AA", 0, 0, 10, 10), thin])
        #expect(report.problems.map(\.kind) == [.sliverOverlap])
        #expect(report.problems.first?.severity == .warning)
    }
}
