import GRDB
import Postgres

/// A stored row's columns by position, whichever database it was read from: what the event log's
/// decoders (``StoredEvent``, ``StoredAttachment``) read, so that the SQLite and PostgreSQL stores
/// turn the same columns into the same values with one decoder. Each is nil for NULL.
protocol StoredColumns {
    func textColumn(_ column: Int) throws -> String?
    func realColumn(_ column: Int) throws -> Double?
    func integerColumn(_ column: Int) throws -> Int64?
}

/// A row being written, its values bound in column order, whichever database it goes to: what
/// the event log's encoders write to (SQLite's ``RowInserter``, PostgreSQL's ``PostgresRowValues``).
protocol StoredRowSink {
    mutating func bind(_ text: String?)
    mutating func bind(_ number: Double?)
    mutating func bind(_ number: Int?)
    mutating func bind(_ bytes: [UInt8])
}

extension Row: StoredColumns {
    func textColumn(_ column: Int) -> String? { self[column] }
    func realColumn(_ column: Int) -> Double? { self[column] }
    func integerColumn(_ column: Int) -> Int64? { self[column] }
}

extension PostgresRow: StoredColumns {
    func textColumn(_ column: Int) throws -> String? { try string(column) }
    func realColumn(_ column: Int) throws -> Double? { try double(column) }
    func integerColumn(_ column: Int) throws -> Int64? { try integer(column).map(Int64.init) }
}

extension RowInserter: StoredRowSink {}

/// The parameters of one PostgreSQL INSERT, bound in order like a ``RowInserter``'s.
struct PostgresRowValues: StoredRowSink {
    var values: [(any PostgresParameter)?] = []

    mutating func bind(_ text: String?) { values.append(text) }
    mutating func bind(_ number: Double?) { values.append(number) }
    mutating func bind(_ number: Int?) { values.append(number) }
    mutating func bind(_ bytes: [UInt8]) { values.append(bytes) }
}
