import Foundation
import Routing
import SeededRandom

/// `gridmap-bench tour-scale --dir DIR [--count N] [--budget S]`: round trips through thousands of
/// points on the plane, `TourPlanner.planarRoundTrip` against LKH-3 (elkai) and OR-Tools at equal
/// wall time (tools/bench/peers/tour_scale_peers.py).
///
/// No TSPLIB instance is on this machine (no internet, and no PyPI package we use bundles
/// them), so the instances are seeded uniform random points (SplitMix64, seed N): N points with
/// integer coordinates in a 1,000,000 × 1,000,000 square, so that LKH's EUC_2D (distances
/// rounded to integers) is the Euclidean distance to within half a unit in a million. Point 0
/// starts the closed tour. Lengths are Euclidean, summed in doubles, re-measured by the peer
/// from each solver's order with one function.
///
/// Timed: the whole plan from the points (neighbour lists, construction, iterated local search
/// until the budget S, default 10). Written to DIR: tour-scale.csv (id,x,y) and
/// tour-scale-order.csv (GridMap's order, one point per line).
enum TourScaleBench {
    static let side = 1_000_000.0

    static func run(_ arguments: [String]) throws {
        let folder = try BenchOptions.directory(in: arguments)
        let count = try BenchOptions.count("--count", in: arguments, default: 1000, least: 4)
        let budget = try BenchOptions.seconds("--budget", in: arguments, default: 10)
        var random = SplitMix64(seed: UInt64(count))
        var x: [Double] = [], y: [Double] = []
        for _ in 0..<count {
            x.append(Double.random(in: 0...side, using: &random).rounded())
            y.append(Double.random(in: 0...side, using: &random).rounded())
        }
        try folder.write(x.indices.map { "\($0),\(Int(x[$0])),\(Int(y[$0]))" }, header: "id,x,y", to: "tour-scale.csv")
        var tour: Tour?
        let options = TourPlanner.Options(rounds: .max, timeBudget: .milliseconds(Int64((budget * 1000).rounded())))
        let seconds = Measure.seconds { tour = TourPlanner.planarRoundTrip(x: x, y: y, start: 0, options: options) }
        guard let tour, tour.order.count == count + 1, Set(tour.order) == Set(0..<count) else {
            throw BenchError("the tour does not visit every point once")
        }
        try folder.write(tour.order.map(String.init), header: "point", to: "tour-scale-order.csv")
        Measure.report(bench: "tour-scale-\(count)", seconds: seconds, items: count, answers: Measure.reference,
                       extra: ["length": String(format: "%.0f", tour.totalCost), "budget_seconds": "\(budget)"])
    }
}
