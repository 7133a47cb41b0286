import CLibPQ

/// The rows of one query, read in PostgreSQL's binary format: numbers and bytes arrive exact,
/// with no text to parse. Owns its `PGresult`, freed when the last reference goes.
public final class PostgresResult {
    private let handle: OpaquePointer

    init(_ handle: OpaquePointer) {
        self.handle = handle
    }

    deinit { PQclear(handle) }

    /// How many rows came back.
    public var count: Int { Int(PQntuples(handle)) }

    /// How many rows the command changed (INSERT, UPDATE, DELETE, COPY), 0 when it says none.
    public var changedRows: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    /// The row at `index` (0 ..< ``count``).
    public subscript(index: Int) -> PostgresRow { PostgresRow(result: self, row: Int32(index)) }

    /// Every row, in order.
    public var rows: [PostgresRow] { (0..<count).map { self[$0] } }

    fileprivate func isNull(_ row: Int32, _ column: Int32) -> Bool { PQgetisnull(handle, row, column) != 0 }

    fileprivate func type(_ column: Int32) -> UInt32 { PQftype(handle, column) }

    fileprivate func name(_ column: Int32) -> String { String(cString: PQfname(handle, column)) }

    /// The value's bytes (binary format), passed to `body` without a copy.
    fileprivate func withBytes<T>(_ row: Int32, _ column: Int32, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        let length = Int(PQgetlength(handle, row, column))
        guard let start = PQgetvalue(handle, row, column) else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return body(UnsafeRawBufferPointer(start: start, count: length))
    }

    fileprivate var columnCount: Int32 { PQnfields(handle) }
}

/// One row of a ``PostgresResult``; columns by position (0-based). Each accessor returns nil for
/// NULL and throws when the column's type is not one it reads (an `int4` read as text, say).
public struct PostgresRow {
    let result: PostgresResult
    let row: Int32

    /// PostgreSQL's type OIDs of the built-in types read here.
    private enum OID {
        static let bool: UInt32 = 16, bytea: UInt32 = 17, name: UInt32 = 19, int8: UInt32 = 20, int2: UInt32 = 21
        static let int4: UInt32 = 23, text: UInt32 = 25, float4: UInt32 = 700, float8: UInt32 = 701
        static let bpchar: UInt32 = 1042, varchar: UInt32 = 1043
    }

    public func isNull(_ column: Int) -> Bool { result.isNull(row, Int32(column)) }

    public func string(_ column: Int) throws(PostgresError) -> String? {
        try read(column, as: "text", types: [OID.text, OID.varchar, OID.name, OID.bpchar]) { String(decoding: $0, as: UTF8.self) }
    }

    public func bytes(_ column: Int) throws(PostgresError) -> [UInt8]? {
        try read(column, as: "bytea", types: [OID.bytea]) { Array($0) }
    }

    public func integer(_ column: Int) throws(PostgresError) -> Int? {
        try read(column, as: "an integer", types: [OID.int2, OID.int4, OID.int8]) { bytes in
            var value: Int64 = 0
            for byte in bytes { value = value << 8 | Int64(byte) }
            // Sign-extend the 2- and 4-byte types.
            let shift = Int64(64 - 8 * bytes.count)
            return Int((value << shift) >> shift)
        }
    }

    public func double(_ column: Int) throws(PostgresError) -> Double? {
        try read(column, as: "float8", types: [OID.float8, OID.float4]) { bytes in
            var bits: UInt64 = 0
            for byte in bytes { bits = bits << 8 | UInt64(byte) }
            return bytes.count == 4 ? Double(Float(bitPattern: UInt32(bits))) : Double(bitPattern: bits)
        }
    }

    public func boolean(_ column: Int) throws(PostgresError) -> Bool? {
        try read(column, as: "boolean", types: [OID.bool]) { $0.first == 1 }
    }

    /// A column that may not be NULL: `value` of it, or an error naming the column.
    public func required<T>(_ column: Int, _ value: (Int) throws(PostgresError) -> T?) throws(PostgresError) -> T {
        guard let read = try value(column) else {
            throw PostgresError(sqlState: nil, message: "column \(result.nameOrPosition(column)) is NULL")
        }
        return read
    }

    private func read<T>(_ column: Int, as what: String, types: Set<UInt32>,
                         _ decode: (UnsafeRawBufferPointer) -> T) throws(PostgresError) -> T? {
        let position = Int32(column)
        guard column >= 0, position < result.columnCount else {
            throw PostgresError(sqlState: nil, message: "the result has no column \(column)")
        }
        if result.isNull(row, position) { return nil }
        guard types.contains(result.type(position)) else {
            throw PostgresError(sqlState: nil, message: "column \(result.nameOrPosition(column)) (type OID \(result.type(position))) cannot be read as \(what)")
        }
        return result.withBytes(row, position, decode)
    }
}

private extension PostgresResult {
    func nameOrPosition(_ column: Int) -> String {
        column < Int(columnCount) ? "\(column) (\(name(Int32(column))))" : "\(column)"
    }
}
