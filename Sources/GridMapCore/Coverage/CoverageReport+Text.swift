/// The report as text for a terminal or a log: one line per problem, then a summary line.
extension CoverageReport {
    /// One line per problem, e.g.
    /// `overlap  DC-012 × DC-013  at 119.81234 35.90123  area 152.3 m²  grids DC-012 and DC-013 overlap`,
    /// then `3 problems (2 errors, 1 warning): 1 gap, 1 overlap, 1 sliver-gap; not clean`.
    /// Longitude and latitude have 6 decimals (about 0.1 m).
    public func text() -> String {
        var lines = problems.map(Self.line)
        lines.append(summary())
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary line alone.
    public func summary() -> String {
        guard !problems.isEmpty else { return "no problems: the grids tile the town and the micro-grids tile their grids; clean" }
        let severities = countsBySeverity
        let bySeverity = [CoverageProblem.Severity.error, .warning, .info].compactMap { severity in
            severities[severity].map { "\($0) \(severity)\($0 == 1 ? "" : "s")" }
        }.joined(separator: ", ")
        let byKind = CoverageProblem.Kind.allCases.compactMap { kind in counts[kind].map { "\($0) \(kind)" } }
            .joined(separator: ", ")
        let noun = problems.count == 1 ? "problem" : "problems"
        return "\(problems.count) \(noun) (\(bySeverity)): \(byKind); \(isClean ? "clean" : "not clean")"
    }

    /// One problem's line, as ``text()`` prints it.
    public static func line(_ problem: CoverageProblem) -> String {
        var fields = [problem.kind.rawValue]
        if !problem.codes.isEmpty { fields.append(problem.codes.map(\.description).joined(separator: " × ")) }
        if let id = problem.featureID { fields.append("feature \(id)") }
        fields.append("at \(coordinate(problem.location.x)) \(coordinate(problem.location.y))")
        if problem.areaSquareMetres > 0 { fields.append("area \(formatArea(problem.areaSquareMetres))") }
        if let distance = problem.distanceMetres { fields.append("distance \(rounded(distance, 1)) m") }
        fields.append(problem.message)
        return fields.joined(separator: "  ")
    }

    /// A degree value with exactly 6 decimals.
    private static func coordinate(_ degrees: Double) -> String {
        let micro = Int((degrees * 1_000_000).rounded())
        let sign = micro < 0 ? "-" : ""
        let magnitude = micro.magnitude
        let fraction = String(magnitude % 1_000_000)
        return "\(sign)\(magnitude / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
