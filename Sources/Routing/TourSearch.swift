/// Symmetric costs between the nodes of a local tour problem: `cost(i, j) == cost(j, i)`.
protocol SymmetricCosts {
    var count: Int { get }
    func cost(_ i: Int, _ j: Int) -> Double
}

/// A dense symmetric matrix, row-major.
struct SymmetricMatrix: SymmetricCosts {
    let count: Int
    let values: [Double]
    @inline(__always) func cost(_ i: Int, _ j: Int) -> Double { values[i * count + j] }
}

/// Straight-line distances between points, computed when asked: no n × n matrix, so the plane
/// takes tens of thousands of stops.
struct PlanarCosts: SymmetricCosts {
    let x: [Double]
    let y: [Double]
    var count: Int { x.count }
    @inline(__always) func cost(_ i: Int, _ j: Int) -> Double {
        let dx = x[i] - x[j], dy = y[i] - y[j]
        return (dx * dx + dy * dy).squareRoot()
    }
}

/// Iterated local search on a path with fixed ends over symmetric costs, kept as a cycle whose
/// one closing edge (end → start) no move may remove: any cycle that keeps it reads as a path
/// from the start to the end.
///
/// The rule it keeps: the cycle is always a permutation of the nodes and always holds the
/// closing edge; a kick that does not lead to a shorter cycle is undone exactly, so the result
/// is never longer than the descent from the starting order.
///
/// Moves, all found through neighbour lists (the `neighbourCount` cheapest nodes of each node)
/// with don't-look bits (Bentley 1992: only nodes at the ends of changed edges are looked at
/// again): 2-opt (Croes 1958) and Or-opt (Or 1976: a stretch of 1–3 nodes moved elsewhere,
/// either way round), the latter done as two or three 2-opt exchanges (the "or-2opt"/"or-3opt"
/// segment insertion). The cycle is an array with each node's position; a reversal turns the
/// shorter side (the cycle is the same either way), so it costs at most n/2 swaps. Perturbation
/// (Lourenço, Martin & Stützle 2003; Johnson & McGeoch 1997): a segment-local double bridge
/// (A B C D → A C B D, B and C at most 50 nodes) made of three reversals; only the ends of its
/// edges are looked at again, and a kick that does not pay is undone by replaying its reversals
/// backwards, so each round costs about as much as the few moves it makes, not a pass over n.
struct TourSearch<Costs: SymmetricCosts> {
    let costs: Costs
    /// Node count; node 0 is the start, node `count - 1` the end.
    let count: Int
    let neighbours: [[Int32]]
    private(set) var cycle: [Int32]
    private(set) var position: [Int32]
    /// Reversals (first and last position, inclusive, possibly wrapping) since `startLog()`.
    private var log: [(Int32, Int32)] = []
    private var logging = false
    private var queue: [Int32] = []
    private var queued: [Bool]
    private var queueHead = 0
    /// The cost change of the moves made since it was last set to 0.
    private var change = 0.0

    static var neighbourCount: Int { 10 }

    /// `sequence` is a path from node 0 to node `costs.count - 1` through every other node once.
    init(costs: Costs, sequence: [Int], neighbours: [[Int32]]? = nil) {
        precondition(sequence.count == costs.count && sequence.first == 0 && sequence.last == costs.count - 1)
        self.costs = costs
        count = costs.count
        self.neighbours = neighbours ?? Self.neighbourLists(costs, k: Self.neighbourCount)
        cycle = sequence.map { Int32($0) }
        var position = [Int32](repeating: 0, count: costs.count)
        for (i, node) in sequence.enumerated() { position[node] = Int32(i) }
        self.position = position
        queued = [Bool](repeating: false, count: costs.count)
    }

    /// The k cheapest other nodes of each node, cheapest first (ties by node): a partial
    /// selection per row, O(n²) cost evaluations.
    static func neighbourLists(_ costs: Costs, k: Int) -> [[Int32]] {
        let n = costs.count
        let k = min(k, n - 1)
        guard k > 0 else { return Array(repeating: [], count: n) }
        return (0..<n).map { i in
            var best: [(cost: Double, node: Int32)] = []
            best.reserveCapacity(k + 1)
            for j in 0..<n where j != i {
                let c = costs.cost(i, j)
                if best.count == k, c >= best[k - 1].cost { continue }
                var at = best.count
                while at > 0, best[at - 1].cost > c { at -= 1 }
                best.insert((c, Int32(j)), at: at)
                if best.count > k { best.removeLast() }
            }
            return best.map(\.node)
        }
    }

    /// Nearest-neighbour construction from node 0 through every node but the end, which comes
    /// last: the nearest unvisited node among the neighbour list, else by a scan of all.
    /// `nearestUnvisited`, when given, replaces the scan of all nodes (whose costs may each take
    /// a search): ``LocalPlaceCosts/nearestUnvisited(to:visited:)``.
    static func nearestNeighbourPath(_ costs: Costs, neighbours: [[Int32]],
                                     nearestUnvisited: ((Int, [Bool]) -> Int?)? = nil) -> [Int] {
        let n = costs.count
        let end = n - 1
        var visited = [Bool](repeating: false, count: n)
        visited[0] = true
        visited[end] = true
        var path = [0]
        var here = 0
        for _ in 0..<max(0, n - 2) {
            var best = -1
            for candidate in neighbours[here] where !visited[Int(candidate)] { best = Int(candidate); break }
            if best < 0, let nearestUnvisited { best = nearestUnvisited(here, visited) ?? -1 }
            if best < 0 {
                var bestCost = Double.infinity
                for j in 0..<n where !visited[j] {
                    let cost = costs.cost(here, j)
                    if cost < bestCost { bestCost = cost; best = j }
                }
            }
            visited[best] = true
            path.append(best)
            here = best
        }
        return path + [end]
    }

    // MARK: The cycle

    @inline(__always) private func c(_ i: Int32, _ j: Int32) -> Double { costs.cost(Int(i), Int(j)) }
    @inline(__always) func next(_ node: Int32) -> Int32 {
        let p = Int(position[Int(node)]) + 1
        return cycle[p == count ? 0 : p]
    }
    @inline(__always) func previous(_ node: Int32) -> Int32 {
        let p = Int(position[Int(node)])
        return cycle[p == 0 ? count - 1 : p - 1]
    }
    @inline(__always) private func step(_ node: Int32, forward: Bool) -> Int32 { forward ? next(node) : previous(node) }

    /// Whether {a, b} is the closing edge (end → start), which no move removes.
    @inline(__always) private func isClosing(_ a: Int32, _ b: Int32) -> Bool {
        let last = Int32(count - 1)
        return (a == 0 && b == last) || (a == last && b == 0)
    }

    /// The path from the start to the end.
    var path: [Int] {
        let last = Int32(count - 1)
        let forward = next(0) != last || count == 2
        var result = [0]
        var node: Int32 = 0
        for _ in 1..<count {
            node = step(node, forward: forward)
            result.append(Int(node))
        }
        return result
    }

    /// The cycle's cost (the closing edge costs nothing in the path it stands for).
    var length: Double {
        var total = 0.0
        for i in 0..<count {
            let a = cycle[i], b = cycle[i + 1 == count ? 0 : i + 1]
            if !isClosing(a, b) { total += c(a, b) }
        }
        return total
    }

    /// Reverses the cycle from node `from` forwards to node `to`, or the rest of the cycle when
    /// that is shorter (the same cycle, read the other way).
    private mutating func reverse(from: Int32, to: Int32) {
        var i = Int(position[Int(from)]), j = Int(position[Int(to)])
        let length = (j - i + count) % count + 1
        if 2 * length > count {
            (i, j) = (j + 1 == count ? 0 : j + 1, i == 0 ? count - 1 : i - 1)
        }
        reversePositions(i, j)
        if logging { log.append((Int32(i), Int32(j))) }
    }

    private mutating func reversePositions(_ first: Int, _ last: Int) {
        var i = first, j = last
        var swaps = ((j - i + count) % count + 1) / 2
        while swaps > 0 {
            let a = cycle[i], b = cycle[j]
            cycle[i] = b; position[Int(b)] = Int32(i)
            cycle[j] = a; position[Int(a)] = Int32(j)
            i = i + 1 == count ? 0 : i + 1
            j = j == 0 ? count - 1 : j - 1
            swaps -= 1
        }
    }

    /// The 2-opt exchange of edges {a, b} and {x, y}, where b follows a and y follows x in the
    /// same direction: afterwards the cycle has {a, x} and {b, y} instead.
    private mutating func exchange(_ a: Int32, _ b: Int32, _ x: Int32, _ y: Int32) {
        if next(a) == b { reverse(from: b, to: x) } else { reverse(from: a, to: y) }
    }

    private mutating func push(_ nodes: Int32...) {
        for node in nodes where !queued[Int(node)] {
            queued[Int(node)] = true
            queue.append(node)
        }
    }

    // MARK: Descent

    /// 2-opt and Or-opt from the nodes whose don't-look bits are off until none improves; with
    /// `everyNode`, sweeps from every node again until a whole sweep moves nothing, so the result
    /// is 2-optimal and Or-optimal within the neighbour lists (don't-look bits alone miss a move
    /// whose gain shows only at a node none of whose edges changed).
    /// The sweeps stop at `deadline` too (checked every 256 nodes looked at), leaving a shorter
    /// cycle that may not be optimal yet.
    mutating func descend(everyNode: Bool, deadline: ContinuousClock.Instant? = nil) {
        guard everyNode else { return drainQueue(deadline: deadline) }
        var sweeps = 0
        repeat {
            change = 0
            for node in 0..<count { push(Int32(node)) }
            drainQueue(deadline: deadline)
            sweeps += 1
        } while change < -1e-9 && sweeps < 100 && deadline.map({ ContinuousClock.now < $0 }) ?? true
    }

    private mutating func drainQueue(deadline: ContinuousClock.Instant? = nil) {
        var looked = 0
        while queueHead < queue.count {
            looked += 1
            if looked & 255 == 0, let deadline, ContinuousClock.now >= deadline {
                for node in queue[queueHead...] { queued[Int(node)] = false }
                break
            }
            let a = queue[queueHead]
            queueHead += 1
            queued[Int(a)] = false
            if queueHead > 4096, queueHead * 2 > queue.count {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
            if improveTwoOpt(a) || improveOrOpt(a) || improveThreeOpt(a) { push(a) }
        }
        queue.removeAll(keepingCapacity: true)
        queueHead = 0
    }

    private mutating func improveTwoOpt(_ a: Int32) -> Bool {
        for forward in [true, false] {
            let b = step(a, forward: forward)
            if isClosing(a, b) { continue }
            let ab = c(a, b)
            for x in neighbours[Int(a)] {
                let ax = c(a, x)
                if ax >= ab - 1e-12 { break }
                let y = step(x, forward: forward)
                if x == b || y == a || isClosing(x, y) { continue }
                let delta = ax + c(b, y) - ab - c(x, y)
                if delta < -1e-9 {
                    change += delta
                    exchange(a, b, x, y)
                    push(a, b, x, y)
                    return true
                }
            }
        }
        return false
    }

    /// Moves the stretch of 1–3 nodes that starts at `a` (going either way) next to a neighbour
    /// of its first or last node, either way round, when that shortens the cycle.
    private mutating func improveOrOpt(_ a: Int32) -> Bool {
        for forward in [true, false] {
            var last = a
            for length in 1...3 {
                if length > 1 { last = step(last, forward: forward) }
                let p = step(a, forward: !forward), n = step(last, forward: forward)
                // The stretch, its neighbours p and n, and at least one more node elsewhere.
                if length + 3 > count || n == p || last == p { break }
                if isClosing(p, a) || isClosing(last, n) { continue }
                let removal = c(p, a) + c(last, n) - c(p, n)
                if removal <= 1e-9 { continue }
                for end in length == 1 ? [a] : [a, last] {
                    for x in neighbours[Int(end)] {
                        let gain = removal - c(x, end)
                        if gain <= 1e-9 { break }
                        if inStretch(x, from: a, length: length, forward: forward) { continue }
                        for y in [next(x), previous(x)] {
                            if inStretch(y, from: a, length: length, forward: forward) || isClosing(x, y) { continue }
                            if (x == p && y == n) || (x == n && y == p) { continue }
                            let other = end == a ? last : a
                            let delta = c(x, end) + c(other, y) - c(x, y) - removal
                            if delta < -1e-9 {
                                change += delta
                                moveStretch(first: a, last: last, forward: forward, before: p, after: n,
                                            x: x, y: y, xTouches: end)
                                push(p, n, x, y, a, last)
                                return true
                            }
                        }
                    }
                }
            }
        }
        return false
    }

    /// The sequential 3-opt move from `t1` (the Lin–Kernighan step of depth three; Lin &
    /// Kernighan 1973, with neighbour lists as Johnson & McGeoch 1997): remove {t1, t2}, add
    /// {t2, t3} with t3 a neighbour of t2, remove {t3, t4}, add {t4, t5} with t5 a neighbour of
    /// t4, remove {t5, t6} and close with {t6, t1}, the partial gain positive at every step.
    /// Only the four reconnections that keep none of the removed edges are made: a segment of
    /// any length moved elsewhere, either way round ("or-3opt", Or-opt without its length
    /// limit), and two neighbouring segments each reversed; the 2-opt ones are `improveTwoOpt`'s.
    private mutating func improveThreeOpt(_ t1: Int32) -> Bool {
        for forward in [true, false] {
            let t2 = step(t1, forward: forward)
            if isClosing(t1, t2) { continue }
            let g0 = c(t1, t2)
            for t3 in neighbours[Int(t2)] {
                let g1 = g0 - c(t2, t3)
                if g1 <= 1e-9 { break }
                if t3 == t1 { continue }
                for t4 in [next(t3), previous(t3)] where t4 != t2 && !isClosing(t3, t4) {
                    let g2 = g1 + c(t3, t4)
                    for t5 in neighbours[Int(t4)] {
                        let g3 = g2 - c(t4, t5)
                        if g3 <= 1e-9 { break }
                        if t5 == t3 || t5 == t2 { continue }
                        for t6 in [next(t5), previous(t5)] where t6 != t1 && !isClosing(t5, t6) {
                            let g4 = g3 + c(t5, t6)
                            if g4 <= 1e-9 { continue }
                            // Which reconnection this is (cheap), before the closing cost (which may take a search).
                            guard let segments = Segments(cut(t1, t2), cut(t3, t4), cut(t5, t6), cycle: cycle, count: count),
                                  let reconnection = segments.reconnection(adding: (t2, t3), (t4, t5), (t6, t1))
                            else { continue }
                            let gain = g4 - c(t6, t1)
                            if gain <= 1e-9 { continue }
                            change -= gain
                            reconnect(segments, reconnection)
                            push(t1, t2, t3, t4, t5, t6)
                            return true
                        }
                    }
                }
            }
        }
        return false
    }

    /// The position after which the edge {a, b} of the cycle lies (the edge joins that position
    /// and the next).
    @inline(__always) private func cut(_ a: Int32, _ b: Int32) -> Int {
        next(a) == b ? Int(position[Int(a)]) : Int(position[Int(b)])
    }

    /// The cycle cut at three edges into S1 S2 S3 (in cycle order, S1 wrapping round), each
    /// named by its first and last node.
    struct Segments {
        let s1b: Int32, s2a: Int32, s2b: Int32, s3a: Int32, s3b: Int32, s1a: Int32

        /// Nil unless the three cuts are three different edges.
        init?(_ a: Int, _ b: Int, _ c: Int, cycle: [Int32], count: Int) {
            let p0 = min(a, b, c), p2 = max(a, b, c), p1 = a + b + c - p0 - p2
            guard p0 != p1, p1 != p2 else { return nil }
            (s1b, s2a, s2b) = (cycle[p0], cycle[p0 + 1], cycle[p1])
            (s3a, s3b, s1a) = (cycle[p1 + 1], cycle[p2], cycle[p2 + 1 == count ? 0 : p2 + 1])
        }

        /// The new orders of the segments after S1 that keep none of the cut edges.
        enum Reconnection: CaseIterable {
            case bothReversed   // S1 S2' S3'
            case swapped   // S1 S3 S2: S2 moved after S3
            case swappedFirstReversed   // S1 S3' S2
            case swappedSecondReversed   // S1 S3 S2'
        }

        typealias Edge = (Int32, Int32)

        func edges(of reconnection: Reconnection) -> (Edge, Edge, Edge) {
            switch reconnection {
            case .bothReversed: ((s1b, s2b), (s2a, s3b), (s3a, s1a))
            case .swapped: ((s1b, s3a), (s3b, s2a), (s2b, s1a))
            case .swappedFirstReversed: ((s1b, s3b), (s3a, s2a), (s2b, s1a))
            case .swappedSecondReversed: ((s1b, s3a), (s3b, s2b), (s2a, s1a))
            }
        }

        /// The reconnection whose new edges are exactly `x`, `y` and `z` (three different
        /// edges), if any.
        func reconnection(adding x: Edge, _ y: Edge, _ z: Edge) -> Reconnection? {
            func same(_ e: Edge, _ f: Edge) -> Bool { (e.0 == f.0 && e.1 == f.1) || (e.0 == f.1 && e.1 == f.0) }
            guard !same(x, y), !same(x, z), !same(y, z) else { return nil }
            for reconnection in Reconnection.allCases {
                let (e, f, g) = edges(of: reconnection)
                func wanted(_ edge: Edge) -> Bool { same(edge, e) || same(edge, f) || same(edge, g) }
                if wanted(x), wanted(y), wanted(z) { return reconnection }
            }
            return nil
        }
    }

    /// Makes `reconnection` by 2-opt exchanges (each a reversal), every one between edges the
    /// cycle has at that moment.
    private mutating func reconnect(_ s: Segments, _ reconnection: Segments.Reconnection) {
        if reconnection == .bothReversed {
            exchange(s.s1b, s.s2a, s.s2b, s.s3a)   // S1 S2' S3
            exchange(s.s2a, s.s3a, s.s3b, s.s1a)   // S1 S2' S3'
            return
        }
        exchange(s.s1b, s.s2a, s.s3b, s.s1a)   // S1 S3' S2'
        switch reconnection {
        case .swapped:
            exchange(s.s1b, s.s3b, s.s3a, s.s2b)   // S1 S3 S2'
            exchange(s.s3b, s.s2b, s.s2a, s.s1a)   // S1 S3 S2
        case .swappedFirstReversed:
            exchange(s.s3a, s.s2b, s.s2a, s.s1a)   // S1 S3' S2
        case .swappedSecondReversed:
            exchange(s.s1b, s.s3b, s.s3a, s.s2b)   // S1 S3 S2'
        case .bothReversed:
            break
        }
    }

    private func inStretch(_ node: Int32, from first: Int32, length: Int, forward: Bool) -> Bool {
        var here = first
        for i in 0..<length {
            if i > 0 { here = step(here, forward: forward) }
            if here == node { return true }
        }
        return false
    }

    /// Moves the stretch `first`…`last` (in direction `forward`, between `before` and `after`)
    /// into the edge {x, y}, with `xTouches` (its first or last node) next to x.
    private mutating func moveStretch(first: Int32, last: Int32, forward: Bool, before p: Int32, after n: Int32,
                                      x: Int32, y: Int32, xTouches: Int32) {
        // Orient so that `first` follows p; name the insertion edge (c, d) with d following c.
        let (c, d) = step(x, forward: forward) == y ? (x, y) : (y, x)
        // Two exchanges leave p–n, c–last and first–d (the stretch reversed into the edge).
        exchange(p, first, c, d)
        exchange(p, c, n, last)
        // A third turns the stretch round when the other way is wanted: c–first and last–d.
        let cTouches = c == x ? xTouches : (xTouches == first ? last : first)
        if cTouches == first, first != last { exchange(c, last, first, d) }
    }

    // MARK: Iterated local search

    /// Descends, then kicks and descends again `rounds` times or until `deadline`, keeping a
    /// kick only when the cycle got shorter. Deterministic for a seed unless the deadline cuts
    /// the rounds short.
    /// `kickReach` bounds the kick's two middle segments (in nodes): the kick joins nodes that
    /// far apart along the cycle, which costs costs computed when asked a search each unless
    /// they lie near each other.
    mutating func improve(rounds: Int, seed: UInt64, deadline: ContinuousClock.Instant, kickReach: Int = 50) {
        descend(everyNode: true, deadline: deadline)
        guard count >= 8, rounds > 0 else { return }
        var random = XorShiftRandom(seed: seed)
        let reach = max(1, min(kickReach, (count - 2) / 3))
        var round = 0
        while round < rounds {
            if round & 15 == 0, ContinuousClock.now >= deadline { break }
            round += 1
            // Three cut edges at positions p1 < p2 < p3 (cyclically), none the closing edge.
            let p1 = Int.random(in: 0..<count, using: &random)
            let p2 = (p1 + Int.random(in: 1...reach, using: &random)) % count
            let p3 = (p2 + Int.random(in: 1...reach, using: &random)) % count
            let a1 = cycle[p1], b1 = cycle[(p1 + 1) % count], b2 = cycle[p2], c1 = cycle[(p2 + 1) % count]
            let c2 = cycle[p3], d1 = cycle[(p3 + 1) % count]
            if isClosing(a1, b1) || isClosing(b2, c1) || isClosing(c2, d1) { continue }
            let kick = c(a1, c1) + c(c2, b1) + c(b2, d1) - c(a1, b1) - c(b2, c1) - c(c2, d1)
            log.removeAll(keepingCapacity: true)
            logging = true
            exchange(a1, b1, c2, d1)   // a1 c2…c1 b2…b1 d1
            exchange(a1, c2, c1, b2)   // a1 c1…c2 b2…b1 d1
            exchange(c2, b2, b1, d1)   // a1 c1…c2 b1…b2 d1
            push(a1, b1, b2, c1, c2, d1)
            change = 0
            descend(everyNode: false)
            logging = false
            if kick + change >= -1e-9 {
                // Undo: each reversal of a range of positions is its own inverse.
                for (first, last) in log.reversed() { reversePositions(Int(first), Int(last)) }
            }
        }
    }
}
