import GEOS
import GeoJSON
import GridMapCore

/// WGS84 longitude/latitude to the network's working CRS, for snapping. Holds a PROJ
/// transformer, so it stays on the thread that made it; the network itself is shared freely.
public final class RoadProjection {
    private let transformer: GeometryTransformer

    public init(workingCRS: String) throws {
        transformer = try GeometryTransformer(from: "EPSG:4326", to: workingCRS)
    }

    /// The points in metres, in one batched PROJ call.
    public func metres(_ positions: [Position]) throws -> [Coordinate] {
        guard !positions.isEmpty else { return [] }
        guard case .multiPoint(let moved) = try transformer.transform(.multiPoint(positions)) else {
            preconditionFailure("a transform keeps the geometry type")
        }
        return moved.map(\.coordinate)
    }
}
