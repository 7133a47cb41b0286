@testable import Routing
import SeededRandom
import Testing

/// The neighbour-list local search, on its own: the properties every result keeps.
@Suite("Tour search at scale (neighbour lists, don't-look bits, Or-opt, kicks)")
struct TourSearchTests {
    static func points(_ count: Int, seed: UInt64) -> PlanarCosts {
        var random = SplitMix64(seed: seed)
        var x: [Double] = [], y: [Double] = []
        for _ in 0..<count {
            x.append(Double.random(in: 0..<1000, using: &random))
            y.append(Double.random(in: 0..<1000, using: &random))
        }
        return PlanarCosts(x: x, y: y)
    }

    static func pathCost(_ costs: some SymmetricCosts, _ path: [Int]) -> Double {
        zip(path, path.dropFirst()).reduce(0) { $0 + costs.cost($1.0, $1.1) }
    }

    @Test("the result is always a path from the start to the end through every node once, never longer than the start")
    func permutationAndNeverLonger() {
        for seed in UInt64(1)...8 {
            let count = 8 + Int(seed) * 17
            let costs = Self.points(count, seed: seed)
            // A deliberately poor start: the nodes in index order.
            let first = Array(0..<count)
            var search = TourSearch(costs: costs, sequence: first)
            search.improve(rounds: 10 * count, seed: seed, deadline: .now + .seconds(60))
            let path = search.path
            #expect(path.first == 0 && path.last == count - 1, "seed \(seed)")
            #expect(path.sorted() == Array(0..<count), "seed \(seed)")
            #expect(Self.pathCost(costs, path) <= Self.pathCost(costs, first) + 1e-9, "seed \(seed)")
            #expect(abs(search.length - Self.pathCost(costs, path)) < 1e-6, "seed \(seed)")
        }
    }

    @Test("kicks never lose what the first descent found")
    func kicksNeverWorsen() {
        for seed in UInt64(1)...5 {
            let costs = Self.points(300, seed: seed)
            var descent = TourSearch(costs: costs, sequence: Array(0..<300))
            descent.improve(rounds: 0, seed: seed, deadline: .now + .seconds(60))
            var iterated = TourSearch(costs: costs, sequence: Array(0..<300))
            iterated.improve(rounds: 3000, seed: seed, deadline: .now + .seconds(60))
            #expect(iterated.length <= descent.length + 1e-9, "seed \(seed)")
        }
    }

    @Test("the descent is 2-optimal: no exchange of two edges of the path shortens it")
    func twoOptimal() {
        let costs = Self.points(120, seed: 4)
        var search = TourSearch(costs: costs, sequence: Array(0..<120), neighbours: TourSearch.neighbourLists(costs, k: 119))
        search.improve(rounds: 0, seed: 1, deadline: .now + .seconds(60))
        let p = search.path
        for i in 0..<(p.count - 3) {
            for j in (i + 2)..<(p.count - 1) {
                let delta = costs.cost(p[i], p[j]) + costs.cost(p[i + 1], p[j + 1]) - costs.cost(p[i], p[i + 1]) - costs.cost(p[j], p[j + 1])
                #expect(delta >= -1e-6, "reversing \(i + 1)…\(j) would gain \(-delta)")
            }
        }
    }

    @Test("with complete neighbour lists the descent is 3-optimal: no reconnection of three of its edges shortens the path")
    func threeOptimal() {
        for seed in UInt64(1)...6 {
            let count = 30
            let costs = Self.points(count, seed: seed + 100)
            var search = TourSearch(costs: costs, sequence: Array(0..<count),
                                    neighbours: TourSearch.neighbourLists(costs, k: count - 1))
            search.descend(everyNode: true)
            let path = search.path
            let length = Self.pathCost(costs, path)
            // Cut edges (i, i+1), (j, j+1), (k, k+1) of the path: S1 = path[...i] and path[(k+1)...]
            // joined by the closing edge, S2 = path[(i+1)...j], S3 = path[(j+1)...k].
            for i in 0..<(count - 1) {
                for j in (i + 1)..<(count - 1) {
                    for k in (j + 1)..<(count - 1) {
                        let s2 = Array(path[(i + 1)...j]), s3 = Array(path[(j + 1)...k])
                        let r2 = Array(s2.reversed()), r3 = Array(s3.reversed())
                        for (x, y) in [(r2, r3), (s3, s2), (r3, s2), (s3, r2)] {
                            let other = Array(path[...i]) + x + y + Array(path[(k + 1)...])
                            #expect(Self.pathCost(costs, other) >= length - 1e-6, "seed \(seed), cuts \(i) \(j) \(k)")
                        }
                    }
                }
            }
        }
    }

    @Test("on 11-node problems the search finds Held–Karp's optimum")
    func reachesKnownOptimum() throws {
        for seed in UInt64(1)...10 {
            let costs = Self.points(11, seed: seed)
            let exact = [0] + HeldKarp.solve(interior: 9) { costs.cost($0, $1) } + [10]
            var search = TourSearch(costs: costs, sequence: Array(0..<11))
            search.improve(rounds: 2000, seed: seed, deadline: .now + .seconds(60))
            #expect(abs(search.length - Self.pathCost(costs, exact)) < 1e-6, "seed \(seed)")
        }
    }

    @Test("asymmetric-looking road costs that differ only by rounding are searched as symmetric")
    func roundingIsSymmetric() {
        let m = 3
        let nearly = [0, 1.0, 2.0, 1.0 + 1e-13, 0, 3.0, 2.0, 3.0 - 1e-12, 0]
        #expect(TourPlanner.symmetrised(nearly, count: m) != nil)
        let oneWay = [0, 1.0, 2.0, 1.5, 0, 3.0, 2.0, 3.0, 0]
        #expect(TourPlanner.symmetrised(oneWay, count: m) == nil)
    }

    @Test("a planar round trip without a matrix visits every point once from the start, and finds the optimum of small cases")
    func planarRoundTrip() throws {
        for seed in UInt64(1)...6 {
            let points = Self.points(11, seed: seed)
            let tour = TourPlanner.planarRoundTrip(x: points.x, y: points.y, start: 3, options: .init(rounds: 200))
            #expect(tour.order.first == 3 && tour.order.last == 3 && tour.stops.sorted() == (0..<11).filter { $0 != 3 })
            let matrix = CostMatrix((0..<11).map { i in (0..<11).map { points.cost(i, $0) } })
            let exact = try TourPlanner(costs: matrix).plan(start: 3)
            #expect(exact.isOptimal && abs(tour.totalCost - exact.totalCost) < 1e-6, "seed \(seed)")
            #expect(abs(tour.legs.reduce(0, +) - tour.totalCost) < 1e-6)
        }
        let large = Self.points(3000, seed: 9)
        let tour = TourPlanner.planarRoundTrip(x: large.x, y: large.y, start: 0, options: .init(rounds: 5))
        #expect(tour.order.count == 3001 && Set(tour.order) == Set(0..<3000))
    }
}
