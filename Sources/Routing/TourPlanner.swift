/// Plans one worker's tour over the nodes of a square cost matrix (planar or road costs) or of
/// costs computed when asked (``SparsePlaceCosts``): from a start, through every stop exactly
/// once, back to the start, to a fixed end, or open.
///
/// Small problems (at most ``Options/exactLimit`` stops) are solved exactly with Held–Karp;
/// larger ones by nearest-neighbour construction, then iterated local search under a round limit
/// and a time budget: for symmetric costs (planar, and road costs up to rounding) 2-opt and
/// Or-opt through neighbour lists with don't-look bits and local double-bridge kicks
/// (``TourSearch``), for asymmetric ones the plain 2-opt/Or-opt of ``PathLocalSearch``. Sparse
/// costs are never asked for every pair: ``TourSearch`` on their candidate lists, from a
/// nearest-neighbour start that asks the costs for the nearest unvisited place when no
/// candidate is left (along the roads: a search from the place).
/// Stops that no finite cost joins to the start or the end are reported in
/// ``Tour/unreachable``, never dropped silently.
public struct TourPlanner: Sendable {
    /// Where the tour ends.
    public enum Ending: Sendable, Hashable {
        case returnToStart
        /// An open path: ends at whichever stop is last.
        case open
        case at(Int)
    }

    public struct Options: Sendable, Hashable {
        /// Up to this many stops are solved exactly (Held–Karp).
        public var exactLimit = 12
        /// Kicks of the iterated local search per stop (0: descend only); the search stops
        /// after that many or at the time budget, whichever comes first, so small tours end
        /// long before the budget and large ones use it.
        public var rounds = 300
        /// Wall-clock budget for the local search; the rounds stop early when it runs out.
        public var timeBudget: Duration = .seconds(1)
        public var seed: UInt64 = 1
        /// Cost spent at each stop (e.g. seconds of a visit), added to departures and the total.
        public var serviceCost: Double = 0
        /// Service costs of single stops (by node), overriding ``serviceCost`` for them.
        public var stopServiceCosts: [Int: Double] = [:]
        /// Over sparse costs, search from the stops' given order instead of a nearest-neighbour
        /// one: a worker's piece of a tour, re-planned, is already a good order.
        var startsFromGivenOrder = false

        public init(exactLimit: Int = 12, rounds: Int = 300, timeBudget: Duration = .seconds(1), seed: UInt64 = 1,
                    serviceCost: Double = 0, stopServiceCosts: [Int: Double] = [:]) {
            self.exactLimit = exactLimit
            self.rounds = rounds
            self.timeBudget = timeBudget
            self.seed = seed
            self.serviceCost = serviceCost
            self.stopServiceCosts = stopServiceCosts
        }

        /// The cost spent at stop `node`.
        public func service(at node: Int) -> Double { stopServiceCosts[node] ?? serviceCost }
    }

    public let costs: any PlaceCosts

    public init(costs: CostMatrix) {
        precondition(costs.rows == costs.columns, "a tour needs a square cost matrix")
        self.costs = costs
    }

    public init(costs: some SparsePlaceCosts) { self.costs = costs }

    /// For the planners that hold costs of either kind, already checked.
    init(checked costs: any PlaceCosts) { self.costs = costs }

    /// The tour from `start` through `stops` (all other nodes when nil) to `ending`.
    public func plan(start: Int, ending: Ending = .returnToStart, stops: [Int]? = nil,
                     options: Options = Options()) throws(TourError) -> Tour {
        let n = costs.count
        var end: Int?
        switch ending {
        case .returnToStart: end = start
        case .open: end = nil
        case .at(let node): end = node
        }
        for node in [start] + (end.map { [$0] } ?? []) + (stops ?? []) where !(0..<n).contains(node) {
            throw .nodeOutOfRange(node, count: n)
        }
        let wanted = stops ?? (0..<n).filter { $0 != start && $0 != end }
        var seen: Set<Int> = [start]
        if let end { seen.insert(end) }
        for stop in wanted where !seen.insert(stop).inserted { throw .duplicateStop(stop) }
        if let end, end != start, !costs[start, end].isFinite { throw .endUnreachable(start: start, end: end) }

        let isReachable = { (stop: Int) in costs[start, stop].isFinite && (end.map { costs[stop, $0].isFinite } ?? true) }
        let reachable = wanted.filter(isReachable)
        let unreachable = wanted.filter { !isReachable($0) }
        if let sparse = costs as? any SparsePlaceCosts, reachable.count > options.exactLimit, reachable.count >= 4 {
            let deadline = ContinuousClock.now + options.timeBudget
            var order = Self.search(sparse, nodes: [start] + reachable, end: end, options: options, deadline: deadline)
            if end == nil { order.removeLast() }
            return evaluate(order: order, endCount: end == nil ? 0 : 1, options: options, unreachable: unreachable)
        }

        // Local problem: 0 = start, 1…k = stops, k + 1 = end (a free dummy for an open path).
        let nodes = [start] + reachable
        let k = reachable.count
        let m = k + 2
        var local = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for j in 0..<m where i != j {
                let from = i == k + 1 ? end : nodes[i]
                let to = j == k + 1 ? end : nodes[j]
                if let from, let to { local[i * m + j] = costs.cost(from, to) } else { local[i * m + j] = 0 }
            }
        }
        let search = PathLocalSearch(count: m, costs: local)
        let sequence: [Int]
        let exact = k <= options.exactLimit || k < 4
        if exact {
            sequence = [0] + HeldKarp.solve(interior: k) { search.c($0, $1) } + [k + 1]
        } else {
            let deadline = ContinuousClock.now + options.timeBudget
            if let symmetric = Self.symmetrised(local, count: m) {
                sequence = Self.search(SymmetricMatrix(count: m, values: symmetric), options: options, deadline: deadline)
            } else {
                let first = search.nearestNeighbour(interior: Array(1...k), start: 0, end: k + 1)
                sequence = search.improve(first, rounds: options.rounds, seed: options.seed, deadline: deadline)
            }
        }
        var order = sequence.map { $0 == k + 1 ? (end ?? -1) : nodes[$0] }
        if end == nil { order.removeLast() }
        // Service does not depend on the order (every stop is served once), so the search
        // ignores it and only the evaluation adds it.
        return evaluate(order: order, endCount: end == nil ? 0 : 1, options: options, unreachable: unreachable,
                        isOptimal: exact)
    }

    /// The path from node 0 to the last node of `costs` by ``TourSearch``, from a
    /// nearest-neighbour start, with `options.rounds` kicks per stop at most. `neighbours` and
    /// `nearestUnvisited`, when given, replace the searches over all pairs
    /// (``TourSearch/neighbourLists(_:k:)``, the scan in ``TourSearch/nearestNeighbourPath(_:neighbours:nearestUnvisited:)``).
    static func search<Costs: SymmetricCosts>(_ costs: Costs, options: Options, deadline: ContinuousClock.Instant,
                                              neighbours: [[Int32]]? = nil,
                                              nearestUnvisited: ((Int, [Bool]) -> Int?)? = nil) -> [Int] {
        let neighbours = neighbours ?? TourSearch<Costs>.neighbourLists(costs, k: TourSearch<Costs>.neighbourCount)
        let first = TourSearch.nearestNeighbourPath(costs, neighbours: neighbours, nearestUnvisited: nearestUnvisited)
        var tour = TourSearch(costs: costs, sequence: first, neighbours: neighbours)
        let rounds = options.rounds.multipliedReportingOverflow(by: max(1, costs.count - 2))
        tour.improve(rounds: rounds.overflow ? .max : rounds.partialValue, seed: options.seed, deadline: deadline)
        return tour.path
    }

    /// The path from `nodes[0]` through the other nodes to `end` (a free dummy, -1 in the
    /// answer, when nil) by ``TourSearch`` over sparse costs, asking only the pairs near each other.
    static func search<Costs: SparsePlaceCosts>(_ costs: Costs, nodes: [Int], end: Int?, options: Options,
                                                deadline: ContinuousClock.Instant) -> [Int] {
        let local = LocalPlaceCosts(base: costs, nodes: nodes, end: end)
        let neighbours = local.candidates(k: TourSearch<LocalPlaceCosts<Costs>>.neighbourCount)
        let first = options.startsFromGivenOrder ? Array(0..<local.count)
            : TourSearch.nearestNeighbourPath(local, neighbours: neighbours,
                                              nearestUnvisited: { local.nearestUnvisited(to: $0, visited: $1) })
        var tour = TourSearch(costs: local, sequence: first, neighbours: neighbours)
        let rounds = options.rounds.multipliedReportingOverflow(by: max(1, local.count - 2))
        tour.improve(rounds: rounds.overflow ? .max : rounds.partialValue, seed: options.seed, deadline: deadline,
                     kickReach: sparseKickReach)
        return tour.path.map { local.global($0) ?? -1 }
    }

    /// How far apart along the tour a kick over sparse costs joins nodes (see ``TourSearch/improve(rounds:seed:deadline:kickReach:)``).
    static let sparseKickReach = 30

    /// A round trip on the plane from point `start` through every other point, by straight-line
    /// distance computed when needed: no n × n matrix, so it takes tens of thousands of points
    /// (the neighbour lists cost O(n²) time once, O(n) memory). Legs and arrivals as ``plan``'s.
    public static func planarRoundTrip(x: [Double], y: [Double], start: Int, options: Options = Options()) -> Tour {
        precondition(x.count == y.count && x.indices.contains(start), "one x and one y per point, and the start among them")
        let deadline = ContinuousClock.now + options.timeBudget
        // Local nodes: 0 the start, then the other points, then the start again as the end.
        let nodes = [start] + x.indices.filter { $0 != start } + [start]
        let order: [Int]
        if nodes.count <= 3 {
            order = nodes
        } else {
            let costs = PlanarCosts(x: nodes.map { x[$0] }, y: nodes.map { y[$0] })
            // Neighbours and the first order's nearest unvisited points from a grid of cells, not
            // from all pairs: the same lists, without spending the budget on them at scale.
            let grid = PlanarGrid(x: costs.x, y: costs.y)
            let path = search(costs, options: options, deadline: deadline,
                              neighbours: grid.nearest(k: TourSearch<PlanarCosts>.neighbourCount),
                              nearestUnvisited: { node, visited in grid.nearest(to: node) { !visited[$0] } })
            order = path.map { nodes[$0] }
        }
        var legs: [Double] = [], arrivals = [0.0], departures = [0.0], clock = 0.0
        for i in 1..<order.count {
            let leg = ((x[order[i]] - x[order[i - 1]]) * (x[order[i]] - x[order[i - 1]])
                + (y[order[i]] - y[order[i - 1]]) * (y[order[i]] - y[order[i - 1]])).squareRoot()
            legs.append(leg)
            clock += leg
            arrivals.append(clock)
            if i < order.count - 1 { clock += options.service(at: order[i]) }
            departures.append(clock)
        }
        return Tour(order: order, legs: legs, arrivals: arrivals, departures: departures, totalCost: clock,
                    unreachable: [], isOptimal: false, endCount: 1)
    }

    /// The costs with each pair's two directions averaged, when they differ by no more than
    /// rounding (road costs summed along a path in either direction differ in the last bits);
    /// nil when the costs are really asymmetric.
    static func symmetrised(_ costs: [Double], count m: Int) -> [Double]? {
        var result = costs
        for i in 0..<m {
            for j in (i + 1)..<max(m, i + 1) {
                let a = costs[i * m + j], b = costs[j * m + i]
                guard abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)) else { return nil }
                result[i * m + j] = (a + b) / 2
                result[j * m + i] = (a + b) / 2
            }
        }
        return result
    }

    /// Legs, arrivals, departures and total of a given order (start, stops, then `endCount`
    /// end nodes): arrival = previous departure + leg; departure = arrival + the stop's service.
    func evaluate(order: [Int], endCount: Int, options: Options, unreachable: [Int] = [], isOptimal: Bool = false) -> Tour {
        var legs: [Double] = []
        var arrivals: [Double] = [0]
        var departures: [Double] = [0]
        var clock = 0.0
        for i in 1..<max(order.count, 1) {
            let leg = costs.cost(order[i - 1], order[i])
            legs.append(leg)
            clock += leg
            arrivals.append(clock)
            if i < order.count - endCount { clock += options.service(at: order[i]) }
            departures.append(clock)
        }
        return Tour(order: order, legs: legs, arrivals: arrivals, departures: departures, totalCost: clock,
                    unreachable: unreachable, isOptimal: isOptimal, endCount: endCount)
    }
}
