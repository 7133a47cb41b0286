/// One problem with a town's data: what kind it is, where it is, and what is wrong.
///
/// Reading a town folder and validating a town report the same type. From a folder, `file` is the
/// file's name ("grids.geojson", "residents.csv"; empty for the folder itself) and the place is a
/// feature index or a line. For a town built in code, `file` is the layer's name ("grids",
/// "homes", "residents") and `featureIndex` the item's position in that layer.
///
/// `description` reads like `grids.geojson: feature 12, properties.village: village "DC-V99" is
/// not in villages.geojson` or `residents.csv: line 17: 5 fields, but the header has 6`.
public struct TownProblem: Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem: reports are summarised by kind, with counts, before the details.
    /// The cases are in the order the summary lists them.
    public enum Kind: Int, CaseIterable, Hashable, Sendable, Comparable {
        /// A file missing or unreadable, a file that is not a layer, a bad manifest member.
        case file
        /// JSON, GeoJSON or CSV that cannot be read (syntax, members, field counts).
        case syntax
        /// An unknown or unusable coordinate reference system.
        case crs
        /// A missing, malformed, misplaced or foreign id or code.
        case code
        /// An id or code used twice.
        case duplicate
        /// A reference to something the town does not have (a grid's village, a resident's home).
        case reference
        /// A missing or bad property or field, including each feature kind's property rules.
        case property
        /// A geometry of the wrong type, or invalid (with GEOS's reason and place).
        case geometry
        /// The manifest's counts disagree with the files.
        case count

        /// What a number of problems of this kind are, in a summary line.
        public var summary: String {
            switch self {
            case .file: "missing or unreadable files and manifest members"
            case .syntax: "JSON, GeoJSON or CSV that cannot be read"
            case .crs: "unknown or unusable coordinate reference systems"
            case .code: "missing, malformed or misplaced ids and codes"
            case .duplicate: "ids and codes used twice"
            case .reference: "references to items the town does not have"
            case .property: "missing or bad properties and fields"
            case .geometry: "geometries of the wrong type or invalid"
            case .count: "manifest counts that disagree with the files"
            }
        }

        /// A short name for the kind, e.g. "reference".
        public var name: String { String(describing: self) }

        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    public var kind: Kind
    /// The file in the town folder (e.g. "grids.geojson"; empty for the folder itself), or the
    /// layer of a town built in code (e.g. "grids").
    public var file: String
    /// Zero-based index of the feature in its FeatureCollection, or of the item in its layer.
    public var featureIndex: Int?
    /// One-based line in the file (CSV rows, JSON syntax errors); nil when not known.
    public var line: Int?
    /// One-based column within `line`, when known.
    public var column: Int?
    /// Where inside the item, e.g. `geometry.coordinates[0][3]` or `properties.code`.
    public var path: String
    /// The item's id or code, when the problem is about one item that has one (set for towns
    /// built in code, whose items are easier to find by it than by position).
    public var id: String?
    public var message: String

    public init(_ kind: Kind, file: String, featureIndex: Int? = nil, line: Int? = nil, column: Int? = nil,
                path: String = "", id: String? = nil, message: String) {
        self.kind = kind
        self.file = file
        self.featureIndex = featureIndex
        self.line = line
        self.column = column
        self.path = path
        self.id = id
        self.message = message
    }

    public var description: String {
        var place: [String] = []
        if let featureIndex { place.append("feature \(featureIndex)") }
        if !path.isEmpty { place.append(path) }
        var text = place.joined(separator: ", ")
        if let line {
            let where_ = column.map { "line \(line), column \($0)" } ?? "line \(line)"
            text += text.isEmpty ? where_ : " (\(where_))"
        }
        let prefix = file.isEmpty ? "" : file + ": "
        return text.isEmpty ? prefix + message : prefix + text + ": " + message
    }

    /// One line per kind that occurs, in the order of ``Kind``: the count, right-aligned to the
    /// widest, then the kind's name and what it means, e.g. `  12 reference  references to items
    /// the town does not have`.
    public static func summary(of kinds: some Sequence<Kind>) -> [String] {
        var counts: [Kind: Int] = [:]
        for kind in kinds { counts[kind, default: 0] += 1 }
        let rows = Kind.allCases.compactMap { kind in counts[kind].map { (name: kind.name, count: String($0), kind: kind) } }
        let countWidth = rows.map(\.count.count).max() ?? 0
        let nameWidth = rows.map(\.name.count).max() ?? 0
        return rows.map { row in
            String(repeating: " ", count: countWidth - row.count.count) + row.count + " " + row.name
                + String(repeating: " ", count: nameWidth - row.name.count) + "  " + row.kind.summary
        }
    }
}
