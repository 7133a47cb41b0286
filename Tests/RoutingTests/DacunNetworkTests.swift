import Foundation
import GEOS
import GeoJSON
import GridMapCore
import Routing
import SeededRandom
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
        // Its ends meet exactly: nothing to join, even with a 1 m tolerance.
        #expect(net.joinedEnds.isEmpty, "\(net.joinedEnds)")
        let loose = try RoadNetwork(roads: roads, workingCRS: town.town.workingCRS, options: .init(endSnapTolerance: 1))
        #expect(loose.joinedEnds.isEmpty)
        #expect(Set(net.roadIDs).count == 509)

        let homes = town.features.filter { $0.kind == .home }.prefix(300)
        let points = homes.map { feature -> Position in
            if case .point(let position) = feature.geometry { return position }
            var first = Position(x: 0, y: 0)
            var found = false
            feature.geometry.forEachPosition { if !found { first = $0; found = true } }
            return first
        }
        var snapped: [RoadPosition?] = []
        let snapTime = try clock.measure { snapped = try net.snap(points) }
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
    @Test("two e-bike workers visit 40 homes from the first station; their lines follow the roads, out to each home")
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
        let points = [anyPosition(depot)] + homes.map(anyPosition)
        let positions = try network.snap(points).map { try #require($0) }
        let costs = network.matrix(among: positions, cost: .time(.eBike))
        let plan = try MultiWorkerPlanner(costs: costs).plan(
            depot: 0, workers: 2, options: .init(tour: .init(rounds: 20, serviceCost: 300)))
        #expect(plan.tours.flatMap(\.stops).sorted() == Array(1...40))
        for tour in plan.tours where !tour.stops.isEmpty {
            let onRoads = try #require(network.roadTour(tour, positions: positions, cost: .time(.eBike)))
            #expect(onRoads.legs.count == tour.legs.count)
            for (leg, planned) in zip(onRoads.legs, tour.legs) { #expect(abs(leg.cost - planned) < 1e-6) }
            guard case .lineString(let line) = onRoads.geometry else { Issue.record("not a line"); continue }
            #expect(line.first == points[0] && line.last == points[0])
            for stop in tour.stops { #expect(line.contains(points[stop])) }
            // A road point is interpolated along the straight WGS84 road, which in metres lies up to
            // a few millimetres off the chord the network measures (Dacun's segments run to 3 km).
            for (leg, distance) in zip(onRoads.legs, onRoads.legDistances) {
                let drawn = try OffRoadGeometryTests.drawnLength(leg.geometry, projection: network.projection)
                #expect(abs(drawn - distance) < 0.01, "leg drawn \(drawn) m, reported \(distance) m")
            }
            let drawn = try OffRoadGeometryTests.drawnLength(onRoads.geometry, projection: network.projection)
            let reported = onRoads.legDistances.reduce(0, +)
            #expect(abs(drawn - reported) < 0.01 * Double(onRoads.legs.count), "drawn \(drawn) m, reported \(reported) m")
        }
    }
}

extension DacunNetworkTests {
    @Test("with every road end nudged up to 3 cm off, the network joins back into the same graph")
    func nudgedEnds() throws {
        let town = try TownFolder.read(from: Self.folder)
        let roads = town.features.filter { $0.kind == .road }
        let exact = try RoadNetwork(roads: roads, workingCRS: town.town.workingCRS)
        var random = SplitMix64(seed: 5)
        // ±2e-7° is at most 2.2 cm north–south and 1.8 cm east–west: 2.9 cm, under the 10 cm tolerance.
        func nudge(_ p: Position) -> Position {
            Position(x: p.x + Double.random(in: -2e-7...2e-7, using: &random), y: p.y + Double.random(in: -2e-7...2e-7, using: &random))
        }
        let nudged = roads.map { road -> MapFeature in
            guard case .lineString(var line) = road.geometry else { return road }
            line[0] = nudge(line[0])
            line[line.count - 1] = nudge(line[line.count - 1])
            var moved = road
            moved.geometry = .lineString(line)
            return moved
        }
        let network = try RoadNetwork(roads: nudged, workingCRS: town.town.workingCRS)
        #expect(network.isConnected, "pieces: \(network.components.dropFirst().map(\.roadIDs))")
        let counts = [network.vertexCount, network.edgeCount], exactCounts = [exact.vertexCount, exact.edgeCount]
        #expect(counts == exactCounts)
        #expect(network.joinedEnds.allSatisfy { $0.distance > 0 && $0.distance <= 0.06 })
        let total = { (n: RoadNetwork) in n.edgeLength.reduce(0, +) }
        #expect(abs(total(network) - total(exact)) < 0.03 * Double(network.joinedEnds.count) + 1e-6)
        print("Dacun nudged: \(network.joinedEnds.count) ends joined (\(Dictionary(grouping: network.joinedEnds, by: \.onto).mapValues(\.count)))")
    }
}
