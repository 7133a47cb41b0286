/// The rows of a `COPY … FROM STDIN (FORMAT binary)`, in PostgreSQL's binary copy format:
/// each value as the column type's binary form, so that nothing is escaped or parsed and a
/// double arrives bit for bit. Begin each row with the number of its columns, then add one
/// value per column, of exactly the column's type (`int8` for ``add(_:)-Int``, `float8`,
/// `text`, `bytea`). The writer sends the bytes in blocks as they accumulate.
public struct CopyWriter {
    private var buffer: [UInt8]
    /// Sends a block of bytes to the server (the connection's `PQputCopyData`).
    private let send: ([UInt8]) throws(PostgresError) -> Void
    private static let block = 1 << 20

    init(send: @escaping ([UInt8]) throws(PostgresError) -> Void) {
        self.send = send
        // The signature, flags (none) and header extension length (none).
        buffer = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    }

    /// Starts a row of `columns` values; the rows before it are sent once they fill a block
    /// (a megabyte), so that a copy of a million rows holds one block, not every row.
    public mutating func beginRow(columns: Int) throws(PostgresError) {
        if buffer.count >= Self.block {
            try send(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        append(UInt16(columns))
    }

    public mutating func add(_ text: String?) {
        guard var utf8 = text else { return null() }
        utf8.withUTF8 { bytes in
            append(UInt32(bytes.count))
            buffer.append(contentsOf: bytes)
        }
    }

    /// An `int8` value.
    public mutating func add(_ number: Int?) {
        guard let number else { return null() }
        append(UInt32(8))
        append(UInt64(bitPattern: Int64(number)))
    }

    /// An `int4` value.
    public mutating func add(int4 number: Int32?) {
        guard let number else { return null() }
        append(UInt32(4))
        append(UInt32(bitPattern: number))
    }

    /// A `float8` value.
    public mutating func add(_ number: Double?) {
        guard let number else { return null() }
        append(UInt32(8))
        append(number.bitPattern)
    }

    /// A `bytea` value.
    public mutating func add(bytes: [UInt8]?) {
        guard let bytes else { return null() }
        append(UInt32(bytes.count))
        buffer.append(contentsOf: bytes)
    }

    /// A `boolean` value.
    public mutating func add(_ value: Bool?) {
        guard let value else { return null() }
        append(UInt32(1))
        buffer.append(value ? 1 : 0)
    }

    private mutating func null() {
        append(UInt32.max)
    }

    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    /// Adds the trailer and sends the rest.
    mutating func finish() throws(PostgresError) {
        append(UInt16.max)
        try send(buffer)
        buffer = []
    }
}
