/// One label-setting search over the network's vertices: Dijkstra's algorithm (1959) with a
/// binary heap, or A* (Hart, Nilsson & Raphael, 1968) when a heuristic is given. The heuristic
/// must be consistent (never more than the cost of any path to the goal, and monotone along
/// edges), as the straight-line distance times the least cost per metre is.
///
/// Seeds are several start vertices with initial costs (the two ends of a snapped start edge).
/// Run `backwards`, it follows edges against their direction (``EdgeWeights/incoming``): its
/// costs are then those of reaching the seeds from each vertex.
/// `stop(vertex, cost, priority)` is asked at every settled vertex; returning true ends the search.
struct ShortestPathTree {
    /// Cost from the seeds, infinity where not reached.
    var cost: [Double]
    /// The edge by which each vertex was reached; -1 for seeds and unreached vertices.
    var via: [Int32]

    init(network: RoadNetwork, weights: EdgeWeights, backwards: Bool = false, seeds: [(vertex: Int, cost: Double)],
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
                    (backwards ? weights.incoming : weights.outgoing).withUnsafeBufferPointer { weights in
                        while let (priority, item) = heap.pop() {
                            let v = Int(item)
                            if settled[v] { continue }
                            settled[v] = true
                            let g = cost[v]
                            if stop(v, g, priority) { return }
                            for k in Int(start[v])..<Int(start[v + 1]) {
                                let w = Int(neighbours[k])
                                if settled[w] { continue }
                                let candidate = g + weights[k]
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
