import PROJ

/// Why coverage validation could not run at all. Faults in the data are not errors: they are
/// ``CoverageProblem``s in the report. These are the cases where no report can be made.
public enum CoverageError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An option is out of range; the text names it and its value.
    case invalidOption(String)
    /// The town's working CRS is unknown to PROJ, geographic, or cannot be reached from WGS84.
    case workingCRS(crs: CRSDefinition, reason: String)
    /// The town boundary is not a Polygon or MultiPolygon, or its coordinates are unusable.
    case townBoundary(String)
    /// Coordinates PROJ could not transform; the text says whose.
    case projection(String)
    /// GEOS failed on an operation; the text says which and GEOS's message.
    case geometry(String)

    public var description: String {
        switch self {
        case .invalidOption(let text): "invalid coverage option: \(text)"
        case let .workingCRS(crs, reason): "working CRS \"\(crs)\" unusable: \(reason)"
        case .townBoundary(let text): "town boundary: \(text)"
        case .projection(let text): "projection: \(text)"
        case .geometry(let text): "geometry: \(text)"
        }
    }
}
