import GridMapCore

/// A coverage fault (a gap, an overlap, a micro-grid outside its grid, a home in no micro-grid)
/// that an import was explicitly allowed to keep: stored with that import, so that the town's
/// summary keeps saying the coverage is not clean until a clean import replaces it. The fault's
/// geometry is not kept — `gridmap validate` finds it again from the stored town.
public struct AcceptedCoverageFault: Sendable, Hashable, CustomStringConvertible {
    /// ``CoverageProblem/Kind``'s raw value, e.g. "gap", "overlap", "feature-outside-micro-grids".
    public var kind: String
    /// ``CoverageProblem/Severity``'s raw value: "error" or "warning".
    public var severity: String
    /// The grid and micro-grid codes involved, sorted.
    public var codes: [String]
    /// The feature concerned (a home, a well), for feature faults.
    public var featureID: String?
    /// The fault's area in m² in the working CRS (0 for points).
    public var areaSquareMetres: Double
    /// A point of the fault, WGS84.
    public var longitude: Double
    public var latitude: Double
    public var message: String

    public init(kind: String, severity: String, codes: [String], featureID: String?, areaSquareMetres: Double,
                longitude: Double, latitude: Double, message: String) {
        self.kind = kind
        self.severity = severity
        self.codes = codes
        self.featureID = featureID
        self.areaSquareMetres = areaSquareMetres
        self.longitude = longitude
        self.latitude = latitude
        self.message = message
    }

    public init(_ problem: CoverageProblem) {
        self.init(kind: problem.kind.rawValue, severity: problem.severity.rawValue, codes: problem.codes.map(\.description),
                  featureID: problem.featureID, areaSquareMetres: problem.areaSquareMetres,
                  longitude: problem.location.x, latitude: problem.location.y, message: problem.message)
    }

    /// `gap DC-001 × DC-002: <message>`.
    public var description: String {
        ([kind] + (codes.isEmpty ? [] : [codes.joined(separator: " × ")]) + (featureID.map { ["feature \($0)"] } ?? []))
            .joined(separator: " ") + ": " + message
    }
}
