import ArgumentParser
import Foundation
import GridMapCore
import GridStore

/// `gridmap import`: a town's layers into the store, all or nothing.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a town folder (GeoJSON layers, residents and team CSVs) into the store, all or nothing.",
        discussion: """
            FOLDER is a town folder (docs/TOWN-FORMAT.md; what `gridmap export --all --role \
            office` writes): manifest.json, one GeoJSON file per layer named after it \
            (town.geojson, villages.geojson, grids.geojson, microgrids.geojson, roads.geojson, \
            homes.geojson, …) and residents.csv and team.csv for the people.

            Coordinates are WGS84 longitude/latitude unless a layer names its CRS with a legacy \
            `crs` member (as GDAL writes it), --crs names one (any CRS PROJ knows, e.g. \
            EPSG:4549), or the manifest's `crs` does — in that order.

            The import is one transaction: if any file has any problem — bad GeoJSON, an invalid \
            polygon, an unknown CRS, a micro-grid whose grid is missing, a resident whose home is \
            missing — nothing changes, and every problem is listed with its file and feature \
            index. Importing the same data again leaves the same store.

            Examples:
              gridmap import geodata/dacun --db dacun.sqlite
              gridmap import survey-epsg4549/ --crs EPSG:4549 --db town.sqlite
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The town folder to import.", valueName: "folder"))
    var folder: String

    @Option(help: ArgumentHelp("CRS of the input coordinates (default: WGS84 longitude/latitude).", valueName: "crs"))
    var crs: String?

    func run() throws {
        let data: TownData
        do {
            data = try TownFolder.read(from: URL(fileURLWithPath: folder), options: .init(crs: crs))
        } catch {
            StandardError.write("gridmap import: import rejected, nothing changed; \(error.problems.count) problem\(error.problems.count == 1 ? "" : "s") in \(folder):")
            for line in TownProblem.summary(of: error.problems.map(\.kind)) { StandardError.write("  " + line) }
            StandardError.write("by file and feature:")
            for problem in error.problems {
                StandardError.write(problem.file.isEmpty ? "  \(folder): \(problem)" : "  \(folder)/\(problem)")
            }
            throw ExitCode(1)
        }
        let target = try store.openStoreForImport()
        do {
            let summary = try target.importTown(data, source: folder)
            StandardError.write("gridmap import: \(summary.grids) grids, \(summary.microGrids) micro-grids, "
                + "\(summary.features) features, \(summary.residents) residents, \(summary.teamMembers) team members "
                + "into \(target.path ?? "memory")")
            if summary.featuresOutsideMicroGrids > 0 {
                StandardError.write("gridmap import: note: \(summary.featuresOutsideMicroGrids) features lie in no micro-grid (see gridmap validate)")
            }
        } catch let error as ImportError {
            StandardError.write("gridmap import: import rejected, nothing changed; \(error.problems.count) problems:")
            for line in TownProblem.summary(of: error.problems.map(\.kind)) { StandardError.write("  " + line) }
            StandardError.write("by layer and index:")
            for problem in error.problems { StandardError.write("  \(problem)") }
            throw ExitCode(1)
        }
    }
}
