@testable import Routing
import Testing

@Suite("The min–max descent's swap between workers")
struct MinMaxSwapTests {
    @Test("when no single move helps, swapping one stop each way balances two crossed tours")
    func swapUncrosses() throws {
        // On a line: the depot at 0, stops 1 (10) and 2 (11) east, 3 (-10) and 4 (-11) west.
        let x: [Double] = [0, 10, 11, -10, -11]
        let costs = CostMatrix(x.map { a in x.map { b in abs(a - b) } })
        let planner = TourPlanner(costs: costs)
        let options = TourPlanner.Options()
        let a = planner.evaluate(order: [0, 1, 3, 0], endCount: 1, options: options)   // 40
        let b = planner.evaluate(order: [0, 2, 4, 0], endCount: 1, options: options)   // 44
        let workers = MultiWorkerPlanner(costs: costs)
        let swap = try #require(workers.bestSwap(from: 1, tours: [a, b], maxCost: .infinity, service: { _ in 0 }))
        #expect(swap == (stop: 2, to: 0, other: 3) || swap == (stop: 4, to: 0, other: 1), "\(swap)")
        #expect(workers.bestSwap(from: 1, tours: [a, b], maxCost: 21, service: { _ in 0 }) == nil, "no swap fits 21 each")
        // The whole planner, two stops each at most: balanced halves of 22.
        let plan = try workers.plan(depot: 0, workers: 2, options: .init(maxStopsPerWorker: 2))
        #expect(plan.tours.map(\.totalCost).sorted() == [22, 22])
    }
}
