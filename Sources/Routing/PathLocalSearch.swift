/// Local search on a path with fixed ends: `sequence[0]` is the start, `sequence.last` the end,
/// everything between is free to move.
///
/// Moves: 2-opt (Croes 1958: reverse a stretch, first improvement) and Or-opt (Or 1976: move a
/// stretch of 1–3 nodes elsewhere, forwards or reversed), repeated until neither improves.
/// Reversals are priced exactly also for asymmetric costs (the reversed stretch is re-summed).
/// Iterated local search (Lourenço, Martin & Stützle) adds random double-bridge kicks, keeping
/// the best path, for a number of rounds or until a deadline.
struct PathLocalSearch {
    let count: Int
    let costs: [Double]
    let symmetric: Bool

    init(count: Int, costs: [Double]) {
        self.count = count
        self.costs = costs
        var symmetric = true
        for i in 0..<count where symmetric {
            for j in (i + 1)..<max(count, i + 1) where costs[i * count + j] != costs[j * count + i] { symmetric = false; break }
        }
        self.symmetric = symmetric
    }

    @inline(__always) func c(_ i: Int, _ j: Int) -> Double { costs[i * count + j] }

    func cost(of sequence: [Int]) -> Double {
        var total = 0.0
        for i in 1..<sequence.count { total += c(sequence[i - 1], sequence[i]) }
        return total
    }

    /// The cost change of reversing sequence[i...j] in place.
    private func reversalDelta(_ s: [Int], _ i: Int, _ j: Int) -> Double {
        let a = s[i - 1], b = s[j + 1]
        var delta = c(a, s[j]) + c(s[i], b) - c(a, s[i]) - c(s[j], b)
        if !symmetric {
            for t in i..<j { delta += c(s[t + 1], s[t]) - c(s[t], s[t + 1]) }
        }
        return delta
    }

    private func twoOpt(_ s: inout [Int]) -> Bool {
        let last = s.count - 1
        guard last >= 3 else { return false }
        var improved = false
        for i in 1..<(last - 1) {
            for j in (i + 1)..<last where reversalDelta(s, i, j) < -1e-9 {
                s[i...j].reverse()
                improved = true
            }
        }
        return improved
    }

    private func orOpt(_ s: inout [Int]) -> Bool {
        let last = s.count - 1
        var improved = false
        for length in 1...3 {
            var i = 1
            while i + length - 1 <= last - 1 {
                let p = s[i - 1], n = s[i + length], first = s[i], lastOfSegment = s[i + length - 1]
                let gain = c(p, first) + c(lastOfSegment, n) - c(p, n)
                var moved = false
                for j in 0..<last where j < i - 1 || j > i + length - 1 {
                    let a = s[j], b = s[j + 1]
                    let forward = c(a, first) + c(lastOfSegment, b) - c(a, b)
                    var backward = Double.infinity
                    if length > 1 && symmetric { backward = c(a, lastOfSegment) + c(first, b) - c(a, b) }
                    guard min(forward, backward) < gain - 1e-9 else { continue }
                    var segment = Array(s[i..<(i + length)])
                    if backward < forward { segment.reverse() }
                    s.removeSubrange(i..<(i + length))
                    s.insert(contentsOf: segment, at: j < i ? j + 1 : j + 1 - length)
                    moved = true
                    improved = true
                    break
                }
                if !moved { i += 1 }
            }
        }
        return improved
    }

    /// 2-opt and Or-opt until neither improves.
    func descend(_ s: inout [Int]) {
        var rounds = 0
        while rounds < 1000 {
            let a = twoOpt(&s)
            let b = orOpt(&s)
            if !a && !b { break }
            rounds += 1
        }
    }

    /// Nearest-neighbour construction from the start, the end appended.
    func nearestNeighbour(interior: [Int], start: Int, end: Int) -> [Int] {
        var left = interior
        var sequence = [start]
        while !left.isEmpty {
            let here = sequence[sequence.count - 1]
            var bestIndex = 0
            for k in 1..<left.count where c(here, left[k]) < c(here, left[bestIndex]) { bestIndex = k }
            sequence.append(left.remove(at: bestIndex))
        }
        sequence.append(end)
        return sequence
    }

    /// Iterated local search from `sequence`; deterministic for a seed unless the deadline cuts
    /// the rounds short.
    func improve(_ sequence: [Int], rounds: Int, seed: UInt64, deadline: ContinuousClock.Instant) -> [Int] {
        var best = sequence
        descend(&best)
        var bestCost = cost(of: best)
        let interior = best.count - 2
        guard interior >= 8 else { return best }
        var random = XorShiftRandom(seed: seed)
        for _ in 0..<rounds {
            if ContinuousClock.now >= deadline { break }
            // Double bridge on the interior, A B C D → A C B D, with B and C short (at most
            // `reach` nodes each) so that the kick stays local on large paths.
            let reach = min(30, (interior - 1) / 3)
            let p1 = Int.random(in: 2...(interior - 2 * reach), using: &random)
            let p2 = p1 + Int.random(in: 1...reach, using: &random)
            let p3 = p2 + Int.random(in: 1...reach, using: &random)
            var candidate = Array(best[0..<p1]) + Array(best[p2..<p3]) + Array(best[p1..<p2]) + Array(best[p3...])
            descend(&candidate)
            let candidateCost = cost(of: candidate)
            if candidateCost < bestCost - 1e-9 {
                best = candidate
                bestCost = candidateCost
            }
        }
        return best
    }
}

/// Marsaglia's xorshift64* generator, seeded through a SplitMix-style scramble so that nearby
/// seeds give unrelated streams.
struct XorShiftRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        var z = seed &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        state = (z ^ (z >> 27)) | 1
    }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
