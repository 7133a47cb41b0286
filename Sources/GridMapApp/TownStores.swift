import Foundation
import GridMapCore
import GridStore

/// Where GridMap keeps a town when no store is named, and how a job opens the store it works on.
///
/// Without an explicit path, jobs use the default store (`$GRIDMAP_DB`, else
/// `~/.local/share/gridmap/dacun.sqlite`), which is built from the bundled Dacun data the first
/// time it is needed — with a notice saying so — so that a newcomer's first command works.
///
/// Read commands never create a store and never need to write one: a store opened
/// ``readOnly``, or one whose file or folder the user cannot write (file mode, read-only media),
/// is opened read-only (``SQLiteTownStore/Access/readOnly``) and answers every read; an import
/// into it is refused before any work.
///
/// A path that is a PostgreSQL URI (`postgres://…` or `postgresql://…`) names a PostgreSQL +
/// PostGIS database instead (``PostgresTownStore``): it is opened as it is, its schema brought
/// up to date, and never built from the bundled town.
public struct TownStores: Sendable {
    /// The store's file or PostgreSQL URI, or nil for the default store. It may name a district
    /// (``DistrictStore``: a folder, or a database holding a district catalogue).
    public var path: String?
    /// The town to work on (`--town CODE`): in a district, the town whose store is opened; in a
    /// town store, the code it must hold.
    public var town: String?
    /// Open the store read-only, whether or not its file can be written (`--read-only`).
    public var readOnly: Bool
    /// The process environment (`GRIDMAP_DB`, `GRIDMAP_DATA`).
    public var environment: [String: String]
    /// Where the running program lives; the bundled town is looked for above it.
    public var executable: URL
    /// Told when the default store is built from the bundled town, and when an older store is
    /// upgraded (with where its backup copy is).
    public var notice: @Sendable (String) -> Void

    public init(path: String?, town: String? = nil, readOnly: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment,
                executable: URL = URL(fileURLWithPath: CommandLine.arguments[0]), notice: @escaping @Sendable (String) -> Void = { _ in }) {
        self.path = path
        self.town = town
        self.readOnly = readOnly
        self.environment = environment
        self.executable = executable
        self.notice = notice
    }

    /// `$GRIDMAP_DB`, else `~/.local/share/gridmap/dacun.sqlite`.
    public var defaultPath: String {
        if let path = environment["GRIDMAP_DB"], !path.isEmpty { return path }
        return FileManager.default.homeDirectoryForCurrentUser.path + "/.local/share/gridmap/dacun.sqlite"
    }

    /// The store named by `path`, or the default store, built from the bundled town if empty
    /// (``notice`` is told when that happens). A named store that does not exist is refused, not
    /// created: a mistyped `--db` on a read would otherwise leave an empty store behind.
    /// In a district, the store of the town ``town`` names (refused without one); in a town
    /// store, the store, refused when ``town`` names another town.
    public func open() throws(JobError) -> any TownStore {
        if let district = try district() { return try townStore(in: district, access: readOnly ? .readOnly : .readWrite) }
        let store = try openTownStore()
        if let town {
            let held = try asJobError { try store.town() }
            if let held, held.code != town {
                throw .invalidRequest("The store \(store.location) holds town \(held.code) (\(held.name)), not \(town); leave out --town or name the store that holds \(town).")
            }
        }
        return store
    }

    /// The district ``path`` names, or nil when it names a town store or nothing yet.
    public func district() throws(JobError) -> (any DistrictStore)? {
        guard let path else { return nil }
        let access: SQLiteTownStore.Access = readOnly ? .readOnly : .readWrite
        if Self.isPostgres(path) {
            let isDistrict = try asJobError { try PostgresDistrict.isDistrict(path) }
            guard isDistrict else { return nil }
            return try asJobError { try PostgresDistrict(uri: path, access: access) }
        }
        guard SQLiteDistrict.isDistrict(path) else { return nil }
        return try asJobError { try SQLiteDistrict(folder: path, access: Self.canWrite(path + "/" + "district.sqlite") ? access : .readOnly) }
    }

    /// The district ``path`` names, made (an empty catalogue) when it does not exist yet: what
    /// an import of a district folder, or with `--district`, writes into.
    public func districtForImport() throws(JobError) -> any DistrictStore {
        let target = path ?? defaultPath
        guard !readOnly else { throw .invalidRequest("An import writes the district \(target): it cannot run with --read-only; nothing was changed.") }
        if Self.isPostgres(target) {
            return try asJobError { try PostgresDistrict(uri: target, access: .readWrite, creating: true) }
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: target, isDirectory: &isFolder) {
            if !isFolder.boolValue {
                throw .invalidRequest("\(target) is a file (a town store); a district is a folder: name a new or empty folder with --db.")
            }
            if !SQLiteDistrict.isDistrict(target), !((try? FileManager.default.contentsOfDirectory(atPath: target))?.isEmpty ?? false) {
                throw .invalidRequest("The folder \(target) is neither a district nor empty; name a new or empty folder with --db for a district.")
            }
        }
        return try asJobError { try SQLiteDistrict(folder: target, access: .readWrite, creating: true) }
    }

    /// The store of the district's town ``town``, or a refusal naming the district's towns.
    func townStore(in district: any DistrictStore, access: SQLiteTownStore.Access) throws(JobError) -> any TownStore {
        let towns = try asJobError { try district.towns() }
        let list = towns.map { "\($0.code) \($0.name)" }.joined(separator: ", ")
        guard let town else {
            throw .invalidRequest("\(district.location) is a district of \(towns.count) town\(towns.count == 1 ? "" : "s") (\(list)): name one with --town CODE.")
        }
        guard towns.contains(where: { $0.code == town }) else {
            throw .invalidRequest("The district \(district.location) has no town \(town); its towns: \(list.isEmpty ? "none yet" : list).")
        }
        return try asJobError { try district.openTown(town, access: access) }
    }

    private func openTownStore() throws(JobError) -> any TownStore {
        if let path, Self.isPostgres(path) { return try openPostgres(path) }
        if let path {
            guard FileManager.default.fileExists(atPath: path) else {
                throw .invalidRequest("No store at \(path): run `gridmap import FOLDER --db \(path)` to make one.")
            }
            return try openFile(path)
        }
        if readOnly {
            // Read-only, the default store cannot be built: it must hold a town already.
            let path = defaultPath
            let unbuilt = JobError.invalidRequest("The default store \(path) holds no town yet, and --read-only cannot build it: run a command once without --read-only.")
            guard FileManager.default.fileExists(atPath: path) else { throw unbuilt }
            let store = try openFile(path)
            let imports = try asJobError { try store.info().imports }
            guard imports > 0 else { throw unbuilt }
            return store
        }
        let store = try openDefault()
        let imports = try asJobError { try store.info().imports }
        if imports == 0 {
            let folder = try bundledTown()
            notice("no --db given; building the default store \(defaultPath) from \(folder.path) (first use)")
            try asJobError {
                let data = try TownFolder.read(from: folder)
                try store.importTown(data, source: folder.path)
            }
        }
        return store
    }

    /// The store an import writes into: `path`, or the default store without first filling it.
    /// Refused with ``readOnly``, or when the user cannot write the store's file or folder.
    public func openForImport() throws(JobError) -> any TownStore {
        let target = path ?? defaultPath
        guard !readOnly else {
            throw .invalidRequest("An import writes the store \(Self.isPostgres(target) ? PostgresTownStore.redacted(target) : target): it cannot run with --read-only; nothing was changed.")
        }
        if let district = try district() { return try townStore(in: district, access: .readWrite) }
        if Self.isPostgres(target) { return try openPostgres(target) }
        // (The default store's folder may not exist yet: it is made below.)
        let folder = URL(fileURLWithPath: target).deletingLastPathComponent().path
        if FileManager.default.fileExists(atPath: folder) && !Self.canWrite(target) {
            throw .cannotStart("Cannot import into \(target): the store (or its folder) cannot be written here; nothing was changed.")
        }
        if let path { return try openFile(path) }
        return try openDefault()
    }

    /// The store, refusing an explicitly named one that holds no town yet.
    public func openWithTown() throws(JobError) -> any TownStore {
        let store = try open()
        // open has filled the default store already; only an explicit path can be empty.
        guard let path else { return store }
        let imports = try asJobError { try store.info().imports }
        guard imports > 0 else {
            throw .invalidRequest("The store \(store.location) holds no town yet: run `gridmap import FOLDER --db \(store.location)` first.")
        }
        return store
    }

    /// The bundled reference town (geodata/dacun): `$GRIDMAP_DATA` if set; otherwise
    /// geodata/dacun in the current folder or in a folder above the executable (a `swift build`
    /// tree lives inside the package).
    public func bundledTown() throws(JobError) -> URL {
        if let path = environment["GRIDMAP_DATA"], !path.isEmpty { return URL(fileURLWithPath: path) }
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        var folder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            candidates.append(folder)
            folder.deleteLastPathComponent()
        }
        for base in candidates {
            let town = base.appendingPathComponent("geodata/dacun")
            if FileManager.default.fileExists(atPath: town.appendingPathComponent("manifest.json").path) { return town }
        }
        throw .invalidRequest("Cannot find the bundled town geodata/dacun: run gridmap from the GridMap folder, set GRIDMAP_DATA, or pass --db.")
    }

    private func openDefault() throws(JobError) -> any TownStore {
        let path = defaultPath
        // The default store holds personal data: its folder is its owner's alone (0700).
        try asJobError {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        }
        return try openFile(path)
    }

    /// Whether `path` is a PostgreSQL URI rather than a file.
    static func isPostgres(_ path: String) -> Bool {
        path.hasPrefix("postgres://") || path.hasPrefix("postgresql://")
    }

    /// The PostgreSQL store at `uri`, read-only when asked.
    private func openPostgres(_ uri: String) throws(JobError) -> any TownStore {
        try asJobError { try PostgresTownStore(uri: uri, access: readOnly ? .readOnly : .readWrite) }
    }

    /// The store at `path`, opened read-only when asked or when the user cannot write it.
    private func openFile(_ path: String) throws(JobError) -> any TownStore {
        let access: SQLiteTownStore.Access = readOnly || !Self.canWrite(path) ? .readOnly : .readWrite
        return try asJobError { try SQLiteTownStore(path: path, access: access, notice: notice) }
    }

    /// Whether this user may write the file at `path` (when it exists) and its folder, where
    /// SQLite keeps the write-ahead log: not on read-only media, nor without permission.
    private static func canWrite(_ path: String) -> Bool {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return (!FileManager.default.fileExists(atPath: path) || access(path, W_OK) == 0) && access(folder, W_OK) == 0
    }
}
