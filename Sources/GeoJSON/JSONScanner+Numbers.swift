/// Number tokens (RFC 8259 §6): strict grammar, exact text, correctly rounded doubles.
extension JSONScanner {
    /// A number token: where its text is, and its digits as a decimal significand and exponent
    /// for the fast conversion path.
    struct NumberToken {
        var start: Int
        var end: Int
        var negative: Bool
        /// Up to 19 significant decimal digits.
        var significand: UInt64
        /// Power of ten to scale `significand` by.
        var exponent: Int
        /// True when digits beyond the 19th were dropped (the fast path must not be used).
        var truncated: Bool
    }

    /// Scans `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` at the cursor.
    @inline(__always)
    mutating func scanNumber() throws(GeoJSONError) -> NumberToken {
        let start = index
        var offset = index
        var token = NumberToken(start: start, end: start, negative: false, significand: 0, exponent: 0, truncated: false)
        var significantDigits = 0
        if offset < count, base[offset] == .minus {
            token.negative = true
            offset += 1
        }
        guard offset < count, base[offset] &- .zero < 10 else { throw syntaxError("a JSON value", at: start) }
        if base[offset] == .zero {
            offset += 1
            if offset < count, base[offset] &- .zero < 10 {
                throw .at(start, .invalidJSON, "invalid JSON: numbers must not have leading zeros")
            }
        } else {
            while offset < count, case let digit = base[offset] &- .zero, digit < 10 {
                if significantDigits < 19 {
                    token.significand = token.significand &* 10 &+ UInt64(digit)
                    significantDigits += 1
                } else {
                    token.exponent += 1
                    token.truncated = true
                }
                offset += 1
            }
        }
        if offset < count, base[offset] == UInt8(ascii: ".") {
            offset += 1
            guard offset < count, base[offset] &- .zero < 10 else {
                throw .at(offset, .invalidJSON, "invalid JSON: expected a digit after the decimal point")
            }
            while offset < count, case let digit = base[offset] &- .zero, digit < 10 {
                if significantDigits < 19 {
                    token.significand = token.significand &* 10 &+ UInt64(digit)
                    token.exponent -= 1
                    if token.significand != 0 { significantDigits += 1 }
                } else if digit != 0 {
                    token.truncated = true
                }
                offset += 1
            }
        }
        if offset < count, base[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            var exponentNegative = false
            if offset < count, base[offset] == .minus || base[offset] == UInt8(ascii: "+") {
                exponentNegative = base[offset] == .minus
                offset += 1
            }
            guard offset < count, base[offset] &- .zero < 10 else {
                throw .at(offset, .invalidJSON, "invalid JSON: expected a digit in the exponent")
            }
            var exponent = 0
            while offset < count, case let digit = base[offset] &- .zero, digit < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(digit) }
                offset += 1
            }
            token.exponent += exponentNegative ? -exponent : exponent
        }
        guard offset - start <= Self.maximumNumberLength else {
            throw .at(start, .unsupportedValue, "a number of \(offset - start) characters is longer than the limit of \(Self.maximumNumberLength)")
        }
        token.end = offset
        index = offset
        return token
    }

    /// The correctly rounded double for a number token.
    ///
    /// Fast path (Clinger, "How to Read Floating Point Numbers Accurately", PLDI 1990): when the
    /// significand is at most 2^53 and the power of ten at most 10^22, both are exact doubles
    /// and one IEEE multiplication or division rounds correctly. Coordinates written with up
    /// to 15 significant digits always take it. Otherwise the standard library's correctly
    /// rounded conversion reads the text. Out-of-range values come back as ±infinity.
    @inline(__always)
    func doubleValue(of token: NumberToken) -> Double {
        if !token.truncated && token.significand <= 1 << 53 && token.exponent >= -22 && token.exponent <= 22 {
            let magnitude = Double(token.significand)
            let value = token.exponent >= 0
                ? magnitude * Self.powersOfTen[token.exponent] : magnitude / Self.powersOfTen[-token.exponent]
            return token.negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + token.start, count: token.end - token.start), as: UTF8.self)
        return Double(text) ?? (token.negative ? -.infinity : .infinity)
    }

    /// Reads a number at the cursor as a double.
    @inline(__always)
    mutating func scanDouble() throws(GeoJSONError) -> Double {
        doubleValue(of: try scanNumber())
    }

    /// The exact source text of a number token.
    func text(of token: NumberToken) -> String {
        String(decoding: UnsafeBufferPointer(start: base + token.start, count: token.end - token.start), as: UTF8.self)
    }

    /// 10^0 … 10^22, all exactly representable as doubles.
    static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }
}
