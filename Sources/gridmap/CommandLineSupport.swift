import ArgumentParser
import GridMapApp

/// `--grid`, `--micro-grid` and `--village`: the residents' area of `select` and `route` (only
/// `route` takes several grids).
struct ResidentAreaOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Residents of this grid, e.g. DC-017 (route: repeat for several grids).", valueName: "code"))
    var grid: [String] = []

    @Option(name: .customLong("micro-grid"), help: ArgumentHelp("Residents of this micro-grid, e.g. DC-017-2.", valueName: "code"))
    var microGrid: String?

    @Option(help: ArgumentHelp("Residents of this administrative village, e.g. DC-V07.", valueName: "code"))
    var village: String?
}

/// Runs an application-layer check while the command line is validated, so that a bad value is
/// reported as a usage error (with the command's usage text), as ArgumentParser does.
func validating<T>(_ check: () throws(JobError) -> T) throws -> T {
    do {
        return try check()
    } catch {
        throw ValidationError(error.message)
    }
}
