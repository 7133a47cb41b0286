/// The exact cheapest path through every interior node of a small problem: the Held–Karp
/// dynamic programme (1962) over subsets, O(2ⁿ·n²) time and O(2ⁿ·n) space.
///
/// The problem is local: node 0 is the start, nodes 1…k the interior stops, node k + 1 the end;
/// `cost(i, j)` is the cost of going from i to j. Returns the interior nodes in visiting order.
enum HeldKarp {
    static func solve(interior k: Int, cost: (Int, Int) -> Double) -> [Int] {
        guard k > 1 else { return k == 1 ? [1] : [] }
        let full = 1 << k
        var best = [Double](repeating: .infinity, count: full * k)
        var previous = [Int8](repeating: -1, count: full * k)
        for j in 0..<k { best[(1 << j) * k + j] = cost(0, j + 1) }
        for mask in 1..<full {
            for j in 0..<k where mask & (1 << j) != 0 {
                let here = best[mask * k + j]
                if here == .infinity { continue }
                for next in 0..<k where mask & (1 << next) == 0 {
                    let candidate = here + cost(j + 1, next + 1)
                    let slot = (mask | (1 << next)) * k + next
                    if candidate < best[slot] {
                        best[slot] = candidate
                        previous[slot] = Int8(j)
                    }
                }
            }
        }
        var last = 0
        var bestTotal = Double.infinity
        for j in 0..<k {
            let total = best[(full - 1) * k + j] + cost(j + 1, k + 1)
            if total < bestTotal { bestTotal = total; last = j }
        }
        var order: [Int] = []
        var mask = full - 1
        var j = last
        while j >= 0 {
            order.append(j + 1)
            let before = Int(previous[mask * k + j])
            mask &= ~(1 << j)
            j = before
        }
        return order.reversed()
    }
}
