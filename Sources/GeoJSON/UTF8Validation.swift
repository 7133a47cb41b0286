/// UTF-8 well-formedness (Unicode 15, §3.9, Table 3-7), checked in place over bytes.
///
/// The standard library's `String(validating:as:)` is generic and, unspecialised, spends most of
/// its time in metadata lookups; string contents are the reader's second-hottest path.
enum UTF8Validation {
    /// True when `bytes` is well-formed UTF-8: no stray continuation bytes, no overlong forms, no
    /// surrogates (U+D800…U+DFFF), nothing above U+10FFFF.
    static func isWellFormed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var secondLow: UInt8 = 0x80
            var secondHigh: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; secondLow = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; secondHigh = 0x9F
            case 0xF0: length = 4; secondLow = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; secondHigh = 0x8F
            default: return false
            }
            guard index + length <= count else { return false }
            let second = bytes[index + 1]
            guard second >= secondLow && second <= secondHigh else { return false }
            for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }
}
