import CLibPQ

/// One connection to a PostgreSQL server through libpq: parameterised queries, scripts and
/// COPY FROM STDIN. It has exactly one owner and is not Sendable: libpq's connection may be used
/// by one thread at a time, which a ``PostgresPool`` guarantees by lending each connection to
/// one caller. Closed when its owner lets it go.
public final class PostgresConnection {
    private let handle: OpaquePointer

    /// Connects with a libpq connection string or URI (`postgres://…`, `host=… dbname=…`).
    public init(_ conninfo: String) throws(PostgresError) {
        guard let handle = PQconnectdb(conninfo) else {
            throw PostgresError(sqlState: nil, message: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Self.text(PQerrorMessage(handle))
            PQfinish(handle)
            throw PostgresError(sqlState: nil, message: "cannot connect: \(message)")
        }
        self.handle = handle
        // The server's notices (`… already exists, skipping`) are not errors: libpq would print
        // them on standard error, which belongs to the program.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    /// Whether the connection to the server is gone (the server stopped or restarted, the
    /// network failed): nothing more can be done on it.
    public var isBroken: Bool { PQstatus(handle) != CONNECTION_OK }

    /// Whether the server is a hot standby, which answers reads only.
    public func isStandby() throws(PostgresError) -> Bool {
        try query("SELECT pg_is_in_recovery()")[0].boolean(0) == true
    }

    /// Whether the connection is usable and outside any transaction, as a pool needs it back.
    public var isIdle: Bool {
        PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// Runs one statement with `parameters` as `$1`, `$2`, … (nil is NULL); the rows come back
    /// in binary format.
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PostgresParameter)?] = []) throws(PostgresError) -> PostgresResult {
        let wires = parameters.map { $0?.postgresValue.wire }
        let lengths = wires.map { Int32($0?.bytes.count ?? 0) }
        let formats = wires.map { Int32($0?.binary == true ? 1 : 0) }
        // Text parameters end in NUL, as libpq reads them; binary ones are read by length.
        let buffers: [[UInt8]?] = wires.map { wire in wire.map { $0.binary ? $0.bytes : $0.bytes + [0] } }
        let result = Self.withPointers(buffers) { pointers in
            PQexecParams(handle, sql, Int32(parameters.count), nil, pointers, lengths, formats, 1)
        }
        return try check(result, expecting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK])
    }

    /// Runs `sql`, which may hold several statements and no parameters (a schema, a migration).
    public func script(_ sql: String) throws(PostgresError) {
        try check(PQexec(handle, sql), expecting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK])
    }

    /// Runs `body` in one transaction opened by `begin` (`BEGIN`, `BEGIN ISOLATION LEVEL …`):
    /// committed when it returns, rolled back when it throws (its error is rethrown).
    public func transaction<T>(_ begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        try script(begin)
        let value: T
        do {
            value = try body()
        } catch {
            // A connection that cannot even roll back is no longer idle, and its pool drops it.
            try? script("ROLLBACK")
            throw error
        }
        try script("COMMIT")
        return value
    }

    /// Runs a `COPY … FROM STDIN (FORMAT binary)` statement, the rows coming from `body` through
    /// a ``CopyWriter``; returns how many rows the server took. When `body` throws, the copy is
    /// ended with that error, the server rejects the statement, and the error is rethrown.
    @discardableResult
    public func copy(_ sql: String, _ body: (inout CopyWriter) throws -> Void) throws -> Int {
        try check(PQexec(handle, sql), expecting: [PGRES_COPY_IN])
        var writer = CopyWriter { bytes throws(PostgresError) in try self.send(bytes) }
        do {
            try body(&writer)
            try writer.finish()
        } catch {
            _ = PQputCopyEnd(handle, "the client stopped the copy: \(error)")
            _ = try? check(PQgetResult(handle), expecting: [PGRES_COMMAND_OK])
            drainResults()
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else { throw failure("ending COPY") }
        let result = try check(PQgetResult(handle), expecting: [PGRES_COMMAND_OK])
        drainResults()
        return result.changedRows
    }

    private func send(_ bytes: [UInt8]) throws(PostgresError) {
        let sent = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
        }
        guard sent == 1 else { throw failure("sending COPY data") }
    }

    /// Reads the results left after a COPY's own, so that the connection takes the next command.
    private func drainResults() {
        while let extra = PQgetResult(handle) { PQclear(extra) }
    }

    @discardableResult
    private func check(_ result: OpaquePointer?, expecting statuses: [ExecStatusType]) throws(PostgresError) -> PostgresResult {
        guard let result else { throw failure("running a statement") }
        let owned = PostgresResult(result)
        let status = PQresultStatus(result)
        guard statuses.contains(status) else {
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C")))
            let detail = PQresultErrorField(result, Int32(UInt8(ascii: "D")))
            let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M")))
            throw PostgresError(
                sqlState: state.map { String(cString: $0) },
                message: primary.map { String(cString: $0) } ?? Self.text(PQresultErrorMessage(result)),
                detail: detail.map { String(cString: $0) })
        }
        return owned
    }

    private func failure(_ doing: String) -> PostgresError {
        PostgresError(sqlState: nil, message: "\(doing): \(Self.text(PQerrorMessage(handle)))")
    }

    private static func text(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) }?.trimmingWhitespace ?? "no message"
    }

    /// `body` with a C array of pointers to each buffer's bytes (NULL for nil), valid during the call.
    private static func withPointers<T>(_ buffers: [[UInt8]?], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
        var pointers: [UnsafePointer<CChar>?] = []
        pointers.reserveCapacity(buffers.count)
        func step(_ index: Int) -> T {
            guard index < buffers.count else { return body(pointers) }
            guard let buffer = buffers[index] else {
                pointers.append(nil)
                return step(index + 1)
            }
            return buffer.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    // A zero-length binary value still needs an address, which libpq does not read.
                    pointers.append(chars.baseAddress ?? UnsafeRawPointer(Self.empty.utf8Start).assumingMemoryBound(to: CChar.self))
                    return step(index + 1)
                }
            }
        }
        return step(0)
    }

    private static let empty: StaticString = ""
}

extension String {
    var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
