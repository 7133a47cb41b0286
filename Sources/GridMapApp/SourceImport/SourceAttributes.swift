import GeoJSON

/// A source feature's attributes as a mapping reads them: GDAL's fields, and the OSM tags an
/// attribute holds in `"key"=>"value"` form (GDAL's `other_tags`) when the rule names one.
/// A field wins over a tag of the same name.
struct SourceAttributes {
    private(set) var members: [(key: String, value: JSONValue)]
    private var index: [String: Int] = [:]

    init(_ fields: JSONObject, tags: String? = nil) {
        members = fields.members.filter { $0.key != tags }
        if let tags, let text = fields[tags]?.stringValue {
            members += Self.osmTags(text).map { (key: $0.key, value: JSONValue.string($0.value)) }
        }
        for (position, member) in members.enumerated().reversed() { index[member.key] = position }
    }

    subscript(key: String) -> JSONValue? { index[key].map { members[$0].value } }

    /// The value as text: a string, or a number's lexeme; nil when absent or of another type.
    func text(_ key: String) -> String? {
        switch self[key] {
        case .string(let text)?: text
        case .number(let number)?: number.text
        default: nil
        }
    }

    /// The tags in GDAL's `other_tags` text (`"key"=>"value","key2"=>"value2"`, the hstore
    /// form, with `\"` and `\\` escaped inside quotes), in order. Text that is not of that form
    /// yields the tags read before it.
    static func osmTags(_ text: String) -> [(key: String, value: String)] {
        var tags: [(key: String, value: String)] = []
        var characters = text.makeIterator()
        func quoted() -> String? {
            var result = ""
            while let character = characters.next() {
                switch character {
                case "\"": return result
                case "\\": if let escaped = characters.next() { result.append(escaped) }
                default: result.append(character)
                }
            }
            return nil
        }
        while true {
            // Up to the opening quote of a key (skipping the comma between pairs).
            var opened = false
            while let character = characters.next() {
                if character == "\"" { opened = true; break }
            }
            guard opened, let key = quoted() else { return tags }
            // "=>" then the value's opening quote.
            var valueOpened = false
            while let character = characters.next() {
                if character == "\"" { valueOpened = true; break }
            }
            guard valueOpened, let value = quoted() else { return tags }
            tags.append((key, value))
        }
    }
}
