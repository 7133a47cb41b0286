/// Any JSON value, as found in GeoJSON `properties` and foreign members (RFC 7946 §6.1).
///
/// Numbers keep their source text (see `JSONNumber`) and objects keep member order (see
/// `JSONObject`), so a value read and written again comes out the same.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The string, if this value is one.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// The number's double value, if this value is a number.
    public var doubleValue: Double? { if case .number(let n) = self { n.doubleValue } else { nil } }
    /// The number as Int64, if this value is an integral number that fits.
    public var int64Value: Int64? { if case .number(let n) = self { n.int64Value } else { nil } }
    /// The object, if this value is one.
    public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }
    /// The elements, if this value is an array.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object = JSONObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}
