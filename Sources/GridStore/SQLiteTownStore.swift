import Foundation
import GRDB
import GridMapCore

/// The embedded store: one SQLite file per town, through GRDB.
///
/// A file store opened for writing uses a `DatabasePool`, which runs SQLite in WAL mode: readers
/// never block the writer and an interrupted write leaves the last committed state. Every
/// connection waits up to ``busyTimeout`` for a lock instead of failing with "database is
/// locked". All methods are synchronous and thread-safe (GRDB serialises writes, and each read
/// is one read transaction, so one snapshot); GEOS work happens in a context made inside each
/// call.
///
/// Opening never writes before it knows the file's schema (``StoredSchema``, read through a
/// read-only connection): a file written by a newer GridMap is refused untouched; a file
/// missing a table or column its schema has is refused with the table and column named; an
/// older file is copied beside itself (`<file>.backup-<schema>-<UTC time>`, 0600, with SQLite's
/// online backup) and then migrated; a file that is up to date is not migrated. (GRDB's pool
/// still commits one empty transaction when it opens a file that has no `-wal`, to make one: a
/// file the user cannot write is therefore opened read-only by GridMapApp's `TownStores`.) Tables
/// and columns the schema does not have are kept: reads ignore them, and imports are refused,
/// since an import would lose their values. Opened ``Access/readOnly``, the store never
/// writes.
public final class SQLiteTownStore: TownStore {
    let database: any DatabaseWriter
    /// The file's path; nil for an in-memory store.
    public let path: String?
    /// How the file was opened.
    public let access: Access
    /// What the file holds beyond this GridMap's schema, each in words (``SchemaStanding/unknown``).
    let unknownSchema: [String]

    /// How a store's file is opened.
    public enum Access: Sendable, Hashable {
        /// Reads and imports: the file is created if missing and migrated if older.
        case readWrite
        /// Reads only, for a file the user may not or cannot write (`--read-only`, file mode,
        /// read-only media): nothing is ever written, and an import is refused.
        case readOnly
    }

    /// How long a connection waits for another's lock (an import's write, a checkpoint).
    public static let busyTimeout: TimeInterval = 5

    /// Opens the store at `path`. Read-write, a missing file is created — readable and
    /// writable by its owner only (0600), since it holds residents' names and phones; SQLite
    /// gives its WAL and shared-memory files the same mode. `notice` is told when an older file
    /// is upgraded, and where its backup copy is.
    public convenience init(path: String, access: Access = .readWrite, notice: (String) -> Void = { _ in }) throws(StoreError) {
        try self.init(path: path, access: access, migrator: StoreSchema.migrator, notice: notice)
    }

    /// Opens the store at `path` against the schema of `migrator` (tests pass a longer one to
    /// play an upgrade).
    init(path: String, access: Access, migrator: DatabaseMigrator, notice: (String) -> Void) throws(StoreError) {
        switch access {
        case .readWrite:
            let created = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if created >= 0 { close(created) }
        case .readOnly:
            guard FileManager.default.fileExists(atPath: path) else { throw .cannotOpen(path: path, reason: "no such file") }
        }
        let standing = try Self.opening(path) { try StoredSchema.read(at: path) }.standing(against: migrator, path: path)
        switch access {
        case .readWrite:
            database = try Self.openForWriting(path, standing, migrator, notice)
        case .readOnly:
            if let needed = standing.pending.last {
                throw .cannotOpen(path: path, reason: standing.level.map {
                    "it was written by an older GridMap (schema '\($0)') and this GridMap needs '\(needed)': open it once without --read-only to upgrade it (a backup copy is made first)"
                } ?? "it is empty, not a GridMap store yet")
            }
            database = try Self.openForReading(path)
        }
        self.path = path
        self.access = access
        unknownSchema = standing.unknown
    }

    /// A store that lives in memory only (tests, dry runs); SQLite has no WAL there.
    public init() throws(StoreError) {
        do {
            let queue = try DatabaseQueue(configuration: Self.configuration)
            try StoreSchema.migrator.migrate(queue)
            database = queue
        } catch {
            throw .cannotOpen(path: ":memory:", reason: "\(error)")
        }
        path = nil
        access = .readWrite
        unknownSchema = []
    }

    private static var configuration: Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "GridStore"
        return configuration
    }

    /// Opens the pool that reads and writes the file, migrating it when it is older (after a
    /// backup copy) or new. A file that is up to date is not migrated.
    private static func openForWriting(_ path: String, _ standing: SchemaStanding, _ migrator: DatabaseMigrator,
                                       _ notice: (String) -> Void) throws(StoreError) -> DatabasePool {
        let pool = try opening(path) { try DatabasePool(path: path, configuration: configuration) }
        guard let target = standing.pending.last else { return pool }
        guard let level = standing.level else {
            // A new, empty file: nothing to keep a copy of.
            try opening(path) { try migrator.migrate(pool) }
            return pool
        }
        let backup = try backUp(pool, path: path, schema: level)
        do {
            // GRDB applies each migration in its own transaction: a failure leaves the file at the
            // last migration that succeeded, and the backup holds it as it was.
            try migrator.migrate(pool)
        } catch {
            // Another process opening the same older file may have upgraded it first, and this
            // attempt then fails on what that one made: the file is up to date, as this open needs.
            if (try? pool.read { db in try migrator.hasCompletedMigrations(db) }) == true { return pool }
            throw .cannotOpen(path: path, reason: "upgrading its schema from '\(level)' to '\(target)' failed: \(error); a copy from before the upgrade is in \(backup)")
        }
        notice("upgraded the store \(path) from schema '\(level)' to '\(target)'; a copy from before the upgrade is in \(backup)")
        return pool
    }

    /// Copies the file with SQLite's online backup (one consistent snapshot, whatever else reads
    /// it) to `<path>.backup-<schema's short name>-<UTC time>`, a new file of mode 0600 in
    /// rollback-journal mode.
    private static func backUp(_ pool: DatabasePool, path: String, schema: String) throws(StoreError) -> String {
        let short = String(schema.prefix { $0 != ":" }.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        let time = Date.now.formatted(Date.ISO8601FormatStyle(dateSeparator: .omitted, timeSeparator: .omitted))
        let base = "\(path).backup-\(short.isEmpty ? "schema" : short)-\(time)"
        var backup = base
        var created = open(backup, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        var attempt = 1
        while created < 0 && errno == EEXIST && attempt < 100 {
            attempt += 1
            backup = "\(base)-\(attempt)"
            created = open(backup, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        }
        guard created >= 0 else {
            throw .cannotOpen(path: path, reason: "cannot create the backup copy \(backup) before upgrading it: \(String(cString: strerror(errno))); nothing was changed")
        }
        close(created)
        do {
            let copy = try DatabaseQueue(path: backup)
            try pool.backup(to: copy)
            // The copy takes the store's WAL mode with its pages; in rollback mode it is one
            // file, which can be moved or read read-only without files beside it.
            try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
        } catch {
            throw .cannotOpen(path: path, reason: "cannot copy it to \(backup) before upgrading it: \(error); nothing was changed")
        }
        return backup
    }

    /// Opens a read-only connection. SQLite reads a WAL file read-only through its `-shm`, which
    /// it creates when the folder can be written; on read-only media, or in a folder the user
    /// cannot write, it cannot, and then the file is opened immutable — right when no log is
    /// pending, since the main file then holds every commit. A pending log without its `-shm`
    /// cannot be read, and is refused in words.
    private static func openForReading(_ path: String) throws(StoreError) -> DatabaseQueue {
        do {
            let queue = try FileConnection.readOnly(path, immutable: false, configuration: configuration)
            try queue.read { db in _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            return queue
        } catch {
            guard FileConnection.walIsEmpty(path) else {
                throw .cannotOpen(path: path, reason: "its write-ahead log \(path)-wal holds changes that SQLite reads only through \(path)-shm, which cannot be created here (\(error)); open the store once where it can be written")
            }
            return try opening(path) { try FileConnection.readOnly(path, immutable: true, configuration: configuration) }
        }
    }

    /// Runs `body`, turning a failure that is not already a ``StoreError`` into
    /// ``StoreError/cannotOpen(path:reason:)``.
    private static func opening<T>(_ path: String, _ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
    }

    public var location: String { path ?? "memory" }

    @discardableResult
    public func importTown(_ data: TownData, source: String, acceptedCoverageFaults: [AcceptedCoverageFault]) throws(StoreError) -> ImportSummary {
        try checkImportable()
        let plan = try ImportPlanner.planOrReject(data, coverageFaults: acceptedCoverageFaults)
        return try StoreError.wrapping("writing the import of \(source) into \(location)") { try write(plan, source: source) }
    }

    /// Writes a checked plan in one transaction (rolled back entirely if any statement fails, or
    /// a feature's row cannot be made), throwing the database's own error or the rejection.
    @discardableResult
    func write(_ plan: ImportPlan, source: String) throws -> ImportSummary {
        try database.write { db in try ImportWriter.write(plan, source: source, into: db) }
    }

    /// Runs `body` in one read transaction: one snapshot, whatever an import does meanwhile.
    /// Database failures become ``StoreError/database(operation:reason:)`` for `operation`.
    func read<T>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        try StoreError.wrapping("\(operation()) from \(location)") { try database.read(body) }
    }

    public func info() throws(StoreError) -> StoreInfo {
        try read("reading the import log") { db in
            let last = try Row.fetchOne(db, sql: "SELECT imported_at, source, town_code FROM imports ORDER BY id DESC LIMIT 1")
            return StoreInfo(
                imports: try Int.fetchOne(db, sql: "SELECT count(*) FROM imports") ?? 0,
                lastImport: try last.map { row throws(StoreError) in
                    let text: String = row["imported_at"]
                    guard let date = try? Date(text, strategy: .iso8601) else {
                        throw .corrupt("imports, column imported_at: \"\(text)\" is not an ISO 8601 time")
                    }
                    return ImportRecord(source: row["source"], importedAt: date, townCode: row["town_code"])
                })
        }
    }

    /// SQLite's own settings for this file, for checking the set-up.
    public func settings() throws(StoreError) -> SQLiteSettings {
        try read("reading the settings") { db in
            SQLiteSettings(
                journalMode: try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "unknown",
                foreignKeysEnabled: try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false,
                appliedMigrations: try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid"))
        }
    }
}

/// What SQLite says about a store's file.
public struct SQLiteSettings: Sendable, Hashable {
    /// SQLite's journal mode: "wal" for a file store.
    public var journalMode: String
    public var foreignKeysEnabled: Bool
    /// The schema migrations recorded in the file, oldest first.
    public var appliedMigrations: [String]
}
