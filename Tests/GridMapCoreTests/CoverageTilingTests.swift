import GeoJSON
import GridMapCore
import Testing

/// Coverage validation of the tilings: each test breaks a copy of the clean fixture town in one
/// known way and checks that exactly that fault is found, with its kind, codes, area and place.
@Suite("Coverage validation: grids tile the town, micro-grids tile their grid")
struct CoverageTilingTests {
    typealias F = CoverageFixtures
    let validator = CoverageValidator()

    @Test("the clean town has no problem and is clean")
    func cleanTownHasNoProblem() throws {
        let report = try validator.validate(F.cleanTown())
        #expect(report.problems.isEmpty)
        #expect(report.isClean)
    }

    @Test("a 10 m × 20 m gap between two grids is one gap of 200 m² between DC-001 and DC-002, located in it")
    func gapBetweenGridsIsFound() throws {
        let report = try validator.validate(F.townWithNotchBetweenGrids(1490, 700, 720))
        let problem = try #require(report.problems.count == 1 ? report.problems.first : nil)
        #expect(problem.kind == .gap)
        #expect(problem.level == .town)
        #expect(problem.severity == .error)
        #expect(problem.codes == [F.code("DC-001"), F.code("DC-002")])
        #expect(abs(problem.areaSquareMetres - 200) < 2)
        #expect(F.isLocation(problem.location, inside: 1490, 700, 1500, 720))
        #expect(!report.isClean)
    }

    @Test("a grid reaching 10 m × 20 m into its neighbour is one overlap of 200 m² between the two")
    func overlapOfGridsIsFound() throws {
        let tab: F.Ring = [(1500, 700), (1510, 700), (1510, 720), (1500, 720)]
        var data = F.replacingGrid("DC-001", with: [(0, 0), (1500, 0)] + tab + [(1500, 1500), (0, 1500)],
                                   in: F.cleanTown())
        data = F.replacingMicroGrid(
            "DC-001-1", with: F.polygon([(0, 0), (1500, 0)] + tab + [(1500, 750), (0, 750)]), in: data)
        let report = try validator.validate(data)
        let problem = try #require(report.problems.count == 1 ? report.problems.first : nil)
        #expect(problem.kind == .overlap)
        #expect(problem.level == .town)
        #expect(problem.codes == [F.code("DC-001"), F.code("DC-002")])
        #expect(abs(problem.areaSquareMetres - 200) < 2)
        #expect(F.isLocation(problem.location, inside: 1500, 700, 1510, 720))
    }

    @Test("a 0.3 m × 1 m gap between grids is flagged as a sliver gap of 0.3 m², a warning")
    func smallGapIsSliver() throws {
        let report = try validator.validate(F.townWithNotchBetweenGrids(1499.7, 500, 501))
        let problem = try #require(report.problems.count == 1 ? report.problems.first : nil)
        #expect(problem.kind == .sliverGap)
        #expect(problem.severity == .warning)
        #expect(problem.codes == [F.code("DC-001"), F.code("DC-002")])
        #expect(abs(problem.areaSquareMetres - 0.3) < 0.003)
        #expect(F.isLocation(problem.location, inside: 1499.7, 500, 1500, 501, margin: 0.05))
        #expect(!report.isClean)
    }

    @Test("a 5 cm × 100 m seam is a sliver by its mean width although its 5 m² exceed the sliver area")
    func thinSeamIsSliver() throws {
        let report = try validator.validate(F.townWithNotchBetweenGrids(1499.95, 100, 200))
        let problem = try #require(report.problems.count == 1 ? report.problems.first : nil)
        #expect(problem.kind == .sliverGap)
        #expect(abs(problem.areaSquareMetres - 5) < 0.05)
    }

    @Test("a gap below the residue tolerance is ignored, and one above the sliver area with the width test off is a gap")
    func tolerancesDecide() throws {
        let tiny = try validator.validate(F.townWithNotchBetweenGrids(1499.99, 300, 300.005))
        #expect(tiny.problems.isEmpty)
        let noWidthTest = CoverageValidator(options: CoverageOptions(sliverWidth: 0))
        let seam = try noWidthTest.validate(F.townWithNotchBetweenGrids(1499.95, 100, 200))
        #expect(seam.problems.map(\.kind) == [.gap])
    }

    @Test("a bow-tie micro-grid is reported invalid with GEOS's reason at the crossing, and the land it leaves out as gaps")
    func bowTieIsInvalid() throws {
        let bowTie = F.polygon([(0, 0), (1500, 750), (1500, 0), (0, 750)])
        let report = try validator.validate(F.replacingMicroGrid("DC-001-1", with: bowTie, in: F.cleanTown()))
        let invalid = report.problems(ofKind: .invalidPolygon)
        let problem = try #require(invalid.count == 1 ? invalid.first : nil)
        #expect(problem.message.contains("Self-intersection"))
        #expect(problem.codes == [F.code("DC-001-1")])
        #expect(problem.level == .grid)
        #expect(F.isLocation(problem.location, inside: 750, 375, 750, 375, margin: 0.5))
        // The repaired bow-tie is two triangles; the other two triangles of the rectangle are gaps.
        let gaps = report.problems(ofKind: .gap)
        #expect(gaps.count == 2)
        #expect(gaps.allSatisfy { abs($0.areaSquareMetres - 281_250) < 2_800 && $0.level == .grid })
        #expect(report.problems.count == 3)
    }

    @Test("a micro-grid crossing its grid's edge reports the 200 m² outside, naming the micro-grid and its grid")
    func microGridCrossingGridEdge() throws {
        let ring: F.Ring = [(0, 750), (1500, 750), (1500, 1500), (720, 1500), (720, 1510), (700, 1510), (700, 1500),
                            (0, 1500)]
        let report = try validator.validate(F.replacingMicroGrid("DC-001-2", with: F.polygon(ring), in: F.cleanTown()))
        let problem = try #require(report.problems.count == 1 ? report.problems.first : nil)
        #expect(problem.kind == .outsideParent)
        #expect(problem.level == .grid)
        #expect(problem.codes == [F.code("DC-001"), F.code("DC-001-2")])
        #expect(abs(problem.areaSquareMetres - 200) < 2)
        #expect(F.isLocation(problem.location, inside: 700, 1500, 720, 1510))
    }

    @Test("a hole among a grid's micro-grids is a grid-level gap naming the grid and both micro-grids beside it")
    func gapInsideGrid() throws {
        let ring: F.Ring = [(0, 0), (1500, 0), (1500, 750), (720, 750), (720, 740), (700, 740), (700, 750), (0, 750)]
        let report = try validator.validate(F.replacingMicroGrid("DC-001-1", with: F.polygon(ring), in: F.cleanTown()))
        let problem = try #require(report.problems.count == 1 ? report.problems.first : nil)
        #expect(problem.kind == .gap)
        #expect(problem.level == .grid)
        #expect(problem.codes == [F.code("DC-001"), F.code("DC-001-1"), F.code("DC-001-2")])
        #expect(abs(problem.areaSquareMetres - 200) < 2)
        #expect(F.isLocation(problem.location, inside: 700, 740, 720, 750))
    }

    @Test("two overlapping micro-grids of one grid are a grid-level overlap")
    func microGridOverlap() throws {
        let report = try validator.validate(
            F.replacingMicroGrid("DC-003-1", with: F.polygon(F.rectangle(0, 1500, 510, 3000)), in: F.cleanTown()))
        let problem = try #require(report.problems.count == 1 ? report.problems.first : nil)
        #expect(problem.kind == .overlap)
        #expect(problem.level == .grid)
        #expect(problem.codes == [F.code("DC-003-1"), F.code("DC-003-2")])
        #expect(abs(problem.areaSquareMetres - 15_000) < 150)
    }

    @Test("a grid without micro-grids, a duplicate code and an orphan micro-grid are each reported")
    func codeProblems() throws {
        var data = F.cleanTown()
        data.microGrids.removeAll { $0.gridCode == F.code("DC-004") }
        data.microGrids.append(MicroGrid(code: F.code("DC-009-1"), name: "", geometry: F.polygon(F.rectangle(1500, 1500, 3000, 3000))))
        data.grids.append(data.grids[0])
        let report = try validator.validate(data)
        #expect(report.problems(ofKind: .missingMicroGrids).map(\.codes) == [[F.code("DC-004")]])
        #expect(report.problems(ofKind: .orphanMicroGrid).map(\.codes) == [[F.code("DC-009-1")]])
        #expect(report.problems(ofKind: .duplicateCode).map(\.codes) == [[F.code("DC-001")]])
    }
}
