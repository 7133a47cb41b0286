/// Splits stops among several workers who all leave from one depot, balancing the workload: the
/// longest tour (legs plus service) is made as short as possible, with an optional limit on the
/// stops per worker.
///
/// Algorithm: route first, cluster second (Beasley 1983): one giant tour through every stop
/// (``TourPlanner``), cut into at most k consecutive pieces by a dynamic programme that minimises
/// the longest piece's tour under the stop limit; each piece is then re-planned on its own, and a
/// min–max descent moves single stops off the longest tour (removal and cheapest-insertion
/// estimates) while that shortens the longest of the two tours it touches.
public struct MultiWorkerPlanner: Sendable {
    public let costs: CostMatrix

    public struct Options: Sendable, Hashable {
        public var tour: TourPlanner.Options
        public var maxStopsPerWorker: Int?
        /// Moves tried by the min–max descent at most.
        public var improvementRounds: Int

        public init(tour: TourPlanner.Options = .init(), maxStopsPerWorker: Int? = nil, improvementRounds: Int = 200) {
            self.tour = tour
            self.maxStopsPerWorker = maxStopsPerWorker
            self.improvementRounds = improvementRounds
        }
    }

    /// The workers' tours (some may have no stops) and the stops no route reaches.
    public struct Plan: Sendable, Hashable {
        public var tours: [Tour]
        public var unreachable: [Int]
        /// The longest tour's total cost.
        public var longest: Double { tours.map(\.totalCost).max() ?? 0 }
    }

    public init(costs: CostMatrix) {
        precondition(costs.rows == costs.columns, "a tour needs a square cost matrix")
        self.costs = costs
    }

    /// Tours for `workers` workers from `depot` through `stops` (all other nodes when nil), each
    /// returning to the depot (`.returnToStart`) or ending at its last stop (`.open`); a fixed
    /// end (`.at`) is not supported for several workers and plans round trips.
    public func plan(depot: Int, workers: Int, ending: TourPlanner.Ending = .returnToStart, stops: [Int]? = nil,
                     options: Options = Options()) throws(TourError) -> Plan {
        guard workers > 0 else { throw .noWorkers }
        let round = ending != .open
        let planner = TourPlanner(costs: costs)
        let giant = try planner.plan(start: depot, ending: round ? .returnToStart : .open, stops: stops, options: options.tour)
        let sequence = giant.stops
        let limit = options.maxStopsPerWorker ?? sequence.count
        if limit * workers < sequence.count {
            throw .notEnoughCapacity(stops: sequence.count, workers: workers, maxStopsPerWorker: limit)
        }
        let ends = round ? TourPlanner.Ending.returnToStart : .open
        var groups = split(sequence, depot: depot, workers: workers, limit: limit, round: round,
                           service: options.tour.serviceCost)
        var tours = try groups.map { group throws(TourError) in
            try planner.plan(start: depot, ending: ends, stops: group, options: options.tour)
        }
        // Min–max descent.
        for _ in 0..<options.improvementRounds {
            let longest = tours.indices.max { tours[$0].totalCost < tours[$1].totalCost }!
            guard let move = bestMove(from: longest, tours: tours, limit: limit, service: options.tour.serviceCost) else { break }
            groups[longest].removeAll { $0 == move.stop }
            groups[move.to].append(move.stop)
            let newFrom = try planner.plan(start: depot, ending: ends, stops: groups[longest], options: options.tour)
            let newTo = try planner.plan(start: depot, ending: ends, stops: groups[move.to], options: options.tour)
            if max(newFrom.totalCost, newTo.totalCost) >= tours[longest].totalCost - 1e-9 {
                groups[move.to].removeLast()
                groups[longest] = tours[longest].stops
                break
            }
            tours[longest] = newFrom
            tours[move.to] = newTo
            groups[longest] = newFrom.stops
            groups[move.to] = newTo.stops
        }
        return Plan(tours: tours, unreachable: giant.unreachable)
    }

    /// Cuts the giant tour's stop sequence into at most `workers` consecutive groups of at most
    /// `limit` stops, minimising the longest group's tour (an O(k·n·limit) dynamic programme).
    func split(_ sequence: [Int], depot: Int, workers: Int, limit: Int, round: Bool, service: Double) -> [[Int]] {
        let n = sequence.count
        guard n > 0 else { return Array(repeating: [], count: workers) }
        var along = [Double](repeating: 0, count: n)   // cost from the first stop to stop t along the sequence
        for t in 1..<max(n, 1) { along[t] = along[t - 1] + costs[sequence[t - 1], sequence[t]] }
        func group(_ i: Int, _ j: Int) -> Double {   // stops i...j, 0-based
            costs[depot, sequence[i]] + along[j] - along[i] + (round ? costs[sequence[j], depot] : 0)
                + service * Double(j - i + 1)
        }
        // best[w][j]: the least longest tour covering the first j stops with w workers.
        var best = [[Double]](repeating: [Double](repeating: .infinity, count: n + 1), count: workers + 1)
        var cut = [[Int]](repeating: [Int](repeating: 0, count: n + 1), count: workers + 1)
        best[0][0] = 0
        for w in 1...workers {
            for j in 0...n {
                best[w][j] = best[w - 1][j]
                cut[w][j] = j
                guard j > 0 else { continue }
                for i in max(0, j - limit)..<j {   // this worker takes stops i..<j
                    let value = max(best[w - 1][i], group(i, j - 1))
                    if value < best[w][j] { best[w][j] = value; cut[w][j] = i }
                }
            }
        }
        var groups: [[Int]] = []
        var j = n
        for w in stride(from: workers, to: 0, by: -1) {
            let i = cut[w][j]
            groups.append(Array(sequence[i..<j]))
            j = i
        }
        return groups.reversed()
    }

    /// The single-stop move off tour `from` that most shortens the longer of the two tours it
    /// changes, by removal and cheapest-insertion estimates; nil when none shortens tour `from`.
    func bestMove(from: Int, tours: [Tour], limit: Int, service: Double) -> (stop: Int, to: Int)? {
        let source = tours[from]
        let sourceOrder = source.order
        let lastStop = sourceOrder.count - 1 - source.endCount
        var chosen: (stop: Int, to: Int, value: Double)?
        guard lastStop >= 1 else { return nil }
        for position in 1...lastStop {
            let stop = sourceOrder[position]
            let before = sourceOrder[position - 1]
            var saving = costs[before, stop] + service
            if position + 1 < sourceOrder.count {
                let after = sourceOrder[position + 1]
                saving += costs[stop, after] - costs[before, after]
            }
            let reduced = source.totalCost - saving
            for target in tours.indices where target != from && tours[target].stops.count < limit {
                let order = tours[target].order
                var insertion = Double.infinity
                for k in 0..<(order.count - 1) {
                    insertion = min(insertion, costs[order[k], stop] + costs[stop, order[k + 1]] - costs[order[k], order[k + 1]])
                }
                if tours[target].endCount == 0 { insertion = min(insertion, costs[order[order.count - 1], stop]) }
                let grown = tours[target].totalCost + insertion + service
                let value = max(reduced, grown)
                if value < source.totalCost - 1e-9, value < (chosen?.value ?? .infinity) {
                    chosen = (stop, target, value)
                }
            }
        }
        return chosen.map { ($0.stop, $0.to) }
    }
}
