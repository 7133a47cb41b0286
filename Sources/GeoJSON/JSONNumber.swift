/// A JSON number kept as the exact text it was written with.
///
/// RFC 8259 §6 leaves number precision to implementations; GeoJSON properties often carry ids
/// beyond 2^53 (`12345678901234567890`) or decimals that must not drift (`0.1`). Keeping the
/// source lexeme means a read → write round trip reproduces `12345678901234567890`, `0.1`,
/// `1e-7`, `-0` and `3.0` byte for byte. Equality compares the text, so `1` and `1.0` differ;
/// compare `doubleValue` for numeric equality.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number exactly as written, always a valid RFC 8259 number.
    public let text: String

    /// Wraps text already known to be a valid JSON number (the parser's lexemes).
    init(validatedText: String) { self.text = validatedText }

    /// A number from its JSON text, or nil when the text is not an RFC 8259 §6 number.
    public init?(text: String) {
        var text = text
        let valid = text.withUTF8 { bytes -> Bool in
            guard let base = bytes.baseAddress else { return false }
            var scanner = JSONScanner(base: base, count: bytes.count)
            guard (try? scanner.scanNumber()) != nil else { return false }
            return scanner.index == bytes.count
        }
        guard valid else { return nil }
        self.text = text
    }

    /// An integer, written in decimal.
    public init<I: BinaryInteger>(_ value: I) { self.text = String(value) }

    /// An integer, written in decimal (the common case, without generic dispatch).
    public init(_ value: Int) { self.text = String(value) }

    /// A finite double, written as the shortest text that reads back to the same double.
    /// Non-finite values have no JSON spelling (RFC 8259 §6), so they are a precondition failure.
    public init(_ value: Double) {
        precondition(value.isFinite, "JSON has no spelling for \(value)")
        self.text = value.description
    }

    /// The correctly rounded double nearest to the text (±infinity when out of range).
    public var doubleValue: Double { Double(text) ?? .nan }

    /// The value as a 64-bit integer when the text is an integer that fits, otherwise nil.
    public var int64Value: Int64? { Int64(text) }

    public var description: String { text }
}

extension JSONNumber: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
    public init(floatLiteral value: Double) { self.init(value) }
}
