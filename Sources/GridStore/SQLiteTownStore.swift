import GRDB
import GridMapCore

/// The embedded store: one SQLite file per town, through GRDB.
///
/// A file store uses a `DatabasePool`, which runs SQLite in WAL mode: readers never block the
/// writer and an interrupted write leaves the last committed state. The schema is migrated on
/// every open (``StoreSchema``), so a new file is created ready to use and an older one is
/// upgraded. Foreign keys are enforced. All methods are synchronous and thread-safe (GRDB
/// serialises writes); GEOS work happens in a context made inside each call.
public final class SQLiteTownStore: TownStore {
    let database: any DatabaseWriter
    /// The file's path; nil for an in-memory store.
    public let path: String?

    /// Opens the store at `path`, creating the file on first use.
    public init(path: String) throws {
        do {
            let pool = try DatabasePool(path: path, configuration: Self.configuration)
            try StoreSchema.migrator.migrate(pool)
            database = pool
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
        self.path = path
    }

    /// A store that lives in memory only (tests, dry runs); SQLite has no WAL there.
    public init() throws {
        let queue = try DatabaseQueue(configuration: Self.configuration)
        try StoreSchema.migrator.migrate(queue)
        database = queue
        path = nil
    }

    private static var configuration: Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.label = "GridStore"
        return configuration
    }

    @discardableResult
    public func importTown(_ data: TownData, source: String) throws -> ImportSummary {
        let plan = try ImportPlanner.plan(data)
        try write(plan, source: source)
        return plan.summary
    }

    /// Writes a checked plan in one transaction (rolled back entirely if any statement fails).
    func write(_ plan: ImportPlan, source: String) throws {
        try database.write { db in try ImportWriter.write(plan, source: source, into: db) }
    }

    /// Facts about the file for `gridmap info` and for checking the set-up.
    public func info() throws -> StoreInfo {
        try database.read { db in
            StoreInfo(
                journalMode: try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "unknown",
                foreignKeysEnabled: try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false,
                appliedMigrations: try StoreSchema.migrator.appliedMigrations(db),
                imports: try Int.fetchOne(db, sql: "SELECT count(*) FROM imports") ?? 0,
                lastImportSource: try String.fetchOne(db, sql: "SELECT source FROM imports ORDER BY id DESC LIMIT 1"))
        }
    }
}

/// Facts about a store's file.
public struct StoreInfo: Sendable, Hashable {
    /// SQLite's journal mode: "wal" for a file store.
    public var journalMode: String
    public var foreignKeysEnabled: Bool
    /// The schema migrations applied, oldest first.
    public var appliedMigrations: [String]
    /// How many imports the log records.
    public var imports: Int
    /// The source of the latest import.
    public var lastImportSource: String?
}
