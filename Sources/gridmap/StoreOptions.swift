import ArgumentParser
import Foundation
import GridMapCore
import GridStore

/// `--db PATH`, shared by every command that reads or writes a town store.
///
/// Without `--db`, commands use the default store (`$GRIDMAP_DB`, else
/// `~/.local/share/gridmap/dacun.sqlite`), which is built from the bundled Dacun data the first
/// time it is needed — with a message saying so — so that a newcomer's first command works.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The town store (an SQLite file; created if missing). Default: $GRIDMAP_DB, else ~/.local/share/gridmap/dacun.sqlite, built from geodata/dacun on first use.",
        valueName: "path"))
    var db: String?

    /// The store named by `--db`, or the default store, built from the bundled town if empty.
    func openStore() throws -> any TownStore {
        if let db { return try SQLiteTownStore(path: db) }
        let path = Self.defaultPath
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        let store = try SQLiteTownStore(path: path)
        if try store.info().imports == 0 {
            let folder = try BundledData.dacunFolder()
            StandardError.write("gridmap: no --db given; building the default store \(path) from \(folder.path) (first use)")
            let data = try TownFolder.read(from: folder)
            try store.importTown(data, source: folder.path)
        }
        return store
    }

    /// The store an import writes into: `--db`, or the default store without first filling it.
    func openStoreForImport() throws -> any TownStore {
        if let db { return try SQLiteTownStore(path: db) }
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: Self.defaultPath).deletingLastPathComponent(), withIntermediateDirectories: true)
        return try SQLiteTownStore(path: Self.defaultPath)
    }

    /// Opens the store for a command that needs a town in it, with a clear error when it is empty.
    func openTownStore() throws -> any TownStore {
        let store = try openStore()
        // openStore has filled the default store already; only an explicit --db can be empty.
        guard let db else { return store }
        guard try store.info().imports > 0 else {
            throw ValidationError("The store \(db) holds no town yet: run `gridmap import FOLDER --db \(db)` first.")
        }
        return store
    }

    static var defaultPath: String {
        if let path = ProcessInfo.processInfo.environment["GRIDMAP_DB"], !path.isEmpty { return path }
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        return home + "/.local/share/gridmap/dacun.sqlite"
    }
}

/// Finds the bundled reference town (geodata/dacun) wherever gridmap is run from.
enum BundledData {
    /// `$GRIDMAP_DATA` if set; otherwise geodata/dacun in the current folder or in a folder above
    /// the executable (a `swift build` tree lives inside the package).
    static func dacunFolder() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["GRIDMAP_DATA"], !path.isEmpty { return URL(fileURLWithPath: path) }
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            candidates.append(folder)
            folder.deleteLastPathComponent()
        }
        for base in candidates {
            let town = base.appendingPathComponent("geodata/dacun")
            if FileManager.default.fileExists(atPath: town.appendingPathComponent("manifest.json").path) { return town }
        }
        throw ValidationError("Cannot find the bundled town geodata/dacun: run gridmap from the GridMap folder, set GRIDMAP_DATA, or pass --db.")
    }
}
