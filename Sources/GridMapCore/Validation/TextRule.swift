/// The rule for the text of names, ids, codes, phones and units: no NUL and no other control
/// character (U+0000–U+001F, U+007F) but the tab and the line breaks, which a CSV field may hold
/// and a person may have typed. A NUL ends a C string, so SQLite's text would come back cut off at
/// it; the others (an escape sequence, a bell) are a damaged file or an attack on whoever prints
/// the name, and no name or id needs them.
enum TextRule {
    /// Why `text` cannot be stored as the field `field`, or nil.
    static func problem(_ text: String, field: String) -> String? {
        // In UTF-8, bytes below 0x20 and 0x7F stand only for those characters themselves.
        guard text.utf8.contains(where: isRefused),
              let scalar = text.unicodeScalars.first(where: { $0.value < 0x80 && isRefused(UInt8($0.value)) }) else { return nil }
        let code = String(scalar.value, radix: 16, uppercase: true)
        return "\(field) holds the control character U+\(String(repeating: "0", count: 4 - code.count) + code); "
            + "names, ids, phones and units may not hold control characters (tabs and line breaks aside)"
    }

    private static func isRefused(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F
    }
}
