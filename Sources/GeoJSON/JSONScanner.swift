/// The lexical layer of the reader: a cursor over UTF-8 bytes that recognises RFC 8259 tokens.
///
/// It works on raw bytes (a memory-mapped file or a buffer) so that reading never copies the
/// input and never goes through Foundation's JSON machinery. Errors carry a byte offset; the
/// reader that owns the bytes turns it into line and column.
struct JSONScanner {
    let base: UnsafePointer<UInt8>
    let count: Int
    var index: Int = 0

    /// Deepest nesting of arrays and objects accepted, so hostile input cannot exhaust the stack.
    static let maximumDepth = 512
    /// Longest string value or member name accepted, in bytes as written (1 MiB), so that one
    /// hostile 100 MB name costs an error, not gigabytes; far above any name or address.
    static let maximumStringBytes = 1 << 20
    /// Longest number text accepted (1,000 characters): a double needs at most 17 significant
    /// digits, and properties keep their text, so a longer number is an attack, not data.
    static let maximumNumberLength = 1_000

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    // MARK: Bytes and whitespace

    /// Skips the four whitespace bytes RFC 8259 §2 allows between tokens.
    @inline(__always)
    mutating func skipWhitespace() {
        while index < count {
            let byte = base[index]
            guard byte == .space || byte == .newline || byte == .carriageReturn || byte == .tab else { return }
            index += 1
        }
    }

    /// The next non-whitespace byte, not consumed; nil at the end of input.
    @inline(__always)
    mutating func peekToken() -> UInt8? {
        skipWhitespace()
        return index < count ? base[index] : nil
    }

    /// Consumes `byte` (after whitespace) or throws a syntax error naming what was expected.
    @inline(__always)
    mutating func expect(_ byte: UInt8, _ expectation: @autoclosure () -> String) throws(GeoJSONError) {
        skipWhitespace()
        guard index < count, base[index] == byte else { throw syntaxError(expectation()) }
        index += 1
    }

    /// Consumes `byte` if it is next (after whitespace).
    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        if index < count, base[index] == byte {
            index += 1
            return true
        }
        return false
    }

    /// A syntax error at the cursor: "expected …, found …".
    func syntaxError(_ expectation: String, at offset: Int? = nil) -> GeoJSONError {
        let offset = offset ?? index
        return .at(offset, .invalidJSON, "invalid JSON: expected \(expectation), found \(describeByte(at: offset))")
    }

    /// How the byte at `offset` reads in a message: a quoted character, or "end of input".
    func describeByte(at offset: Int) -> String {
        guard offset < count else { return "end of input" }
        let byte = base[offset]
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    /// Throws a syntax error when the next byte cannot start any JSON value. Called before
    /// reporting a GeoJSON problem with a value, so broken JSON is reported as broken JSON.
    mutating func requireValueStart() throws(GeoJSONError) {
        switch peekToken() {
        case .openBrace, .openBracket, .quote, .minus, UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"): return
        case let byte? where byte &- .zero < 10: return
        default: throw syntaxError("a JSON value")
        }
    }

    // MARK: Literals

    /// Consumes `true`, `false` or `null` spelled by `literal`, which starts at the cursor.
    mutating func scanLiteral(_ literal: StaticString) throws(GeoJSONError) {
        let length = literal.utf8CodeUnitCount
        let bytes = literal.utf8Start
        var offset = 0
        while offset < length {
            guard index + offset < count, base[index + offset] == bytes[offset] else {
                throw syntaxError("a JSON value", at: index)
            }
            offset += 1
        }
        index += length
    }

    // MARK: Containers

    /// Skips one complete value of any kind, checking its syntax; used to step over the rest of
    /// a feature after a semantic error, and over values whose meaning is decided later.
    mutating func skipValue(depth: Int = 0) throws(GeoJSONError) {
        guard depth < Self.maximumDepth else { throw .at(index, .invalidJSON, "invalid JSON: nesting deeper than \(Self.maximumDepth)") }
        switch peekToken() {
        case UInt8(ascii: "{"):
            index += 1
            if consume(UInt8(ascii: "}")) { return }
            repeat {
                _ = try expectMemberName()
                try skipString()
                try expect(.colon, "':' after a member name")
                try skipValue(depth: depth + 1)
            } while try nextMember()
        case UInt8(ascii: "["):
            index += 1
            if consume(UInt8(ascii: "]")) { return }
            repeat { try skipValue(depth: depth + 1) } while try nextElement()
        case .quote: try skipString()
        case UInt8(ascii: "t"): try scanLiteral("true")
        case UInt8(ascii: "f"): try scanLiteral("false")
        case UInt8(ascii: "n"): try scanLiteral("null")
        default: _ = try scanNumber()
        }
    }

    /// After an object member: true on ',' (another member follows), false on '}'.
    @inline(__always)
    mutating func nextMember() throws(GeoJSONError) -> Bool {
        try next(closedBy: .closeBrace, "',' or '}' after an object member")
    }

    /// After an array element: true on ',' (another element follows), false on ']'.
    @inline(__always)
    mutating func nextElement() throws(GeoJSONError) -> Bool {
        try next(closedBy: .closeBracket, "',' or ']' after an array element")
    }

    /// After a member or an element: true on ',', false on `closing`; anything else is a syntax
    /// error expecting `expectation`.
    @inline(__always)
    private mutating func next(closedBy closing: UInt8, _ expectation: @autoclosure () -> String) throws(GeoJSONError) -> Bool {
        skipWhitespace()
        if index < count {
            if base[index] == .comma {
                index += 1
                return true
            }
            if base[index] == closing {
                index += 1
                return false
            }
        }
        throw syntaxError(expectation())
    }
}

extension UInt8 {
    static let space = UInt8(ascii: " ")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let tab = UInt8(ascii: "\t")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let minus = UInt8(ascii: "-")
    static let zero = UInt8(ascii: "0")
}
