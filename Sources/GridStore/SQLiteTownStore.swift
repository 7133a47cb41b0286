import Foundation
import GRDB
import GridMapCore

/// The embedded store: one SQLite file per town, through GRDB.
///
/// A file store uses a `DatabasePool`, which runs SQLite in WAL mode: readers never block the
/// writer and an interrupted write leaves the last committed state. The schema is migrated on
/// every open (``StoreSchema``), so a new file is created ready to use and an older one is
/// upgraded. Foreign keys are enforced. All methods are synchronous and thread-safe (GRDB
/// serialises writes, and each read is one read transaction, so one snapshot); GEOS work
/// happens in a context made inside each call.
public final class SQLiteTownStore: TownStore {
    let database: any DatabaseWriter
    /// The file's path; nil for an in-memory store.
    public let path: String?

    /// Opens the store at `path`, creating the file on first use — readable and writable by its
    /// owner only (0600), since it holds residents' names and phones; SQLite gives its WAL and
    /// shared-memory files the same mode.
    public init(path: String) throws(StoreError) {
        let created = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if created >= 0 { close(created) }
        do {
            let pool = try DatabasePool(path: path, configuration: Self.configuration)
            try StoreSchema.migrator.migrate(pool)
            database = pool
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
        self.path = path
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
    }

    private static var configuration: Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.label = "GridStore"
        return configuration
    }

    public var location: String { path ?? "memory" }

    @discardableResult
    public func importTown(_ data: TownData, source: String, acceptedCoverageFaults: [AcceptedCoverageFault]) throws(StoreError) -> ImportSummary {
        let plan = try ImportPlanner.planOrReject(data, coverageFaults: acceptedCoverageFaults)
        try StoreError.wrapping("writing the import of \(source) into \(location)") { try write(plan, source: source) }
        return plan.summary
    }

    /// Writes a checked plan in one transaction (rolled back entirely if any statement fails),
    /// throwing the database's own error.
    func write(_ plan: ImportPlan, source: String) throws {
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
                appliedMigrations: try StoreSchema.migrator.appliedMigrations(db))
        }
    }
}

/// What SQLite says about a store's file.
public struct SQLiteSettings: Sendable, Hashable {
    /// SQLite's journal mode: "wal" for a file store.
    public var journalMode: String
    public var foreignKeysEnabled: Bool
    /// The schema migrations applied, oldest first.
    public var appliedMigrations: [String]
}
