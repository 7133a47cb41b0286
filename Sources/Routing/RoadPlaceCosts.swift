import GridMapCore
import Synchronization

/// Road costs among many places without an n × n matrix: each place's nearest places by road
/// from one bounded search, other pairs by a point-to-point search when asked, then cached.
///
/// Built once (``init(network:positions:cost:ballSize:)``): from every place a Dijkstra search
/// (searches in parallel) that stops as soon as `ballSize` other places are settled — a place
/// is settled when the search's frontier has passed its cost, so each cost it keeps is exact —
/// and keeps those costs (the place's ball) and its cheapest places (its candidates). A pair
/// asked later that neither ball holds is answered by an A* search between the two (the
/// straight-line bound of ``RoadNetwork/route(from:to:cost:includeOffRoad:)``) and cached (at
/// most ``cacheLimit`` pairs, then the cache starts again); a place asked about with many others
/// (a depot) gets one full search, its whole row, instead. Costs are those of
/// ``RoadNetwork/matrix(among:cost:includeOffRoad:)`` with off-road distances: the same sums, so
/// equal to its entries up to rounding; 0 between places at one spot; infinity between pieces
/// of road no road joins. Where the profile has no one-way street the costs are symmetric and
/// each pair is read one way (the lower node's ball first), so `cost(i, j) == cost(j, i)`
/// exactly. Where it has (``EdgeWeights/isDirected``), ``directedCost(_:_:)`` is the cost of
/// going from one place to the other, and ``cost(_:_:)`` — what the planners, which search
/// symmetric tours, are given — the larger of the two directions: a bound on either leg, so a
/// worker's limits hold whichever way a leg is travelled; the plan is then timed with the
/// directed costs.
///
/// Memory: O(n · ballSize) for the balls, the cache, and a few full rows of n; time to build:
/// n small searches. Thread-safe: the balls are immutable, the rest is behind one lock.
public final class RoadPlaceCosts: SparsePlaceCosts {
    public let network: RoadNetwork
    public let positions: [RoadPosition]
    public let routeCost: RouteCost
    let weights: EdgeWeights
    /// Each place's ball: `ballNode[ballStart[i]..<ballStart[i + 1]]` sorted by node, with the
    /// costs at the same positions.
    let ballStart: [Int32]
    let ballNode: [Int32]
    let ballCost: [Double]
    /// Each place's candidates, cheapest first (its ball, minus itself, by cost).
    let candidateStart: [Int32]
    let candidateNode: [Int32]
    /// The component of each place's road.
    let piece: [Int32]
    let stopsOnEdge: EdgeIndex
    private let state: Mutex<State>

    /// Pairs cached at most before the cache is emptied.
    public static let cacheLimit = 2_000_000
    /// A place outside the balls asked this many times gets its full row.
    static let fullRowAfter = 256
    /// Full rows kept at most (each n costs).
    static let fullRowLimit = 16

    struct State {
        var cache: [UInt64: Double] = [:]
        var fullRows: [Int: [Double]] = [:]
        /// Costs from every place to one place (directed costs only), by that place.
        var fullColumns: [Int: [Double]] = [:]
        var misses: [Int32]
        var search: ReusableSearch
        var asked = 0
        var searched = 0
    }

    /// The balls of `positions` under `cost`, each of `ballSize` places (or all its piece of road holds).
    public init(network: RoadNetwork, positions: [RoadPosition], cost: RouteCost, ballSize: Int = 24) {
        self.network = network
        self.positions = positions
        routeCost = cost
        let weights = network.edgeWeights(cost)
        self.weights = weights
        piece = positions.map { weights.pieceOfEdge[$0.edge] }
        let stopsOnEdge = EdgeIndex(network: network, positions: positions)
        self.stopsOnEdge = stopsOnEdge
        let balls = ParallelChunks.map(count: positions.count, minimumChunk: 64) { range in
            var search = ReusableSearch(vertexCount: network.vertexCount)
            var seen = [Int32](repeating: -1, count: positions.count)
            return range.map { place in
                Self.ball(from: place, size: ballSize, network: network, positions: positions, weights: weights,
                          stopsOnEdge: stopsOnEdge, cost: cost, search: &search, seen: &seen)
            }
        }
        var start: [Int32] = [0], nodes: [Int32] = [], costs: [Double] = []
        var candidateStart: [Int32] = [0], candidates: [Int32] = []
        for ball in balls {
            for (node, cost) in ball.sorted(by: { $0.node < $1.node }) { nodes.append(node); costs.append(cost) }
            start.append(Int32(nodes.count))
            candidates += ball.map(\.node)
            candidateStart.append(Int32(candidates.count))
        }
        (ballStart, ballNode, ballCost) = (start, nodes, costs)
        (self.candidateStart, candidateNode) = (candidateStart, candidates)
        state = Mutex(State(misses: [Int32](repeating: 0, count: positions.count),
                            search: ReusableSearch(vertexCount: network.vertexCount)))
    }

    public var count: Int { positions.count }

    /// How many pairs were asked outside the balls, and how many of those took a search.
    public var misses: (asked: Int, searched: Int) { state.withLock { ($0.asked, $0.searched) } }

    /// Whether costs differ by direction (the profile has one-way streets here).
    public var isDirected: Bool { weights.isDirected }

    /// The symmetric cost the planners search with: the cost between the two places, the
    /// larger direction where they differ.
    public func cost(_ from: Int, _ to: Int) -> Double {
        guard isDirected else { return oneWay(min(from, to), max(from, to)) }
        return max(oneWay(from, to), oneWay(to, from))
    }

    /// The cost of going from place `from` to place `to`.
    public func directedCost(_ from: Int, _ to: Int) -> Double {
        isDirected ? oneWay(from, to) : cost(from, to)
    }

    /// The cost from `a` to `b`: from `a`'s ball, the cache, a full row or column, or a search.
    private func oneWay(_ a: Int, _ b: Int) -> Double {
        if a == b { return 0 }
        if let cost = inBall(a, b) ?? (isDirected ? nil : inBall(b, a)) { return cost }
        if piece[a] != piece[b] || piece[a] < 0 { return .infinity }
        return state.withLock { state in
            state.asked += 1
            let key = UInt64(a) << 32 | UInt64(b)
            if let cost = state.cache[key] { return cost }
            if let row = state.fullRows[a] { return row[b] }
            if isDirected, let column = state.fullColumns[b] { return column[a] }
            if !isDirected, let row = state.fullRows[b] { return row[a] }
            state.misses[a] += 1
            state.misses[b] += 1
            let full = state.fullRows.count + state.fullColumns.count
            if Int(state.misses[a]) >= Self.fullRowAfter && full < Self.fullRowLimit {
                let row = fullRow(a, search: &state.search, backwards: false)
                state.fullRows[a] = row
                state.searched += 1
                return row[b]
            }
            if Int(state.misses[b]) >= Self.fullRowAfter && full < Self.fullRowLimit {
                let costs = fullRow(b, search: &state.search, backwards: isDirected)
                if isDirected { state.fullColumns[b] = costs } else { state.fullRows[b] = costs }
                state.searched += 1
                return costs[a]
            }
            let cost = pairCost(a, b, search: &state.search)
            state.searched += 1
            if state.cache.count >= Self.cacheLimit { state.cache.removeAll(keepingCapacity: true) }
            state.cache[key] = cost
            return cost
        }
    }

    /// The cost from `a` to `b` if `a`'s ball holds `b` (binary search over its sorted nodes).
    @inline(__always) private func inBall(_ a: Int, _ b: Int) -> Double? {
        var low = Int(ballStart[a]), high = Int(ballStart[a + 1])
        let target = Int32(b)
        while low < high {
            let middle = (low + high) / 2
            if ballNode[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low < Int(ballStart[a + 1]) && ballNode[low] == target ? ballCost[low] : nil
    }

    /// Each member's candidates that are members too; a member left with fewer than half of `k`
    /// (on the edge of a worker's area) gets its candidates' candidates, cheapest first.
    public func candidates(among nodes: [Int], k: Int) -> [[Int32]] {
        var local = [Int32](repeating: -1, count: count)
        for (index, node) in nodes.enumerated() { local[node] = Int32(index) }
        return nodes.map { node in
            let own = candidateNode[Int(candidateStart[node])..<Int(candidateStart[node + 1])]
            var list = own.filter { local[Int($0)] >= 0 }.prefix(k).map { local[Int($0)] }
            guard list.count < (k + 1) / 2 else { return list }
            var further: Set<Int32> = []
            for near in own {
                for next in candidateNode[Int(candidateStart[Int(near)])..<Int(candidateStart[Int(near) + 1])]
                where Int(next) != node && local[Int(next)] >= 0 && !list.contains(local[Int(next)]) {
                    further.insert(next)
                }
            }
            let byCost = further.map { (node: $0, cost: cost(node, Int($0))) }.filter { $0.cost.isFinite }
                .sorted { ($0.cost, $0.node) < ($1.cost, $1.node) }
            list += byCost.prefix(k - list.count).map { local[Int($0.node)] }
            return list
        }
    }

    /// A Dijkstra search from `node` that ends when the cheapest wanted place reached is behind
    /// the frontier (by road plus its off-road cost, as the balls are ordered).
    public func nearest(to node: Int, where wanted: (Int) -> Bool) -> Int? {
        let network = network, weights = weights, positions = positions, stopsOnEdge = stopsOnEdge, routeCost = routeCost
        return state.withLock { state in
            let source = positions[node]
            var best: (key: Double, place: Int)?
            func reach(_ j: Int, _ road: Double) {
                guard j != node, wanted(j) else { return }
                let key = positions[j].origin == source.origin ? 0 : road + routeCost.offRoadCost(metres: positions[j].offRoadDistance)
                if key < best?.key ?? .infinity || (key == best?.key && j < best!.place) { best = (key, j) }
            }
            for j in stopsOnEdge.places(on: source.edge) { reach(j, network.sameEdgeCost(source, positions[j], weights: weights)) }
            state.search.run(network: network, weights: weights, seeds: network.seeds(leaving: source, weights: weights),
                             heuristic: nil, visit: { v, g, _ in
                                 if let best, best.key <= g { return true }
                                 for k in Int(network.adjacencyStart[v])..<Int(network.adjacencyStart[v + 1]) {
                                     for j in stopsOnEdge.places(on: Int(network.adjacencyEdge[k])) {
                                         reach(j, g + network.tail(from: v, to: positions[j], weights: weights))
                                     }
                                 }
                                 return false
                             })
            return best?.place
        }
    }

    // MARK: Searches

    /// The cost between two places on the same piece of road, as the matrix sums it.
    private func total(_ a: Int, _ b: Int, road: Double) -> Double {
        Self.total(positions[a], positions[b], road: road, cost: routeCost)
    }

    static func total(_ a: RoadPosition, _ b: RoadPosition, road: Double, cost: RouteCost) -> Double {
        if a.origin == b.origin { return 0 }
        return road.isFinite ? road + cost.offRoadCost(metres: a.offRoadDistance + b.offRoadDistance) : road
    }

    /// A* from place `a` to place `b`, stopped when no cheaper way to `b` can remain.
    private func pairCost(_ a: Int, _ b: Int, search: inout ReusableSearch) -> Double {
        let start = positions[a], end = positions[b]
        if start.origin == end.origin { return 0 }
        var best = network.sameEdgeCost(start, end, weights: weights)
        let bound = weights.leastCostPerMetre, goal = end.point, network = network, weights = weights
        search.run(network: network, weights: weights, seeds: network.seeds(leaving: start, weights: weights),
                   heuristic: { v in
                       let dx = network.vertexX[v] - goal.x, dy = network.vertexY[v] - goal.y
                       return (dx * dx + dy * dy).squareRoot() * bound
                   },
                   visit: { v, g, priority in
                       if priority >= best { return true }
                       best = min(best, g + network.tail(from: v, to: end, weights: weights))
                       return false
                   })
        return total(a, b, road: best)
    }

    /// The costs from place `a` to every place: one whole Dijkstra search; run `backwards`, the
    /// costs from every place to `a`.
    private func fullRow(_ a: Int, search: inout ReusableSearch, backwards: Bool) -> [Double] {
        let network = network, weights = weights, here = positions[a]
        search.run(network: network, weights: weights, backwards: backwards,
                   seeds: backwards ? network.seeds(arriving: here, weights: weights) : network.seeds(leaving: here, weights: weights),
                   heuristic: nil, visit: { _, _, _ in false })
        return positions.indices.map { b in
            let other = positions[b]
            if a == b { return 0 }
            if backwards {
                let road = network.seeds(leaving: other, weights: weights).reduce(network.sameEdgeCost(other, here, weights: weights)) {
                    min($0, $1.cost + search.cost(of: $1.vertex))
                }
                return total(b, a, road: road)
            }
            let road = [Int(network.edgeFrom[other.edge]), Int(network.edgeTo[other.edge])].reduce(
                network.sameEdgeCost(here, other, weights: weights)) {
                min($0, search.cost(of: $1) + network.tail(from: $1, to: other, weights: weights))
            }
            return total(a, b, road: road)
        }
    }

    /// Place `place`'s ball: the other places cheapest from it, with their exact costs, cheapest
    /// first (ties by node): those settled by the time `size` of them are. A place counts as
    /// settled when its road cost plus its own off-road cost (the order of the total costs, the
    /// start's off-road cost being common to all; off-road costs are linear) is no more than the
    /// search's frontier, which every road cost still to come reaches at least.
    static func ball(from place: Int, size: Int, network: RoadNetwork, positions: [RoadPosition], weights: EdgeWeights,
                     stopsOnEdge: EdgeIndex, cost: RouteCost, search: inout ReusableSearch,
                     seen: inout [Int32]) -> [(node: Int32, cost: Double)] {
        let source = positions[place]
        // Road costs so far of the places reached, and their order keys; `seen[j] == place` marks them.
        var tentative: [(node: Int32, road: Double, key: Double)] = []
        func reach(_ j: Int, _ road: Double) {
            let key = positions[j].origin == source.origin ? 0 : road + cost.offRoadCost(metres: positions[j].offRoadDistance)
            if seen[j] != Int32(place) {
                seen[j] = Int32(place)
                tentative.append((Int32(j), road, key))
            } else if let k = tentative.firstIndex(where: { $0.node == Int32(j) }), road < tentative[k].road {
                tentative[k] = (Int32(j), road, key)
            }
        }
        for j in stopsOnEdge.places(on: source.edge) where j != place {
            reach(j, network.sameEdgeCost(source, positions[j], weights: weights))
        }
        var exact = 0
        search.run(network: network, weights: weights, seeds: network.seeds(leaving: source, weights: weights),
                   heuristic: nil, visit: { v, g, _ in
                       exact = tentative.reduce(0) { $0 + ($1.key <= g ? 1 : 0) }
                       if exact >= size { return true }
                       for k in Int(network.adjacencyStart[v])..<Int(network.adjacencyStart[v + 1]) {
                           let e = Int(network.adjacencyEdge[k])
                           for j in stopsOnEdge.places(on: e) where j != place {
                               reach(j, g + network.tail(from: v, to: positions[j], weights: weights))
                           }
                       }
                       return false
                   })
        // When the search ran out (the piece is small), every cost is final.
        let frontier = exact >= size ? search.lastSettledCost : .infinity
        return tentative.filter { $0.key <= frontier }
            .map { (node: $0.node, cost: total(source, positions[Int($0.node)], road: $0.road, cost: cost)) }
            .sorted { ($0.cost, $0.node) < ($1.cost, $1.node) }
    }
}

/// The places on each edge: `places(on: e)`, compressed rows.
struct EdgeIndex: Sendable {
    let start: [Int32]
    let place: [Int32]

    init(network: RoadNetwork, positions: [RoadPosition]) {
        var start = [Int32](repeating: 0, count: network.edgeCount + 1)
        for position in positions { start[position.edge + 1] += 1 }
        for e in 0..<network.edgeCount { start[e + 1] += start[e] }
        var fill = start, place = [Int32](repeating: 0, count: positions.count)
        for (i, position) in positions.enumerated() {
            place[Int(fill[position.edge])] = Int32(i)
            fill[position.edge] += 1
        }
        (self.start, self.place) = (start, place)
    }

    func places(on edge: Int) -> some Sequence<Int> { place[Int(start[edge])..<Int(start[edge + 1])].lazy.map { Int($0) } }
}

/// Dijkstra or A* over the network, run again and again without allocating: costs and settled
/// marks carry the number of the run that set them, so a new run needs no clearing.
struct ReusableSearch {
    private var cost: [Double]
    private var costRun: [UInt32]
    private var settledRun: [UInt32]
    private var run: UInt32 = 0
    private var heap = MinHeap(capacity: 64)
    /// The cost of the vertex settled last.
    private(set) var lastSettledCost = 0.0

    init(vertexCount: Int) {
        cost = [Double](repeating: .infinity, count: vertexCount)
        costRun = [UInt32](repeating: 0, count: vertexCount)
        settledRun = [UInt32](repeating: 0, count: vertexCount)
    }

    /// The cost of vertex `v` in the last run; infinity if it was not reached.
    func cost(of v: Int) -> Double { costRun[v] == run ? cost[v] : .infinity }

    /// Searches from `seeds`; `visit(vertex, cost, priority)` is asked at each settled vertex and
    /// ends the run by returning true. The heuristic, when given, must be consistent. Run
    /// `backwards`, edges are followed against their direction (costs into the seeds).
    mutating func run(network: RoadNetwork, weights: EdgeWeights, backwards: Bool = false, seeds: [(vertex: Int, cost: Double)],
                      heuristic: ((Int) -> Double)?, visit: (Int, Double, Double) -> Bool) {
        run &+= 1
        if run == 0 {   // wrapped: clear the marks once
            costRun = [UInt32](repeating: 0, count: cost.count)
            settledRun = costRun
            run = 1
        }
        heap.removeAll()
        lastSettledCost = 0
        for seed in seeds where seed.cost < cost(of: seed.vertex) {
            cost[seed.vertex] = seed.cost
            costRun[seed.vertex] = run
            heap.push(seed.cost + (heuristic?(seed.vertex) ?? 0), Int32(seed.vertex))
        }
        while let (priority, item) = heap.pop() {
            let v = Int(item)
            if settledRun[v] == run { continue }
            settledRun[v] = run
            let g = cost[v]
            lastSettledCost = g
            if visit(v, g, priority) { return }
            for k in Int(network.adjacencyStart[v])..<Int(network.adjacencyStart[v + 1]) {
                let w = Int(network.adjacencyVertex[k])
                if settledRun[w] == run { continue }
                let candidate = g + (backwards ? weights.incoming[k] : weights.outgoing[k])
                if candidate < cost(of: w) {
                    cost[w] = candidate
                    costRun[w] = run
                    heap.push(candidate + (heuristic?(w) ?? 0), Int32(w))
                }
            }
        }
    }
}

extension RoadPlaceCosts {
    /// `tour` (planned over the symmetric ``cost(_:_:)``) timed with the directed costs: the
    /// same order, its legs, arrivals and total as travelled; a round trip goes the way round
    /// that costs less. Unchanged where no street is one-way.
    public func retimed(_ tour: Tour, options: TourPlanner.Options) -> Tour {
        guard isDirected else { return tour }
        let planner = TourPlanner(checked: Directed(base: self))
        let timed = planner.evaluate(order: tour.order, endCount: tour.endCount, options: options,
                                     unreachable: tour.unreachable, isOptimal: tour.isOptimal)
        guard tour.endCount == 1, tour.order.count > 3, tour.order.first == tour.order.last else { return timed }
        let turned = planner.evaluate(order: tour.order.reversed(), endCount: 1, options: options,
                                      unreachable: tour.unreachable, isOptimal: tour.isOptimal)
        return turned.travelCost < timed.travelCost ? turned : timed
    }

    /// The directed costs as ``PlaceCosts``.
    struct Directed: PlaceCosts {
        let base: RoadPlaceCosts
        var count: Int { base.count }
        func cost(_ from: Int, _ to: Int) -> Double { base.directedCost(from, to) }
    }
}
