import Foundation

/// One parameter of a query (`$1`, `$2`, …). Text, numbers and booleans go as text, which the
/// server parses to the parameter's type; bytes go in binary, unescaped. A Double's text is
/// Swift's shortest exact form, which PostgreSQL's float8 reads back to the same bits.
public enum PostgresValue: Sendable, Hashable {
    case text(String)
    case integer(Int64)
    case double(Double)
    case boolean(Bool)
    case bytes([UInt8])

    /// The parameter's bytes as the server reads them, and whether they are binary.
    var wire: (bytes: [UInt8], binary: Bool) {
        switch self {
        case .text(let text): (Array(text.utf8), false)
        case .integer(let number): (Array(String(number).utf8), false)
        case .double(let number): (Array(Self.text(of: number).utf8), false)
        case .boolean(let value): (Array((value ? "t" : "f").utf8), false)
        case .bytes(let bytes): (bytes, true)
        }
    }

    private static func text(of number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        return "\(number)"
    }
}

/// Swift values that are query parameters, so that a call reads `query(sql, [code, name, nil])`.
public protocol PostgresParameter {
    var postgresValue: PostgresValue { get }
}

extension String: PostgresParameter {
    public var postgresValue: PostgresValue { .text(self) }
}

extension Int: PostgresParameter {
    public var postgresValue: PostgresValue { .integer(Int64(self)) }
}

extension Int64: PostgresParameter {
    public var postgresValue: PostgresValue { .integer(self) }
}

extension Double: PostgresParameter {
    public var postgresValue: PostgresValue { .double(self) }
}

extension Bool: PostgresParameter {
    public var postgresValue: PostgresValue { .boolean(self) }
}

extension Array: PostgresParameter where Element == UInt8 {
    public var postgresValue: PostgresValue { .bytes(self) }
}

extension Data: PostgresParameter {
    public var postgresValue: PostgresValue { .bytes(Array(self)) }
}
