import GridMapCore

/// One thing wrong with data offered for import, located well enough to fix it: the layer (which
/// names the file it came from, e.g. `grids` → `grids.geojson`), the item's position in that
/// layer and, when it has one, its id or code. It is a ``TownProblem`` of a town built in code,
/// as the store reports it.
public struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
    public var kind: TownProblem.Kind
    /// The layer's name: "town", "villages", "grids", "microgrids", a feature kind's layer name
    /// ("homes", "roads"), "residents" or "team".
    public var layer: String
    /// Zero-based position of the item within its layer; nil for the town itself.
    public var index: Int?
    /// The item's id or code, when it has one.
    public var id: String?
    /// What is wrong, after the path inside the item when there is one
    /// ("properties.address: missing required property …").
    public var message: String

    public init(_ kind: TownProblem.Kind, layer: String, index: Int?, id: String?, message: String) {
        self.kind = kind
        self.layer = layer
        self.index = index
        self.id = id
        self.message = message
    }

    /// The validator's problem as the store reports it.
    public init(_ problem: TownProblem) {
        self.init(problem.kind, layer: problem.file, index: problem.featureIndex, id: problem.id,
                  message: problem.path.isEmpty ? problem.message : problem.path + ": " + problem.message)
    }

    public var description: String {
        var place = layer
        if let index { place += "[\(index)]" }
        if let id { place += " \(id)" }
        return "\(place): \(message)"
    }
}

/// Why an import changed nothing: every problem found in the data, in layer order.
public struct ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [ImportProblem]

    public init(problems: [ImportProblem]) {
        self.problems = problems
    }

    /// The count, one line per kind of problem with its count, then one line per problem.
    public var description: String {
        let noun = problems.count == 1 ? "problem" : "problems"
        let summary = TownProblem.summary(of: problems.map(\.kind)).map { "  " + $0 }
        return (["import rejected, \(problems.count) \(noun):"] + summary + ["by layer and index:"]
            + problems.map { "  " + $0.description }).joined(separator: "\n")
    }
}
