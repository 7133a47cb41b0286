import Foundation
import Testing

/// The store's availability seen from the command line: `--read-only`, the import lock, and
/// read commands that never create a store.
@Suite("gridmap and its store: read-only, one import at a time")
struct StoreCommandsTests {
    typealias Workspace = TownCommandsTests.Workspace

    /// Every read command, as a user types it against the tiny town.
    static let reads: [[String]] = [
        ["info"], ["info", "--grids"], ["info", "--grid", "TT-001"],
        ["select", "--category", "veteran,disabled", "--role", "office"], ["select", "--counts"],
        ["export", "--layer", "homes"], ["export", "--layer", "residents", "--role", "office"],
        ["validate"], ["locate", "119.805", "35.902"], ["nearest", "--kind", "wells", "119.803", "35.903"],
    ]

    @Test("--read-only answers every read command and leaves the store's file as it was")
    func readOnlyAnswersReads() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let answers = try Self.reads.map { try GridMapExecutable.run($0 + ["--db", work.db]).stdout }
        // Taken after the plain reads, which may have moved the import's log into the file.
        let before = try Self.committed(work.db)
        for (command, answer) in zip(Self.reads, answers) {
            let readOnly = try GridMapExecutable.run(command + ["--db", work.db, "--read-only"])
            #expect(readOnly.status == 0, "\(command): \(readOnly.stderr)")
            #expect(readOnly.stdout == answer, "\(command)")
        }
        #expect(try Self.committed(work.db) == before)
    }

    /// The store's file and its write-ahead log (empty when there is none): what it holds.
    static func committed(_ db: String) throws -> [Data] {
        [db, db + "-wal"].map { (try? Data(contentsOf: URL(fileURLWithPath: $0))) ?? Data() }
    }

    @Test("an import with --read-only is refused before any work, and the store keeps its town")
    func importReadOnlyIsRefused() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let before = try Self.committed(work.db)
        let result = try GridMapExecutable.run(["import", TownCommandsTests.tinyTown.path, "--db", work.db, "--read-only"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("An import writes the store \(work.db): it cannot run with --read-only; nothing was changed."))
        #expect(try Self.committed(work.db) == before)
    }

    @Test("an import while another holds the store is refused at once, naming the other's pid and start")
    func importWhileAnotherRuns() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        // Play the running import: hold the lock its file names, with its record inside.
        let lock = open(work.db + ".import-lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        try #require(lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) == 0)
        defer { close(lock) }
        let record = Array("pid 4242 since 2026-12-01T08:00:00Z\n".utf8)
        #expect(ftruncate(lock, 0) == 0 && pwrite(lock, record, record.count, 0) == record.count)
        let folder = try work.copyOfTinyTown(named: "again")
        let result = try GridMapExecutable.run(["import", folder.path, "--db", work.db])
        #expect(result.status == 2)
        #expect(result.stderr.contains(
            "another import is running into \(work.db) (since 2026-12-01T08:00:00Z, pid 4242); nothing was changed"), "\(result.stderr)")
        let info = try GridMapExecutable.run(["info", "--db", work.db])
        #expect(info.stdout.contains("小镇 Tiny Town (TT)"))
        // Once the other is done, the import runs.
        flock(lock, LOCK_UN)
        #expect(try GridMapExecutable.run(["import", folder.path, "--db", work.db]).status == 0)
    }

    @Test("a read command with a mistyped --db, read-only or not, creates no store")
    func mistypedStoreIsNotCreated() throws {
        let work = try Workspace()
        defer { work.remove() }
        let typo = work.file("tonw.sqlite").path
        for extra in [[], ["--read-only"]] {
            let result = try GridMapExecutable.run(["info", "--db", typo] + extra)
            #expect(result.status == 64)
            #expect(result.stderr.contains("No store at \(typo)"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.folder.path).isEmpty)
    }

    @Test("--read-only with no default store yet says how to build it, and builds nothing")
    func readOnlyDefaultStoreIsNotBuilt() throws {
        let work = try Workspace()
        defer { work.remove() }
        let store = work.file("default.sqlite").path
        let result = try GridMapExecutable.run(["info", "--read-only"],
                                               environment: ["GRIDMAP_DB": store, "GRIDMAP_DATA": TownCommandsTests.tinyTown.path])
        #expect(result.status == 64)
        #expect(result.stderr.contains("The default store \(store) holds no town yet, and --read-only cannot build it"))
        #expect(!FileManager.default.fileExists(atPath: store))
    }
}
