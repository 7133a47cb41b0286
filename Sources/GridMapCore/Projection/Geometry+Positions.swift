import GeoJSON

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
