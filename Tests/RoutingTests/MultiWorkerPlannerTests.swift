import Routing
import Testing

@Suite("Tours for several workers")
struct MultiWorkerPlannerTests {
    @Test("every stop goes to exactly one worker, within the per-worker limit")
    func everyStopOnce() throws {
        let costs = PlanarInstance.make(61, seed: 11)
        let plan = try MultiWorkerPlanner(costs: costs).plan(
            depot: 0, workers: 4, options: .init(tour: .init(rounds: 20), maxStopsPerWorker: 18))
        #expect(plan.tours.count == 4)
        #expect(plan.tours.flatMap(\.stops).sorted() == Array(1...60))
        for tour in plan.tours {
            #expect(tour.stops.count <= 18)
            #expect(tour.order.first == 0 && tour.order.last == 0)
        }
        #expect(plan.unreachable.isEmpty)
    }

    @Test("two clusters far apart go to two workers, one each, and balance beats one worker")
    func balancesClusters() throws {
        // Depot in the middle; stops 1–4 near (-1000, 0), stops 5–8 near (1000, 0).
        let points: [(Double, Double)] = [(0, 0), (-1000, 0), (-1010, 10), (-990, -10), (-1000, 20),
                                          (1000, 0), (1010, 10), (990, -10), (1000, 20)]
        let costs = CostMatrix(points.map { a in points.map { b in ((a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1)).squareRoot() } })
        let plan = try MultiWorkerPlanner(costs: costs).plan(depot: 0, workers: 2)
        let groups = plan.tours.map { Set($0.stops) }.sorted { $0.min() ?? 0 < $1.min() ?? 0 }
        #expect(groups == [[1, 2, 3, 4], [5, 6, 7, 8]])
        let single = try TourPlanner(costs: costs).plan(start: 0)
        #expect(plan.longest < single.totalCost)
    }

    @Test("too little capacity is an error; an unreachable stop is reported")
    func limitsAndUnreachable() throws {
        var costs = PlanarInstance.make(7, seed: 5)
        #expect(throws: TourError.self) {
            try MultiWorkerPlanner(costs: costs).plan(depot: 0, workers: 2, options: .init(maxStopsPerWorker: 2))
        }
        for j in 0..<7 where j != 6 { costs[6, j] = .infinity; costs[j, 6] = .infinity }
        let plan = try MultiWorkerPlanner(costs: costs).plan(depot: 0, workers: 2)
        #expect(plan.unreachable == [6])
        #expect(plan.tours.flatMap(\.stops).sorted() == [1, 2, 3, 4, 5])
    }
}
