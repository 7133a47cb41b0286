/// Each edge's cost in each direction under a ``RouteCost``, by the road rules of its profile
/// (``RoadRules``): infinity where the profile may not go (a car on a footway, against a
/// one-way street). What every search over the network runs on.
///
/// The rule it keeps: a search leaving vertex v by adjacency slot k pays `outgoing[k]`, the cost
/// of the slot's edge in the direction from v; a search run backwards (towards a target) pays
/// `incoming[k]`, the same edge's cost in the direction into v. Where no edge is one-way for
/// the profile the two are equal and every cost between two places is symmetric.
public struct EdgeWeights: Sendable {
    public let cost: RouteCost
    /// Cost of edge e from `edgeFrom[e]` to `edgeTo[e]`, and back.
    public let forward: [Double]
    public let backward: [Double]
    /// Per adjacency slot: the cost leaving its vertex along it, and arriving at its vertex along it.
    let outgoing: [Double]
    let incoming: [Double]
    /// Whether some edge may be used one way only (costs between places are then asymmetric).
    public let isDirected: Bool
    /// The least cost per metre of any edge the profile may use: A*'s bound per straight-line metre.
    let leastCostPerMetre: Double
    /// The pieces of road the profile may use (connected when directions are ignored; edges
    /// closed to it left out), largest first by vertex count; -1 for an edge closed to it.
    public let pieceOfEdge: [Int32]
    /// The number of such pieces.
    public let pieceCount: Int

    /// Whether the profile may use edge `e` in at least one direction.
    public func isUsable(_ e: Int) -> Bool { pieceOfEdge[e] >= 0 }
}

extension RoadNetwork {
    /// The edge costs under `cost`: metres or seconds, each way, by the rules of its profile.
    public func edgeWeights(_ cost: RouteCost) -> EdgeWeights {
        let profile = cost.profile
        var forward = [Double](repeating: .infinity, count: edgeCount)
        var backward = forward
        var isDirected = false
        var least = Double.infinity
        for e in 0..<edgeCount {
            let road = Int(edgeRoad[e])
            let speeds = RoadRules.speeds(profile, on: edgeClass[e], tags: roadTags[road])
            // The road's drawing direction is the edge's, or the other way when noding turned the piece round.
            let (along, against) = edgeAlongRoad[e] ? (speeds.forward, speeds.backward) : (speeds.backward, speeds.forward)
            func weight(_ speed: Double?) -> Double {
                guard let speed else { return .infinity }
                switch cost {
                case .distance: return edgeLength[e]
                case .time: return edgeLength[e] / speed
                }
            }
            forward[e] = weight(along)
            backward[e] = weight(against)
            if (along == nil) != (against == nil) { isDirected = true }
            for speed in [along, against].compactMap({ $0 }) {
                least = min(least, { if case .distance = cost { 1.0 } else { 1 / speed } }())
            }
        }
        var outgoing = [Double](repeating: .infinity, count: adjacencyEdge.count)
        var incoming = outgoing
        for k in adjacencyEdge.indices {
            let e = Int(adjacencyEdge[k])
            (outgoing[k], incoming[k]) = adjacencyForward[k] ? (forward[e], backward[e]) : (backward[e], forward[e])
        }
        let (pieceOfEdge, pieceCount) = pieces(usable: { forward[$0].isFinite || backward[$0].isFinite })
        return EdgeWeights(cost: cost, forward: forward, backward: backward, outgoing: outgoing, incoming: incoming,
                           isDirected: isDirected, leastCostPerMetre: least.isFinite ? least : 0,
                           pieceOfEdge: pieceOfEdge, pieceCount: pieceCount)
    }

    /// The connected pieces of the usable edges (union–find, union by size, path halving),
    /// numbered largest first by vertex count, ties by the lowest vertex; -1 for other edges.
    func pieces(usable: (Int) -> Bool) -> (pieceOfEdge: [Int32], count: Int) {
        var parent = Array(0..<vertexCount), size = [Int](repeating: 1, count: vertexCount)
        func find(_ v: Int) -> Int {
            var v = v
            while parent[v] != v { parent[v] = parent[parent[v]]; v = parent[v] }
            return v
        }
        var touched = [Bool](repeating: false, count: vertexCount)
        for e in 0..<edgeCount where usable(e) {
            touched[Int(edgeFrom[e])] = true
            touched[Int(edgeTo[e])] = true
            var a = find(Int(edgeFrom[e])), b = find(Int(edgeTo[e]))
            if a == b { continue }
            if size[a] < size[b] { swap(&a, &b) }
            parent[b] = a
            size[a] += size[b]
        }
        var roots: [Int] = []
        var seen = Set<Int>()
        for v in 0..<vertexCount where touched[v] && seen.insert(find(v)).inserted { roots.append(find(v)) }
        // `roots` is in order of each piece's lowest vertex; a stable sort by size keeps that for ties.
        roots = roots.enumerated().sorted { a, b in
            size[a.element] != size[b.element] ? size[a.element] > size[b.element] : a.offset < b.offset
        }.map(\.element)
        var label = [Int32](repeating: -1, count: vertexCount)
        for (i, root) in roots.enumerated() { label[root] = Int32(i) }
        return ((0..<edgeCount).map { usable($0) ? label[find(Int(edgeFrom[$0]))] : -1 }, roots.count)
    }

    /// The cost of `metres` of an edge of `length` metres whose whole cost is `weight` (0 for
    /// none of it, even on an edge the profile may not take that way: standing at its end costs
    /// nothing).
    @inline(__always) static func partial(_ weight: Double, _ metres: Double, of length: Double) -> Double {
        metres > 0 && length > 0 ? weight * metres / length : 0
    }

    /// Seeds for a search leaving `position`: the two ends of its edge with the partial costs
    /// (towards `edgeFrom` against the edge, towards `edgeTo` along it).
    func seeds(leaving position: RoadPosition, weights: EdgeWeights) -> [(vertex: Int, cost: Double)] {
        let e = position.edge
        let length = edgeLength[e]
        return [(Int(edgeFrom[e]), Self.partial(weights.backward[e], position.offset, of: length)),
                (Int(edgeTo[e]), Self.partial(weights.forward[e], length - position.offset, of: length))]
    }

    /// Seeds for a search run backwards into `position`: each end of its edge with the cost
    /// from there on to the position.
    func seeds(arriving position: RoadPosition, weights: EdgeWeights) -> [(vertex: Int, cost: Double)] {
        let e = position.edge
        return [Int(edgeFrom[e]), Int(edgeTo[e])].map { ($0, tail(from: $0, to: position, weights: weights)) }
    }

    /// The cost from vertex `vertex` (an end of `position.edge`) on to `position`; infinity for
    /// any other vertex.
    func tail(from vertex: Int, to position: RoadPosition, weights: EdgeWeights) -> Double {
        let e = position.edge
        let length = edgeLength[e]
        var best = Double.infinity
        if Int(edgeFrom[e]) == vertex { best = Self.partial(weights.forward[e], position.offset, of: length) }
        if Int(edgeTo[e]) == vertex { best = min(best, Self.partial(weights.backward[e], length - position.offset, of: length)) }
        return best
    }

    /// The cost straight along the shared edge from `a` to `b` when both lie on one edge
    /// (along the edge or against it, as the edge allows); infinity otherwise.
    func sameEdgeCost(_ a: RoadPosition, _ b: RoadPosition, weights: EdgeWeights) -> Double {
        guard a.edge == b.edge else { return .infinity }
        return Self.partial(b.offset >= a.offset ? weights.forward[a.edge] : weights.backward[a.edge], abs(a.offset - b.offset),
                            of: edgeLength[a.edge])
    }
}
