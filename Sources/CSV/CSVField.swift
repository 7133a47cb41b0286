/// Reading a field's value out of its raw bytes, and writing a value as a field.
public enum CSVField {
    private static let quote = UInt8(ascii: "\"")

    /// The value of a raw field: spaces and tabs around it trimmed, and when it is quoted, the
    /// quotes removed and each `""` made `"` (spaces inside the quotes kept). Invalid UTF-8 is
    /// replaced with U+FFFD.
    public static func value(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        let (start, end, quoted) = bounds(raw)
        let content = UnsafeBufferPointer(rebasing: raw[start..<end])
        guard quoted else { return String(decoding: content, as: UTF8.self) }
        return String(decoding: unquoted(content), as: UTF8.self)
    }

    /// ``value(_:)``, or nil when the field is not UTF-8.
    public static func validatedValue(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
        let (start, end, quoted) = bounds(raw)
        let content = UnsafeBufferPointer(rebasing: raw[start..<end])
        // Decoding repairs invalid UTF-8, so the text has the same bytes only when there was
        // nothing to repair; this is several times faster than `String(validating:)`, which is
        // not specialised and built generic metadata per call (a quarter of reading
        // residents.csv).
        if quoted {
            let bytes = unquoted(content)
            let text = String(decoding: bytes, as: UTF8.self)
            return text.utf8.elementsEqual(bytes) ? text : nil
        }
        let text = String(decoding: content, as: UTF8.self)
        return text.utf8.elementsEqual(content) ? text : nil
    }

    /// Where the value's bytes lie in `raw`, and whether its `""` still need undoubling.
    private static func bounds(_ raw: UnsafeBufferPointer<UInt8>) -> (start: Int, end: Int, quoted: Bool) {
        var start = 0, end = raw.count
        while start < end, raw[start] == 0x20 || raw[start] == 0x09 { start += 1 }
        while end > start, raw[end - 1] == 0x20 || raw[end - 1] == 0x09 { end -= 1 }
        guard end - start >= 2, raw[start] == quote, raw[end - 1] == quote else { return (start, end, false) }
        let inner = UnsafeBufferPointer(rebasing: raw[start + 1..<end - 1])
        return (start + 1, end - 1, inner.contains(quote))
    }

    /// `content` with each `""` made `"`.
    private static func unquoted(_ content: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(content.count)
        var index = 0
        while index < content.count {
            bytes.append(content[index])
            index += content[index] == quote && index + 1 < content.count && content[index + 1] == quote ? 2 : 1
        }
        return bytes
    }

    /// Whether `bytes` are nothing but white space.
    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            || String(decoding: bytes, as: UTF8.self).allSatisfy(\.isWhitespace)
    }

    /// `text` as a CSV field (RFC 4180): quoted, with inner quotes doubled, when it holds a
    /// comma, a quote or a line break, or starts or ends with a space or tab (which
    /// ``value(_:)`` would otherwise trim).
    public static func escaped(_ text: String) -> String {
        let utf8 = text.utf8
        let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == quote || $0 == 0x0A || $0 == 0x0D }
            || utf8.first.map { $0 == 0x20 || $0 == 0x09 } == true
            || utf8.last.map { $0 == 0x20 || $0 == 0x09 } == true
        guard needsQuotes else { return text }
        var quoted = "\""
        for character in text {
            if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
        }
        return quoted + "\""
    }

    /// Rows as CSV text: fields ``escaped(_:)`` and joined by commas, LF after every record.
    public static func formatted(_ rows: [[String]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * 64)
        for row in rows {
            for (index, field) in row.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: escaped(field).utf8)
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }
}
