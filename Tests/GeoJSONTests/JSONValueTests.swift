import Testing
@testable import GeoJSON

@Suite("JSON values")
struct JSONValueTests {
    private func roundTrip(_ properties: String) throws -> String {
        let text = "{\"type\":\"Feature\",\"geometry\":null,\"properties\":\(properties)}"
        guard case .feature(let feature) = try GeoJSONReader.read(string: text) else {
            Issue.record("not a feature")
            return ""
        }
        let written = try GeoJSONWriter.string(feature)
        let prefix = "{\"type\":\"Feature\",\"geometry\":null,\"properties\":"
        #expect(written.hasPrefix(prefix))
        return String(written.dropFirst(prefix.count).dropLast())
    }

    @Test("numbers keep their exact source text through read and write")
    func exactNumbers() throws {
        let properties = #"{"big":12345678901234567890,"tenth":0.1,"tiny":1e-7,"negzero":-0,"three":3.0,"exp":2.5E+10}"#
        #expect(try roundTrip(properties) == properties)
    }

    @Test("null, booleans, nested objects and arrays round-trip in order")
    func nestedValues() throws {
        let properties = #"{"z":null,"a":true,"m":false,"obj":{"inner":[1,[2,{"deep":"x"}],null]},"empty":{},"list":[]}"#
        #expect(try roundTrip(properties) == properties)
    }

    @Test("Chinese text and escapes round-trip, and control characters are escaped on write")
    func unicodeAndEscapes() throws {
        let properties = #"{"name":"大村镇","quote":"a\"b\\c","tab":"x\ty","nl":"1\n2","ctl":"\u0001","emoji":"\ud83d\ude00","slash":"a\/b"}"#
        let written = try roundTrip(properties)
        #expect(written == #"{"name":"大村镇","quote":"a\"b\\c","tab":"x\ty","nl":"1\n2","ctl":"\u0001","emoji":"😀","slash":"a/b"}"#)
        guard case .feature(let feature) = try GeoJSONReader.read(string: "{\"type\":\"Feature\",\"geometry\":null,\"properties\":\(properties)}") else { return }
        #expect(feature.properties?["name"] == .string("大村镇"))
        #expect(feature.properties?["emoji"] == .string("😀"))
        #expect(feature.properties?["ctl"] == .string("\u{1}"))
    }

    @Test("JSONNumber accepts only RFC 8259 numbers")
    func numberGrammar() {
        for valid in ["0", "-0", "1.5", "1e5", "1E-5", "-12.5e+3", "12345678901234567890"] {
            #expect(JSONNumber(text: valid) != nil, "\(valid)")
        }
        for invalid in ["01", "1.", ".5", "+1", "1e", "--1", "1.5.2", "", "NaN", "0x10"] {
            #expect(JSONNumber(text: invalid) == nil, "\(invalid)")
        }
        #expect(JSONNumber(text: "12345678901234567890")?.int64Value == nil)
        #expect(JSONNumber(text: "-42")?.int64Value == -42)
        #expect(JSONNumber(0.1).text == "0.1")
    }

    @Test("object subscripts replace in place, append new keys and remove on nil")
    func objectEditing() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["a"] = "x"
        object["c"] = nil
        object["d"] = true
        object["b"] = nil
        #expect(object.orderedKeys == ["a", "d"])
        #expect(object["a"] == .string("x"))
    }
}
