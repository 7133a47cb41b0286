import Foundation
import Testing

/// `gridmap ledger sync --queue FILE`: the rows it cannot use, written where the office asks.
@Suite("gridmap ledger sync: the queue file")
struct LedgerSyncCommandTests {
    typealias Workspace = TownCommandsTests.Workspace

    @Test("the queued rows go to --queue as a file only its owner can read, since they quote the ledger")
    func queueFileIsOwnerOnly() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let ledger = work.file("ledger.csv")
        var rows = try String(contentsOf: TownCommandsTests.tinyTown.appendingPathComponent("residents.csv"), encoding: .utf8)
        if !rows.hasSuffix("\n") { rows += "\n" }
        rows += "R-99,李四,no-such-home,veteran,13700000000,1960\n"
        try rows.write(to: ledger, atomically: true, encoding: .utf8)
        let queue = work.file("queued.txt")
        let result = try GridMapExecutable.run(["ledger", "sync", ledger.path, "--dry-run", "--role", "office",
                                                "--queue", queue.path, "--db", work.db])
        // A queued row is a row not applied: the command says so by its status.
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("1 queued; nothing recorded (--dry-run)"), "\(result.stderr)")
        let queued = try String(contentsOf: queue, encoding: .utf8)
        #expect(queued.contains("no-such-home"), "\(queued)")
        let mode = try FileManager.default.attributesOfItem(atPath: queue.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
