import GEOS
import GeoJSON
import Routing
import Testing

/// A hand-made network in EPSG:4549 metres (offsets from 500 000 E, 3 970 000 N):
///
///     (0,100) ──D1── (100,100) ──D2── (200,100)        D: track, B ends on D's middle (a T)
///                       │                  │
///                       B2                 C           B: village, C: village
///                       │                  │
///     (0,0) ───A1─── (100,0) ───A2─── (200,0)          A: county, crossed by B (no shared point)
///                       │
///                       B1
///                       │
///                   (100,-100)                         and an island E far away
enum SmallNetwork {
    static let x0 = 500_000.0, y0 = 3_970_000.0

    static func c(_ x: Double, _ y: Double) -> Coordinate { Coordinate(x: x0 + x, y: y0 + y) }

    static let lines = [
        RoadLine(id: "A", roadClass: .county, coordinates: [c(0, 0), c(200, 0)]),
        RoadLine(id: "B", roadClass: .village, coordinates: [c(100, -100), c(100, 100)]),
        RoadLine(id: "C", roadClass: .village, coordinates: [c(200, 0), c(200, 100)]),
        RoadLine(id: "D", roadClass: .track, coordinates: [c(0, 100), c(200, 100)]),
        RoadLine(id: "E", roadClass: .track, coordinates: [c(1000, 1000), c(1100, 1000)]),
    ]

    static func make() throws -> RoadNetwork { try RoadNetwork(lines: lines, workingCRS: "EPSG:4549") }
}

@Suite("Road network: building, snapping, shortest paths")
struct RoadNetworkTests {
    @Test("GEOS noding splits the crossing and the T-junction into 100 m edges with their classes")
    func noding() throws {
        let network = try SmallNetwork.make()
        #expect(network.vertexCount == 9)
        #expect(network.edgeCount == 8)
        for e in 0..<network.edgeCount { #expect(abs(network.edgeLength[e] - 100) < 1e-9) }
        let classes = Dictionary(grouping: 0..<network.edgeCount) { network.roadIDs[Int(network.edgeRoad[$0])] }
            .mapValues { $0.map { network.edgeClass[$0] } }
        #expect(classes["A"] == [.county, .county])
        #expect(classes["B"] == [.village, .village])
        #expect(classes["D"] == [.track, .track])
        #expect(classes["C"] == [.village])
    }

    @Test("the island is reported as a second component")
    func components() throws {
        let network = try SmallNetwork.make()
        #expect(network.components.count == 2)
        #expect(network.components[0].vertexCount == 7)
        #expect(network.components[0].roadIDs == ["A", "B", "C", "D"])
        #expect(network.components[1].roadIDs == ["E"])
        #expect(!network.isConnected)
    }

    @Test("a point snaps to the nearest road point with its off-road distance")
    func snapping() throws {
        let network = try SmallNetwork.make()
        let hit = try #require(network.snap(x: SmallNetwork.x0 + 150, y: SmallNetwork.y0 + 30))
        #expect(abs(hit.point.x - (SmallNetwork.x0 + 150)) < 1e-9)
        #expect(abs(hit.point.y - SmallNetwork.y0) < 1e-9)
        #expect(abs(hit.offRoadDistance - 30) < 1e-9)
        #expect(abs(hit.fraction - 0.5) < 1e-9)
        #expect(network.roadIDs[Int(network.edgeRoad[hit.edge])] == "A")
        // Far outside the network: the nearest end of the island.
        let far = try #require(network.snap(x: SmallNetwork.x0 + 5000, y: SmallNetwork.y0 + 1000))
        #expect(abs(far.offRoadDistance - 3900) < 1e-6)
        // Through PROJ: the road point's own longitude/latitude snaps back onto it.
        let back = try #require(try network.snap(longitude: hit.position.x, latitude: hit.position.y))
        #expect(back.edge == hit.edge)
        #expect(back.offRoadDistance < 1e-3)
    }

    @Test("shortest distance and fastest car route follow the hand-checked paths")
    func shortestPaths() throws {
        let network = try SmallNetwork.make()
        let a = try #require(network.snap(x: SmallNetwork.x0 + 50, y: SmallNetwork.y0))
        let b = try #require(network.snap(x: SmallNetwork.x0 + 150, y: SmallNetwork.y0 + 100))
        let route = try #require(network.route(from: a, to: b))
        #expect(abs(route.cost - 200) < 1e-9)
        #expect(route.steps.map { network.roadIDs[Int(network.edgeRoad[$0.edge])] } == ["A", "B", "D"])
        guard case .lineString(let path) = route.geometry else { Issue.record("not a line"); return }
        #expect(path.first == a.position)
        #expect(path.last == b.position)
        #expect(path.count == 4)

        // By car from (0,0) to (200,100): along county road A then village road C (26.4 s), not
        // over B and the track D (43.2 s).
        let from = try #require(network.snap(x: SmallNetwork.x0, y: SmallNetwork.y0))
        let to = try #require(network.snap(x: SmallNetwork.x0 + 200, y: SmallNetwork.y0 + 100))
        let car = try #require(network.route(from: from, to: to, cost: .time(.car)))
        #expect(abs(car.cost - (200 / (50 / 3.6) + 100 / (30 / 3.6))) < 1e-9)
        #expect(abs(car.roadDistance - 300) < 1e-9)
        #expect(car.steps.map { network.roadIDs[Int(network.edgeRoad[$0.edge])] } == ["A", "A", "C"])
        // Both on one edge: the direct stretch.
        let near = try #require(network.snap(x: SmallNetwork.x0 + 80, y: SmallNetwork.y0 + 5))
        let direct = try #require(network.route(from: a, to: near))
        #expect(abs(direct.cost - 35) < 1e-9)
        #expect(abs(direct.roadDistance - 30) < 1e-9)
    }

    @Test("a position on the island has no route and infinite matrix costs")
    func disconnected() throws {
        let network = try SmallNetwork.make()
        let main = try #require(network.snap(x: SmallNetwork.x0, y: SmallNetwork.y0))
        let island = try #require(network.snap(x: SmallNetwork.x0 + 1050, y: SmallNetwork.y0 + 1000))
        #expect(network.route(from: main, to: island) == nil)
        let matrix = network.matrix(among: [main, island])
        #expect(matrix.unreachablePairs.map { [$0.row, $0.column] } == [[0, 1], [1, 0]])
    }

    @Test("walking matrices are symmetric and equal the single-pair routes")
    func matrices() throws {
        let network = try SmallNetwork.make()
        let points: [(Double, Double)] = [(10, 3), (150, 30), (100, -70), (20, 110), (190, 60), (100, 50), (130, 0)]
        let positions = try points.map { try #require(network.snap(x: SmallNetwork.x0 + $0.0, y: SmallNetwork.y0 + $0.1)) }
        for cost in [RouteCost.time(.walk), .time(.car), .distance] {
            let matrix = network.matrix(among: positions, cost: cost)
            for i in positions.indices {
                for j in positions.indices where i != j {
                    let single = try #require(network.route(from: positions[i], to: positions[j], cost: cost))
                    #expect(abs(matrix[i, j] - single.cost) < 1e-9)
                    if cost == .time(.walk) { #expect(abs(matrix[i, j] - matrix[j, i]) < 1e-9) }
                }
            }
        }
    }

    @Test("places at one spot cost nothing between them, however far the spot is from the road")
    func oneSpot() throws {
        let network = try SmallNetwork.make()
        let spot = try #require(network.snap(x: SmallNetwork.x0 + 50, y: SmallNetwork.y0 + 30))
        let other = try #require(network.snap(x: SmallNetwork.x0 + 150, y: SmallNetwork.y0 + 30))
        let matrix = network.matrix(among: [spot, spot, other], cost: .time(.walk))
        #expect(matrix[0, 1] == 0 && matrix[1, 0] == 0)
        #expect(matrix[0, 2] > 0 && abs(matrix[1, 2] - matrix[0, 2]) < 1e-9)
        let route = try #require(network.route(from: spot, to: spot))
        #expect(route.cost == 0 && route.roadDistance == 0 && route.offRoadDistance == 0 && route.path == [spot.originPosition])
    }
}
