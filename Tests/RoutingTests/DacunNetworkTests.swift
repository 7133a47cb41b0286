import Foundation
import GEOS
import GeoJSON
import GridMapCore
import Routing
import Testing

/// The bundled town's road layer as a network.
@Suite("The bundled Dacun road network")
struct DacunNetworkTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../geodata/dacun").standardized

    @Test("its 509 roads form one connected network, and a 300-home matrix agrees with single routes")
    func network() throws {
        let town = try TownFolder.read(from: Self.folder)
        let roads = town.features.filter { $0.kind == .road }
        #expect(roads.count == 509)
        let clock = ContinuousClock()
        var network: RoadNetwork?
        let built = try clock.measure { network = try RoadNetwork(roads: roads, workingCRS: town.town.workingCRS) }
        let net = try #require(network)
        #expect(net.components.count == 1, "disconnected pieces: \(net.components.dropFirst().map(\.roadIDs))")
        #expect(Set(net.roadIDs).count == 509)

        let homes = town.features.filter { $0.kind == .home }.prefix(300)
        let points = homes.map { feature -> Position in
            if case .point(let position) = feature.geometry { return position }
            var first = Position(x: 0, y: 0)
            var found = false
            feature.geometry.forEachPosition { if !found { first = $0; found = true } }
            return first
        }
        let projection = try RoadProjection(workingCRS: town.town.workingCRS)
        var snapped: [RoadPosition?] = []
        let snapTime = try clock.measure { snapped = try net.snap(points, using: projection) }
        let stops = snapped.compactMap { $0 }
        #expect(stops.count == homes.count)
        var matrix: CostMatrix?
        let matrixTime = clock.measure { matrix = net.matrix(among: stops, cost: .time(.eBike)) }
        let costs = try #require(matrix)
        #expect(costs.unreachablePairs.isEmpty)
        for (i, j) in [(0, 1), (5, 299), (120, 7), (250, 30)] {
            let single = try #require(net.route(from: stops[i], to: stops[j], cost: .time(.eBike)))
            #expect(abs(costs[i, j] - single.cost) < 1e-6)
        }
        var tour: Tour?
        let tourTime = try clock.measure {
            tour = try TourPlanner(costs: costs).plan(start: 0, options: .init(rounds: 5))
        }
        #expect(try #require(tour).stops.sorted() == Array(1..<stops.count))
        print("Dacun: 300-stop e-bike tour \(tourTime), \(Int(tour!.totalCost)) s")
        print("Dacun: \(net.vertexCount) vertices, \(net.edgeCount) edges; build \(built), snap 300 \(snapTime), 300×300 e-bike matrix \(matrixTime)")
    }
}

extension DacunNetworkTests {
    @Test("two e-bike workers visit 40 homes from the first station and their routes follow the roads")
    func workersOnRoads() throws {
        let town = try TownFolder.read(from: Self.folder)
        let network = try RoadNetwork(roads: town.features.filter { $0.kind == .road }, workingCRS: town.town.workingCRS)
        let depot = try #require(town.features.first { $0.kind == .citizenServiceStation || $0.kind == .partyMassesServiceCentre })
        let homes = town.features.filter { $0.kind == .home }.prefix(40)
        func anyPosition(_ feature: MapFeature) -> Position {
            var first: Position?
            feature.geometry.forEachPosition { if first == nil { first = $0 } }
            return first!
        }
        let projection = try RoadProjection(workingCRS: town.town.workingCRS)
        let positions = try network.snap([anyPosition(depot)] + homes.map(anyPosition), using: projection).map { try #require($0) }
        let costs = network.matrix(among: positions, cost: .time(.eBike))
        let plan = try MultiWorkerPlanner(costs: costs).plan(
            depot: 0, workers: 2, options: .init(tour: .init(rounds: 20, serviceCost: 300)))
        #expect(plan.tours.flatMap(\.stops).sorted() == Array(1...40))
        for tour in plan.tours where !tour.stops.isEmpty {
            let onRoads = try #require(network.roadTour(tour, positions: positions, cost: .time(.eBike)))
            #expect(onRoads.legs.count == tour.legs.count)
            for (leg, planned) in zip(onRoads.legs, tour.legs) { #expect(abs(leg.cost - planned) < 1e-6) }
            guard case .lineString(let line) = onRoads.geometry else { Issue.record("not a line"); continue }
            #expect(line.first == positions[0].position)
            #expect(line.last == positions[0].position)
        }
    }
}
