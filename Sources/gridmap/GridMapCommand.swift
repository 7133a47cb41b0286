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

            Without --db, commands use a default store built from the bundled town of \
            Dacun (geodata/dacun) on first use.

            Examples:
              gridmap info
              gridmap import geodata/dacun --db dacun.sqlite
              gridmap export --all --out layers --db dacun.sqlite
              gridmap locate 119.8 35.9
              gridmap locate --csv addresses.csv > located.csv
              gridmap nearest --kind clinics 119.8 35.9 -k 3
              gridmap select --category disabled --grid DC-017
              gridmap assign ledger.csv --report assign-report.txt > assigned.csv
              gridmap route --category disabled --grid DC-017 --workers 2 --out route.geojson
              gridmap check geodata/samples/*.geojson
              echo "119.8,35.9" | gridmap transform --from EPSG:4326 --to EPSG:4549
            """,
        subcommands: [
            Import.self, Validate.self, Info.self, Export.self, MapCommand.self,
            Locate.self, Nearest.self, Select.self, Assign.self, Check.self, Transform.self,
            Route.self, TourCommand.self,
        ])

    /// Parses and runs like ArgumentParser's own `main`, except that a `ValidationError` thrown
    /// while *running* (an unknown grid, an unreadable file, bad rows) is printed without the
    /// usage text: such an error is about the data, not the command line, and the root usage
    /// ArgumentParser would print there (`gridmap <subcommand>`) only misleads. The exit status
    /// stays 64, as for any validation error.
    static func main() {
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch let error as ValidationError {
            StandardError.write("Error: \(error.message)")
            exit(withError: ExitCode(64))
        } catch {
            exit(withError: error)
        }
    }
}
