import ArgumentParser
import ByteOutput
import Foundation
import GridMapApp
import GridMapCore

/// `gridmap partition`: design a town's micro-grids (and grids) from its roads, water and homes.
struct Partition: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Design micro-grids (and grids) along roads and water, each with a target number of households.",
        discussion: """
            Reads a town folder, cuts each grid into blocks along its roads, rivers, ditches and \
            lake shores, cuts a block with more households than a micro-grid should hold between \
            its homes, and groups neighbouring blocks into micro-grids of about --homes households \
            each: contiguous, compact, and never across a grid's edge. With --design-grids the \
            grids are designed too, inside each village, from --micro-grids-per-grid micro-grids \
            each; the team is then left out, since its grids are gone.

            The new town — the source's layers and residents with the new grids and \
            micro-grids — is written to --out as a town folder that validates clean (every \
            vertex on the town folder's 7-decimal grid, so grids, micro-grids and the boundary \
            tile each other exactly; kept grids and the boundary gain the vertices where roads \
            meet their edges). A report follows: blocks, households per micro-grid (minimum, \
            median, maximum), and every micro-grid outside --homes with the reason.

            Examples:
              gridmap partition geodata/dacun --out out/dacun-partitioned
              gridmap partition town --out town-60 --homes 50..70
              gridmap partition town --out town-new --design-grids --micro-grids-per-grid 2..4
              gridmap partition geodata/dacun --out out/dacun-291 --micro-grids 291
            """)

    @Argument(help: ArgumentHelp("The town folder whose grids are designed.", valueName: "folder"))
    var source: String

    @Option(help: ArgumentHelp("The town folder to write (absent or empty; a town folder only with --replace).", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("Households per micro-grid, as a range.", valueName: "min..max"))
    var homes = "60..80"

    @Option(name: .customLong("micro-grids"), help: ArgumentHelp("Exactly this many micro-grids in all, shared among the grids by their households (instead of each grid's count following --homes).", valueName: "n"))
    var microGrids: Int?

    @Flag(name: .customLong("design-grids"), help: "Design the grids too, inside each village (the team is left out).")
    var designGrids = false

    @Option(name: .customLong("micro-grids-per-grid"), help: ArgumentHelp("With --design-grids: micro-grids per grid, as a range.", valueName: "min..max"))
    var microGridsPerGrid = "2..4"

    @Flag(help: "Write over --out even when it is a town folder.")
    var replace = false

    func validate() throws {
        _ = try validating { () throws(JobError) in try PartitionJob.range(homes, option: "--homes") }
        _ = try validating { () throws(JobError) in try PartitionJob.range(microGridsPerGrid, option: "--micro-grids-per-grid") }
        if let microGrids, microGrids < 1 { throw ValidationError("--micro-grids must be at least 1.") }
    }

    func run() throws {
        let request = PartitionRequest(homesPerMicroGrid: try PartitionJob.range(homes, option: "--homes"), keepGrids: !designGrids,
                                       microGridsPerGrid: try PartitionJob.range(microGridsPerGrid, option: "--micro-grids-per-grid"),
                                       microGridTotal: microGrids)
        let outcome = try PartitionJob.run(source: URL(fileURLWithPath: source), target: URL(fileURLWithPath: out), request: request, replace: replace)
        let report = outcome.report
        var lines = [
            "gridmap partition: \(out): \(outcome.data.grids.count) grids, \(outcome.data.microGrids.count) micro-grids from \(report.blocks) blocks",
            "households per micro-grid: minimum \(report.minimum), median \(report.median), maximum \(report.maximum); "
                + "\(report.homes.count - report.misses.count) of \(report.homes.count) within \(homes)",
        ]
        lines += report.notes
        if !report.homesOutside.isEmpty {
            lines.append("\(report.homesOutside.count) homes lie in no grid: \(report.homesOutside.prefix(10).joined(separator: ", "))\(report.homesOutside.count > 10 ? ", …" : "")")
        }
        if !report.misses.isEmpty {
            lines.append("micro-grids outside \(homes) households:")
            lines += report.misses.sorted { $0.microGrid < $1.microGrid }.map { "  \($0.microGrid)  \($0.homes) households: \($0.reason)" }
        }
        try FileSink.standardOutput().write(lines.joined(separator: "\n") + "\n")
    }
}
