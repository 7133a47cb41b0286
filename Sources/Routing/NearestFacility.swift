/// The nearest of a set of facilities (clinics, service points) from anywhere on the network,
/// by one multi-source search: every vertex knows its cheapest facility and the cost to it, so
/// each query afterwards costs O(1) (the two ends of its edge and the facilities on that edge),
/// however many points ask.
///
/// The rule it keeps: the answer for a position is the facility with the least cost along the
/// roads (off-road stretches at both ends included), ties going to the lower rank — exactly
/// what a search from the position to every facility would give, since the search runs
/// backwards from the facilities (against one-way streets' direction, ``EdgeWeights/incoming``),
/// so its cost at a vertex is that of going from the vertex to a facility. Positions from which
/// no road leads to a facility get nil.
public struct NearestFacility: Sendable {
    public let facilities: [RoadPosition]
    let network: RoadNetwork
    let routeCost: RouteCost
    let weights: EdgeWeights
    /// Per vertex: the cost from its nearest facility, and that facility (-1: none reaches it).
    let cost: [Double]
    let facility: [Int32]
    /// Facilities by the edge they lie on, for positions on that edge.
    let onEdge: [Int: [Int32]]
    /// Facility rank for ties (lower wins).
    let rank: [Int]

    /// One multi-source Dijkstra (1959) backwards from every facility at once, each seeded at
    /// both ends of its edge with its off-road cost and the partial edge into it; a vertex takes the facility of the
    /// least cost, the lower `rank` on equal cost. `rank` defaults to the facilities' order.
    public init(network: RoadNetwork, facilities: [RoadPosition], rank: [Int]? = nil, cost: RouteCost = .distance) {
        precondition(rank.map { $0.count == facilities.count } ?? true, "one rank per facility")
        self.network = network
        self.facilities = facilities
        self.rank = rank ?? Array(facilities.indices)
        routeCost = cost
        let weights = network.edgeWeights(cost)
        self.weights = weights
        var best = [Double](repeating: .infinity, count: network.vertexCount)
        var label = [Int32](repeating: -1, count: network.vertexCount)
        var settled = [Bool](repeating: false, count: network.vertexCount)
        var heap = MinHeap(capacity: 2 * facilities.count)
        let rank = self.rank
        func better(_ candidate: Double, _ f: Int32, than v: Int) -> Bool {
            candidate < best[v] || (candidate == best[v] && label[v] >= 0 && rank[Int(f)] < rank[Int(label[v])])
        }
        var onEdge: [Int: [Int32]] = [:]
        for (f, position) in facilities.enumerated() {
            onEdge[position.edge, default: []].append(Int32(f))
            let offRoad = cost.offRoadCost(metres: position.offRoadDistance)
            for seed in network.seeds(arriving: position, weights: weights) where better(offRoad + seed.cost, Int32(f), than: seed.vertex) {
                best[seed.vertex] = offRoad + seed.cost
                label[seed.vertex] = Int32(f)
                heap.push(offRoad + seed.cost, Int32(seed.vertex))
            }
        }
        while let (_, item) = heap.pop() {
            let v = Int(item)
            if settled[v] { continue }
            settled[v] = true
            for k in Int(network.adjacencyStart[v])..<Int(network.adjacencyStart[v + 1]) {
                let w = Int(network.adjacencyVertex[k])
                if settled[w] { continue }
                let candidate = best[v] + weights.incoming[k]
                if better(candidate, label[v], than: w) {
                    best[w] = candidate
                    label[w] = label[v]
                    heap.push(candidate, Int32(w))
                }
            }
        }
        self.cost = best
        facility = label
        self.onEdge = onEdge
    }

    /// The nearest facility to `position` (an index into ``facilities``) and the cost to it,
    /// off-road stretches at both ends included; nil when no road joins it to any.
    public func nearest(to position: RoadPosition) -> (facility: Int, cost: Double)? {
        var answer: (facility: Int, cost: Double)?
        func offer(_ f: Int, _ cost: Double) {
            guard cost.isFinite else { return }
            if let current = answer, current.cost < cost || (current.cost == cost && rank[current.facility] <= rank[f]) { return }
            answer = (f, cost)
        }
        let offRoad = routeCost.offRoadCost(metres: position.offRoadDistance)
        let e = position.edge
        for seed in network.seeds(leaving: position, weights: weights) where facility[seed.vertex] >= 0 {
            offer(Int(facility[seed.vertex]), seed.cost + cost[seed.vertex] + offRoad)
        }
        for f in onEdge[e] ?? [] {
            let there = facilities[Int(f)]
            offer(Int(f), network.sameEdgeCost(position, there, weights: weights)
                + routeCost.offRoadCost(metres: there.offRoadDistance) + offRoad)
        }
        // A facility at the very spot costs nothing (as in ``RoadNetwork/matrix(from:to:cost:includeOffRoad:)``).
        for f in onEdge[e] ?? [] where facilities[Int(f)].origin == position.origin { offer(Int(f), 0) }
        return answer
    }
}
