import ArgumentParser
import Foundation
import GridMapApp

/// The `gridmap` command-line tool: a thin shell over the GridMap libraries.
@main
struct GridMapCommand: AsyncParsableCommand {
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
              gridmap serve --port 8080
              gridmap user add admin --role office
            """,
        subcommands: [
            Import.self, Validate.self, Info.self, Export.self, MapCommand.self,
            Locate.self, Nearest.self, Select.self, Assign.self, Check.self, Transform.self,
            Partition.self, Route.self, TourCommand.self, EventCommand.self, InspectionCommand.self, ActivityCommand.self,
            Serve.self, UserCommand.self, AuditCommand.self,
            ResidentCommand.self, TeamMemberCommand.self, HistoryCommand.self, LedgerCommand.self, SurveyCommand.self,
        ])

    /// Parses and runs like ArgumentParser's own `main`, and is the one place where a job's
    /// ``JobError`` becomes a message and an exit status:
    /// - `invalidRequest` (an unknown grid, a value out of range): `Error: …`, status 64, as
    ///   ArgumentParser's validation errors — without the usage text, which would mislead: the
    ///   error is about the data, not the command line;
    /// - `cannotStart` (an unreadable input, an unknown CRS): `gridmap COMMAND: …`, status 2;
    /// - `rejected` (an import with problems; nothing changed): `gridmap COMMAND: …` and one
    ///   line per problem, status 1;
    /// - `failed` (the store or a library failed): `Error: …`, status 1.
    /// A `ValidationError` thrown while running is printed like `invalidRequest`.
    static func main() async {
        // Past a file-size limit (`ulimit -f`), a write fails with "File too large" and the
        // command reports it, instead of the process being killed half-way by SIGXFSZ.
        signal(SIGXFSZ, SIG_IGN)
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        let name = Self.path(to: type(of: command)) ?? String(describing: type(of: command)).lowercased()
        do {
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as JobError {
            switch error.kind {
            case .invalidRequest, .notFound, .forbidden, .conflict: StandardError.write("Error: \(error.message)")
            case .failed: StandardError.write("Error: \(error)")
            case .cannotStart, .rejected: StandardError.write("gridmap \(name): \(error)")
            }
            exit(withError: ExitCode(Self.exitStatus(error.kind)))
        } catch let error as ValidationError {
            StandardError.write("Error: \(error.message)")
            exit(withError: ExitCode(64))
        } catch {
            exit(withError: error)
        }
    }

    /// The command's name as typed after `gridmap`, e.g. `event verify`; nil for an unknown type.
    static func path(to command: ParsableCommand.Type, under parent: ParsableCommand.Type = GridMapCommand.self) -> String? {
        for child in parent.configuration.subcommands {
            let name = child.configuration.commandName ?? String(describing: child).lowercased()
            if child == command { return name }
            if let below = path(to: command, under: child) { return name + " " + below }
        }
        return nil
    }

    /// The exit status of a job that failed with an error of `kind`.
    static func exitStatus(_ kind: JobError.Kind) -> Int32 {
        switch kind {
        case .invalidRequest, .notFound, .forbidden, .conflict: 64
        case .cannotStart: 2
        case .rejected, .failed: 1
        }
    }
}
