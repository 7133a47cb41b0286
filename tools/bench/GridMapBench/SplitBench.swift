import Foundation
import Routing
import SeededRandom

/// `gridmap-bench split --dir DIR [--town TOWN] [--count N] [--workers K] [--budget S]`: splitting stops
/// among workers with `MultiWorkerPlanner`, against OR-Tools routing with K vehicles and a
/// global span cost (tools/bench/peers/split_ortools.py).
///
/// The stops: N (default 200) distinct seeded vertices (SplitMix64) of the town's road network
/// (default TOWN geodata/dacun, built as in ``RoadsBench``); the depot, node 0, is the vertex nearest
/// the mean of all vertices. The costs: road distance in millimetres, rounded to an integer
/// (OR-Tools wants integers), the SAME matrix for both solvers, so their lengths compare exactly:
/// DIR/split-matrix.csv (N + 1 rows of N + 1 integers, no header). GridMap's tours go to
/// DIR/split-tours.csv (one tour per line, its nodes space-separated, depot first and last),
/// where the peer re-measures them on the matrix with the code that measures its own.
///
/// Timed: `MultiWorkerPlanner.plan` for K (default 4) workers returning to the depot, its tour
/// options' time budget S seconds (default 1; the budget is per tour planned, so the whole
/// split may take longer — tools/bench/run gives OR-Tools the time measured here). Reports
/// "longest" (the longest tour, what the split minimises) and "total" (all tours), in metres,
/// recomputed from the tours' orders. Not timed: building the network and the matrix.
enum SplitBench {
    static func run(_ arguments: [String]) throws {
        let folder = try BenchOptions.directory(in: arguments)
        let town = try BenchOptions.string("--town", in: arguments) ?? "geodata/dacun"
        let count = try BenchOptions.count("--count", in: arguments, default: 200, least: 1)
        let workers = try BenchOptions.count("--workers", in: arguments, default: 4, least: 1)
        let budget = try BenchOptions.seconds("--budget", in: arguments, default: 1)

        let (network, _) = try RoadsBench.build(RoadsBench.townRoads(town))
        let vertices = RoadsBench.largestComponentVertices(network)
        guard vertices.count > count else {
            throw BenchError("the largest road component has \(vertices.count) vertices, too few for --count \(count) and a depot")
        }
        let meanX = vertices.reduce(0) { $0 + network.vertexX[$1] } / Double(vertices.count)
        let meanY = vertices.reduce(0) { $0 + network.vertexY[$1] } / Double(vertices.count)
        let depot = vertices.min { hypot(network.vertexX[$0] - meanX, network.vertexY[$0] - meanY)
            < hypot(network.vertexX[$1] - meanX, network.vertexY[$1] - meanY) }!
        var random = SplitMix64(seed: 200)
        var others = vertices.filter { $0 != depot }
        others.shuffle(using: &random)
        let nodes = [depot] + others.prefix(count)
        let at = network.vertexPositions()
        let metres = network.matrix(among: nodes.map { at[$0] }, includeOffRoad: false)
        let costs = CostMatrix(rows: metres.rows, columns: metres.columns, values: metres.values.map { ($0 * 1000).rounded() })
        try folder.write((0..<costs.rows).map { i in
            (0..<costs.columns).map { String(Int(costs[i, $0])) }.joined(separator: ",")
        }, header: nil, to: "split-matrix.csv")

        let options = MultiWorkerPlanner.Options(tour: .init(timeBudget: .milliseconds(Int64((budget * 1000).rounded()))))
        var plan: MultiWorkerPlanner.Plan?
        let seconds = try Measure.seconds {
            plan = try MultiWorkerPlanner(costs: costs).plan(depot: 0, workers: workers, options: options)
        }
        guard let plan else { throw BenchError("no plan") }
        let lengths = try checkedLengths(plan, costs: costs)
        try folder.write(plan.tours.map { $0.order.map(String.init).joined(separator: " ") }, header: nil, to: "split-tours.csv")
        Measure.report(bench: "split", seconds: seconds, items: count, answers: Measure.reference,
                       extra: ["workers": "\(workers)", "budget_seconds": "\(budget)",
                               "longest": String(format: "%.3f", (lengths.max() ?? 0) / 1000),
                               "total": String(format: "%.3f", lengths.reduce(0, +) / 1000),
                               "stops_per_worker": plan.tours.map { "\($0.stops.count)" }.joined(separator: "/")])
    }

    /// Each tour's length on the matrix, after checking that the tours start and end at the
    /// depot and visit every stop exactly once between them.
    private static func checkedLengths(_ plan: MultiWorkerPlanner.Plan, costs: CostMatrix) throws -> [Double] {
        guard plan.unreachable.isEmpty else { throw BenchError("unreachable stops: \(plan.unreachable)") }
        var visited: [Int] = []
        let lengths = try plan.tours.map { tour in
            guard tour.order.first == 0, tour.order.last == 0 else { throw BenchError("a tour does not start and end at the depot") }
            visited += tour.order.dropFirst().dropLast()
            return zip(tour.order, tour.order.dropFirst()).reduce(0) { $0 + costs[$1.0, $1.1] }
        }
        guard visited.sorted() == Array(1..<costs.rows) else { throw BenchError("the tours do not visit every stop once") }
        return lengths
    }
}
