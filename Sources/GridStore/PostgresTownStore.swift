import Foundation
import GridMapCore
import Postgres

/// The server store: a town in a PostgreSQL database with PostGIS, through libpq (the Postgres
/// module), behind the same ``TownStore`` protocol as the SQLite store.
///
/// The tables are the SQLite store's, with the same values: each geometry is kept as the WKB
/// GEOS wrote (what the reads decode, so that both stores answer byte for byte alike) and as a
/// PostGIS `geometry(Geometry, 4326)` column generated from it, with a GiST index, on which the
/// area reads prefilter; an `ord` column keeps import order. An import is one transaction: the
/// old town's rows deleted, the new ones loaded with binary COPY, the import logged. Each read is
/// one `REPEATABLE READ` transaction, so one snapshot.
///
/// The schema is versioned in `schema_version` (``PostgresSchema``): opening applies the
/// migrations the database lacks, under an advisory lock, and refuses a database written by a
/// newer GridMap. PostGIS must be available; it is created when missing (which needs a role
/// allowed to create it).
///
/// Connections come from a ``PostgresPool``: each call borrows one, so calls from many threads
/// run side by side, as the server's do.
///
/// **A primary and its hot standbys.** Given several servers (libpq's list of hosts, e.g.
/// `postgresql:///gridmap?host=/run/primary,/run/standby`), the store writes to the one that
/// takes writes (`target_session_attrs=read-write`) and reads the town from a standby when one is
/// up (`prefer-standby`), else from the primary: a standby that stops costs no read. Only the
/// town's own reads go to a standby; the accounts, the events and the histories, which a caller
/// reads right after writing them, stay on the primary. A read whose server went away between
/// calls is run again once on a new connection (docs/SCALING.md).
///
/// The accounts (``PostgresAccountBook``), the event log (`PostgresTownStore+Events.swift`), the
/// register's history and the survey (`PostgresTownStore+Register.swift`) are kept here too.
public final class PostgresTownStore: TownStore {
    /// Every write, and the reads that must see the latest writes.
    let pool: PostgresPool
    /// The town's reads: the same pool as ``pool``, or — given several servers — one that
    /// prefers a standby.
    let townReads: PostgresPool
    /// The database's address without any password, for messages.
    public let location: String
    public let access: SQLiteTownStore.Access

    /// Opens the store at `uri` (`postgres://…` or any libpq connection string), bringing its
    /// schema up to date unless it is opened read-only.
    public init(uri: String, access: SQLiteTownStore.Access = .readWrite) throws(StoreError) {
        let location = Self.redacted(uri)
        do {
            let servers = try ConnectionString.hostCount(uri)
            // The user's own choice of server, if they made one, is kept for both.
            if servers > 1, try ConnectionString.value("target_session_attrs", in: uri) == nil {
                pool = try PostgresPool(ConnectionString.adding("target_session_attrs", "read-write", to: uri))
                townReads = try PostgresPool(ConnectionString.adding("target_session_attrs", "prefer-standby", to: uri))
            } else {
                pool = try PostgresPool(uri)
                townReads = pool
            }
        } catch {
            throw .cannotOpen(path: location, reason: error.description)
        }
        self.location = location
        self.access = access
        try PostgresSchema.bringUpToDate(pool, location: location, readOnly: access == .readOnly)
    }

    /// `uri` with the password left out (in `user:password@` or `password=`).
    public static func redacted(_ uri: String) -> String {
        var text = uri
        if let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
           let colon = text[scheme.upperBound..<at].firstIndex(of: ":") {
            text.replaceSubrange(colon..<at, with: ":***")
        }
        return text.replacing(/password=[^&\s]*/, with: "password=***")
    }

    /// Runs `body` in one read-only `REPEATABLE READ` transaction on a connection of
    /// ``townReads``; any failure that is not a ``StoreError`` becomes
    /// ``StoreError/database(operation:reason:)``. When the connection's server has gone away
    /// (a standby stopped, a restart), the read runs once more on a new connection, which libpq
    /// opens to a server that is up: a read changes nothing, so running it again is safe.
    func read<T>(_ operation: @autoclosure () -> String, _ body: (PostgresConnection) throws -> T) throws(StoreError) -> T {
        try StoreError.wrapping("\(operation()) from \(location)") {
            do {
                return try readOnce(body)
            } catch let lost as ConnectionLost {
                townReads.closeIdle()
                do {
                    return try readOnce(body)
                } catch let again as ConnectionLost {
                    throw again.error
                }
            }
        }
    }

    private func readOnce<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try townReads.withConnection { db in
            do {
                return try db.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { try body(db) }
            } catch where db.isBroken {
                throw ConnectionLost(error: error)
            }
        }
    }

    /// A read's failure because its connection broke, which ``read(_:_:)`` runs again.
    private struct ConnectionLost: Error {
        var error: any Error
    }

    /// Runs `body` in one read-write transaction.
    func write<T>(_ operation: @autoclosure () -> String, _ body: (PostgresConnection) throws -> T) throws(StoreError) -> T {
        try StoreError.wrapping("\(operation()) in \(location)") {
            try pool.withConnection { db in try db.transaction { try body(db) } }
        }
    }

    public func info() throws(StoreError) -> StoreInfo {
        try read("reading the import log") { db in
            let counted = try db.query("SELECT count(*) FROM imports")[0]
            let count = try counted.required(0, counted.integer)
            let last = try db.query("SELECT imported_at, source, town_code FROM imports ORDER BY id DESC LIMIT 1")
            guard last.count > 0 else { return StoreInfo(imports: count, lastImport: nil) }
            let row = last[0]
            let text = try row.required(0, row.string)
            guard let date = try? Date(text, strategy: .iso8601) else {
                throw StoreError.corrupt("imports, column imported_at: \"\(text)\" is not an ISO 8601 time")
            }
            return StoreInfo(imports: count, lastImport: ImportRecord(source: try row.required(1, row.string), importedAt: date,
                                                                      townCode: try row.required(2, row.string)))
        }
    }

    @discardableResult
    public func importTown(_ data: TownData, source: String, acceptedCoverageFaults: [AcceptedCoverageFault]) throws(StoreError) -> ImportSummary {
        try checkImportable()
        let plan = try ImportPlanner.planOrReject(data, coverageFaults: acceptedCoverageFaults)
        return try write("writing the import of \(source)") { db in try PostgresImportWriter.write(plan, source: source, into: db) }
    }

    public func acceptedCoverageFaults() throws(StoreError) -> [AcceptedCoverageFault] {
        try read("reading the coverage faults accepted at import") { db in
            try db.query("""
                SELECT kind, severity, codes, feature_id, area_m2, lon, lat, message FROM coverage_faults_accepted
                WHERE import_id = (SELECT max(id) FROM imports) ORDER BY position
                """).rows.map { row in
                AcceptedCoverageFault(
                    kind: try row.required(0, row.string), severity: try row.required(1, row.string),
                    codes: try row.required(2, row.string).split(separator: " ").map(String.init),
                    featureID: try row.string(3), areaSquareMetres: try row.required(4, row.double),
                    longitude: try row.required(5, row.double), latitude: try row.required(6, row.double),
                    message: try row.required(7, row.string))
            }
        }
    }

    /// Holds a session-level advisory lock on a connection of its own until released: a second
    /// importer into the same database (another process, another machine) is refused at once,
    /// with the PostgreSQL backend that holds the claim named. The lock goes with its session,
    /// so an importer that dies leaves no stale claim.
    public func reserveForImport() throws(StoreError) -> ImportReservation {
        try checkImportable()
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection(pool.conninfo)
            let taken = try connection.query(PostgresSchema.lock("pg_try_advisory_lock", PostgresSchema.importClaimLock))[0]
            guard try taken.boolean(0) == true else {
                let holder = try connection.query("""
                    SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
                      AND classid = (\(PostgresSchema.importClaimLock))::oid AND objid = hashtext(current_schema())::oid LIMIT 1
                    """)
                let pid = holder.count > 0 ? (try? holder[0].integer(0)).flatMap { $0 } : nil
                throw StoreError.importRefused("another import is running into \(location) (PostgreSQL backend pid \(pid.map(String.init) ?? "unknown"))")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .importRefused("cannot import into \(location): cannot claim it for the import: \(error)")
        }
        // The claim keeps the connection until it is released; closing it ends its session, and so the lock.
        return ImportReservation { withExtendedLifetime(connection) {} }
    }

    /// Refuses an import into a store opened read-only.
    func checkImportable() throws(StoreError) {
        if access == .readOnly {
            throw .importRefused("cannot import into \(location): the store is open read-only")
        }
    }
}
