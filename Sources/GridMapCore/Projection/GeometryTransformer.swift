import GeoJSON
import PROJ

/// Moves GeoJSON geometries between coordinate reference systems: every position of a geometry
/// in one batched PROJ call (`proj_trans_generic`), axis order (lon, lat) / (x, y) throughout.
///
/// Used for input in another CRS (to WGS84 on import) and for metric work (WGS84 to the town's
/// working CRS for areas, distances and drawing). Holds a PROJ transformer, so it is confined to
/// the thread that made it, like every PROJ object.
public final class GeometryTransformer {
    public let source: String
    public let target: String
    private let transformer: Transformer

    /// Whether the source CRS is geographic (degrees) rather than projected.
    public var sourceIsGeographic: Bool { transformer.sourceIsGeographic }

    /// Whether the target CRS is geographic (degrees) rather than projected.
    public var targetIsGeographic: Bool { transformer.targetIsGeographic }

    /// A transformer from `source` to `target` (any definition PROJ knows: "EPSG:4549", WKT, …).
    /// An unknown CRS throws PROJ's error naming it.
    public init(from source: String, to target: String) throws {
        self.source = source
        self.target = target
        transformer = try Transformer(from: source, to: target, context: PROJContext())
    }

    /// The geometry with every position transformed; altitudes are kept as they are.
    /// Throws ``GeometryTransformError`` naming the first position PROJ could not transform.
    public func transform(_ geometry: Geometry) throws -> Geometry {
        var xs: [Double] = []
        var ys: [Double] = []
        geometry.forEachPosition { xs.append($0.x); ys.append($0.y) }
        let failed = transformer.transform(x: &xs, y: &ys, direction: .forward)
        if let first = failed.first {
            var original: Position?
            var index = 0
            geometry.forEachPosition { position in
                if index == first { original = position }
                index += 1
            }
            throw GeometryTransformError(source: source, target: target, position: original, positionIndex: first)
        }
        var next = 0
        return geometry.mapPositions { position in
            defer { next += 1 }
            return Position(x: xs[next], y: ys[next], z: position.z)
        }
    }
}

/// A position that PROJ could not move between two CRSs (outside the CRS's area of use, …).
public struct GeometryTransformError: Error, CustomStringConvertible {
    public var source: String
    public var target: String
    public var position: Position?
    public var positionIndex: Int

    public var description: String {
        let place = position.map { "(\($0.x), \($0.y))" } ?? "#\(positionIndex)"
        return "position \(positionIndex) \(place) cannot be transformed from \(source) to \(target)"
    }
}

extension Geometry {
    /// Calls `body` with every position, in document order.
    public func forEachPosition(_ body: (Position) -> Void) {
        switch self {
        case .point(let position): body(position)
        case .multiPoint(let positions), .lineString(let positions): positions.forEach(body)
        case .multiLineString(let lines), .polygon(let lines): lines.forEach { $0.forEach(body) }
        case .multiPolygon(let polygons): polygons.forEach { $0.forEach { $0.forEach(body) } }
        case .geometryCollection(let members): members.forEach { $0.forEachPosition(body) }
        }
    }

    /// The same geometry with each position replaced by `transform(position)`, in document order.
    public func mapPositions(_ transform: (Position) -> Position) -> Geometry {
        switch self {
        case .point(let position): .point(transform(position))
        case .multiPoint(let positions): .multiPoint(positions.map(transform))
        case .lineString(let positions): .lineString(positions.map(transform))
        case .multiLineString(let lines): .multiLineString(lines.map { $0.map(transform) })
        case .polygon(let rings): .polygon(rings.map { $0.map(transform) })
        case .multiPolygon(let polygons): .multiPolygon(polygons.map { $0.map { $0.map(transform) } })
        case .geometryCollection(let members): .geometryCollection(members.map { $0.mapPositions(transform) })
        }
    }
}
