import ArgumentParser
import GridMapCore
import GridStore

/// Parsing of the `--grid`, `--micro-grid` and `--role` options that `export` and `select`
/// share, so that both commands accept and refuse exactly the same spellings.
enum AreaRoleParsing {
    /// The area named by `--grid CODE` or `--micro-grid CODE` (nil when neither is given);
    /// the caller refuses both at once.
    static func area(grid: String?, microGrid: String?) throws -> AreaFilter? {
        if let grid {
            guard let code = GridCode(grid), !code.isMicroGrid else {
                throw ValidationError("--grid wants a grid code like DC-017, not '\(grid)'.")
            }
            return .grid(code)
        }
        if let microGrid {
            guard let code = GridCode(microGrid), code.isMicroGrid else {
                throw ValidationError("--micro-grid wants a micro-grid code like DC-017-2, not '\(microGrid)'.")
            }
            return .microGrid(code)
        }
        return nil
    }

    /// The reader's role from `--role`: public, office or grid-worker:CODE.
    static func role(_ role: String) throws -> ResidentRole {
        switch role {
        case "public": return .public
        case "office": return .office
        case let text where text.hasPrefix("grid-worker:"):
            guard let code = GridCode(String(text.dropFirst("grid-worker:".count))) else {
                throw ValidationError("--role grid-worker:CODE wants a grid code, e.g. grid-worker:DC-017.")
            }
            return .gridWorker(code.gridCode)
        default:
            throw ValidationError("Unknown role '\(role)': use public, office or grid-worker:CODE.")
        }
    }
}

/// `--grid`, `--micro-grid` and `--village`: the residents' area of `select` (`route` takes the same, with --grid repeatable).
struct ResidentAreaOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Residents of this grid, e.g. DC-017.", valueName: "code"))
    var grid: String?

    @Option(name: .customLong("micro-grid"), help: ArgumentHelp("Residents of this micro-grid, e.g. DC-017-2.", valueName: "code"))
    var microGrid: String?

    @Option(help: ArgumentHelp("Residents of this administrative village, e.g. DC-V07.", valueName: "code"))
    var village: String?
}
