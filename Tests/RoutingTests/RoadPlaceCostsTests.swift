import Foundation
import GeoJSON
import GridMapCore
@testable import Routing
import SeededRandom
import Testing

/// Road costs without a full matrix (bounded searches, a cache), against the full matrix on
/// Dacun's roads, and the planners on them.
@Suite("Road costs from bounded searches, and plans without a matrix")
struct RoadPlaceCostsTests {
    /// Dacun's network and `count` of its homes (seeded sample), snapped.
    static func dacun(homes count: Int, seed: UInt64) throws -> (network: RoadNetwork, positions: [RoadPosition]) {
        let town = try TownFolder.read(from: DacunNetworkTests.folder)
        let network = try RoadNetwork(roads: town.features.filter { $0.kind == .road }, workingCRS: town.town.workingCRS)
        var homes: [Position] = town.features.filter { $0.kind == .home }.compactMap {
            if case .point(let position) = $0.geometry { return position }
            return nil
        }
        var random = SplitMix64(seed: seed)
        homes.shuffle(using: &random)
        let positions = try network.snap(Array(homes.prefix(count))).compactMap { $0 }
        #expect(positions.count == count)
        return (network, positions)
    }

    /// The full matrix and the sparse costs among `homes` Dacun homes.
    static func bothCosts(homes: Int, seed: UInt64, cost: RouteCost, ballSize: Int) throws -> (CostMatrix, RoadPlaceCosts) {
        let (network, positions) = try dacun(homes: homes, seed: seed)
        return (network.matrix(among: positions, cost: cost),
                RoadPlaceCosts(network: network, positions: positions, cost: cost, ballSize: ballSize))
    }

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)) }

    @Test("every cost, from a ball or from a search when asked, equals the full matrix's; pairs read both ways agree exactly")
    func equalsTheMatrix() throws {
        let (matrix, sparse) = try Self.bothCosts(homes: 400, seed: 7, cost: .time(.walk), ballSize: 12)
        let positions = sparse.positions
        var fromBalls = 0
        for i in positions.indices {
            let ball = sparse.ballNode[Int(sparse.ballStart[i])..<Int(sparse.ballStart[i + 1])]
            fromBalls += ball.count
            for j in ball { #expect(Self.close(sparse.cost(i, Int(j)), matrix[i, Int(j)]), "ball \(i) → \(j)") }
        }
        #expect(fromBalls >= 12 * positions.count)
        for i in stride(from: 0, to: positions.count, by: 7) {
            for j in positions.indices {
                #expect(Self.close(sparse.cost(i, j), matrix[i, j]), "\(i) → \(j)")
                #expect(sparse.cost(i, j) == sparse.cost(j, i))
            }
        }
        #expect(sparse.misses.searched > 0)
    }

    @Test("each place's candidates are its cheapest others by the full matrix, cheapest first")
    func candidatesAreTheNearest() throws {
        let (matrix, sparse) = try Self.bothCosts(homes: 300, seed: 11, cost: .time(.car), ballSize: 10)
        let positions = sparse.positions
        let lists = sparse.candidates(among: Array(positions.indices), k: 10)
        for i in positions.indices {
            let row = positions.indices.filter { $0 != i }.map { matrix[i, $0] }.sorted()
            let mine = lists[i].map { matrix[i, Int($0)] }
            #expect(lists[i].count == 10 && !lists[i].contains(Int32(i)))
            #expect(mine == mine.sorted())
            // The k-th cheapest of the list is the k-th cheapest of the row (ties may swap places).
            for (k, value) in mine.enumerated() { #expect(Self.close(value, row[k]), "place \(i), candidate \(k)") }
        }
    }

    @Test("among a subset, candidates are members only, and members far from the rest still get some")
    func subsetCandidates() throws {
        let (network, positions) = try Self.dacun(homes: 300, seed: 3)
        let sparse = RoadPlaceCosts(network: network, positions: positions, cost: .distance)
        let members = Array(stride(from: 0, to: 300, by: 3))
        let lists = sparse.candidates(among: members, k: 10)
        #expect(lists.count == members.count)
        for (index, list) in lists.enumerated() {
            #expect(!list.isEmpty && list.count <= 10 && !list.contains(Int32(index)))
            #expect(list.allSatisfy { (0..<members.count).contains(Int($0)) })
            let costs = list.map { sparse.cost(members[index], members[Int($0)]) }
            #expect(costs == costs.sorted())
        }
    }

    @Test("a tour over bounded-search costs visits every stop once from the start, and costs what the full matrix says")
    func tourWithoutMatrix() throws {
        let (network, positions) = try Self.dacun(homes: 600, seed: 5)
        let cost = RouteCost.time(.walk)
        let sparse = RoadPlaceCosts(network: network, positions: positions, cost: cost)
        let matrix = network.matrix(among: positions, cost: cost)
        for ending in [TourPlanner.Ending.returnToStart, .open, .at(599)] {
            let tour = try TourPlanner(costs: sparse).plan(start: 0, ending: ending, options: .init(rounds: 50, timeBudget: .seconds(30)))
            let expected = ending == .at(599) ? Array(1..<599) : Array(1..<600)
            #expect(tour.stops.sorted() == expected, "\(ending)")
            let again = zip(tour.order, tour.order.dropFirst()).reduce(0.0) { $0 + matrix[$1.0, $1.1] }
            #expect(Self.close(again, tour.totalCost), "\(ending)")
        }
    }

    @Test("ten workers share 1,500 homes without a matrix: every home once, their days within 10% of each other")
    func balancedWorkers() throws {
        let (network, positions) = try Self.dacun(homes: 1_500, seed: 2026)
        let sparse = RoadPlaceCosts(network: network, positions: positions, cost: .time(.walk))
        let options = MultiWorkerPlanner.Options(tour: .init(timeBudget: .seconds(4), serviceCost: 600))
        let plan = try MultiWorkerPlanner(costs: sparse).plan(depot: 0, workers: 10, options: options)
        #expect(plan.tours.count == 10 && plan.unreachable.isEmpty && plan.unserved.isEmpty)
        #expect(plan.tours.flatMap(\.stops).sorted() == Array(1..<1_500))
        let days = plan.tours.map(\.totalCost)
        #expect(days.max()! <= 1.1 * days.min()!, "\(days)")
    }
}
