import ArgumentParser
import Foundation
import GeoJSON
import GridMapApp
import GridMapCore

/// `gridmap validate`: proves the grids tile the town and the micro-grids tile their grids.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that grids tile the town and micro-grids tile their grids: no gap, no overlap.",
        discussion: """
            Reports every gap and overlap (between grids, and between the micro-grids of a \
            grid) with its area in m², a point inside it and the codes around it; slivers \
            (tiny or hair-thin pieces) are flagged as such; invalid polygons come with GEOS's \
            reason and place; micro-grids sticking out of their grid; homes and wells that lie \
            in no micro-grid, with their distance to the nearest one. Areas and distances are \
            measured in the town's working CRS.

            One line per problem on standard output and a summary line; --problems FILE also \
            writes them as a GeoJSON layer to open in QGIS beside the grids.

            Exit status: 0 when the coverage holds, 1 when there is any problem.

            In a district (--db naming one, without --town), checks the towns against each \
            other instead: overlaps between towns, and land the towns enclose that is in none.

            Examples:
              gridmap validate
              gridmap validate --db town.sqlite --problems problems.geojson
              gridmap validate --sliver-area 5
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Write the problems as a GeoJSON layer to this file.", valueName: "file"))
    var problems: String?

    @Option(help: ArgumentHelp("Gaps and overlaps smaller than this many m² are reported as slivers.", valueName: "m²"))
    var sliverArea: Double = CoverageOptions().sliverArea

    func validate() throws {
        if !(sliverArea >= 0) { throw ValidationError("--sliver-area must be 0 or more square metres.") }
    }

    func run() throws {
        let report = try store.districtWide().map { district throws in try CoverageCheck.run(on: district, sliverArea: sliverArea) }
            ?? CoverageCheck.run(on: store.stores.openWithTown(), sliverArea: sliverArea)
        let text = report.text()
        try StandardOutput.write(text.hasSuffix("\n") ? text : text + "\n")
        if let problems {
            try AtomicFile.write(to: URL(fileURLWithPath: problems)) { file in
                try Data(GeoJSONWriter.encode(report.problemsLayer())).write(to: file)
            }
            StandardError.write("gridmap validate: \(report.problems.count) problems written to \(problems)")
        }
        if !report.isClean { throw ExitCode(1) }
    }
}
