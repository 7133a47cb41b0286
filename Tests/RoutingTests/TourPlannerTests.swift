import Routing
import SeededRandom
import Testing

/// Random planar instances: Euclidean costs between points in a 1 km square.
enum PlanarInstance {
    static func make(_ count: Int, seed: UInt64) -> CostMatrix {
        var random = SplitMix64(seed: seed)
        let points = (0..<count).map { _ in (Double.random(in: 0..<1000, using: &random), Double.random(in: 0..<1000, using: &random)) }
        return CostMatrix(points.map { a in points.map { b in ((a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1)).squareRoot() } })
    }

    /// The cheapest cost over every order of the stops (brute force).
    static func bruteForce(_ costs: CostMatrix, start: Int, end: Int?, stops: [Int]) -> Double {
        var best = Double.infinity
        func extend(_ here: Int, _ left: [Int], _ sofar: Double) {
            if left.isEmpty { best = min(best, sofar + (end.map { costs[here, $0] } ?? 0)); return }
            for (k, next) in left.enumerated() {
                var rest = left
                rest.remove(at: k)
                extend(next, rest, sofar + costs[here, next])
            }
        }
        extend(start, stops, 0)
        return best
    }
}

@Suite("Tour planning for one worker")
struct TourPlannerTests {
    @Test("Held–Karp equals brute force on random 8-point instances (round trip, open, fixed end)")
    func exactMatchesBruteForce() throws {
        for seed in UInt64(1)...10 {
            let costs = PlanarInstance.make(8, seed: seed)
            let planner = TourPlanner(costs: costs)
            let round = try planner.plan(start: 0)
            #expect(round.isOptimal)
            #expect(abs(round.totalCost - PlanarInstance.bruteForce(costs, start: 0, end: 0, stops: Array(1..<8))) < 1e-9)
            let open = try planner.plan(start: 2, ending: .open)
            #expect(abs(open.totalCost - PlanarInstance.bruteForce(costs, start: 2, end: nil, stops: [0, 1, 3, 4, 5, 6, 7])) < 1e-9)
            let fixed = try planner.plan(start: 0, ending: .at(7))
            #expect(abs(fixed.totalCost - PlanarInstance.bruteForce(costs, start: 0, end: 7, stops: Array(1..<7))) < 1e-9)
            #expect(fixed.order.first == 0 && fixed.order.last == 7)
        }
    }

    @Test("the heuristic on 10 points is within 2 % of the exact optimum")
    func heuristicNearOptimum() throws {
        for seed in UInt64(1)...10 {
            let planner = TourPlanner(costs: PlanarInstance.make(10, seed: seed))
            let exact = try planner.plan(start: 0)
            let heuristic = try planner.plan(start: 0, options: .init(exactLimit: 0, seed: seed))
            #expect(!heuristic.isOptimal)
            #expect(heuristic.totalCost >= exact.totalCost - 1e-9)
            #expect(heuristic.totalCost <= exact.totalCost * 1.02, "seed \(seed)")
        }
    }

    @Test("iterated local search never ends worse than its first descent")
    func kicksNeverWorsen() throws {
        for seed in UInt64(1)...3 {
            let planner = TourPlanner(costs: PlanarInstance.make(60, seed: seed))
            let descent = try planner.plan(start: 0, options: .init(rounds: 0))
            let iterated = try planner.plan(start: 0, options: .init(rounds: 30, timeBudget: .seconds(60)))
            #expect(iterated.totalCost <= descent.totalCost + 1e-9)
            #expect(iterated.stops.sorted() == Array(1..<60))
        }
    }

    @Test("every stop is visited exactly once, and legs and arrivals add up")
    func everyStopOnce() throws {
        let costs = PlanarInstance.make(120, seed: 7)
        let tour = try TourPlanner(costs: costs).plan(start: 3, options: .init(rounds: 30, serviceCost: 60))
        #expect(tour.order.first == 3 && tour.order.last == 3)
        #expect(tour.stops.sorted() == (0..<120).filter { $0 != 3 })
        #expect(tour.legs.count == tour.order.count - 1)
        #expect(abs(tour.totalCost - (tour.legs.reduce(0, +) + 60 * 119)) < 1e-6)
        #expect(abs(tour.arrivals.last! - tour.totalCost) < 1e-6)
    }

    @Test("service time moves each arrival by exactly the service of the stops before it")
    func serviceShiftsArrivals() throws {
        let costs = PlanarInstance.make(10, seed: 12)
        let service: [Int: Double] = [2: 120, 5: 30, 7: 600]
        for ending in [TourPlanner.Ending.returnToStart, .open, .at(9)] {
            let bare = try TourPlanner(costs: costs).plan(start: 0, ending: ending)
            let served = try TourPlanner(costs: costs).plan(start: 0, ending: ending, options: .init(serviceCost: 10, stopServiceCosts: service))
            #expect(served.order == bare.order)   // service does not change the best order
            var before = 0.0
            for (i, node) in served.order.enumerated() {
                let own = i == 0 || (i == served.order.count - 1 && ending != .open) ? 0 : service[node] ?? 10
                #expect(abs(served.arrivals[i] - (bare.arrivals[i] + before)) < 1e-9)
                #expect(abs(served.departures[i] - (served.arrivals[i] + own)) < 1e-9)
                before += own
            }
            #expect(abs(served.totalCost - bare.totalCost - (750 + 10 * Double(served.stops.count - 3))) < 1e-9)
            #expect(abs(served.travelCost - bare.totalCost) < 1e-9)
        }
    }

    @Test("a stop with no route is reported, not dropped silently")
    func unreachableStop() throws {
        var costs = PlanarInstance.make(6, seed: 3)
        for j in 0..<6 where j != 4 { costs[4, j] = .infinity; costs[j, 4] = .infinity }
        let tour = try TourPlanner(costs: costs).plan(start: 0)
        #expect(tour.unreachable == [4])
        #expect(tour.stops.sorted() == [1, 2, 3, 5])
        #expect(tour.totalCost.isFinite)
    }
}
