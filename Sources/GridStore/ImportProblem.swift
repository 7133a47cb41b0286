/// One thing wrong with data offered for import, located well enough to fix it: the layer (which
/// names the file it came from, e.g. `grids` → `grids.geojson`), the item's position in that
/// layer and, when it has one, its id or code.
public struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
    /// The layer's name: "town", "villages", "grids", "microgrids", a feature kind's layer name
    /// ("homes", "roads"), "residents" or "team".
    public var layer: String
    /// Zero-based position of the item within its layer; nil for the town itself.
    public var index: Int?
    /// The item's id or code, when it has one.
    public var id: String?
    public var message: String

    public init(layer: String, index: Int?, id: String?, message: String) {
        self.layer = layer
        self.index = index
        self.id = id
        self.message = message
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

    public var description: String {
        let noun = problems.count == 1 ? "problem" : "problems"
        return (["import rejected, \(problems.count) \(noun):"] + problems.map { "  " + $0.description })
            .joined(separator: "\n")
    }
}
