/// Generic JSON values (RFC 8259 §3), for properties and foreign members.
extension JSONScanner {
    /// Reads any JSON value at the cursor.
    mutating func scanValue(depth: Int = 0) throws(GeoJSONError) -> JSONValue {
        switch peekToken() {
        case .openBrace: return .object(try scanObject(depth: depth))
        case .openBracket:
            guard depth < Self.maximumDepth else { throw tooDeep() }
            index += 1
            var elements: [JSONValue] = []
            if consume(.closeBracket) { return .array(elements) }
            repeat { elements.append(try scanValue(depth: depth + 1)) } while try nextElement()
            return .array(elements)
        case .quote: return .string(try scanString())
        case UInt8(ascii: "t"):
            try scanLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try scanLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try scanLiteral("null")
            return .null
        default:
            let token = try scanNumber()
            return .number(JSONNumber(validatedText: text(of: token)))
        }
    }

    /// Reads a JSON object at the cursor, keeping member order. Duplicate names are an error:
    /// RFC 8259 §4 says names SHOULD be unique, and a strict reader should not silently pick one.
    mutating func scanObject(depth: Int = 0) throws(GeoJSONError) -> JSONObject {
        guard depth < Self.maximumDepth else { throw tooDeep() }
        try expect(.openBrace, "'{'")
        var object = JSONObject()
        if consume(.closeBrace) { return object }
        var seen: Set<String>? = nil
        repeat {
            let keyOffset = try expectMemberName()
            let key = try scanString()
            try expect(.colon, "':' after a member name")
            let value = try scanValue(depth: depth + 1)
            if object.count >= 16 && seen == nil { seen = Set(object.orderedKeys) }
            let duplicate = seen != nil ? !seen!.insert(key).inserted : object[key] != nil
            if duplicate {
                throw GeoJSONError.at(keyOffset, .invalidMember, "duplicate member \"\(key)\"")
            }
            object.appendUnchecked(key: key, value: value)
        } while try nextMember()
        return object
    }

    /// Checks that a member name (a '"') is next, leaves the cursor on it and returns its offset.
    @inline(__always)
    mutating func expectMemberName() throws(GeoJSONError) -> Int {
        skipWhitespace()
        guard index < count, base[index] == .quote else { throw syntaxError("a member name in double quotes") }
        return index
    }

    func tooDeep() -> GeoJSONError {
        .at(index, .invalidJSON, "invalid JSON: nesting deeper than \(Self.maximumDepth)")
    }
}
