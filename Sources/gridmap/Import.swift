import ArgumentParser
import Foundation
import GridMapCore
import GridStore

/// `gridmap import`: a town's layers into the store, all or nothing.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a town's layers (a folder of GeoJSON files) into the store, all or nothing.",
        discussion: """
            PATH is a folder holding one GeoJSON file per layer, named after the layer \
            (town.geojson, villages.geojson, grids.geojson, microgrids.geojson, roads.geojson, \
            homes.geojson, residents.geojson, team.geojson, …: what `gridmap export --all` \
            writes), or such files named one by one. The town layer is required.

            Coordinates are WGS84 longitude/latitude unless --crs names another CRS (any PROJ \
            knows, e.g. EPSG:4549), or a layer carries a legacy `crs` member as GDAL writes it.

            The import is one transaction: if any file has any problem — bad GeoJSON, an invalid \
            polygon, an unknown CRS, a micro-grid whose grid is missing, a resident whose home is \
            missing — nothing changes, and every problem is listed with its file and feature \
            index. Importing the same data again leaves the same store.

            Examples:
              gridmap import geodata/dacun --db dacun.sqlite
              gridmap import survey-epsg4549/ --crs EPSG:4549 --db town.sqlite
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("Folders of layer files, or layer files.", valueName: "path"))
    var paths: [String]

    @Option(help: ArgumentHelp("CRS of the input coordinates (default: WGS84 longitude/latitude).", valueName: "crs"))
    var crs: String?

    func validate() throws {
        if paths.isEmpty { throw ValidationError("Name the folder (or files) to import, e.g. gridmap import geodata/dacun.") }
    }

    func run() throws {
        let data: TownData
        do {
            data = try TownFolderImport.read(folders: paths.map { URL(fileURLWithPath: $0) }, crs: crs)
        } catch {
            StandardError.write("gridmap import: \(error)")
            throw ExitCode(1)
        }
        let target = try store.openStoreForImport()
        do {
            let summary = try target.importTown(data, source: paths.joined(separator: " "))
            StandardError.write("gridmap import: \(summary.grids) grids, \(summary.microGrids) micro-grids, "
                + "\(summary.features) features, \(summary.residents) residents, \(summary.teamMembers) team members "
                + "into \(target.path ?? "memory")")
            if summary.featuresOutsideMicroGrids > 0 {
                StandardError.write("gridmap import: note: \(summary.featuresOutsideMicroGrids) features lie in no micro-grid (see gridmap validate)")
            }
        } catch let error as ImportError {
            StandardError.write("gridmap import: import rejected, nothing changed; \(error.problems.count) problems:")
            for problem in error.problems { StandardError.write("  \(problem)") }
            throw ExitCode(1)
        }
    }
}
