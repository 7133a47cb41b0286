import GRDB
import GRDBSQLite

/// One prepared INSERT whose parameters are bound straight from Swift values with the SQLite C
/// API, for the import's 90,000 rows: GRDB's `execute(arguments:)` builds an argument array of
/// boxed values (and a `Data` copy of each WKB blob) per row, which cost about as much as SQLite's
/// own insert. Bind every parameter of a row in order, then ``insert()``.
///
/// Used only inside a GRDB write transaction on the database's own thread, like any statement.
struct RowInserter {
    private let statement: Statement
    private let database: Database
    private var parameter: Int32 = 0
    /// The first failed bind of the current row (too big, out of memory), reported by ``insert()``.
    private var bindResult = SQLITE_OK

    init(_ sql: String, in database: Database) throws {
        statement = try database.cachedStatement(sql: sql)
        self.database = database
    }

    private var handle: SQLiteStatement { statement.sqliteStatement }

    /// The next parameter's position (SQLite counts from 1).
    private mutating func next() -> Int32 {
        parameter += 1
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
        let result = text.withUTF8 { bytes in
            // An empty buffer may have no address, and a NULL pointer would bind SQL NULL.
            let start = UnsafeRawPointer(bytes.baseAddress ?? Self.empty.utf8Start)
            return sqlite3_bind_text(handle, position, start.assumingMemoryBound(to: CChar.self),
                                     Int32(bytes.count), sqliteTransient)
        }
        check(result)
    }

    mutating func bind(_ number: Double?) {
        let position = next()
        check(number.map { sqlite3_bind_double(handle, position, $0) } ?? sqlite3_bind_null(handle, position))
    }

    mutating func bind(_ number: Int?) {
        let position = next()
        check(number.map { sqlite3_bind_int64(handle, position, Int64($0)) } ?? sqlite3_bind_null(handle, position))
    }

    mutating func bind(_ bytes: [UInt8]) {
        let position = next()
        let result = bytes.withUnsafeBytes { buffer in
            // SQLite copies the bytes (SQLITE_TRANSIENT); a zero-length blob is still a blob.
            sqlite3_bind_blob(handle, position, buffer.baseAddress ?? UnsafeRawPointer(Self.empty.utf8Start),
                              Int32(buffer.count), sqliteTransient)
        }
        check(result)
    }

    /// Runs the INSERT with the parameters bound since the last call; a constraint violation
    /// throws GRDB's `DatabaseError`, as GRDB's own statements do.
    mutating func insert() throws {
        precondition(parameter == sqlite3_bind_parameter_count(handle), "bind every parameter of \(statement.sql)")
        parameter = 0
        let code = bindResult == SQLITE_OK ? sqlite3_step(handle) : bindResult
        bindResult = SQLITE_OK
        let message = code == SQLITE_DONE ? nil : database.lastErrorMessage
        // Reset at once, so that the statement keeps no open cursor between rows.
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    private static let empty: StaticString = ""
}

/// SQLite's "copy the value now" destructor, which the C macro SQLITE_TRANSIENT spells as -1.
private let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
