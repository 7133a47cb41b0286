/// String tokens (RFC 8259 §7): escapes decoded, UTF-8 validated, control characters refused.
extension JSONScanner {
    /// Reads the string starting at the cursor's '"'.
    mutating func scanString() throws(GeoJSONError) -> String {
        let (start, end, hasEscapes) = try scanStringBounds()
        guard end - start <= Self.maximumStringBytes else {
            throw .at(start - 1, .unsupportedValue, "a string of \(end - start) bytes is longer than the limit of 1 MiB (\(Self.maximumStringBytes) bytes)")
        }
        let bytes = UnsafeBufferPointer(start: base + start, count: end - start)
        if !hasEscapes {
            guard UTF8Validation.isWellFormed(bytes) else { throw invalidUTF8(start) }
            return String(decoding: bytes, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var offset = start
        while offset < end {
            let byte = base[offset]
            offset += 1
            guard byte == .backslash else {
                decoded.append(byte)
                continue
            }
            let escape = base[offset]
            offset += 1
            switch escape {
            case .quote, .backslash, UInt8(ascii: "/"): decoded.append(escape)
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(.newline)
            case UInt8(ascii: "r"): decoded.append(.carriageReturn)
            case UInt8(ascii: "t"): decoded.append(.tab)
            default:  // 'u', checked by scanStringBounds
                var scalar = hexQuad(at: offset)
                offset += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    guard offset + 6 <= end, base[offset] == .backslash, base[offset + 1] == UInt8(ascii: "u"),
                        case let low = hexQuad(at: offset + 2), (0xDC00..<0xE000).contains(low)
                    else { throw .at(offset - 6, .invalidJSON, "invalid JSON: unpaired UTF-16 surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    offset += 6
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw .at(offset - 6, .invalidJSON, "invalid JSON: unpaired UTF-16 surrogate in \\u escape")
                }
                decoded.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
            }
        }
        return try decoded.withUnsafeBufferPointer { (decodedBytes) throws(GeoJSONError) -> String in
            guard UTF8Validation.isWellFormed(decodedBytes) else { throw invalidUTF8(start) }
            return String(decoding: decodedBytes, as: UTF8.self)
        }
    }

    /// Steps over the string starting at the cursor's '"', checking its syntax but not decoding it.
    mutating func skipString() throws(GeoJSONError) {
        _ = try scanStringBounds()
    }

    /// Finds the closing quote of the string at the cursor. Returns the content's byte range and
    /// whether it has escapes; leaves the cursor after the closing quote.
    @inline(__always)
    mutating func scanStringBounds() throws(GeoJSONError) -> (start: Int, end: Int, hasEscapes: Bool) {
        let start = index + 1
        var offset = start
        var hasEscapes = false
        while offset < count {
            let byte = base[offset]
            if byte == .quote {
                index = offset + 1
                return (start, offset, hasEscapes)
            }
            if byte == .backslash {
                hasEscapes = true
                guard offset + 1 < count else { break }
                switch base[offset + 1] {
                case .quote, .backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
                    UInt8(ascii: "r"), UInt8(ascii: "t"):
                    offset += 2
                case UInt8(ascii: "u"):
                    guard offset + 6 <= count, (2..<6).allSatisfy({ hexValue(base[offset + $0]) != nil }) else {
                        throw .at(offset, .invalidJSON, "invalid JSON: \\u must be followed by four hex digits")
                    }
                    offset += 6
                default:
                    throw .at(offset, .invalidJSON, "invalid JSON: unknown escape \\\(describeByte(at: offset + 1))")
                }
                continue
            }
            if byte < 0x20 {
                throw .at(offset, .invalidJSON, "invalid JSON: control character \(describeByte(at: offset)) inside a string must be escaped")
            }
            offset += 1
        }
        throw .at(index, .invalidJSON, "invalid JSON: string is not closed before the end of input")
    }

    private func hexQuad(at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 << 4 | UInt32(hexValue(base[offset + $1])!) }
    }

    private func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private func invalidUTF8(_ offset: Int) -> GeoJSONError {
        .at(offset, .invalidJSON, "invalid JSON: string is not valid UTF-8 (RFC 8259 §8.1)")
    }

    /// The bytes at `start..<end` as text (a member name found by ``scanStringBounds()``).
    func text(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
    }

    /// True when the string content at `start..<end` is exactly `literal` (no escapes).
    @inline(__always)
    func bytesEqual(_ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard end - start == length else { return false }
        let bytes = literal.utf8Start
        for offset in 0..<length where base[start + offset] != bytes[offset] { return false }
        return true
    }
}
