import Foundation
import GRDB

/// What a store file holds before GridMap writes to it: the schema migrations recorded in GRDB's
/// `grdb_migrations` table and the columns of every table, read through a read-only connection.
///
/// The file is read without being changed: when no write-ahead log is pending (no `-wal` file,
/// or one with no frames) the main file holds everything, and it is opened `immutable=1`, which
/// creates no `-wal` or `-shm` and takes no lock; otherwise through an ordinary read-only
/// connection, which needs the `-shm` beside the log.
struct StoredSchema {
    /// The migrations recorded in the file, in the order they were applied.
    var appliedMigrations: [String]
    /// Every table of the file (not SQLite's own nor GRDB's migration log), with its columns in
    /// table order.
    var tables: [String: [String]]

    /// Reads the schema of the file at `path`.
    static func read(at path: String) throws -> StoredSchema {
        try read(from: FileConnection.readOnly(path, immutable: FileConnection.walIsEmpty(path)))
    }

    /// The schema `migrator` creates when it has applied migrations up to `last` (all when nil),
    /// built in an in-memory database, so that what a migration does is asked of SQLite rather
    /// than written down a second time.
    static func expected(by migrator: DatabaseMigrator, upTo last: String? = nil) throws -> StoredSchema {
        let queue = try DatabaseQueue()
        if let last { try migrator.migrate(queue, upTo: last) } else { try migrator.migrate(queue) }
        return try read(from: queue)
    }

    private static func read(from reader: some DatabaseReader) throws -> StoredSchema {
        try reader.read { db in
            let names = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master
                WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'grdb_migrations'
                """)
            var tables: [String: [String]] = [:]
            for name in names {
                tables[name] = try Row.fetchAll(db, sql: "PRAGMA table_info(\(name.quotedDatabaseIdentifier))").map { $0["name"] }
            }
            let applied = try db.tableExists("grdb_migrations")
                ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") : []
            return StoredSchema(appliedMigrations: applied, tables: tables)
        }
    }

    /// How this file's schema stands against what `migrator` knows.
    ///
    /// Throws ``StoreError/newerSchema(path:stored:known:)`` for a migration the migrator does
    /// not have, and ``StoreError/cannotOpen(path:reason:)`` for a file with tables but no
    /// record of GridMap's schema, or one that lacks a table or column its schema level has (the
    /// reads would fail on it).
    func standing(against migrator: DatabaseMigrator, path: String) throws(StoreError) -> SchemaStanding {
        let known = migrator.migrations
        if let newest = appliedMigrations.last(where: { !known.contains($0) }) {
            throw .newerSchema(path: path, stored: newest, known: known.last ?? "none")
        }
        guard let level = known.last(where: appliedMigrations.contains) else {
            guard tables.isEmpty else {
                throw .cannotOpen(path: path, reason: "it holds tables (\(tables.keys.sorted().joined(separator: ", "))) but no record of a GridMap schema: it is not a GridMap store")
            }
            return SchemaStanding(level: nil, pending: known, unknown: [])
        }
        let expected: StoredSchema
        do {
            expected = try Self.expected(by: migrator, upTo: level)
        } catch {
            throw .cannotOpen(path: path, reason: "cannot build the schema '\(level)' to compare with: \(error)")
        }
        var missing: [String] = [], unknown: [String] = []
        for (table, columns) in expected.tables.sorted(by: { $0.key < $1.key }) {
            guard let stored = tables[table] else {
                missing.append("it has no table '\(table)'")
                continue
            }
            missing += columns.filter { !stored.contains($0) }.map { "table \(table) has no column '\($0)'" }
            unknown += stored.filter { !columns.contains($0) }.map { "table \(table) has a column '\($0)' this GridMap does not know" }
        }
        unknown += tables.keys.filter { expected.tables[$0] == nil }.sorted().map { "it has a table '\($0)' this GridMap does not know" }
        guard missing.isEmpty else {
            throw .cannotOpen(path: path, reason: missing.joined(separator: "; ")
                + " (schema '\(level)' has it; the file was changed outside GridMap, and reading it would fail)")
        }
        return SchemaStanding(level: level, pending: known.filter { !appliedMigrations.contains($0) }, unknown: unknown)
    }
}

/// A store file's schema against this GridMap's: the last known migration applied, those still
/// to apply, and what the file has beyond the schema.
struct SchemaStanding: Equatable {
    /// The last migration applied; nil for a new, empty file.
    var level: String?
    /// The migrations this GridMap would apply, in order.
    var pending: [String]
    /// Tables and columns the schema does not have, each described in words: reads work, but an
    /// import would lose them, so the store refuses imports.
    var unknown: [String]
}

/// Opening SQLite connections on a store's file without writing to it.
enum FileConnection {
    /// A read-only connection to `path`. With `immutable`, SQLite is told that the file cannot
    /// change (the URI parameter `immutable=1`): it then needs no `-shm`, takes no lock and reads
    /// no write-ahead log, which is right only when no log is pending and nobody writes.
    static func readOnly(_ path: String, immutable: Bool, configuration: Configuration = Configuration()) throws -> DatabaseQueue {
        var configuration = configuration
        configuration.readonly = true
        configuration.busyMode = .timeout(SQLiteTownStore.busyTimeout)
        return try DatabaseQueue(path: immutable ? immutableURI(path) : path, configuration: configuration)
    }

    /// Whether the write-ahead log beside `path` holds no frames (absent, or only its 32-byte
    /// header): the main file then holds every committed transaction.
    static func walIsEmpty(_ path: String) -> Bool {
        var info = stat()
        return stat(path + "-wal", &info) != 0 || info.st_size <= 32
    }

    /// `path` as an SQLite URI with `immutable=1` (the system SQLite accepts URIs as file names).
    private static func immutableURI(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path) + "?immutable=1"
    }
}
