/// One problem found in a town folder: which file, where in it, and what is wrong.
///
/// `description` reads like `grids.geojson: feature 12: "village" "DC-V99" is not in villages.geojson`
/// or `residents.csv: line 17: 5 fields, expected 6`.
public struct TownFolderProblem: Hashable, Sendable, CustomStringConvertible {
    /// The file's name inside the folder, e.g. "grids.geojson" (empty for the folder itself).
    public var file: String
    /// Zero-based index of the feature in its FeatureCollection (GeoJSON files).
    public var featureIndex: Int?
    /// One-based line in the file (CSV rows, JSON syntax errors); nil when not known.
    public var line: Int?
    /// One-based column within `line`, when known.
    public var column: Int?
    /// Where inside the feature, e.g. `geometry.coordinates[0][3]` or `properties.code`.
    public var path: String
    public var message: String

    public init(file: String, featureIndex: Int? = nil, line: Int? = nil, column: Int? = nil, path: String = "",
                message: String) {
        self.file = file
        self.featureIndex = featureIndex
        self.line = line
        self.column = column
        self.path = path
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
}

/// Everything wrong with a town folder (reading) or with the data to write, one problem per entry
/// in file order; reading returns no partial data when there is any.
public struct TownFolderError: Error, Hashable, Sendable, CustomStringConvertible {
    public var problems: [TownFolderProblem]

    public init(problems: [TownFolderProblem]) { self.problems = problems }

    public init(file: String, message: String) {
        problems = [TownFolderProblem(file: file, message: message)]
    }

    /// One line per problem.
    public var description: String {
        let header = problems.count == 1 ? "1 problem in the town folder" : "\(problems.count) problems in the town folder"
        return ([header + ":"] + problems.map { "  " + $0.description }).joined(separator: "\n")
    }
}
