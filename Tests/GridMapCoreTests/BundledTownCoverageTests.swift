import Foundation
import GridMapCore
import Testing

/// The bundled reference town, read as a user's import reads it and judged by the validator.
@Suite("The bundled Dacun town")
struct BundledTownCoverageTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../geodata/dacun").standardized

    @Test("its 115 grids tile the town and its 291 micro-grids tile their grids, with every home and well inside")
    func coverageHolds() throws {
        let town = try TownFolder.read(from: Self.folder)
        #expect(town.grids.count == 115)
        #expect(town.microGrids.count == 291)
        let report = try CoverageValidator().validate(town)
        #expect(report.problems.isEmpty, "\(report.text())")
        #expect(report.isClean)
    }
}
