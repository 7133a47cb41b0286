/// Text written into HTML, XML or SVG: the one escaping that the map's SVG and every page and
/// document of the server use.
public enum Markup {
    /// `text` made safe inside elements and double- or single-quoted attributes of HTML and XML 1.0
    /// (§2.4, §3.3.3): the five markup characters become references (`'` as `&#39;`, which HTML
    /// and XML both read), and the characters XML 1.0 forbids — control characters other than
    /// tab, line feed and carriage return, U+FFFE and U+FFFF — are dropped, since no escape for
    /// them is legal.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20, scalar.value != 0xFFFE, scalar.value != 0xFFFF {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
