/// Groups the nodes of a graph — blocks into micro-grids, or micro-grids into grids — into a
/// given number of contiguous groups of about equal weight (homes), each kept compact.
///
/// The rule it keeps: every node is in exactly one group; a group is connected through the
/// graph's edges whenever its nodes are (a component with no edges to the rest gets its own
/// groups); no group is empty. How: seeds spread by farthest-point choice among the nodes that
/// carry weight, then growth that always feeds the lightest group that can still grow, with the
/// free neighbour nearest to that group's seed; then moves of single border nodes from a heavier
/// group to a lighter neighbour while that narrows the gap and leaves the donor connected.
struct BlockGrouping {
    struct Node {
        var weight: Int
        /// Position in metres (``LocalMetres``), for compactness.
        var x: Double
        var y: Double
    }

    let nodes: [Node]
    let neighbours: [[Int]]

    /// The groups of `nodes`: `groupCount` of them over the whole graph, shared out among its
    /// connected components by weight (each component at least one). Returns, for each node, its
    /// group.
    func groups(count groupCount: Int) -> [Int] {
        var group = Array(repeating: -1, count: nodes.count)
        let components = connectedComponents()
        let shares = Self.share(max(groupCount, components.count), by: components.map { $0.reduce(0) { $0 + nodes[$1].weight } })
        var next = 0
        for (component, share) in zip(components, shares) {
            let local = grow(component, groups: share)
            for (node, g) in zip(component, local) { group[node] = next + g }
            next += share
        }
        return group
    }

    /// `total` split among parts in proportion to `weights` (largest remainders), each part at
    /// least one.
    static func share(_ total: Int, by weights: [Int]) -> [Int] {
        guard !weights.isEmpty else { return [] }
        var result = Array(repeating: 1, count: weights.count)
        var left = total - weights.count
        let sum = weights.reduce(0, +)
        guard left > 0, sum > 0 else { return result }
        let exact = weights.map { Double($0) * Double(left) / Double(sum) }
        for i in exact.indices { result[i] += Int(exact[i]); left -= Int(exact[i]) }
        let byRemainder = exact.indices.sorted { (exact[$0] - exact[$0].rounded(.down), $1) > (exact[$1] - exact[$1].rounded(.down), $0) }
        for i in byRemainder.prefix(left) { result[i] += 1 }
        return result
    }

    private func connectedComponents() -> [[Int]] {
        var seen = Array(repeating: false, count: nodes.count)
        var components: [[Int]] = []
        for start in nodes.indices where !seen[start] {
            var component = [start]
            seen[start] = true
            var head = 0
            while head < component.count {
                for next in neighbours[component[head]] where !seen[next] {
                    seen[next] = true
                    component.append(next)
                }
                head += 1
            }
            components.append(component.sorted())
        }
        return components
    }

    /// Groups one connected component's nodes (global indices) into `groups` groups; the answer
    /// is each node's group, in the order of `component`.
    private func grow(_ component: [Int], groups wanted: Int) -> [Int] {
        let weighted = component.filter { nodes[$0].weight > 0 }
        let pool = weighted.isEmpty ? component : weighted
        let groupCount = max(1, min(wanted, pool.count))
        // Several starts, each seeded from a different first node, and the most even kept: in a
        // region of a few dozen blocks a greedy growth depends much on where it starts.
        let target = Double(weighted.reduce(0) { $0 + nodes[$1].weight }) / Double(groupCount)
        var best: (owner: [Int], score: Double)?
        for first in stride(from: 0, to: pool.count, by: max(1, pool.count / Self.starts)).map({ pool[$0] }) {
            let owner = grow(component, groups: groupCount, seeds: spreadSeeds(pool, count: groupCount, first: first))
            var weights = Array(repeating: 0, count: groupCount)
            for (node, g) in zip(component, owner) { weights[g] += nodes[node].weight }
            let score = weights.reduce(0.0) { $0 + (Double($1) - target) * (Double($1) - target) }
            if score < best?.score ?? .infinity { best = (owner, score) }
        }
        return best?.owner ?? Array(repeating: 0, count: component.count)
    }

    /// How many first seeds ``grow(_:groups:)`` tries.
    static let starts = 16

    private func grow(_ component: [Int], groups groupCount: Int, seeds: [Int]) -> [Int] {
        var owner: [Int: Int] = [:]
        var weight = Array(repeating: 0, count: groupCount)
        var frontier = Array(repeating: Set<Int>(), count: groupCount)
        func take(_ node: Int, into g: Int) {
            owner[node] = g
            weight[g] += nodes[node].weight
            for next in neighbours[node] where owner[next] == nil { frontier[g].insert(next) }
        }
        for (g, seed) in seeds.enumerated() { take(seed, into: g) }

        // Growth: the lightest group that has a free neighbour takes the one nearest its seed.
        while owner.count < component.count {
            var grown = false
            for g in (0..<groupCount).sorted(by: { (weight[$0], $0) < (weight[$1], $1) }) {
                frontier[g] = frontier[g].filter { owner[$0] == nil }
                let seed = seeds[g]
                guard let next = frontier[g].min(by: { (distance($0, seed), $0) < (distance($1, seed), $1) }) else { continue }
                take(next, into: g)
                grown = true
                break
            }
            if !grown { break }
        }
        balance(&owner, weight: &weight, seeds: seeds)
        return component.map { owner[$0] ?? 0 }
    }

    private func distance(_ a: Int, _ b: Int) -> Double {
        let dx = nodes[a].x - nodes[b].x, dy = nodes[a].y - nodes[b].y
        return (dx * dx + dy * dy).squareRoot()
    }

    /// `count` seeds from `pool` (not empty): `first`, then each next the node farthest from the
    /// seeds chosen so far (ties to the lower index).
    private func spreadSeeds(_ pool: [Int], count: Int, first: Int) -> [Int] {
        var seeds = [first]
        var nearestSeed = pool.map { distance($0, first) }
        while seeds.count < count {
            var pick = 0
            for i in pool.indices where (nearestSeed[i], -pool[i]) > (nearestSeed[pick], -pool[pick]) { pick = i }
            let seed = pool[pick]
            seeds.append(seed)
            for i in pool.indices { nearestSeed[i] = min(nearestSeed[i], distance(pool[i], seed)) }
        }
        return seeds
    }

    /// Moves single border nodes from a heavier group to a lighter neighbouring group while the
    /// move narrows their gap and the heavier group stays connected; sweeps until a sweep moves
    /// nothing (at most 20 sweeps).
    private func balance(_ owner: inout [Int: Int], weight: inout [Int], seeds: [Int]) {
        let order = owner.keys.sorted()
        for _ in 0..<20 {
            var moved = false
            for node in order {
                guard let from = owner[node], node != seeds[from], nodes[node].weight > 0 else { continue }
                let w = nodes[node].weight
                let targets = Set(neighbours[node].compactMap { owner[$0] }).filter { $0 != from }
                guard let to = targets.min(by: { (weight[$0], $0) < (weight[$1], $1) }),
                      abs((weight[from] - w) - (weight[to] + w)) < abs(weight[from] - weight[to]),
                      staysConnected(owner, group: from, without: node) else { continue }
                owner[node] = to
                weight[from] -= w
                weight[to] += w
                moved = true
            }
            if !moved { return }
        }
    }

    private func staysConnected(_ owner: [Int: Int], group: Int, without removed: Int) -> Bool {
        guard let start = neighbours[removed].first(where: { owner[$0] == group }) else { return false }
        let size = owner.values.reduce(0) { $0 + ($1 == group ? 1 : 0) } - 1
        var seen: Set<Int> = [start]
        var stack = [start]
        while let node = stack.popLast() {
            for next in neighbours[node] where next != removed && owner[next] == group && !seen.contains(next) {
                seen.insert(next)
                stack.append(next)
            }
        }
        return seen.count == size
    }
}
