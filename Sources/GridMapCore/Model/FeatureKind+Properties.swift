import GeoJSON

/// A documented property of a built-in kind that a feature lacks or gets wrong.
public struct PropertyProblem: Equatable, Sendable {
    /// Where, as a path into the feature: `properties.class`.
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

extension FeatureKind {
    /// The values a road's `class` property may take: Dacun's three rural classes, then
    /// OpenStreetMap's `highway` values for roads and paths, each of which routing gives its
    /// meaning (docs/TOWN-FORMAT.md, roads).
    public static let roadClasses = [
        "county", "village", "track",
        "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link",
        "tertiary", "tertiary_link", "unclassified", "residential", "living_street", "service", "pedestrian",
        "road", "busway", "footway", "path", "cycleway", "bridleway", "steps", "corridor",
    ]

    /// Checks the documented properties of built-in kinds: a road's class (required); a home's
    /// address and house number, which are optional (a home without them can be located and
    /// visited, only not matched from a ledger) but must be usable when given. The town-folder
    /// reader and the store's import both ask this, so a town built in code meets the same rules
    /// as one read from files.
    public func propertyProblems(in properties: JSONObject) -> [PropertyProblem] {
        var problems: [PropertyProblem] = []
        func check(_ key: String, required: Bool, _ isValid: (JSONValue) -> Bool, _ expected: String) {
            let path = "properties.\(key)"
            if let value = properties[key] {
                if !isValid(value) {
                    problems.append(PropertyProblem(path: path, message: "\"\(key)\" must be \(expected), found \(value.shortDescription)"))
                }
            } else if required {
                problems.append(PropertyProblem(path: path, message: "missing required property \"\(key)\" (\(expected))"))
            }
        }
        if self == .road {
            check("class", required: true, { Self.roadClasses.contains($0.stringValue ?? "") },
                  "one of \(Self.roadClasses.joined(separator: ", "))")
        } else if self == .home {
            check("address", required: false, { !($0.stringValue ?? "").isEmpty }, "a non-empty string")
            check("houseNumber", required: false, { value in value.int64Value.map { $0 > 0 } ?? !(value.stringValue ?? "").isEmpty },
                  "a positive integer or a non-empty string")
        }
        return problems
    }
}

extension JSONValue {
    /// A value as a problem message quotes it: strings in quotes, containers by their kind.
    var shortDescription: String {
        switch self {
        case .string(let text): "\"\(text)\""
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .number(let number): number.text
        case .array: "an array"
        case .object: "an object"
        }
    }
}
