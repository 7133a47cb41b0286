/// Costs between the places of a plan (node `from` to node `to`), asked pair by pair: a dense
/// ``CostMatrix`` for a few thousand places, or costs computed when asked (``PlanarPlaceCosts``,
/// ``RoadPlaceCosts``) for many, so that no n × n matrix is needed. Infinity marks a pair with no
/// route.
public protocol PlaceCosts: Sendable {
    /// The number of places (nodes `0..<count`).
    var count: Int { get }
    func cost(_ from: Int, _ to: Int) -> Double
}

extension PlaceCosts {
    public subscript(from: Int, to: Int) -> Double { cost(from, to) }
}

extension CostMatrix: PlaceCosts {
    public var count: Int { rows }
    public func cost(_ from: Int, _ to: Int) -> Double { values[from * columns + to] }
}

/// Costs of many places, computed when asked and symmetric (`cost(i, j) == cost(j, i)`), that
/// also name each place's cheapest others (candidate lists) and its nearest place of a kind: what the
/// planners need to search without asking every pair.
///
/// The rule the planners keep with them: they ask only pairs near each other (a candidate, or
/// a neighbour in a tour of one), consecutive stops, and pairs with the start or the end, never
/// all pairs.
public protocol SparsePlaceCosts: PlaceCosts {
    /// For each of `nodes` (distinct), up to `k` other members of `nodes` cheapest from it,
    /// cheapest first, as indices into `nodes`.
    func candidates(among nodes: [Int], k: Int) -> [[Int32]]
    /// The cheapest place from `node` (other than it) for which `wanted` holds; nil if none is
    /// reachable. For a first order when no candidate is left.
    func nearest(to node: Int, where wanted: (Int) -> Bool) -> Int?
}

/// Straight-line distances between points on the plane, computed when asked.
public struct PlanarPlaceCosts: SparsePlaceCosts {
    public let x: [Double]
    public let y: [Double]

    public init(x: [Double], y: [Double]) {
        precondition(x.count == y.count, "one x and one y per point")
        (self.x, self.y) = (x, y)
    }

    public var count: Int { x.count }

    public func cost(_ from: Int, _ to: Int) -> Double {
        let dx = x[from] - x[to], dy = y[from] - y[to]
        return (dx * dx + dy * dy).squareRoot()
    }

    /// From a grid of cells over the nodes (``PlanarGrid``): O(m·k) distances, the same lists
    /// as comparing all pairs.
    public func candidates(among nodes: [Int], k: Int) -> [[Int32]] {
        PlanarGrid(x: nodes.map { x[$0] }, y: nodes.map { y[$0] }).nearest(k: k)
    }

    public func nearest(to node: Int, where wanted: (Int) -> Bool) -> Int? {
        x.indices.filter { $0 != node && wanted($0) }.min { (cost(node, $0), $0) < (cost(node, $1), $1) }
    }
}

/// The nodes of a local tour problem over ``SparsePlaceCosts``: local node `i < nodes.count` is
/// global node `nodes[i]`, and one more local node, the end, is `end` (a free dummy joined to
/// everything at no cost when nil: an open path).
struct LocalPlaceCosts<Base: SparsePlaceCosts>: SymmetricCosts {
    let base: Base
    let nodes: [Int]
    let end: Int?
    /// The local node of each global node of `nodes` (-1 for the others).
    let localOf: [Int32]
    var count: Int { nodes.count + 1 }

    init(base: Base, nodes: [Int], end: Int?) {
        (self.base, self.nodes, self.end) = (base, nodes, end)
        var localOf = [Int32](repeating: -1, count: base.count)
        for (index, node) in nodes.enumerated() { localOf[node] = Int32(index) }
        self.localOf = localOf
    }

    @inline(__always) func global(_ i: Int) -> Int? { i < nodes.count ? nodes[i] : end }

    func cost(_ i: Int, _ j: Int) -> Double {
        if i == j { return 0 }
        guard let a = global(i), let b = global(j) else { return 0 }
        return base.cost(a, b)
    }

    /// Candidate lists in local nodes; the end shares the start's when it is the start, and
    /// the open path's dummy has none (it is joined to everything alike).
    func candidates(k: Int) -> [[Int32]] {
        if let end, end != nodes[0] {
            return base.candidates(among: nodes + [end], k: k)
        }
        var lists = base.candidates(among: nodes, k: k)
        lists.append(end == nil ? [] : lists[0])
        return lists
    }

    /// The cheapest node from `i` among those not yet `visited` (the end is never chosen).
    func nearestUnvisited(to i: Int, visited: [Bool]) -> Int? {
        guard let here = global(i) else { return nil }
        let found = base.nearest(to: here) { node in
            let local = Int(localOf[node])
            return local >= 0 && !visited[local]
        }
        return found.map { Int(localOf[$0]) }
    }
}
