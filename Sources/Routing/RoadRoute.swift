import GeoJSON

/// A shortest route between two road positions.
public struct RoadRoute: Sendable, Hashable {
    /// One stretch along one edge, from `fromOffset` to `toOffset` metres along it (decreasing
    /// offsets run against the edge's direction). The first and last steps may be partial edges.
    public struct Step: Sendable, Hashable {
        public var edge: Int
        public var fromOffset: Double
        public var toOffset: Double
        public var length: Double { abs(toOffset - fromOffset) }
    }

    /// What was minimised: metres or seconds, off-road parts included when asked for.
    public var cost: Double
    /// Metres along roads.
    public var roadDistance: Double
    /// Straight-line metres off the road at both ends.
    public var offRoadDistance: Double
    public var steps: [Step]
    /// The route as drawn, in WGS84: from the start's snapped point straight to its road point
    /// (left out when the start lies on the road), along the roads to the end's road point, and
    /// straight out to the end's snapped point, so that its length is `roadDistance +
    /// offRoadDistance`.
    public var path: [Position]

    /// The route as a GeoJSON LineString (a single position is repeated so that the line is valid).
    public var geometry: Geometry {
        .lineString(path.count == 1 ? [path[0], path[0]] : path)
    }
}

extension RoadNetwork {
    /// The cheapest route from `start` to `end` under `cost` and the road rules of its profile
    /// (one-way streets taken only their way), or nil when no road the profile may use leads
    /// from one to the other. A* over the vertices with the straight-line bound (distance to the end's road
    /// point times the least cost per metre), seeded at both ends of the start edge and closed by
    /// the partial end edge; the direct stretch when both lie on one edge is a candidate too.
    /// The off-road distances at both ends are added to `cost` when `includeOffRoad` is true.
    /// Two positions snapped from one spot (the same origin) are joined by an empty route.
    public func route(from start: RoadPosition, to end: RoadPosition, cost: RouteCost = .distance,
                      includeOffRoad: Bool = true) -> RoadRoute? {
        route(from: start, to: end, weights: edgeWeights(cost), includeOffRoad: includeOffRoad)
    }

    /// The cheapest route over weights made already (``edgeWeights(_:)``), for many routes.
    public func route(from start: RoadPosition, to end: RoadPosition, weights: EdgeWeights,
                      includeOffRoad: Bool = true) -> RoadRoute? {
        let cost = weights.cost
        if start.origin == end.origin {   // one spot: nothing to travel
            return RoadRoute(cost: 0, roadDistance: 0, offRoadDistance: 0,
                             steps: [.init(edge: start.edge, fromOffset: start.offset, toOffset: start.offset)],
                             path: [start.originPosition])
        }
        guard weights.isUsable(start.edge), weights.pieceOfEdge[start.edge] == weights.pieceOfEdge[end.edge] else { return nil }
        var best = sameEdgeCost(start, end, weights: weights)
        var bestVertex = -1
        let bound = weights.leastCostPerMetre
        let goal = end.point
        let tree = ShortestPathTree(
            network: self, weights: weights, seeds: seeds(leaving: start, weights: weights),
            heuristic: { v in
                let dx = self.vertexX[v] - goal.x, dy = self.vertexY[v] - goal.y
                return (dx * dx + dy * dy).squareRoot() * bound
            },
            stop: { v, g, priority in
                if priority >= best { return true }
                let total = g + self.tail(from: v, to: end, weights: weights)
                if total < best { best = total; bestVertex = v }
                return false
            })
        guard best.isFinite else { return nil }
        var steps: [RoadRoute.Step] = []
        if bestVertex < 0 {
            steps = [.init(edge: start.edge, fromOffset: start.offset, toOffset: end.offset)]
        } else {
            // Walk back from the vertex where the route leaves the graph for the end edge.
            var reversed: [RoadRoute.Step] = []
            var v = bestVertex
            while tree.via[v] >= 0 {
                let e = Int(tree.via[v])
                let forward = Int(edgeTo[e]) == v && (Int(edgeFrom[e]) != v)
                let previous = forward ? Int(edgeFrom[e]) : Int(edgeTo[e])
                // A loop edge (both ends at v) is never on a shortest path, so `forward` is exact.
                reversed.append(.init(edge: e, fromOffset: forward ? 0 : edgeLength[e], toOffset: forward ? edgeLength[e] : 0))
                v = previous
            }
            let exitOffset = Int(edgeFrom[start.edge]) == v
                && (Int(edgeTo[start.edge]) != v || start.offset <= edgeLength[start.edge] - start.offset)
                ? 0 : edgeLength[start.edge]
            steps.append(.init(edge: start.edge, fromOffset: start.offset, toOffset: exitOffset))
            steps += reversed.reversed()
            let entryOffset = Int(edgeFrom[end.edge]) == bestVertex
                && (Int(edgeTo[end.edge]) != bestVertex || end.offset <= edgeLength[end.edge] - end.offset)
                ? 0 : edgeLength[end.edge]
            steps.append(.init(edge: end.edge, fromOffset: entryOffset, toOffset: end.offset))
        }
        let nonEmpty = steps.filter { $0.length > 0 }
        steps = nonEmpty.isEmpty ? [steps[0]] : nonEmpty
        let offRoad = start.offRoadDistance + end.offRoadDistance
        var path: [Position] = start.originPosition == start.position ? [] : [start.originPosition]
        path.append(start.position)
        for step in steps {
            for position in polyline(edge: step.edge, from: step.fromOffset, to: step.toOffset).dropFirst() {
                path.append(position)
            }
        }
        if end.originPosition != end.position { path.append(end.originPosition) }
        return RoadRoute(
            cost: best + (includeOffRoad ? cost.offRoadCost(metres: offRoad) : 0),
            roadDistance: steps.reduce(0) { $0 + $1.length }, offRoadDistance: offRoad, steps: steps, path: path)
    }

    /// The WGS84 polyline of `edge` between two offsets (in either direction), with the
    /// interpolated end points and every vertex strictly between them.
    public func polyline(edge: Int, from: Double, to: Double) -> [Position] {
        let range = points(of: edge)
        func at(_ offset: Double) -> Position { position(edge: edge, offset: offset).position }
        var result = [at(from)]
        let inner = range.filter { pointOffset[$0] > min(from, to) && pointOffset[$0] < max(from, to) }
        for i in (from <= to ? inner : inner.reversed()) {
            result.append(Position(x: pointLongitude[i], y: pointLatitude[i]))
        }
        result.append(at(to))
        return result
    }
}
