import Foundation
import GridMapApp
import GridStore
import Testing

/// How the jobs open a store: read-only when asked or when the file cannot be written, and an
/// import refused before any of its work when the store cannot take it.
@Suite("Opening a store for reading and for an import")
struct TownStoresAccessTests {
    /// A temporary folder holding `town.sqlite` with the tiny town imported, removed afterwards.
    static func withImportedStore(_ body: (_ folder: URL, _ path: String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-access-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("town.sqlite").path
        try TownTransfer.importFolder(TestTown.fixture, crs: nil, into: TownStores(path: path).openForImport())
        try body(folder, path)
    }

    @Test("--read-only opens the store read-only; an import is refused before its folder is even read")
    func readOnlyStore() throws {
        try Self.withImportedStore { folder, path in
            let store = try TownStores(path: path, readOnly: true).openWithTown()
            #expect((store as? SQLiteTownStore)?.access == .readOnly)
            #expect(try store.summary().townCode == "TT")
            #expect(throws: JobError.invalidRequest("An import writes the store \(path): it cannot run with --read-only; nothing was changed.")) {
                try TownStores(path: path, readOnly: true).openForImport()
            }
            // The store itself refuses first: the folder named here does not exist.
            let nowhere = folder.appendingPathComponent("no-such-town")
            #expect(throws: JobError(.cannotStart, "cannot import into \(path): the store is open read-only; nothing was changed")) {
                try TownTransfer.importFolder(nowhere, crs: nil, into: store)
            }
        }
    }

    @Test("a second import into a store is refused before its folder is read while the first holds the store")
    func secondImportIsRefusedAtOnce() throws {
        try Self.withImportedStore { folder, path in
            let first = try TownStores(path: path).openForImport()
            let claim = try first.reserveForImport()
            defer { claim.release() }
            let error = try #require(throws: JobError.self) {
                try TownTransfer.importFolder(folder.appendingPathComponent("no-such-town"), crs: nil,
                                              into: TownStores(path: path).openForImport())
            }
            #expect(error.kind == .cannotStart)
            #expect(error.message.hasPrefix("another import is running into \(path) (since "))
            #expect(error.message.hasSuffix(", pid \(getpid())); nothing was changed"))
        }
    }

    /// Root may write any file, so the file mode cannot stop it: this runs for other users only.
    @Test("a store its user cannot write is opened read-only and answers reads; an import is refused",
          .enabled(if: getuid() != 0))
    func unwritableStore() throws {
        try Self.withImportedStore { folder, path in
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder.path) }
            let store = try TownStores(path: path).openWithTown()
            #expect((store as? SQLiteTownStore)?.access == .readOnly)
            #expect(try store.summary().townCode == "TT")
            for target in [path, folder.appendingPathComponent("new.sqlite").path] {
                #expect(throws: JobError(.cannotStart, "Cannot import into \(target): the store (or its folder) cannot be written here; nothing was changed.")) {
                    try TownStores(path: target).openForImport()
                }
            }
        }
    }
}
