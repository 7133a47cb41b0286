import ArgumentParser

/// The `gridmap` command-line tool: a thin shell over the GridMap libraries.
@main
struct GridMapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gridmap",
        abstract: "Grid-based service management maps: grids, micro-grids, features and residents.",
        discussion: """
            GridMap stores a town's grids and micro-grids with its roads, wells, homes and \
            services, and answers which micro-grid a place is in, what is nearest, and who \
            lives where. Geometry runs on GEOS, coordinate systems on PROJ.

            Examples:
              gridmap check geodata/samples/*.geojson
              echo "119.8,35.9" | gridmap transform --from EPSG:4326 --to EPSG:4549
            """,
        subcommands: [Transform.self, Check.self])
}
