/// A JSON object that keeps its members in the order they were read or inserted.
///
/// Order matters for faithful, deterministic output (the same input writes the same bytes).
/// Lookup is a linear scan: GeoJSON property objects are small. Equality is order-sensitive.
/// Keys are unique: the reader rejects duplicates, and `subscript` set replaces in place.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Member = (key: String, value: JSONValue)

    private var keys: [String]
    private var values: [JSONValue]

    public init() {
        keys = []
        values = []
    }

    /// Members in the given order. Later duplicates replace earlier ones (keeping the first position).
    public init(_ members: [Member]) {
        self.init()
        keys.reserveCapacity(members.count)
        values.reserveCapacity(members.count)
        for member in members { self[member.key] = member.value }
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init()
        keys.reserveCapacity(elements.count)
        values.reserveCapacity(elements.count)
        for (key, value) in elements { self[key] = value }
    }

    /// Appends a member whose key the caller knows is new (the parser has already checked).
    mutating func appendUnchecked(key: String, value: JSONValue) {
        keys.append(key)
        values.append(value)
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }
    /// Member names in order.
    public var orderedKeys: [String] { keys }

    /// The value for `key`; setting nil removes the member, setting a value replaces it in place
    /// or appends it at the end.
    public subscript(key: String) -> JSONValue? {
        get { keys.firstIndex(of: key).map { values[$0] } }
        set {
            if let index = keys.firstIndex(of: key) {
                if let newValue {
                    values[index] = newValue
                } else {
                    keys.remove(at: index)
                    values.remove(at: index)
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    public func makeIterator() -> AnyIterator<Member> {
        var index = 0
        return AnyIterator {
            guard index < keys.count else { return nil }
            defer { index += 1 }
            return (key: keys[index], value: values[index])
        }
    }

    /// Members in order, as an array (convenient for indexing in tests and writers).
    public var members: [Member] { zip(keys, values).map { (key: $0, value: $1) } }

    func forEachMember(_ body: (String, JSONValue) throws -> Void) rethrows {
        for index in keys.indices { try body(keys[index], values[index]) }
    }
}
