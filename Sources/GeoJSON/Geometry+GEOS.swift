import GEOS

/// Conversion between GeoJSON geometry values and GEOS geometries.
///
/// GeoJSON values are plain `Sendable` coordinates; GEOS geometries are C handles confined to one
/// ``GEOSContext``. Converting is how a value crosses into GEOS on the thread that owns the
/// context. Only x and y cross: GEOS work in GridMap is 2D, so altitudes are dropped.
extension Geometry {
    /// Builds this geometry in `context`. Invalid coordinates (an open ring, NaN) are reported as
    /// ``GEOSError/invalidInput(_:)``; a topologically invalid polygon (a bow-tie) is built, and
    /// `GEOSGeometry.validity()` says what is wrong with it.
    public func geosGeometry(in context: GEOSContext) throws(GEOSError) -> GEOSGeometry {
        switch self {
        case .point(let position):
            return try .point(x: position.x, y: position.y, context: context)
        case .multiPoint(let positions):
            return try .multiPoint(positions.map(\.coordinate), context: context)
        case .lineString(let positions):
            return try .lineString(positions.map(\.coordinate), context: context)
        case .multiLineString(let lines):
            return try .multiLineString(lines.map { $0.map(\.coordinate) }, context: context)
        case .polygon(let rings):
            return try Self.polygon(rings, context: context)
        case .multiPolygon(let polygons):
            var parts: [GEOSGeometry] = []
            parts.reserveCapacity(polygons.count)
            for rings in polygons { parts.append(try Self.polygon(rings, context: context)) }
            return try .multiPolygon(parts, context: context)
        case .geometryCollection(let members):
            var parts: [GEOSGeometry] = []
            parts.reserveCapacity(members.count)
            for member in members { parts.append(try member.geosGeometry(in: context)) }
            return try .collection(parts, context: context)
        }
    }

    /// Reads a GEOS geometry as GeoJSON. A linear ring becomes a LineString (GeoJSON has no ring
    /// type); an empty point, line or polygon becomes an empty GeometryCollection, since GeoJSON
    /// cannot spell those.
    public init(_ geometry: GEOSGeometry) throws(GEOSError) {
        if try geometry.isEmpty, ![.multiPoint, .multiLineString, .multiPolygon].contains(geometry.type) {
            self = .geometryCollection([])
            return
        }
        switch geometry.type {
        case .point:
            self = .point(Position(try geometry.pointCoordinate()))
        case .lineString, .linearRing:
            self = .lineString(try geometry.coordinates().map(Position.init))
        case .polygon:
            self = .polygon(try Self.rings(of: geometry))
        case .multiPoint:
            var positions: [Position] = []
            for point in try geometry.geometries() { positions.append(Position(try point.pointCoordinate())) }
            self = .multiPoint(positions)
        case .multiLineString:
            var lines: [[Position]] = []
            for line in try geometry.geometries() { lines.append(try line.coordinates().map(Position.init)) }
            self = .multiLineString(lines)
        case .multiPolygon:
            var polygons: [[[Position]]] = []
            for polygon in try geometry.geometries() { polygons.append(try Self.rings(of: polygon)) }
            self = .multiPolygon(polygons)
        case .geometryCollection:
            var members: [Geometry] = []
            for member in try geometry.geometries() { members.append(try Geometry(member)) }
            self = .geometryCollection(members)
        }
    }

    private static func polygon(_ rings: [[Position]], context: GEOSContext) throws(GEOSError) -> GEOSGeometry {
        guard let exterior = rings.first else {
            throw .invalidInput("polygon has no exterior ring")
        }
        return try .polygon(
            exterior: exterior.map(\.coordinate),
            holes: rings.dropFirst().map { $0.map(\.coordinate) },
            context: context)
    }

    private static func rings(of polygon: GEOSGeometry) throws(GEOSError) -> [[Position]] {
        var rings = [try polygon.exteriorRing().coordinates().map(Position.init)]
        for hole in try polygon.interiorRings() { rings.append(try hole.coordinates().map(Position.init)) }
        return rings
    }
}

extension Position {
    /// The 2D GEOS coordinate of this position (altitude dropped).
    public var coordinate: Coordinate { Coordinate(x: x, y: y) }

    public init(_ coordinate: Coordinate) {
        self.init(x: coordinate.x, y: coordinate.y)
    }
}
