/// The result of coverage validation: every problem found, in a deterministic order (kind,
/// level, codes, location), with counts per kind.
public struct CoverageReport: Hashable, Sendable {
    /// The problems, sorted by kind, level, codes, then location and feature id.
    public let problems: [CoverageProblem]

    public init(problems: [CoverageProblem]) {
        self.problems = problems.sorted(by: CoverageProblem.reportOrder)
    }

    /// Whether the tiling holds: no problem other than informational ones. The CLI's exit code
    /// follows this (0 when clean).
    public var isClean: Bool { problems.allSatisfy { $0.severity == .info } }

    /// How many problems of each kind were found (kinds with none are absent).
    public var counts: [CoverageProblem.Kind: Int] {
        problems.reduce(into: [:]) { $0[$1.kind, default: 0] += 1 }
    }

    /// How many problems of each severity were found.
    public var countsBySeverity: [CoverageProblem.Severity: Int] {
        problems.reduce(into: [:]) { $0[$1.severity, default: 0] += 1 }
    }

    /// The problems of one kind, in report order.
    public func problems(ofKind kind: CoverageProblem.Kind) -> [CoverageProblem] {
        problems.filter { $0.kind == kind }
    }
}
