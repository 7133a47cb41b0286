/// Text and number spelling for SVG output.
///
/// Numbers are written from integer tenths of a millimetre, never through `Double`'s
/// `description`, so that the same drawing is the same bytes on every machine and run, and the
/// file stays small: 0.1 mm is finer than a printer's dot at 300 dpi (0.085 mm) needs to matter.
enum SVGText {
    /// `value` (millimetres) rounded to 0.1 mm: "12.3", "-0.4", "7".
    static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let magnitude = tenths.magnitude
        let sign = tenths < 0 ? "-" : ""
        let whole = magnitude / 10
        let fraction = magnitude % 10
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// `text` made safe for XML character data and double-quoted attribute values (XML 1.0 §2.4,
    /// §3.3.3). Control characters XML 1.0 forbids are dropped rather than escaped, since no
    /// escape for them is legal.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20, scalar.value != 0xFFFE, scalar.value != 0xFFFF {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
