import GridMapCore

/// Why a map could not be drawn. Each case says what was being drawn when it failed.
public enum MapRenderError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The grid scope names a grid the town does not have.
    case unknownGrid(GridCode)
    /// The town's working CRS is unknown to PROJ, or a coordinate could not be projected into it.
    case projection(String)
    /// GEOS failed on a geometry (clipping, simplifying, finding a label point).
    case geometry(what: String, message: String)
    /// There is nothing with a position to draw: no boundary, no grid, no feature.
    case nothingToDraw

    public var description: String {
        switch self {
        case .unknownGrid(let code): "no grid \(code) in this town"
        case .projection(let message): "cannot project the map: \(message)"
        case .geometry(let what, let message): "cannot draw \(what): \(message)"
        case .nothingToDraw: "the town has no boundary, grid or feature to draw"
        }
    }
}
