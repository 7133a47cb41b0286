import Routing
import SeededRandom
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

    @Test("random instances: every stop served once, unserved or unreachable; tours within both limits; each ending kept")
    func limitsProperty() throws {
        var random = SplitMix64(seed: 2026)
        var roundsLeavingStops = 0
        for round in 0..<24 {
            let n = Int.random(in: 6...40, using: &random)
            let costs = PlanarInstance.make(n, seed: UInt64(round) + 100)
            let workers = Int.random(in: 1...4, using: &random)
            var service: [Int: Double] = [:]
            for node in 1..<n where Bool.random(using: &random) { service[node] = Double.random(in: 0...300, using: &random) }
            let maxStops = Int.random(in: ((n - 1 + workers - 1) / workers)...(n - 1), using: &random)
            let maxCost = Double.random(in: 800...4000, using: &random)
            let end = n - 1
            let ending: TourPlanner.Ending = [.returnToStart, .open, .at(end)][round % 3]
            let options = MultiWorkerPlanner.Options(tour: .init(rounds: 10, serviceCost: 60, stopServiceCosts: service),
                                                     maxStopsPerWorker: maxStops, maxCostPerWorker: maxCost)
            let plan = try MultiWorkerPlanner(costs: costs).plan(depot: 0, workers: workers, ending: ending, options: options)
            if !plan.unserved.isEmpty { roundsLeavingStops += 1 }
            let expected = ending == .at(end) ? Array(1..<end) : Array(1..<n)
            #expect((plan.tours.flatMap(\.stops) + plan.unserved + plan.unreachable).sorted() == expected, "round \(round)")
            #expect(plan.tours.count == workers)
            for tour in plan.tours {
                #expect(tour.stops.isEmpty || tour.totalCost <= maxCost + 1e-9, "round \(round)")
                #expect(tour.stops.count <= maxStops)
                #expect(tour.order.first == 0)
                switch ending {
                case .returnToStart: #expect(tour.order.last == 0)
                case .at(let node): #expect(tour.order.last == node)
                case .open: #expect(tour.order.count == tour.stops.count + 1 && tour.legs.count == tour.stops.count)
                }
            }
            // A stop is left unserved only if even a worker of its own could not take it.
            for stop in plan.unserved where plan.tours.contains(where: \.stops.isEmpty) {
                let alone = costs[0, stop] + (service[stop] ?? 60) + (ending == .open ? 0 : costs[stop, ending == .at(end) ? end : 0])
                #expect(alone > maxCost, "round \(round): stop \(stop) fits an idle worker")
            }
        }
        // The limits bite in some rounds and not in others, so both sides are checked.
        #expect(roundsLeavingStops > 0 && roundsLeavingStops < 24, "\(roundsLeavingStops) rounds left stops")
    }

    @Test("without a cost limit nothing is left unserved; a stop beyond the limit is left out and named")
    func costLimit() throws {
        let costs = PlanarInstance.make(20, seed: 8)
        let free = try MultiWorkerPlanner(costs: costs).plan(depot: 0, workers: 3)
        #expect(free.unserved.isEmpty && free.tours.flatMap(\.stops).count == 19)
        // Stop 5 alone costs more than the limit: it can be served by nobody.
        let limit = costs[0, 5] + costs[5, 0] - 1
        let plan = try MultiWorkerPlanner(costs: costs).plan(depot: 0, workers: 19, options: .init(maxCostPerWorker: limit))
        #expect(plan.unserved.contains(5))
        #expect(!plan.tours.flatMap(\.stops).contains(5))
        #expect(plan.tours.allSatisfy { $0.totalCost <= limit })
    }

    @Test("service counts in the balance: a long visit on one side sends its neighbour to the other worker")
    func serviceBalances() throws {
        // Depot at 0 on a line; stops 1, 2 at +10, +11 and stops 3, 4 at −10, −11.
        let xs: [Double] = [0, 10, 11, -10, -11]
        let costs = CostMatrix(xs.map { a in xs.map { b in abs(a - b) } })
        let plain = try MultiWorkerPlanner(costs: costs).plan(depot: 0, workers: 2)
        #expect(Set(plain.tours.map { Set($0.stops) }) == [[1, 2], [3, 4]])
        #expect(plain.longest == 22)
        // 50 at stop 1: {1} costs 70 and {2, 3, 4} costs 44, better than {1, 2} at 72.
        let options = MultiWorkerPlanner.Options(tour: .init(stopServiceCosts: [1: 50]))
        let served = try MultiWorkerPlanner(costs: costs).plan(depot: 0, workers: 2, options: options)
        #expect(Set(served.tours.map { Set($0.stops) }) == [[1], [2, 3, 4]])
        #expect(served.longest == 70)
    }

    @Test("a fixed end for several workers: each worker's tour ends there, and it is no one's stop")
    func fixedEnd() throws {
        let costs = PlanarInstance.make(25, seed: 4)
        let plan = try MultiWorkerPlanner(costs: costs).plan(depot: 0, workers: 3, ending: .at(24),
                                                            options: .init(tour: .init(rounds: 20)))
        #expect(plan.tours.allSatisfy { $0.order.first == 0 && $0.order.last == 24 })
        #expect(plan.tours.flatMap(\.stops).sorted() == Array(1...23))
        let open = try MultiWorkerPlanner(costs: costs).plan(depot: 0, workers: 3, ending: .open,
                                                            options: .init(tour: .init(rounds: 20)))
        for tour in open.tours where !tour.stops.isEmpty {
            #expect(tour.order.last == tour.stops.last && tour.legs.count == tour.stops.count)   // no return leg
            #expect(abs(tour.totalCost - tour.legs.reduce(0, +)) < 1e-9)
        }
    }

    @Test("teams keep to their own stops; a team with stops but no worker is an error")
    func ownTeams() throws {
        var random = SplitMix64(seed: 77)
        let costs = PlanarInstance.make(40, seed: 9)
        var stops: [[Int]] = [[], [], []]
        for node in 1..<40 { stops[Int.random(in: 0..<3, using: &random)].append(node) }
        let teams = [MultiWorkerPlanner.Team(workers: 2, stops: stops[0]), .init(workers: 1, stops: stops[1]),
                     .init(workers: 3, stops: stops[2])]
        let plan = try MultiWorkerPlanner(costs: costs).plan(depot: 0, teams: teams, options: .init(tour: .init(rounds: 10)))
        #expect(plan.teams == [0, 0, 1, 2, 2, 2])
        for (tour, team) in zip(plan.tours, plan.teams) {
            #expect(Set(tour.stops).isSubset(of: stops[team]))
        }
        #expect(plan.tours.flatMap(\.stops).sorted() == Array(1..<40))
        #expect(throws: TourError.teamWithoutWorkers(team: 1, stops: stops[1].count)) {
            try MultiWorkerPlanner(costs: costs).plan(depot: 0, teams: [teams[0], .init(workers: 0, stops: stops[1])])
        }
    }
}
