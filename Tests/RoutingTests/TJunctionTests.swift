import GeoJSON
import GridMapCore
import Routing
import Testing

@Suite("T-junctions drawn in WGS84")
struct TJunctionTests {
    /// A village road "main" and a track "side" whose second end lies on main.
    static func tJunction(main: [Position], side: [Position]) -> [MapFeature] {
        [MapFeature(id: "main", kind: .road, name: "main", geometry: .lineString(main), properties: ["class": "village"]),
         MapFeature(id: "side", kind: .road, name: "side", geometry: .lineString(side), properties: ["class": "track"])]
    }

    /// A main road along 35.905°N and a side road from the north whose end lies exactly on it,
    /// between two of its vertices — the way surveyors draw a T-junction.
    static let roads = tJunction(
        main: [Position(x: 119.800, y: 35.905), Position(x: 119.820, y: 35.905)],
        side: [Position(x: 119.8125, y: 35.915), Position(x: 119.8125, y: 35.905)])

    /// A diagonal main road and a side road ending exactly at its midpoint (exact in binary).
    static let diagonal = tJunction(
        main: [Position(x: 119.75, y: 35.875), Position(x: 119.875, y: 35.9375)],
        side: [Position(x: 119.8125, y: 35.95), Position(x: 119.8125, y: 35.90625)])

    @Test("a road PROJ cannot project is named, with its position; the network shares the projection it was given")
    func untransformableRoad() throws {
        var roads = Self.roads
        roads[1].geometry = .multiLineString([[Position(x: 119.8125, y: 35.915), Position(x: 119.8125, y: 95)]])
        let projection = try Projection(workingCRS: "EPSG:4549")
        #expect(throws: RoadNetworkError.projection(road: "side", .untransformable(
            position: Position(x: 119.8125, y: 95), index: 1, geometry: nil, from: .wgs84, to: "EPSG:4549"))) {
            try RoadNetwork(roads: roads, projection: projection)
        }
        let network = try RoadNetwork(roads: Self.roads, projection: projection)
        #expect(network.workingCRS == "EPSG:4549" && network.projection.source == .wgs84)
    }

    @Test("a road ending exactly on a diagonal road's interior is joined to it")
    func diagonalJunctionIsJoined() throws {
        let network = try RoadNetwork(roads: Self.diagonal, workingCRS: "EPSG:4549")
        #expect(network.isConnected, "\(network.components.count) components")
    }

    @Test("a road ending on another road's interior is joined to it, so the network is one piece")
    func sideRoadIsJoined() throws {
        let network = try RoadNetwork(roads: Self.roads, workingCRS: "EPSG:4549")
        #expect(network.isConnected)
        // In metres the straight WGS84 main road is a chord 4 cm north of the parallel its
        // ends lie on, so the side road's end overshoots it; the end is pulled back onto it.
        #expect(network.joinedEnds.map(\.road) == ["side"])
        #expect(network.joinedEnds.allSatisfy { $0.distance < 0.05 })
        #expect(network.vertexCount == 4)
        let from = try #require(try network.snap(longitude: 119.8125, latitude: 35.914))
        let to = try #require(try network.snap(longitude: 119.801, latitude: 35.905))
        let route = try #require(network.route(from: from, to: to, cost: .distance))
        // About 1,000 m down the side road and 1,035 m along the main road.
        let metres = route.roadDistance
        #expect(metres > 1_900 && metres < 2_200, "road distance \(metres) m")
    }
}
