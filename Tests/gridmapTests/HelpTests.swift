import Testing

@Suite("gridmap --help")
struct HelpTests {
    @Test("the root help lists every subcommand with an example")
    func rootHelpListsSubcommands() throws {
        let result = try GridMapExecutable.run(["--help"])
        #expect(result.status == 0)
        for name in ["transform", "check", "Examples:"] {
            #expect(result.stdout.contains(name), "help lacks \(name)")
        }
    }
}
