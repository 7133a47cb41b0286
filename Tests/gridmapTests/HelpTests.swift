import Testing

@Suite("gridmap --help")
struct HelpTests {
    @Test("the root help lists every subcommand with an example")
    func rootHelpListsSubcommands() throws {
        let result = try GridMapExecutable.run(["--help"])
        #expect(result.status == 0)
        let commands = ["import", "validate", "info", "export", "map", "locate", "nearest", "select",
                        "assign", "route", "tour", "check", "transform"]
        let lines = result.stdout.split(separator: "\n")
        for name in commands {
            #expect(lines.contains { $0.hasPrefix("  \(name) ") }, "the SUBCOMMANDS list lacks \(name)")
        }
        #expect(result.stdout.contains("Examples:"))
    }
}
