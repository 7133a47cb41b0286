import Foundation
import Testing

/// `gridmap resident import`: the tiny town, its register begun on 2026-01-01.
@Suite("gridmap resident import")
struct ResidentImportCommandTests {
    typealias Workspace = TownCommandsTests.Workspace

    static func imported() throws -> Workspace {
        let work = try Workspace()
        let town = try work.copyOfTinyTown(named: "town")
        try Workspace.addToManifest("\"registerSince\": \"2026-01-01\"", in: town)
        let imported = try GridMapExecutable.run(["import", town.path, "--db", work.db])
        #expect(imported.status == 0, "\(imported.stderr)")
        return work
    }

    static func write(_ text: String, _ work: Workspace) throws -> String {
        let path = work.folder.appendingPathComponent("changes.jsonl").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a file of changes is recorded whole, each line an entry of the history, and the month-end counts follow it")
    func recordsTheFile() throws {
        let work = try Self.imported()
        defer { work.remove() }
        let file = try Self.write("""
            {"do":"change","resident":"R-1","addCategories":["disabled"],"effective":"2026-03-01","reason":"certificate"}
            {"do":"move","resident":"R-1","home":"home-2","effective":"2026-04-01"}
            {"do":"remove","resident":"R-2","effective":"2026-05-01","by":"派出所","reason":"died"}
            """, work)
        let result = try GridMapExecutable.run(["resident", "import", file, "--by", "clerk", "--db", work.db])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "gridmap resident import: 3 changes recorded from \(file) (0 add, 1 change, 1 move, 1 remove), effective 2026-03-01 to 2026-05-01\n")
        let history = try GridMapExecutable.run(["history", "--role", "office", "--db", work.db])
        #expect(history.stdout.split(separator: "\n").map { $0.split(separator: " ").prefix(4).joined(separator: " ") }
                == ["#1 2026-03-01 change resident", "#2 2026-04-01 move resident", "#3 2026-05-01 remove resident"])
        #expect(history.stdout.contains(" by clerk ") && history.stdout.contains(" by 派出所 "))
    }

    @Test("a bad line is refused by its number with exit status 64, a change the rules refuse with 64 too, and nothing is recorded")
    func refusesByLine() throws {
        let work = try Self.imported()
        defer { work.remove() }
        let bad = try Self.write("""
            {"do":"change","resident":"R-1","addCategories":["disabled"],"effective":"2026-03-01"}
            {"do":"change","resident":"R-9","addCategories":["disabled"],"effective":"2026-03-01"}
            """, work)
        let refused = try GridMapExecutable.run(["resident", "import", bad, "--db", work.db])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("changes.jsonl line 2: there is no resident R-9 on the register"), "\(refused.stderr)")
        let early = try Self.write(#"{"do":"remove","resident":"R-2","effective":"2025-12-31","reason":"died"}"# + "\n", work)
        let before = try GridMapExecutable.run(["resident", "import", early, "--db", work.db])
        #expect(before.status == 64)
        #expect(before.stderr.contains("changes.jsonl line 1: resident R-2 effective 2025-12-31 is before the register began"), "\(before.stderr)")
        let history = try GridMapExecutable.run(["history", "--role", "office", "--db", work.db])
        #expect(history.stdout.isEmpty)
    }
}
