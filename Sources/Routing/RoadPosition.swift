import GEOS
import GeoJSON

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
}

extension RoadNetwork {
    /// The nearest road position to (x, y) in metres of the working CRS, with the off-road
    /// distance; nil for an empty network. Uses the segment grid (``SegmentGrid``).
    public func snap(x: Double, y: Double) -> RoadPosition? {
        guard let hit = segments.nearest(x: x, y: y) else { return nil }
        return position(onSegment: hit.segment, t: hit.t, offRoad: hit.squaredDistance.squareRoot())
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
        return RoadPosition(
            edge: edge, offset: offset, fraction: length > 0 ? offset / length : 0,
            point: Coordinate(x: pointX[s] + t * (pointX[s + 1] - pointX[s]), y: pointY[s] + t * (pointY[s + 1] - pointY[s])),
            position: Position(x: pointLongitude[s] + t * (pointLongitude[s + 1] - pointLongitude[s]),
                               y: pointLatitude[s] + t * (pointLatitude[s + 1] - pointLatitude[s])),
            offRoadDistance: offRoad)
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

    /// Snaps WGS84 longitude/latitude points, projected with `projection` (one PROJ call).
    public func snap(_ positions: [Position], using projection: RoadProjection) throws -> [RoadPosition?] {
        try projection.metres(positions).map { snap(x: $0.x, y: $0.y) }
    }

    /// Snaps one WGS84 point; makes a PROJ transformer for the call, so prefer the batch form.
    public func snap(longitude: Double, latitude: Double) throws -> RoadPosition? {
        try snap([Position(x: longitude, y: latitude)], using: RoadProjection(workingCRS: workingCRS))[0]
    }
}
