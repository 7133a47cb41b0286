import GeoJSON

/// Indented JSON text for the manifest: two spaces per level, members in their order, arrays of
/// scalars on one line, non-ASCII text as UTF-8. Deterministic like everything written.
enum PrettyJSON {
    static func text(_ value: JSONValue) -> String {
        var out = ""
        append(value, indent: 0, to: &out)
        out += "\n"
        return out
    }

    private static func append(_ value: JSONValue, indent: Int, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let number): out += number.text
        case .string(let string): out += quoted(string)
        case .array(let elements):
            let scalars = elements.allSatisfy { element in
                if case .array = element { return false }
                if case .object = element { return false }
                return true
            }
            if elements.isEmpty {
                out += "[]"
            } else if scalars {
                out += "["
                for (index, element) in elements.enumerated() {
                    if index > 0 { out += ", " }
                    append(element, indent: indent, to: &out)
                }
                out += "]"
            } else {
                out += "[\n"
                for (index, element) in elements.enumerated() {
                    out += String(repeating: "  ", count: indent + 1)
                    append(element, indent: indent + 1, to: &out)
                    out += index == elements.count - 1 ? "\n" : ",\n"
                }
                out += String(repeating: "  ", count: indent) + "]"
            }
        case .object(let object):
            if object.isEmpty {
                out += "{}"
                return
            }
            out += "{\n"
            let members = object.members
            for (index, member) in members.enumerated() {
                out += String(repeating: "  ", count: indent + 1) + quoted(member.key) + ": "
                append(member.value, indent: indent + 1, to: &out)
                out += index == members.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }

    /// A JSON string literal (RFC 8259 §7): quote, backslash and control characters escaped.
    static func quoted(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
