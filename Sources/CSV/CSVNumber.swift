import Foundation

/// Reads a coordinate out of a CSV field's raw bytes, without making a `String`.
public enum CSVNumber {
    /// The finite number in `field`: spaces or tabs around it and one pair of surrounding double
    /// quotes allowed. Nil for anything else, "nan" and "inf" included: they are not coordinates.
    ///
    /// Plain decimals of up to 15 digits (every coordinate a person or a GIS writes) take
    /// Clinger's fast path: the digits as an exact integer divided by an exact power of ten, one
    /// correctly rounded IEEE division, so the result is the correctly rounded value, the same
    /// bits `strtod` gives. Anything else (exponents, long mantissas, hex) goes to `strtod`.
    public static func parse(_ field: UnsafeBufferPointer<UInt8>) -> Double? {
        var (start, end) = trimmed(field, 0, field.count)
        if end - start >= 2, field[start] == quote, field[end - 1] == quote {
            (start, end) = trimmed(field, start + 1, end - 1)
        }
        guard start < end else { return nil }
        return fastDecimal(field, start, end) ?? standardDecimal(field, start, end)
    }

    /// ``parse(_:)`` of a field given as text (an option's value, a field's value).
    public static func parse(_ text: some StringProtocol) -> Double? {
        var text = String(text)
        return text.withUTF8 { parse($0) }
    }

    private static let quote = UInt8(ascii: "\"")

    /// The range `start..<end` of `field` without spaces or tabs at either end.
    private static func trimmed(_ field: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int) {
        var (start, end) = (start, end)
        while start < end, field[start] == 0x20 || field[start] == 0x09 { start += 1 }
        while end > start, field[end - 1] == 0x20 || field[end - 1] == 0x09 { end -= 1 }
        return (start, end)
    }

    /// Exactly representable powers of ten (10²² is the largest a Double holds exactly).
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// `[sign] digits [. digits]` with at most 15 digits in all, else nil.
    private static func fastDecimal(_ field: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var index = start
        let negative = field[index] == UInt8(ascii: "-")
        if negative || field[index] == UInt8(ascii: "+") { index += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var pointAt = -1
        while index < end {
            let byte = field[index]
            if byte &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(byte &- 0x30)
                digits += 1
            } else if byte == UInt8(ascii: "."), pointAt < 0 {
                pointAt = index
            } else {
                return nil
            }
            index += 1
        }
        // 15 digits stay below 2^53, so the integer is exact as a Double.
        guard digits > 0, digits <= 15 else { return nil }
        let decimals = pointAt < 0 ? 0 : end - pointAt - 1
        let value = Double(mantissa) / powersOfTen[decimals]
        return negative ? -value : value
    }

    /// `strtod` on a NUL-terminated copy; nil unless it reads the whole range to a finite value.
    private static func standardDecimal(_ field: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var text = [CChar](repeating: 0, count: end - start + 1)
        for offset in 0..<(end - start) { text[offset] = CChar(bitPattern: field[start + offset]) }
        return text.withUnsafeBufferPointer { buffer -> Double? in
            var stop: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &stop)
            guard let stop, stop - UnsafeMutablePointer(mutating: buffer.baseAddress!) == end - start,
                  value.isFinite else { return nil }
            return value
        }
    }
}
