/// One problem found in a town folder; see ``TownProblem``.
public typealias TownFolderProblem = TownProblem

/// Everything wrong with a town folder (reading) or with the data to write, sorted by file and by
/// feature or line; reading returns no partial data when there is any.
public struct TownFolderError: Error, Hashable, Sendable, CustomStringConvertible {
    public var problems: [TownProblem]

    public init(problems: [TownProblem]) { self.problems = problems }

    public init(_ kind: TownProblem.Kind = .file, file: String, message: String) {
        problems = [TownProblem(kind, file: file, message: message)]
    }

    /// The count, then one line per kind of problem with its count, then one line per problem:
    ///
    ///     3 problems in the town folder:
    ///       2 reference  references to items the town does not have
    ///       1 geometry   geometries of the wrong type or invalid
    ///     by file and feature:
    ///       grids.geojson: feature 0, properties.village: village "DC-V09" is not in villages.geojson
    ///       …
    public var description: String {
        let header = problems.count == 1 ? "1 problem in the town folder" : "\(problems.count) problems in the town folder"
        return ([header + ":"] + TownProblem.summary(of: problems.map(\.kind)).map { "  " + $0 } + ["by file and feature:"]
            + problems.map { "  " + $0.description }).joined(separator: "\n")
    }
}
