import ArgumentParser
import GridMapApp
import GridMapCore

/// `--as-of YYYY-MM-DD`, shared by the commands that read residents, homes and teams: the
/// register as it stood at the end of that day, from the same records as today's (docs/LEDGERS.md).
struct AsOfOptions: ParsableArguments {
    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "Answer as the register stood at the end of this day (YYYY-MM-DD, not before the import that began it).",
        valueName: "day"))
    var asOf: String?

    func validate() throws {
        if let asOf, RegisterDay(asOf) == nil { throw ValidationError("--as-of wants a calendar day YYYY-MM-DD, e.g. 2026-06-30, not '\(asOf)'.") }
    }

    /// The day, parsed.
    var day: RegisterDay? { asOf.flatMap { RegisterDay($0) } }
}
