/// Text written into HTML or XML: the one escaping every page and document of the server uses.
enum Markup {
    /// `text` made safe inside elements and quoted attributes of HTML and XML 1.0: the five
    /// markup characters become references, and control characters other than tab, line feed
    /// and carriage return — which XML 1.0 cannot carry at all — become spaces.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case _ where scalar.value < 0x20 && scalar != "\n" && scalar != "\t" && scalar != "\r": out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
