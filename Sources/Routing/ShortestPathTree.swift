/// One label-setting search over the network's vertices: Dijkstra's algorithm (1959) with a
/// binary heap, or A* (Hart, Nilsson & Raphael, 1968) when a heuristic is given. The heuristic
/// must be consistent (never more than the cost of any path to the goal, and monotone along
/// edges), as the straight-line distance times the least cost per metre is.
///
/// Seeds are several start vertices with initial costs (the two ends of a snapped start edge).
/// `stop(vertex, cost, priority)` is asked at every settled vertex; returning true ends the search.
struct ShortestPathTree {
    /// Cost from the seeds, infinity where not reached.
    var cost: [Double]
    /// The edge by which each vertex was reached; -1 for seeds and unreached vertices.
    var via: [Int32]

    init(network: RoadNetwork, weights: [Double], seeds: [(vertex: Int, cost: Double)],
         heuristic: ((Int) -> Double)? = nil, stop: (Int, Double, Double) -> Bool = { _, _, _ in false }) {
        let count = network.vertexCount
        var cost = [Double](repeating: .infinity, count: count)
        var via = [Int32](repeating: -1, count: count)
        var settled = [Bool](repeating: false, count: count)
        var heap = MinHeap(capacity: 64)
        for seed in seeds where seed.cost < cost[seed.vertex] {
            cost[seed.vertex] = seed.cost
            heap.push(seed.cost + (heuristic?(seed.vertex) ?? 0), Int32(seed.vertex))
        }
        network.adjacencyStart.withUnsafeBufferPointer { start in
            network.adjacencyEdge.withUnsafeBufferPointer { edges in
                network.adjacencyVertex.withUnsafeBufferPointer { neighbours in
                    weights.withUnsafeBufferPointer { weights in
                        while let (priority, item) = heap.pop() {
                            let v = Int(item)
                            if settled[v] { continue }
                            settled[v] = true
                            let g = cost[v]
                            if stop(v, g, priority) { return }
                            for k in Int(start[v])..<Int(start[v + 1]) {
                                let w = Int(neighbours[k])
                                if settled[w] { continue }
                                let candidate = g + weights[Int(edges[k])]
                                if candidate < cost[w] {
                                    cost[w] = candidate
                                    via[w] = edges[k]
                                    heap.push(candidate + (heuristic?(w) ?? 0), Int32(w))
                                }
                            }
                        }
                    }
                }
            }
        }
        self.cost = cost
        self.via = via
    }
}

extension RoadNetwork {
    /// Each edge's cost under `cost`: its length, or its travel time.
    public func edgeWeights(_ cost: RouteCost) -> [Double] {
        edgeLength.indices.map { cost.cost(metres: edgeLength[$0], on: edgeClass[$0]) }
    }

    /// Seeds for a search leaving `position`: the two ends of its edge with the partial costs.
    func seeds(leaving position: RoadPosition, weights: [Double]) -> [(vertex: Int, cost: Double)] {
        let e = position.edge
        let length = edgeLength[e]
        let toStart = length > 0 ? weights[e] * position.offset / length : 0
        let toEnd = length > 0 ? weights[e] * (length - position.offset) / length : 0
        return [(Int(edgeFrom[e]), toStart), (Int(edgeTo[e]), toEnd)]
    }

    /// The cost from vertex `vertex` (an end of `position.edge`) on to `position`; infinity for
    /// any other vertex.
    func tail(from vertex: Int, to position: RoadPosition, weights: [Double]) -> Double {
        let e = position.edge
        let length = edgeLength[e]
        var best = Double.infinity
        if Int(edgeFrom[e]) == vertex { best = length > 0 ? weights[e] * position.offset / length : 0 }
        if Int(edgeTo[e]) == vertex { best = min(best, length > 0 ? weights[e] * (length - position.offset) / length : 0) }
        return best
    }

    /// The cost straight along the shared edge when both positions lie on one edge.
    func sameEdgeCost(_ a: RoadPosition, _ b: RoadPosition, weights: [Double]) -> Double {
        guard a.edge == b.edge else { return .infinity }
        let length = edgeLength[a.edge]
        return length > 0 ? weights[a.edge] * abs(a.offset - b.offset) / length : 0
    }
}
