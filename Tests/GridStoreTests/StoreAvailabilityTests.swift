import Foundation
import GRDB
import GridMapCore
import SeededRandom
import Testing
@testable import GridStore

/// The file store under use: opened read-only, read while imports run, claimed by one import at
/// a time, and killed midway through an import.
@Suite("The SQLite store stays available and whole")
struct StoreAvailabilityTests {
    static var isRoot: Bool { getuid() == 0 }

    @Test("a store opened read-only answers every read, refuses an import, and never writes its file")
    func readOnlyStoreAnswersReads() throws {
        try SyntheticTown.withTemporaryPath { path in
            try SQLiteTownStore(path: path).importTown(SyntheticTown.data, source: "synthetic")
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            let store = try SQLiteTownStore(path: path, access: .readOnly)
            #expect(store.access == .readOnly)
            #expect(try store.loadTown() == SyntheticTown.data)
            #expect(try store.info().imports == 1)
            #expect(try store.summary().residents == SyntheticTown.data.residents.count)
            #expect(try store.features(of: .home, in: .grid(SyntheticTown.code("TS-001"))).isEmpty == false)
            #expect(try store.locatedResidents(in: nil, categories: [], page: .all).count == SyntheticTown.data.residents.count)
            let refusal = StoreError.importRefused("cannot import into \(path): the store is open read-only")
            #expect(throws: refusal) { try store.importTown(SyntheticTown.data, source: "again") }
            #expect(throws: refusal) { try store.reserveForImport() }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        }
    }

    @Test("a read-only open of a file that does not exist creates nothing")
    func readOnlyNeverCreates() throws {
        try SyntheticTown.withTemporaryPath { path in
            #expect(throws: StoreError.cannotOpen(path: path, reason: "no such file")) {
                try SQLiteTownStore(path: path, access: .readOnly)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test("an immutable open, as on read-only media, reads a store whose log is empty and creates nothing beside it")
    func immutableOpenReads() throws {
        try SyntheticTown.withTemporaryPath { path in
            try SQLiteTownStore(path: path).importTown(SyntheticTown.data, source: "synthetic")
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            #expect(FileConnection.walIsEmpty(path))
            let connection = try FileConnection.readOnly(path, immutable: true)
            #expect(try connection.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM residents") } == SyntheticTown.data.residents.count)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == names)
        }
    }

    /// Root may write any file, so the file mode cannot stop it: this runs for other users only.
    @Test("a store in a folder and file its user cannot write answers reads", .enabled(if: !isRoot))
    func unwritableStoreAnswersReads() throws {
        try SyntheticTown.withTemporaryPath { path in
            try SQLiteTownStore(path: path).importTown(SyntheticTown.data, source: "synthetic")
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder) }
            let store = try SQLiteTownStore(path: path, access: .readOnly)
            #expect(try store.loadTown() == SyntheticTown.data)
        }
    }

    @Test("readers, and stores opened afresh, during imports never fail and never see half an import")
    func readersDuringImports() throws {
        try SyntheticTown.withTemporaryPath { path in
            try SQLiteTownStore(path: path).importTown(SyntheticTown.data, source: "first")
            let expected = try SQLiteTownStore(path: path).summary()
            let log = FailureLog()
            let importing = RunningFlag()
            let finished = DispatchGroup()
            finished.enter()
            Thread.detachNewThread {
                defer { importing.stop(); finished.leave() }
                do {
                    let store = try SQLiteTownStore(path: path)
                    for round in 1...8 { try store.importTown(SyntheticTown.data, source: "round \(round)") }
                } catch {
                    log.record("import: \(error)")
                }
            }
            for reader in 1...2 {
                finished.enter()
                Thread.detachNewThread {
                    defer { finished.leave() }
                    var rounds = 0
                    // Each round opens the store afresh, as each command does.
                    while rounds < 10 || importing.isRunning {
                        rounds += 1
                        do {
                            let store = try SQLiteTownStore(path: path)
                            let summary = try store.summary()
                            if summary != expected { log.record("reader \(reader): half an import: \(summary)") }
                            if try store.loadTown() != SyntheticTown.data { log.record("reader \(reader): the town differs") }
                        } catch {
                            log.record("reader \(reader): \(error)")
                        }
                    }
                }
            }
            finished.wait()
            #expect(log.entries.isEmpty)
            #expect(try SQLiteTownStore(path: path).info().imports == 9)
        }
    }

    @Test("while one import holds a store, a second is refused at once naming the first's pid; the lock file is 0600")
    func importLock() throws {
        try SyntheticTown.withTemporaryPath { path in
            let first = try SQLiteTownStore(path: path)
            let second = try SQLiteTownStore(path: path)
            let claim = try first.reserveForImport()
            let error = try #require(throws: StoreError.self) { try second.reserveForImport() }
            guard case .importRefused(let reason) = error else { Issue.record("not importRefused: \(error)"); return }
            #expect(reason.wholeMatch(of: /another import is running into (.+) \(since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, pid (\d+)\)/).map {
                ($0.output.1 == path, $0.output.2 == Substring("\(getpid())"))
            } ?? (false, false) == (true, true), "\(reason)")
            #expect("\(error)".hasSuffix("; nothing was changed"))
            #expect(try FileManager.default.attributesOfItem(atPath: path + ".import-lock")[.posixPermissions] as? Int == 0o600)
            claim.release()
            let again = try second.reserveForImport()
            again.release()
            // An in-memory store has no other writer: claims never conflict.
            let memory = try SQLiteTownStore()
            let one = try memory.reserveForImport(), two = try memory.reserveForImport()
            one.release()
            two.release()
        }
    }

    @Test("an import lock planted as a symbolic link is refused, and the file it points to is left as it was")
    func importLockIsNotFollowed() throws {
        try SyntheticTown.withTemporaryPath { path in
            let victim = path + ".victim"
            try Data("precious\n".utf8).write(to: URL(fileURLWithPath: victim))
            try FileManager.default.createSymbolicLink(atPath: path + ".import-lock", withDestinationPath: victim)
            let store = try SQLiteTownStore(path: path)
            let error = try #require(throws: StoreError.self) { try store.reserveForImport() }
            #expect("\(error)".hasPrefix("cannot import into \(path): cannot open its import lock \(path).import-lock: "))
            #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
        }
    }

    @Test("an import killed at random moments leaves the store holding the old town or the new one, never a mix",
          .timeLimit(.minutes(3)))
    func killDuringImport() throws {
        let gridmap = GridMapBinary.url.path
        try #require(FileManager.default.isExecutableFile(atPath: gridmap), "build gridmap first: swift build --build-tests")
        try SyntheticTown.withTemporaryPath { path in
            let work = URL(fileURLWithPath: path).deletingLastPathComponent()
            // The new town differs from the old one in the town, homes and residents tables, and
            // has 5,000 more residents, so that its write lasts long enough to be killed in.
            let oldTown = GridMapBinary.tinyTown
            let newTown = work.appendingPathComponent("new-town")
            try FileManager.default.copyItem(at: oldTown, to: newTown)
            for name in try FileManager.default.contentsOfDirectory(atPath: newTown.path) {
                let file = newTown.appendingPathComponent(name)
                var text = try String(contentsOf: file, encoding: .utf8)
                    .replacingOccurrences(of: "小镇", with: "新镇").replacingOccurrences(of: "张三", with: "张叁")
                if name == "residents.csv" {
                    text += (1...5_000).map { "R-\($0 + 1000),居民\($0),home-\(1 + $0 % 2),,,\n" }.joined()
                }
                try text.write(to: file, atomically: true, encoding: .utf8)
            }
            func imported(_ folder: URL, into db: String) throws -> TownData? {
                let result = try GridMapBinary.run(["import", folder.path, "--db", db])
                try #require(result.status == 0, "\(result.stderr)")
                return try SQLiteTownStore(path: db).loadTown()
            }
            let old = try imported(oldTown, into: work.appendingPathComponent("old.sqlite").path)
            let started = Date.now
            let new = try imported(newTown, into: work.appendingPathComponent("new.sqlite").path)
            let importTime = Date.now.timeIntervalSince(started)
            try #require(old != nil && new != nil && old != new)
            _ = try imported(oldTown, into: path)

            var random = SplitMix64(seed: 15)
            var killed = 0
            for round in 1...15 {
                let process = Process()
                process.executableURL = GridMapBinary.url
                process.arguments = ["import", (round.isMultiple(of: 2) ? oldTown : newTown).path, "--db", path]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                usleep(UInt32(Double.random(in: 0...1.2, using: &random) * importTime * 1_000_000))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                if process.terminationReason == .uncaughtSignal { killed += 1 }
                let town = try SQLiteTownStore(path: path).loadTown()
                #expect(town == old || town == new, "round \(round): the store holds neither town")
            }
            // The rounds are bounded, so some may finish before the kill; most must not.
            #expect(killed > 0)
        }
    }
}

/// Errors seen by the threads of a test, kept under a lock.
private final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func record(_ entry: String) { lock.withLock { stored.append(entry) } }
    var entries: [String] { lock.withLock { stored } }
}

/// Whether a thread's work is still running, for other threads to read.
private final class RunningFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var running = true
    var isRunning: Bool { lock.withLock { running } }
    func stop() { lock.withLock { running = false } }
}

/// The built `gridmap` command and the tiny town its tests import (Tests/gridmapTests/Fixtures).
enum GridMapBinary {
    /// SwiftPM puts the test bundle and the `gridmap` executable in the same products folder.
    static var url: URL {
        var folder = Bundle.main.bundleURL
        if folder.pathExtension == "xctest" { folder.deleteLastPathComponent() }
        return folder.appendingPathComponent("gridmap")
    }

    static let tinyTown = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../gridmapTests/Fixtures/tiny-town").standardized

    static func run(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }
}
