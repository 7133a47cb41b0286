/// Why an ``Atlas`` could not be built or queried. Each case names the item at fault.
public enum AtlasError: Error, Equatable, CustomStringConvertible {
    /// A micro-grid's geometry is not a Polygon or MultiPolygon with finite coordinates.
    case microGridGeometry(code: GridCode, reason: String)
    /// Two micro-grids share a code.
    case duplicateMicroGrid(GridCode)
    /// The working CRS cannot be used (PROJ's message), or a point could not be projected.
    case projection(String)
    /// A query argument is out of range.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .microGridGeometry(let code, let reason): "micro-grid \(code): \(reason)"
        case .duplicateMicroGrid(let code): "micro-grid \(code) appears more than once"
        case .projection(let message): "projection: \(message)"
        case .invalidArgument(let message): message
        }
    }
}
