import Foundation
import GEOS
import GeoJSON
import GridMapCore

/// A position on the network: a point along one edge, and how far the point it was snapped from
/// lies off the road.
public struct RoadPosition: Sendable, Hashable {
    /// The edge index.
    public var edge: Int
    /// Metres along the edge from its `edgeFrom` vertex.
    public var offset: Double
    /// `offset` over the edge's length, 0…1.
    public var fraction: Double
    /// The road point in metres (working CRS) and in WGS84.
    public var point: Coordinate
    public var position: Position
    /// Straight-line metres from the snapped point to the road point.
    public var offRoadDistance: Double
    /// The point that was snapped, in metres and in WGS84: where a route to or from this position
    /// really starts or ends. The road point itself for a position made on the road.
    public var origin: Coordinate
    public var originPosition: Position
}

extension RoadNetwork {
    /// The nearest road position to (x, y) in metres of the working CRS, with the off-road
    /// distance; nil for an empty network. Uses the segment grid (``SegmentGrid``).
    public func snap(x: Double, y: Double) -> RoadPosition? {
        snap(x: x, y: y, accept: { _ in true })
    }

    /// The road position for (x, y) that serves a visit under `weights`' profile: the nearest
    /// point of an edge the profile may use on the largest piece of road it may use (piece 0),
    /// when one lies within `tolerance` metres; else the nearest point of any edge it may use.
    /// Nil when it may use none. ``Snapped/piece`` tells the caller which it was.
    public func snap(x: Double, y: Double, weights: EdgeWeights, tolerance: Double) -> Snapped? {
        let onMain = snap(x: x, y: y) { weights.pieceOfEdge[$0] == 0 }
        if let onMain, onMain.offRoadDistance <= tolerance { return Snapped(position: onMain, piece: 0) }
        guard let nearest = snap(x: x, y: y, accept: weights.isUsable) else { return nil }
        return Snapped(position: nearest, piece: Int(weights.pieceOfEdge[nearest.edge]))
    }

    /// Snaps WGS84 points for a profile (see ``snap(x:y:weights:tolerance:)``), projected in one batch.
    public func snap(_ positions: [Position], weights: EdgeWeights, tolerance: Double) throws(ProjectionError) -> [Snapped?] {
        try zip(positions, projection.transform(positions)).map { original, metres in
            var snapped = snap(x: metres.x, y: metres.y, weights: weights, tolerance: tolerance)
            snapped?.position.originPosition = original
            return snapped
        }
    }

    /// The nearest position on an edge `accept` takes.
    private func snap(x: Double, y: Double, accept: (Int) -> Bool) -> RoadPosition? {
        guard let hit = segments.nearest(x: x, y: y, accept: { accept(self.edgeOfPoint($0)) }) else { return nil }
        var snapped = position(onSegment: hit.segment, t: hit.t, offRoad: hit.squaredDistance.squareRoot())
        snapped.origin = Coordinate(x: x, y: y)
        snapped.originPosition = wgs84(ofOffset: x - snapped.point.x, y - snapped.point.y, from: snapped, segment: hit.segment)
        return snapped
    }

    /// The longitude/latitude of a point a few metres (dx, dy) off a road position, without PROJ.
    ///
    /// The working CRS is conformal, so near the road its map to WGS84 is a similarity in
    /// north–south and east–west ground metres: a rotation (grid convergence) and a scale, which
    /// the edge's segment through the position fixes, since it is known in both systems. The
    /// ground metres of a degree differ north–south and east–west by the ellipsoid's radii
    /// M and N cos φ (their ratio M / N = (1 − e²) / (1 − e² sin² φ), GRS80 e²). Its error grows
    /// with the square of the offset: far below a millimetre for tens of metres (0.06 mm at 17 m).
    func wgs84(ofOffset dx: Double, _ dy: Double, from road: RoadPosition, segment: Int) -> Position {
        guard dx != 0 || dy != 0 else { return road.position }
        // The segment under the position, or else the edge's first one with length (it has one).
        func hasLength(_ s: Int) -> Bool { pointX[s + 1] != pointX[s] || pointY[s + 1] != pointY[s] }
        let s = hasLength(segment) ? segment : points(of: road.edge).dropLast().first(where: hasLength)!
        let latitude = road.position.y * .pi / 180
        let e2 = 0.006694380022903416
        let northScale = (1 - e2) / (1 - e2 * sin(latitude) * sin(latitude))
        // Ground-proportional WGS84 step along the segment, as a complex number east + i·north.
        let east = (pointLongitude[s + 1] - pointLongitude[s]) * cos(latitude)
        let north = (pointLatitude[s + 1] - pointLatitude[s]) * northScale
        let mx = pointX[s + 1] - pointX[s], my = pointY[s + 1] - pointY[s]
        // similarity = (east + i north) / (mx + i my); the offset times it.
        let norm = mx * mx + my * my
        let re = (east * mx + north * my) / norm, im = (north * mx - east * my) / norm
        let offsetEast = re * dx - im * dy, offsetNorth = im * dx + re * dy
        return Position(x: road.position.x + offsetEast / cos(latitude), y: road.position.y + offsetNorth / northScale)
    }

    /// The road position at `offset` metres along `edge` (clamped to the edge), with no
    /// off-road distance.
    public func position(edge: Int, offset: Double) -> RoadPosition {
        let range = points(of: edge)
        let along = min(max(offset, 0), edgeLength[edge])
        var segment = range.lowerBound
        while segment < range.upperBound - 2, pointOffset[segment + 1] < along { segment += 1 }
        let segmentLength = pointOffset[segment + 1] - pointOffset[segment]
        let t = segmentLength > 0 ? (along - pointOffset[segment]) / segmentLength : 0
        return position(onSegment: segment, t: t, offRoad: 0)
    }

    func position(onSegment s: Int, t: Double, offRoad: Double) -> RoadPosition {
        let edge = edgeOfPoint(s)
        let offset = pointOffset[s] + t * (pointOffset[s + 1] - pointOffset[s])
        let length = edgeLength[edge]
        let point = Coordinate(x: pointX[s] + t * (pointX[s + 1] - pointX[s]), y: pointY[s] + t * (pointY[s + 1] - pointY[s]))
        let position = Position(x: pointLongitude[s] + t * (pointLongitude[s + 1] - pointLongitude[s]),
                                y: pointLatitude[s] + t * (pointLatitude[s + 1] - pointLatitude[s]))
        return RoadPosition(edge: edge, offset: offset, fraction: length > 0 ? offset / length : 0, point: point,
                            position: position, offRoadDistance: offRoad, origin: point, originPosition: position)
    }

    /// The edge whose polyline holds point `point` (binary search over `pointStart`).
    func edgeOfPoint(_ point: Int) -> Int {
        var low = 0, high = edgeCount - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if Int(pointStart[middle]) <= point { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The component a road position lies in.
    public func component(of position: RoadPosition) -> Int { component(ofEdge: position.edge) }

    /// Snaps WGS84 longitude/latitude points, projected with the network's ``projection`` in one
    /// batch.
    public func snap(_ positions: [Position]) throws(ProjectionError) -> [RoadPosition?] {
        try zip(positions, projection.transform(positions)).map { original, metres in
            var snapped = snap(x: metres.x, y: metres.y)
            snapped?.originPosition = original
            return snapped
        }
    }

    /// Snaps one WGS84 point (the batch form does many in one PROJ call).
    public func snap(longitude: Double, latitude: Double) throws(ProjectionError) -> RoadPosition? {
        try snap([Position(x: longitude, y: latitude)])[0]
    }
}

/// A place snapped for a profile: its road position, and the piece of road it lies on (0 is the
/// largest piece the profile may use; any other is cut off from it).
public struct Snapped: Sendable, Hashable {
    public var position: RoadPosition
    public var piece: Int

    /// The default tolerance: a stop takes a road of the main network up to this many metres
    /// away rather than a nearer road cut off from it.
    public static let defaultTolerance = 50.0
}
