import Foundation
import GEOS

// Plane geometry in the metric working CRS (EPSG:4549, metres), on GEOS's `Coordinate`.

typealias Point = Coordinate

extension Coordinate {
    static func + (a: Point, b: Point) -> Point { Point(x: a.x + b.x, y: a.y + b.y) }
    static func - (a: Point, b: Point) -> Point { Point(x: a.x - b.x, y: a.y - b.y) }
    static func * (a: Point, k: Double) -> Point { Point(x: a.x * k, y: a.y * k) }
    var length: Double { (x * x + y * y).squareRoot() }
    func distance(to other: Point) -> Double { (self - other).length }
    func dot(_ other: Point) -> Double { x * other.x + y * other.y }
    func cross(_ other: Point) -> Double { x * other.y - y * other.x }
    /// The unit vector at `angle` radians from the x axis (east), counter-clockwise.
    static func unit(_ angle: Double) -> Point { Point(x: cos(angle), y: sin(angle)) }
    /// Rotated a quarter turn counter-clockwise.
    var perpendicular: Point { Point(x: -y, y: x) }
    /// Clockwise bearing from north in [0, 2π), for numbering things like a clock face.
    func bearing(from origin: Point) -> Double {
        let angle = atan2(x - origin.x, y - origin.y)
        return angle < 0 ? angle + 2 * Double.pi : angle
    }
}

enum Plane {
    /// Signed area of a closed ring (positive counter-clockwise).
    static func signedArea(_ ring: [Point]) -> Double {
        guard ring.count >= 4 else { return 0 }
        let origin = ring[0]
        var sum = 0.0
        for index in 0..<(ring.count - 1) {
            sum += (ring[index] - origin).cross(ring[index + 1] - origin)
        }
        return sum / 2
    }

    /// The ring closed (last point equal to the first).
    static func closed(_ points: [Point]) -> [Point] {
        guard let first = points.first, points.last != first else { return points }
        return points + [first]
    }

    /// The closest point to `p` on segment ab, its parameter along ab and its distance.
    static func closest(_ p: Point, _ a: Point, _ b: Point) -> (point: Point, t: Double, distance: Double) {
        let ab = b - a
        let lengthSquared = ab.dot(ab)
        let t = lengthSquared > 0 ? min(1, max(0, (p - a).dot(ab) / lengthSquared)) : 0
        let point = a + ab * t
        return (point, t, point.distance(to: p))
    }

    /// Distance from `p` to a polyline.
    static func distance(_ p: Point, toPolyline line: [Point]) -> Double {
        var best = Double.infinity
        for index in 0..<(line.count - 1) { best = min(best, closest(p, line[index], line[index + 1]).distance) }
        return best
    }

    /// Where segments ab and cd cross strictly inside both (parameters t on ab and u on cd).
    static func properIntersection(_ a: Point, _ b: Point, _ c: Point, _ d: Point) -> (t: Double, u: Double)? {
        let r = b - a, s = d - c
        let denominator = r.cross(s)
        guard abs(denominator) > 1e-12 * r.length * s.length else { return nil }
        let t = (c - a).cross(s) / denominator
        let u = (c - a).cross(r) / denominator
        let epsilon = 1e-9
        guard t > epsilon, t < 1 - epsilon, u > epsilon, u < 1 - epsilon else { return nil }
        return (t, u)
    }
}

// MARK: GEOS helpers

extension GEOSGeometry {
    /// The polygons of a Polygon, MultiPolygon or collection (other parts dropped).
    func polygons() throws -> [GEOSGeometry] {
        switch type {
        case .polygon: return try isEmpty ? [] : [self]
        case .multiPolygon, .geometryCollection: return try geometries().flatMap { try $0.polygons() }
        default: return []
        }
    }

    /// The line strings of a LineString, MultiLineString or collection.
    func lineStrings() throws -> [GEOSGeometry] {
        switch type {
        case .lineString: return try isEmpty ? [] : [self]
        case .multiLineString, .geometryCollection: return try geometries().flatMap { try $0.lineStrings() }
        default: return []
        }
    }

    /// A polygon's rings as coordinates, exterior first.
    func rings() throws -> [[Point]] {
        var rings = [try exteriorRing().coordinates()]
        for hole in try interiorRings() { rings.append(try hole.coordinates()) }
        return rings
    }
}

extension GEOSContext {
    func polygon(_ ring: [Point], holes: [[Point]] = []) throws -> GEOSGeometry {
        try GEOSGeometry.polygon(exterior: Plane.closed(ring), holes: holes.map(Plane.closed), context: self)
    }

    func line(_ points: [Point]) throws -> GEOSGeometry { try GEOSGeometry.lineString(points, context: self) }

    func point(_ p: Point) throws -> GEOSGeometry { try GEOSGeometry.point(p, context: self) }

    /// The union of many geometries in one GEOS call.
    func union(_ parts: [GEOSGeometry]) throws -> GEOSGeometry {
        try GEOSGeometry.collection(parts, context: self).unaryUnion()
    }
}
