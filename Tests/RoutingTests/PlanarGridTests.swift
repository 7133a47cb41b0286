@testable import Routing
import SeededRandom
import Testing

/// The grid of cells behind the planar tours' neighbour lists, against the search over all pairs.
@Suite("The planar grid finds the same nearest points as comparing all pairs")
struct PlanarGridTests {
    /// Point sets that make a grid's edge cases: spread, clustered with far outliers, on a line,
    /// on integer coordinates with many equal distances, with duplicates, and tiny.
    static func pointSets() -> [(name: String, x: [Double], y: [Double])] {
        var random = SplitMix64(seed: 12)
        func uniform(_ n: Int, _ side: Double) -> ([Double], [Double]) {
            ((0..<n).map { _ in Double.random(in: 0..<side, using: &random) },
             (0..<n).map { _ in Double.random(in: 0..<side, using: &random) })
        }
        var sets: [(String, [Double], [Double])] = []
        let spread = uniform(1_500, 1_000_000)
        sets.append(("spread", spread.0, spread.1))
        var cluster = uniform(600, 10)
        cluster.0 += [5e6, -3e6, 0]
        cluster.1 += [-2e6, 4e6, 9e6]
        sets.append(("clustered with outliers", cluster.0, cluster.1))
        let line = (0..<400).map { Double($0 % 97) * 3.5 }
        sets.append(("on a horizontal line", line, Array(repeating: 7, count: 400)))
        sets.append(("on a vertical line", Array(repeating: -2, count: 400), line))
        let lattice = (0..<900).map { Double($0 % 30) }, latticeY = (0..<900).map { Double($0 / 30) }
        sets.append(("on an integer lattice (equal distances everywhere)", lattice, latticeY))
        let duplicated = uniform(200, 50)
        sets.append(("with every point twice", duplicated.0 + duplicated.0, duplicated.1 + duplicated.1))
        sets.append(("of two points", [0, 1], [0, 1]))
        sets.append(("of one point", [3], [4]))
        return sets
    }

    @Test("every point's k nearest, in order and with ties by index, equal the all-pairs selection")
    func nearestKEqualsAllPairs() {
        for set in Self.pointSets() {
            let grid = PlanarGrid(x: set.x, y: set.y)
            for k in [1, 5, 10, 25] {
                let expected = TourSearch<PlanarCosts>.neighbourLists(PlanarCosts(x: set.x, y: set.y), k: k)
                #expect(grid.nearest(k: k) == expected, "\(set.name), k = \(k)")
            }
        }
    }

    @Test("the nearest wanted point equals the scan of all points, and nil when none is wanted")
    func nearestWantedEqualsScan() {
        var random = SplitMix64(seed: 99)
        for set in Self.pointSets() {
            let grid = PlanarGrid(x: set.x, y: set.y)
            let costs = PlanarCosts(x: set.x, y: set.y)
            // Three in four points already taken, as late in a nearest-neighbour tour.
            let wanted = set.x.indices.map { _ in Int.random(in: 0..<4, using: &random) == 0 }
            for i in set.x.indices.prefix(200) {
                let scan = set.x.indices.filter { $0 != i && wanted[$0] }
                    .min { (costs.cost(i, $0), $0) < (costs.cost(i, $1), $1) }
                #expect(grid.nearest(to: i) { wanted[$0] } == scan, "\(set.name), point \(i)")
            }
            #expect(grid.nearest(to: 0) { _ in false } == nil)
        }
    }

    @Test("a planar round trip through 3,000 points visits each once, comes back to the start and is short")
    func planarRoundTripThroughThousands() {
        var random = SplitMix64(seed: 3)
        let x = (0..<3_000).map { _ in Double.random(in: 0..<100_000, using: &random) }
        let y = (0..<3_000).map { _ in Double.random(in: 0..<100_000, using: &random) }
        var options = TourPlanner.Options()
        options.timeBudget = .milliseconds(300)
        let tour = TourPlanner.planarRoundTrip(x: x, y: y, start: 17, options: options)
        #expect(tour.order.first == 17 && tour.order.last == 17)
        #expect(Set(tour.order) == Set(0..<3_000) && tour.order.count == 3_001)
        // Far shorter than the points in index order (a random order: about 52,000 per leg).
        #expect(tour.totalCost < 0.1 * 3_000 * 52_000)
    }
}
