import GRDB
import GRDBSQLite

/// One prepared INSERT whose parameters are bound straight from Swift values with the SQLite C
/// API, for the import's 90,000 rows and the event log's appends: GRDB's `execute(arguments:)`
/// builds an argument array of boxed values (and a `Data` copy of each WKB blob) per row, which
/// cost about as much as SQLite's own insert. Bind every parameter of a row in order, then
/// ``insert()``.
///
/// Texts and blobs are gathered into one buffer per row and handed to SQLite without a copy
/// (`SQLITE_STATIC`) while the row is inserted: with `SQLITE_TRANSIENT`, SQLite allocated, copied
/// and freed every text, a twentieth of appending events in the profile. SQLite reads those
/// bytes only while the INSERT runs; ``insert()`` clears the bindings before the buffer is
/// reused, so that the statement never points at bytes that changed.
///
/// Used only inside a GRDB write transaction on the database's own thread, like any statement.
/// Copies of an inserter share its statement and buffer: bind and insert one row at a time.
struct RowInserter {
    private let statement: Statement
    private let database: Database
    private let buffer = RowBuffer()
    private var parameter: Int32 = 0
    /// The first failed bind of the current row (too big, out of memory), reported by ``insert()``.
    private var bindResult = SQLITE_OK

    init(_ sql: String, in database: Database) throws {
        statement = try database.cachedStatement(sql: sql)
        self.database = database
    }

    private var handle: SQLiteStatement { statement.sqliteStatement }

    /// The next parameter's position (SQLite counts from 1). A row starts afresh: what a row
    /// left half bound (its encoding threw) is dropped.
    private mutating func next() -> Int32 {
        parameter += 1
        if parameter == 1 { buffer.removeAll() }
        return parameter
    }

    private mutating func check(_ result: Int32) {
        if bindResult == SQLITE_OK { bindResult = result }
    }

    mutating func bind(_ text: String?) {
        let position = next()
        guard var text else {
            check(sqlite3_bind_null(handle, position))
            return
        }
        text.withUTF8 { buffer.add(position, UnsafeRawBufferPointer($0), blob: false) }
    }

    mutating func bind(_ number: Double?) {
        let position = next()
        check(number.map { sqlite3_bind_double(handle, position, $0) } ?? sqlite3_bind_null(handle, position))
    }

    mutating func bind(_ number: Int?) {
        let position = next()
        check(number.map { sqlite3_bind_int64(handle, position, Int64($0)) } ?? sqlite3_bind_null(handle, position))
    }

    /// A blob, zero-length included (a blob, not NULL).
    mutating func bind(_ bytes: [UInt8]) {
        let position = next()
        bytes.withUnsafeBytes { buffer.add(position, $0, blob: true) }
    }

    /// Runs the INSERT with the parameters bound since the last call; a constraint violation
    /// throws GRDB's `DatabaseError`, as GRDB's own statements do.
    mutating func insert() throws {
        precondition(parameter == sqlite3_bind_parameter_count(handle), "bind every parameter of \(statement.sql)")
        parameter = 0
        let handle = handle, database = database
        let failedBind = bindResult
        bindResult = SQLITE_OK
        var message: String?
        let code = buffer.withBound(to: handle, failedBind: failedBind) {
            let code = sqlite3_step(handle)
            message = code == SQLITE_DONE ? nil : database.lastErrorMessage
            // Reset at once, so that the statement keeps no open cursor between rows; and no
            // pointer into the buffer, which the next row overwrites.
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            return code
        }
        guard code == SQLITE_DONE else {
            // A bind that failed (too big, out of memory) stepped nothing: its message is the connection's.
            if message == nil { message = database.lastErrorMessage }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }
}

/// The texts and blobs of the row being bound, end to end in one growing buffer, with the
/// parameter each goes to; bound to the statement only while the row is inserted, when the
/// buffer no longer moves.
private final class RowBuffer {
    private var bytes: [UInt8] = []
    private var values: [(position: Int32, start: Int, count: Int, blob: Bool)] = []

    func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    func add(_ position: Int32, _ value: UnsafeRawBufferPointer, blob: Bool) {
        values.append((position, bytes.count, value.count, blob))
        bytes.append(contentsOf: value)
    }

    /// Binds the row's texts and blobs, without copies, then runs `body` while they stay put and
    /// gives its result code; gives the first failed bind instead (`failedBind`, one before this,
    /// when it is not SQLITE_OK), without running `body`. Empties the buffer.
    func withBound(to handle: SQLiteStatement, failedBind: Int32, _ body: () -> Int32) -> Int32 {
        defer { removeAll() }
        var code = failedBind
        return bytes.withUnsafeBytes { buffer in
            // A zero-length value still needs an address: a NULL pointer would bind SQL NULL.
            let base = buffer.baseAddress ?? UnsafeRawPointer(Self.empty.utf8Start)
            for value in values where code == SQLITE_OK {
                let start = base + value.start
                guard let count = Int32(exactly: value.count) else {
                    code = SQLITE_TOOBIG
                    break
                }
                code = value.blob
                    ? sqlite3_bind_blob(handle, value.position, start, count, sqliteStatic)
                    : sqlite3_bind_text(handle, value.position, start.assumingMemoryBound(to: CChar.self), count, sqliteStatic)
            }
            guard code == SQLITE_OK else {
                sqlite3_clear_bindings(handle)
                return code
            }
            return body()
        }
    }

    private static let empty: StaticString = ""
}

/// SQLite's "the bytes stay put until the statement is done with them" destructor, which the C
/// macro SQLITE_STATIC spells as 0.
private let sqliteStatic: sqlite3_destructor_type? = nil
