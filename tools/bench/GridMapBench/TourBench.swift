import Foundation
import Routing
import SeededRandom

/// `gridmap-bench tour --dir DIR [--count N] [--budget S]`: tour quality of `TourPlanner` against LKH-3
/// (elkai) and OR-Tools (guided local search), tools/bench/peers/tour_ortools_lkh.py.
///
/// The stops: N (default 200) seeded uniform points (SplitMix64, seed 200) in a 1,000 × 1,000
/// square; stop 0 is the start of a closed tour through all of them. The costs: the Euclidean
/// distance × 1000, rounded to an integer (LKH wants integers), the SAME matrix for all three
/// solvers, so their lengths compare exactly. Both sides read the files written in DIR:
/// tour.csv (id,x,y) and tour-matrix.csv (N rows of N integers, comma-separated, no header).
/// GridMap's tours go to tour-orders.csv (bench,length,order with the order space-separated),
/// where the peer re-measures them on the matrix with the code that measures its own.
///
/// Timed: `TourPlanner.plan` (nearest neighbour, then 2-opt/Or-opt iterated local search) with a
/// time budget of S seconds (default 1). "tour" uses the default round limit (300 rounds, so it
/// may stop before the budget); "tour-full-budget" lifts the round limit so the budget binds.
/// Each reports "length": the tour's total on the integer matrix, recomputed from its order.
/// Not timed: making the stops and the matrix, writing the files.
enum TourBench {
    static let side = 1_000.0
    static let scale = 1_000.0

    static func run(_ arguments: [String]) throws {
        let folder = try BenchOptions.directory(in: arguments)
        let count = try BenchOptions.count("--count", in: arguments, default: 200, least: 2)
        let budget = try BenchOptions.seconds("--budget", in: arguments, default: 1)

        var random = SplitMix64(seed: 200)
        let points = (0..<count).map { _ in
            (x: Double.random(in: 0...side, using: &random), y: Double.random(in: 0...side, using: &random))
        }
        var values = [Double](repeating: 0, count: count * count)
        for i in 0..<count {
            for j in 0..<count where i != j {
                values[i * count + j] = (hypot(points[i].x - points[j].x, points[i].y - points[j].y) * scale).rounded()
            }
        }
        let costs = CostMatrix(rows: count, columns: count, values: values)
        try writeFiles(points, values, count: count, in: folder)

        let planner = TourPlanner(costs: costs)
        let timeBudget = Duration.milliseconds(Int64((budget * 1000).rounded()))
        var orders: [String] = []
        for (bench, rounds) in [("tour", TourPlanner.Options().rounds), ("tour-full-budget", Int.max)] {
            let options = TourPlanner.Options(rounds: rounds, timeBudget: timeBudget)
            var tour: Tour?
            let seconds = try Measure.seconds { tour = try planner.plan(start: 0, ending: .returnToStart, options: options) }
            guard let tour else { throw BenchError("no tour") }
            let length = try checkedLength(tour.order, costs: costs, count: count)
            Measure.report(bench: bench, seconds: seconds, items: count, answers: Measure.reference,
                           extra: ["length": String(format: "%.0f", length), "budget_seconds": "\(budget)",
                                   "rounds": rounds == Int.max ? "unlimited" : "\(rounds)"])
            orders.append("\(bench),\(String(format: "%.0f", length)),\(tour.order.map(String.init).joined(separator: " "))")
        }
        try folder.write(orders, header: "bench,length,order", to: "tour-orders.csv")
    }

    /// The closed tour's length on the matrix, after checking it visits every stop once.
    private static func checkedLength(_ order: [Int], costs: CostMatrix, count: Int) throws -> Double {
        guard order.count == count + 1, order.first == 0, order.last == 0,
              Set(order.dropLast()) == Set(0..<count) else { throw BenchError("the tour does not visit every stop once") }
        return zip(order, order.dropFirst()).reduce(0) { $0 + costs[$1.0, $1.1] }
    }

    private static func writeFiles(_ points: [(x: Double, y: Double)], _ values: [Double], count: Int,
                                   in folder: BenchFolder) throws {
        var stops = "id,x,y\n"
        for (id, point) in points.enumerated() { stops += "\(id),\(point.x),\(point.y)\n" }
        try stops.write(toFile: folder.path("tour.csv"), atomically: true, encoding: .utf8)
        var matrix = ""
        matrix.reserveCapacity(count * count * 8)
        for i in 0..<count {
            matrix += (0..<count).map { String(Int(values[i * count + $0])) }.joined(separator: ",") + "\n"
        }
        try matrix.write(toFile: folder.path("tour-matrix.csv"), atomically: true, encoding: .utf8)
    }
}
