import ArgumentParser
import GridMapApp

/// `--role`, shared by the commands that show residents, team members or counts of them; what
/// each role sees is GridMapApp's `Disclosure` (docs/PRIVACY.md).
struct RoleOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Who reads: public (default: no resident; of the team only grid chiefs and liaisons; counts below 5 per grid shown as <5), office (everything), or grid-worker:CODE (that grid in full).",
        valueName: "role"))
    var role: String = "public"

    func validate() throws {
        _ = try validating { () throws(JobError) in try RequestParsing.role(role) }
    }

    /// The role, parsed.
    var parsed: ResidentRole {
        get throws(JobError) { try RequestParsing.role(role) }
    }
}
