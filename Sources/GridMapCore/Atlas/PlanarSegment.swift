import GeoJSON

/// One edge of a polygon ring, from (ax, ay) to (bx, by), in the coordinates it was stored in.
struct PlanarSegment: Sendable, Hashable {
    var ax: Double
    var ay: Double
    var bx: Double
    var by: Double

    var minX: Double { min(ax, bx) }
    var maxX: Double { max(ax, bx) }
    var minY: Double { min(ay, by) }
    var maxY: Double { max(ay, by) }

    /// The squared Euclidean distance from (x, y) to the closed segment (the projection clamped
    /// to its ends; a zero-length segment is a point).
    @inline(__always)
    func squaredDistance(_ x: Double, _ y: Double) -> Double {
        let dx = bx - ax, dy = by - ay
        let lengthSquared = dx * dx + dy * dy
        var t = lengthSquared > 0 ? ((x - ax) * dx + (y - ay) * dy) / lengthSquared : 0
        t = min(1, max(0, t))
        let ex = ax + t * dx - x, ey = ay + t * dy - y
        return ex * ex + ey * ey
    }

    /// Each segment's ends projected with `projection` (a failed end becomes NaN), all in one batch.
    static func project(_ groups: [[PlanarSegment]], with projection: Projection) throws(AtlasError) -> [[PlanarSegment]] {
        var x: [Double] = [], y: [Double] = []
        for segment in groups.joined() {
            x += [segment.ax, segment.bx]
            y += [segment.ay, segment.by]
        }
        do { try projection.transform(x: &x, y: &y) } catch { throw .projection("\(error)") }
        var next = 0
        return groups.map { segments in
            segments.map { _ in
                defer { next += 2 }
                return PlanarSegment(ax: x[next], ay: y[next], bx: x[next + 1], by: y[next + 1])
            }
        }
    }
}

/// Where a point lies relative to a polygon.
enum PointPlacement: Sendable, Equatable {
    case exterior
    case boundary
    case interior

    /// Whether the closed polygon holds the point (GEOS `covers`).
    var isCovered: Bool { self != .exterior }
}

/// Exact point-in-polygon over a polygon's edges (all rings of all parts together).
///
/// Algorithm: the crossing-number test (Shimrat 1962; as in GEOS's `RayCrossingCounter`) with a
/// ray from the point towards +x and the half-open rule for vertices (an edge counts when one end
/// is at or below the point and the other strictly above), plus explicit detection of a point on
/// an edge or vertex. Every decision is either a comparison of stored doubles or the exact sign
/// of ``OrientationPredicate``, so "on the boundary" is decided exactly, with no tolerance.
/// Odd crossings mean interior. For a valid polygon or multipolygon, counting over all rings at
/// once is the same as shell-minus-holes per part.
enum PolygonPointTest {
    /// The placement of (px, py) relative to the polygon whose edges (or, when used with a
    /// locate cell, every edge that the +x ray from any point of the cell can meet) are `edges`.
    @inline(__always)
    static func placement(_ px: Double, _ py: Double,
                          _ edges: UnsafeBufferPointer<PlanarSegment>) -> PointPlacement {
        var inside = false
        for edge in edges {
            let aAbove = edge.ay > py, bAbove = edge.by > py
            if aAbove != bAbove {
                // The edge straddles the horizontal line through p (half-open).
                if edge.ax < px && edge.bx < px { continue }        // wholly left of p
                if edge.ax > px && edge.bx > px { inside.toggle(); continue }  // wholly right
                let side = OrientationPredicate.sign(edge.ax, edge.ay, edge.bx, edge.by, px, py)
                if side == 0 { return .boundary }                   // collinear within the y-span
                if (side > 0) == bAbove { inside.toggle() }        // upward edge, p on its left, or downward, p on its right
            } else if !aAbove {
                // Both ends at or below p: p can only be on the edge at its top.
                if edge.ay == py && edge.by == py {
                    if px >= edge.minX && px <= edge.maxX { return .boundary }
                } else if (edge.ay == py && edge.ax == px) || (edge.by == py && edge.bx == px) {
                    return .boundary
                }
            }
        }
        return inside ? .interior : .exterior
    }

    static func placement(_ px: Double, _ py: Double, _ edges: [PlanarSegment]) -> PointPlacement {
        edges.withUnsafeBufferPointer { placement(px, py, $0) }
    }
}

extension PlanarSegment {
    /// The edges of every ring of a GeoJSON Polygon or MultiPolygon, in order; an unclosed ring is
    /// closed here, and zero-length edges (repeated vertices) are dropped. Other geometry types
    /// have no area and give no edges.
    static func edges(of geometry: Geometry) -> [PlanarSegment] {
        var edges: [PlanarSegment] = []
        func addRing(_ ring: [Position]) {
            guard let first = ring.first else { return }
            var previous = first
            for position in ring.dropFirst() + [first] where position.x != previous.x || position.y != previous.y {
                edges.append(PlanarSegment(ax: previous.x, ay: previous.y, bx: position.x, by: position.y))
                previous = position
            }
        }
        switch geometry {
        case .polygon(let rings): rings.forEach(addRing)
        case .multiPolygon(let polygons): polygons.forEach { $0.forEach(addRing) }
        case .geometryCollection(let members): for member in members { edges += Self.edges(of: member) }
        default: break
        }
        return edges
    }
}
