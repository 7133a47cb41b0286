/// A JSON object that keeps its members in the order they were read or inserted.
///
/// Order matters for faithful, deterministic output (the same input writes the same bytes).
/// Lookup is a linear scan: GeoJSON property objects are small. Equality is order-sensitive.
/// Keys are unique: the reader rejects duplicates, and `subscript` set replaces in place.
/// The members are one array (one heap buffer per object, not one for keys and one for values):
/// a town holds a property object per feature, a million of them for a large point layer.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Member = (key: String, value: JSONValue)

    private struct Entry: Sendable, Hashable {
        var key: String
        var value: JSONValue
    }

    private var entries: [Entry]

    public init() {
        entries = []
    }

    /// Members in the given order. Later duplicates replace earlier ones (keeping the first position).
    public init(_ members: [Member]) {
        self.init()
        entries.reserveCapacity(members.count)
        for member in members { self[member.key] = member.value }
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init()
        entries.reserveCapacity(elements.count)
        for (key, value) in elements { self[key] = value }
    }

    /// Appends a member whose key the caller knows is new (the parser has already checked).
    mutating func appendUnchecked(key: String, value: JSONValue) {
        entries.append(Entry(key: key, value: value))
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    /// Member names in order.
    public var orderedKeys: [String] { entries.map(\.key) }

    /// The value for `key`; setting nil removes the member, setting a value replaces it in place
    /// or appends it at the end.
    public subscript(key: String) -> JSONValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue {
                    entries[index].value = newValue
                } else {
                    entries.remove(at: index)
                }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    public func makeIterator() -> AnyIterator<Member> {
        var index = 0
        return AnyIterator {
            guard index < entries.count else { return nil }
            defer { index += 1 }
            return (key: entries[index].key, value: entries[index].value)
        }
    }

    /// Members in order, as an array (convenient for indexing in tests and writers).
    public var members: [Member] { entries.map { (key: $0.key, value: $0.value) } }

    func forEachMember(_ body: (String, JSONValue) throws -> Void) rethrows {
        for entry in entries { try body(entry.key, entry.value) }
    }
}
