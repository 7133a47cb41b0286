/// Splits stops among several workers who all leave from one depot, balancing the workload: the
/// longest tour (legs plus service) is made as short as possible, with optional limits on the
/// stops and on the cost (legs plus service) per worker. Every worker ends the same way: back at
/// the depot, at one fixed end, or at their last stop (an open path).
///
/// Algorithm: route first, cluster second (Beasley 1983): one giant tour through every stop
/// (``TourPlanner``, half the time budget), cut into at most k consecutive pieces by a dynamic programme that first
/// serves as many stops as the limits allow and then minimises the longest piece's tour; each
/// piece is then re-planned on its own (never worse than its order in the giant tour), a min–max
/// descent moves single stops off the longest tour (removal and cheapest-insertion estimates),
/// or else swaps one of its stops with another tour's, while that shortens the longest of the
/// two tours it touches (each move priced by descents
/// without kicks), stops left over by the cost limit are offered once more to every tour with
/// room, and last each tour is searched with kicks, the tours sharing what is left of the
/// budget by their stops. The moves stop at three quarters of the budget: so the budget bounds
/// the whole plan, not each of its hundreds of re-plans.
///
/// Over ``SparsePlaceCosts`` the moves between workers look only near each stop: a stop is
/// inserted next to one of its candidates, or swapped with one, in another worker's tour; over
/// a matrix every position of every tour is priced.
///
/// Stops that fit no worker within ``Options/maxCostPerWorker`` are returned in
/// ``Plan/unserved``, never dropped silently; too small a stop limit (stops > k × limit) is an
/// error, since no plan could serve every stop.
public struct MultiWorkerPlanner: Sendable {
    public let costs: any PlaceCosts

    public struct Options: Sendable, Hashable {
        public var tour: TourPlanner.Options
        public var maxStopsPerWorker: Int?
        /// Moves tried by the min–max descent at most.
        public var improvementRounds: Int
        /// The most one worker's tour may cost, legs plus service (e.g. seconds of a shift).
        public var maxCostPerWorker: Double?

        public init(tour: TourPlanner.Options = .init(), maxStopsPerWorker: Int? = nil, improvementRounds: Int = 200,
                    maxCostPerWorker: Double? = nil) {
            self.tour = tour
            self.maxStopsPerWorker = maxStopsPerWorker
            self.improvementRounds = improvementRounds
            self.maxCostPerWorker = maxCostPerWorker
        }
    }

    /// The workers' tours (some may have no stops), the stops no route reaches, and the stops no
    /// worker can serve within the cost limit.
    public struct Plan: Sendable, Hashable {
        public var tours: [Tour]
        public var unreachable: [Int]
        /// Reachable stops left out because no worker could take them within
        /// ``Options/maxCostPerWorker``.
        public var unserved: [Int] = []
        /// The team (index into the teams planned) of each tour; all 0 for a single team.
        public var teams: [Int] = []
        /// The longest tour's total cost.
        public var longest: Double { tours.map(\.totalCost).max() ?? 0 }
    }

    /// Workers who share stops only among themselves (e.g. the grid team serving its own grid).
    public struct Team: Sendable, Hashable {
        public var workers: Int
        public var stops: [Int]

        public init(workers: Int, stops: [Int]) {
            self.workers = workers
            self.stops = stops
        }
    }

    /// Kicks of the local search in each re-plan that prices a move between workers.
    static let movePricingKicks = 2_000

    public init(costs: CostMatrix) {
        precondition(costs.rows == costs.columns, "a tour needs a square cost matrix")
        self.costs = costs
    }

    public init(costs: some SparsePlaceCosts) { self.costs = costs }

    /// Tours for `workers` workers from `depot` through `stops` (all other nodes when nil), each
    /// returning to the depot (`.returnToStart`), ending at one fixed end (`.at`), or ending at
    /// its last stop (`.open`).
    public func plan(depot: Int, workers: Int, ending: TourPlanner.Ending = .returnToStart, stops: [Int]? = nil,
                     options: Options = Options()) throws(TourError) -> Plan {
        guard workers > 0 else { throw .noWorkers }
        let planner = TourPlanner(checked: costs)
        let end: Int? = switch ending {
        case .returnToStart: depot
        case .open: nil
        case .at(let node): node
        }
        // The budget is the whole plan's: half for the giant tour, a quarter for the moves between
        // workers (each priced by a re-plan of fixed effort, at most `movePricingKicks` kicks),
        // the rest for the workers' tours at the end.
        let began = ContinuousClock.now, budget = options.tour.timeBudget
        var giantOptions = options.tour
        giantOptions.timeBudget = options.tour.timeBudget / 2
        let sparse = costs is any SparsePlaceCosts
        /// A re-plan that prices a move: fixed effort; over sparse costs from the group's order
        /// and within what is left of the budget (its descents would otherwise dominate).
        func quick(_ stops: Int) -> TourPlanner.Options {
            var quick = options.tour
            quick.rounds = min(options.tour.rounds, Self.movePricingKicks / max(1, stops))
            if sparse {
                quick.startsFromGivenOrder = true
                quick.timeBudget = max(.zero, began + budget - ContinuousClock.now)
            }
            return quick
        }
        let giant = try planner.plan(start: depot, ending: ending, stops: stops, options: giantOptions)
        let sequence = giant.stops
        let limit = options.maxStopsPerWorker ?? sequence.count
        if limit * workers < sequence.count {
            throw .notEnoughCapacity(stops: sequence.count, workers: workers, maxStopsPerWorker: limit)
        }
        let maxCost = options.maxCostPerWorker ?? .infinity
        /// The planner's tour through `group`, or the group's own order when that is cheaper (the
        /// search is a heuristic, and the limits were checked on the given order).
        func replan(_ group: [Int], options tourOptions: TourPlanner.Options? = nil) throws(TourError) -> Tour {
            let planned = try planner.plan(start: depot, ending: ending, stops: group, options: tourOptions ?? quick(group.count))
            let given = planner.evaluate(order: [depot] + group + (end.map { [$0] } ?? []), endCount: end == nil ? 0 : 1,
                                         options: options.tour)
            return given.totalCost < planned.totalCost ? given : planned
        }
        // Where to look for moves between workers: each stop's candidates (nil: everywhere).
        var near: [[Int]]?
        if let sparseCosts = costs as? any SparsePlaceCosts {
            near = Array(repeating: [], count: costs.count)
            let lists = sparseCosts.candidates(among: sequence, k: TourSearch<PlanarCosts>.neighbourCount)
            for (index, stop) in sequence.enumerated() { near?[stop] = lists[index].map { sequence[Int($0)] } }
        }
        var (groups, unserved) = split(sequence, depot: depot, end: end, workers: workers, limit: limit, maxCost: maxCost,
                                       service: options.tour.service)
        var tours = try groups.map { group throws(TourError) in try replan(group) }
        // Min–max descent: move one stop off the longest tour, else swap one of its stops with
        // another tour's, while the longer of the two tours changed gets shorter.
        for _ in 0..<options.improvementRounds where ContinuousClock.now < began + budget * 0.75 {
            let longest = tours.indices.max { tours[$0].totalCost < tours[$1].totalCost }!
            var changed = false
            if let move = bestMove(from: longest, tours: tours, limit: limit, maxCost: maxCost, service: options.tour.service,
                                   near: near) {
                let newFrom = try replan(groups[longest].filter { $0 != move.stop })
                let newTo = try replan(groups[move.to] + [move.stop])
                if max(newFrom.totalCost, newTo.totalCost) < tours[longest].totalCost - 1e-9, newTo.totalCost <= maxCost {
                    (tours[longest], tours[move.to]) = (newFrom, newTo)
                    (groups[longest], groups[move.to]) = (newFrom.stops, newTo.stops)
                    changed = true
                }
            }
            if !changed, let swap = bestSwap(from: longest, tours: tours, maxCost: maxCost, service: options.tour.service, near: near) {
                let newFrom = try replan(groups[longest].map { $0 == swap.stop ? swap.other : $0 })
                let newTo = try replan(groups[swap.to].map { $0 == swap.other ? swap.stop : $0 })
                if max(newFrom.totalCost, newTo.totalCost) < tours[longest].totalCost - 1e-9,
                   newFrom.totalCost <= maxCost, newTo.totalCost <= maxCost {
                    (tours[longest], tours[swap.to]) = (newFrom, newTo)
                    (groups[longest], groups[swap.to]) = (newFrom.stops, newTo.stops)
                    changed = true
                }
            }
            if !changed { break }
        }
        // Stops the split left out: the first tour (fewest stops first) that takes each within the
        // limits. A stop never makes a tour cheaper (triangle inequality), so tours already too
        // long for its service are not re-planned.
        for stop in unserved {
            for target in tours.indices.sorted(by: { tours[$0].stops.count < tours[$1].stops.count })
            where groups[target].count < limit && tours[target].totalCost + options.tour.service(at: stop) <= maxCost {
                let grown = try replan(groups[target] + [stop])
                guard grown.totalCost <= maxCost else { continue }
                tours[target] = grown
                groups[target] = grown.stops
                unserved.removeAll { $0 == stop }
                break
            }
        }
        // Each worker's tour searched with kicks, sharing the second half of the budget by stops.
        // The limits hold: a tour only changes to a shorter order of the same stops.
        var stopsLeft = max(1, groups.reduce(0) { $0 + $1.count })
        for index in tours.indices where groups[index].count > 1 {
            var polish = options.tour
            let left = max(.zero, began + budget - ContinuousClock.now)
            polish.timeBudget = left * (Double(groups[index].count) / Double(stopsLeft))
            polish.startsFromGivenOrder = sparse
            stopsLeft -= groups[index].count
            let polished = try replan(groups[index], options: polish)
            if polished.totalCost < tours[index].totalCost { tours[index] = polished }
        }
        return Plan(tours: tours, unreachable: giant.unreachable, unserved: unserved,
                    teams: Array(repeating: 0, count: tours.count))
    }

    /// Tours for several teams, each team's workers serving only that team's stops (and every
    /// worker leaving from `depot`): the tours of team 0, then of team 1, …; ``Plan/teams``
    /// tells which is whose.
    public func plan(depot: Int, teams: [Team], ending: TourPlanner.Ending = .returnToStart,
                     options: Options = Options()) throws(TourError) -> Plan {
        var whole = Plan(tours: [], unreachable: [])
        for (index, team) in teams.enumerated() {
            if team.workers < 1, !team.stops.isEmpty { throw .teamWithoutWorkers(team: index, stops: team.stops.count) }
            guard team.workers > 0 else { continue }
            let plan = try plan(depot: depot, workers: team.workers, ending: ending, stops: team.stops, options: options)
            whole.tours += plan.tours
            whole.unreachable += plan.unreachable
            whole.unserved += plan.unserved
            whole.teams += Array(repeating: index, count: plan.tours.count)
        }
        return whole
    }

    /// Cuts the giant tour's stop sequence into at most `workers` consecutive groups of at most
    /// `limit` stops and `maxCost` each, skipping the fewest stops and then minimising the
    /// longest group's tour (an O(k·n·limit) dynamic programme, in practice O(n²) with its
    /// bound on a group's cost). Returns the groups and the skipped stops.
    func split(_ sequence: [Int], depot: Int, end: Int?, workers: Int, limit: Int, maxCost: Double,
               service: (Int) -> Double) -> (groups: [[Int]], skipped: [Int]) {
        let n = sequence.count
        guard n > 0 else { return (Array(repeating: [], count: workers), []) }
        var along = [Double](repeating: 0, count: n)   // cost from the first stop to stop t along the sequence
        for t in 1..<n { along[t] = along[t - 1] + costs[sequence[t - 1], sequence[t]] }
        var served = [Double](repeating: 0, count: n + 1)   // service of the first t stops
        for t in 0..<n { served[t + 1] = served[t] + service(sequence[t]) }
        // Legs from the depot and to the end, asked once each (sparse costs may search for them).
        let fromDepot = sequence.map { costs[depot, $0] }, toEnd = sequence.map { stop in end.map { costs[stop, $0] } ?? 0 }
        func group(_ i: Int, _ j: Int) -> Double {   // stops i...j, 0-based
            fromDepot[i] + along[j] - along[i] + toEnd[j] + served[j + 1] - served[i]
        }
        /// Stops skipped, then the longest group: compared in that order.
        struct Score: Comparable {
            var skipped: Int
            var longest: Double
            static func < (a: Score, b: Score) -> Bool { (a.skipped, a.longest) < (b.skipped, b.longest) }
        }
        // best[w][j]: the best score covering the first j stops with w workers; cut[w][j] = i when
        // worker w takes stops i..<j (j: worker w takes none; -1: stop j - 1 is skipped).
        var best = [[Score]](repeating: [Score](repeating: Score(skipped: 0, longest: 0), count: n + 1), count: workers + 1)
        var cut = [[Int]](repeating: [Int](repeating: -1, count: n + 1), count: workers + 1)
        for j in 0...n { best[0][j] = Score(skipped: j, longest: 0) }
        for w in 1...workers {
            for j in 0...n {
                best[w][j] = best[w - 1][j]
                cut[w][j] = j
                guard j > 0 else { continue }
                let skip = Score(skipped: best[w][j - 1].skipped + 1, longest: best[w][j - 1].longest)
                if skip < best[w][j] { best[w][j] = skip; cut[w][j] = -1 }
                // This worker takes stops i..<j, i from j - 1 down: a group costs at least its legs
                // along the sequence and its service, which only grow as i falls, so once they
                // exceed a best that skips nothing no smaller i can win. Ties go to the smallest i.
                var taken: (value: Score, first: Int)?
                for i in stride(from: j - 1, through: max(0, j - limit), by: -1) {
                    let least = taken.map { min($0.value, best[w][j]) } ?? best[w][j]
                    if least.skipped == 0, along[j - 1] - along[i] + served[j] - served[i] > least.longest { break }
                    let cost = group(i, j - 1)
                    guard cost <= maxCost else { continue }
                    let value = Score(skipped: best[w - 1][i].skipped, longest: max(best[w - 1][i].longest, cost))
                    if value <= (taken?.value ?? value) { taken = (value, i) }
                }
                if let taken, taken.value < best[w][j] { best[w][j] = taken.value; cut[w][j] = taken.first }
            }
        }
        var groups = [[Int]](repeating: [], count: workers)
        var skipped: [Int] = []
        var j = n, w = workers
        while j > 0 {
            let i = cut[w][j]
            if i == -1 {
                skipped.append(sequence[j - 1])
                j -= 1
            } else {
                groups[w - 1] = Array(sequence[i..<j])
                j = i
                w -= 1
            }
        }
        return (groups, skipped.reversed())
    }

    /// The exchange of a stop of tour `from` with a stop of another tour, each taking the
    /// other's place in its order, that most shortens the longer of the two tours (exact for
    /// the orders as they are), keeping both within `maxCost`; nil when none shortens tour `from`.
    /// With `near`, only a stop's candidates there are tried as the other.
    func bestSwap(from: Int, tours: [Tour], maxCost: Double, service: (Int) -> Double,
                  near: [[Int]]? = nil) -> (stop: Int, to: Int, other: Int)? {
        /// The cost change of putting `newcomer` in place of the stop at `position` of `tour`.
        func replacing(_ tour: Tour, at position: Int, with newcomer: Int) -> Double {
            let order = tour.order, old = order[position]
            var change = costs[order[position - 1], newcomer] - costs[order[position - 1], old] + service(newcomer) - service(old)
            if position + 1 < order.count { change += costs[newcomer, order[position + 1]] - costs[old, order[position + 1]] }
            return change
        }
        let source = tours[from]
        let places = near.map { _ in TourPlaces(tours) }
        var chosen: (stop: Int, to: Int, other: Int, value: Double)?
        for position in 1..<(source.order.count - source.endCount) {
            let stop = source.order[position]
            for target in tours.indices where target != from {
                let tour = tours[target]
                let positions = places.map { places in near![stop].compactMap { places.position(of: $0, in: target) } }
                for otherPosition in positions ?? Array(1..<max(1, tour.order.count - tour.endCount)) {
                    let other = tour.order[otherPosition]
                    let newFrom = source.totalCost + replacing(source, at: position, with: other)
                    let newTo = tour.totalCost + replacing(tour, at: otherPosition, with: stop)
                    let value = max(newFrom, newTo)
                    if newFrom <= maxCost, newTo <= maxCost, value < source.totalCost - 1e-9, value < (chosen?.value ?? .infinity) {
                        chosen = (stop, target, other, value)
                    }
                }
            }
        }
        return chosen.map { ($0.stop, $0.to, $0.other) }
    }

    /// The single-stop move off tour `from` that most shortens the longer of the two tours it
    /// changes, by removal and cheapest-insertion estimates, keeping the target within the
    /// limits; nil when none shortens tour `from`. With `near`, a stop is inserted only next to
    /// its candidates there.
    func bestMove(from: Int, tours: [Tour], limit: Int, maxCost: Double, service: (Int) -> Double,
                  near: [[Int]]? = nil) -> (stop: Int, to: Int)? {
        let source = tours[from]
        let places = near.map { _ in TourPlaces(tours) }
        let sourceOrder = source.order
        let lastStop = sourceOrder.count - 1 - source.endCount
        var chosen: (stop: Int, to: Int, value: Double)?
        guard lastStop >= 1 else { return nil }
        for position in 1...lastStop {
            let stop = sourceOrder[position]
            let before = sourceOrder[position - 1]
            var saving = costs[before, stop] + service(stop)
            if position + 1 < sourceOrder.count {
                let after = sourceOrder[position + 1]
                saving += costs[stop, after] - costs[before, after]
            }
            let reduced = source.totalCost - saving
            for target in tours.indices where target != from && tours[target].stops.count < limit {
                let order = tours[target].order
                var insertion = Double.infinity
                // Next to the stop's candidates in the target (anywhere in an empty one), or anywhere.
                let positions = tours[target].stops.isEmpty ? nil : places.map { places in
                    near![stop].compactMap { places.position(of: $0, in: target) }.flatMap { [$0 - 1, $0] }
                        .filter { $0 < order.count - 1 }
                }
                for k in positions ?? Array(0..<(order.count - 1)) {
                    insertion = min(insertion, costs[order[k], stop] + costs[stop, order[k + 1]] - costs[order[k], order[k + 1]])
                }
                if tours[target].endCount == 0, positions == nil || near![stop].contains(order[order.count - 1]) {
                    insertion = min(insertion, costs[order[order.count - 1], stop])
                }
                let grown = tours[target].totalCost + insertion + service(stop)
                let value = max(reduced, grown)
                if grown <= maxCost, value < source.totalCost - 1e-9, value < (chosen?.value ?? .infinity) {
                    chosen = (stop, target, value)
                }
            }
        }
        return chosen.map { ($0.stop, $0.to) }
    }
}

/// Which tour each stop is in, and where: for moves that look only near a stop.
struct TourPlaces {
    private var place: [Int: (tour: Int, position: Int)] = [:]

    init(_ tours: [Tour]) {
        for (index, tour) in tours.enumerated() {
            for position in 1..<max(1, tour.order.count - tour.endCount) { place[tour.order[position]] = (index, position) }
        }
    }

    /// The position of stop `stop` in tour `tour`'s order, if it is there.
    func position(of stop: Int, in tour: Int) -> Int? {
        guard let place = place[stop], place.tour == tour else { return nil }
        return place.position
    }
}
