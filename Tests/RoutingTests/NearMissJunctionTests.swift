import GEOS
import GeoJSON
import GridMapCore
import Routing
import Testing

/// Road ends that miss the road they were meant to meet by a little (EPSG:4549 metres, offsets
/// from ``SmallNetwork/x0``, ``SmallNetwork/y0``).
@Suite("Near-miss junctions are joined before noding and reported")
struct NearMissJunctionTests {
    static let c = SmallNetwork.c
    static let x0 = SmallNetwork.x0, y0 = SmallNetwork.y0

    /// A main road along y = 0 and a side road coming down from (100, 100) to (100, gap).
    static func tee(gap: Double, options: RoadNetwork.BuildOptions = .init()) throws -> RoadNetwork {
        try RoadNetwork(lines: [
            RoadLine(id: "main", roadClass: .village, coordinates: [c(0, 0), c(200, 0)]),
            RoadLine(id: "side", roadClass: .track, coordinates: [c(100, 100), c(100, gap)]),
        ], workingCRS: "EPSG:4549", options: options)
    }

    @Test("a side road ending 1 cm short of the main road is joined, and the snap is reported")
    func oneCentimetre() throws {
        let network = try Self.tee(gap: 0.01)
        #expect(network.isConnected)
        #expect(network.vertexCount == 4)
        #expect(network.edgeCount == 3)
        let joined = try #require(network.joinedEnds.first)
        #expect(network.joinedEnds.count == 1)
        #expect(joined.road == "side" && joined.end == .last && joined.ontoRoad == "main" && joined.onto == .segment)
        #expect(abs(joined.distance - 0.01) < 1e-9)
        #expect(abs(joined.point.x - (Self.x0 + 100)) < 1e-9 && joined.point.y == Self.y0)
        // From the top of the side road to the west end of the main road: 100 m + 100 m.
        let from = try #require(network.snap(x: Self.x0 + 100, y: Self.y0 + 100))
        let to = try #require(network.snap(x: Self.x0, y: Self.y0))
        let route = try #require(network.route(from: from, to: to))
        #expect(abs(route.roadDistance - 200) < 1e-3)
    }

    @Test("a side road ending 1 m short stays apart: two components, no snap")
    func oneMetre() throws {
        let network = try Self.tee(gap: 1)
        #expect(network.joinedEnds.isEmpty)
        #expect(network.components.map(\.roadIDs) == [["main"], ["side"]])
        let from = try #require(network.snap(x: Self.x0 + 100, y: Self.y0 + 100))
        let to = try #require(network.snap(x: Self.x0, y: Self.y0))
        #expect(network.route(from: from, to: to) == nil)
    }

    @Test("tolerance 0 turns the joining off; 2 m joins the 1 m miss; an infinite one is safe")
    func tolerances() throws {
        let network = try Self.tee(gap: 0.01, options: .init(endSnapTolerance: 0))
        #expect(network.joinedEnds.isEmpty)
        #expect(network.components.count == 2)
        let loose = try Self.tee(gap: 1, options: .init(endSnapTolerance: 2))
        #expect(loose.joinedEnds.map(\.distance) == [1])
        #expect(loose.isConnected)
        #expect(try Self.tee(gap: 1, options: .init(endSnapTolerance: .infinity)).isConnected)
    }

    @Test("an end 2.8 cm from another road's end joins at that end, once")
    func endToEnd() throws {
        let network = try RoadNetwork(lines: [
            RoadLine(id: "west", roadClass: .village, coordinates: [Self.c(0, 0), Self.c(100, 0)]),
            RoadLine(id: "north", roadClass: .village, coordinates: [Self.c(100.02, 0.02), Self.c(100.02, 100)]),
        ], workingCRS: "EPSG:4549")
        #expect(network.isConnected)
        #expect(network.vertexCount == 3)
        #expect(network.joinedEnds.count == 1)
        let joined = try #require(network.joinedEnds.first)
        #expect(joined.road == "west" && joined.end == .last && joined.ontoRoad == "north" && joined.onto == .end)
        #expect(abs(joined.distance - (0.02 * 0.02 * 2).squareRoot()) < 1e-9)
        #expect(joined.point == Self.c(100.02, 0.02))
    }

    @Test("two ends that nearly meet each other and a through road both land on the road")
    func crossroadOnTheRoad() throws {
        let network = try RoadNetwork(lines: [
            RoadLine(id: "main", roadClass: .village, coordinates: [Self.c(0, 0), Self.c(200, 0)]),
            RoadLine(id: "north", roadClass: .track, coordinates: [Self.c(100, 100), Self.c(100, 0.01)]),
            RoadLine(id: "south", roadClass: .track, coordinates: [Self.c(100.02, -100), Self.c(100.02, -0.01)]),
        ], workingCRS: "EPSG:4549")
        #expect(network.isConnected)
        #expect(network.vertexCount == 5)
        #expect(network.joinedEnds.map(\.ontoRoad) == ["main", "main"])
        #expect(network.joinedEnds.map(\.onto) == [.segment, .vertex])
        #expect(Set(network.joinedEnds.map(\.point)) == [Self.c(100, 0)])
    }

    @Test("an existing vertex within the tolerance wins over a nearer point between vertices")
    func prefersVertex() throws {
        let network = try RoadNetwork(lines: [
            RoadLine(id: "main", roadClass: .village, coordinates: [Self.c(0, 0), Self.c(100, 0), Self.c(200, 0)]),
            RoadLine(id: "side", roadClass: .track, coordinates: [Self.c(100.05, 100), Self.c(100.05, 0.01)]),
        ], workingCRS: "EPSG:4549")
        #expect(network.isConnected)
        // No sliver edge of 5 cm: main stays two 100 m edges.
        #expect(network.vertexCount == 4)
        let joined = try #require(network.joinedEnds.first)
        #expect(joined.onto == .vertex)
        #expect(joined.point == Self.c(100, 0))
        #expect(abs(joined.distance - (0.05 * 0.05 + 0.01 * 0.01).squareRoot()) < 1e-9)
    }

    @Test("a move that would make a road cross itself is not made")
    func noSelfCrossing() throws {
        // The side road's first end hangs 6 cm above the main road, but its own last stretch
        // runs between them at 3 cm: moving the end down would cross it.
        let network = try RoadNetwork(lines: [
            RoadLine(id: "main", roadClass: .village, coordinates: [Self.c(0, 0), Self.c(200, 0)]),
            RoadLine(id: "hook", roadClass: .track, coordinates: [
                Self.c(100, 0.06), Self.c(100, 10), Self.c(100.05, 10), Self.c(100.05, 0.03), Self.c(99.95, 0.03), Self.c(99.95, 5),
            ]),
        ], workingCRS: "EPSG:4549")
        #expect(network.joinedEnds.isEmpty)
        #expect(network.components.count == 2)
    }

    @Test("ends that already touch (exact T-junction, shared end) are not moved")
    func touchingEndsStay() throws {
        #expect(try SmallNetwork.make().joinedEnds.isEmpty)
    }

    @Test("a WGS84 side road ending 1e-6° (11 cm) north of the main road is joined, by the metric gap")
    func wgs84NearMiss() throws {
        var roads = TJunctionTests.roads
        let end = Position(x: 119.8125, y: 35.905001)
        roads[1].geometry = .lineString([Position(x: 119.8125, y: 35.915), end])
        #expect(try RoadNetwork(roads: roads, workingCRS: "EPSG:4549", options: .init(endSnapTolerance: 0)).components.count == 2)
        let network = try RoadNetwork(roads: roads, workingCRS: "EPSG:4549")
        #expect(network.isConnected)
        let joined = try #require(network.joinedEnds.first)
        #expect(joined.road == "side" && joined.ontoRoad == "main" && joined.onto == .segment)
        // The gap in metres, measured by GEOS between the projected end and the projected main road
        // (less than 11 cm: the straight WGS84 main road is a chord 4 cm north of the parallel).
        let metres = try network.projection.transform([end, Position(x: 119.8, y: 35.905), Position(x: 119.82, y: 35.905)])
            .map(\.coordinate)
        let context = GEOSContext()
        let gap = try GEOSGeometry.point(metres[0], context: context)
            .distance(to: try .lineString([metres[1], metres[2]], context: context))
        #expect(abs(joined.distance - gap) < 1e-9, "moved \(joined.distance) m, gap \(gap) m")
        #expect(abs(joined.position.x - 119.8125) < 1e-7 && abs(joined.position.y - 35.905) < 1e-6)
    }

    @Test("an end overshooting the road by 2 cm is pulled back onto it, leaving no stub edge")
    func overshoot() throws {
        let network = try Self.tee(gap: -0.02)
        #expect(network.vertexCount == 4)
        #expect(network.edgeCount == 3)
        let joined = try #require(network.joinedEnds.first)
        #expect(joined.road == "side" && abs(joined.distance - 0.02) < 1e-9)
    }
}

/// The drawn route goes out to the snapped points: its length is the reported distance.
@Suite("Route geometry draws the off-road stretches")
struct OffRoadGeometryTests {
    /// Metres along a WGS84 LineString, measured in the working CRS.
    static func drawnLength(_ geometry: Geometry, projection: Projection) throws -> Double {
        guard case .lineString(let line) = geometry else { Issue.record("not a LineString"); return .nan }
        let metres = try projection.transform(line)
        var length = 0.0
        for i in metres.indices.dropFirst() {
            let dx = metres[i].x - metres[i - 1].x, dy = metres[i].y - metres[i - 1].y
            length += (dx * dx + dy * dy).squareRoot()
        }
        return length
    }

    @Test("a route starts at the snapped point, reaches the road and ends at the other point")
    func route() throws {
        let network = try SmallNetwork.make()
        let projection = network.projection
        let from = try #require(network.snap(x: SmallNetwork.x0 + 150, y: SmallNetwork.y0 + 30))
        let to = try #require(network.snap(x: SmallNetwork.x0 + 20, y: SmallNetwork.y0 + 117))
        let route = try #require(network.route(from: from, to: to))
        #expect(abs(route.offRoadDistance - 47) < 1e-9)
        #expect(abs(route.roadDistance - (50 + 100 + 80)) < 1e-9)
        guard case .lineString(let line) = route.geometry else { Issue.record("not a line"); return }
        #expect(line.first == from.originPosition && line.last == to.originPosition)
        // The WGS84 of a point snapped in metres is derived without PROJ: check it against PROJ.
        // Compared with PROJ as offsets from the road point, whose WGS84 is interpolated linearly.
        for position in [from, to] {
            let back = try projection.transform([position.originPosition, position.position])
            #expect(abs((back[0].x - back[1].x) - (position.origin.x - position.point.x)) < 1e-3)
            #expect(abs((back[0].y - back[1].y) - (position.origin.y - position.point.y)) < 1e-3)
        }
        let drawn = try Self.drawnLength(route.geometry, projection: projection)
        #expect(abs(drawn - (route.roadDistance + route.offRoadDistance)) < 1e-3, "drawn \(drawn) m")
    }

    @Test("a tour's line goes out to every stop and back; its length is the sum of the leg distances")
    func tour() throws {
        let network = try SmallNetwork.make()
        let points = [(10.0, -3.0), (150, 30), (100, -70), (20, 110), (190, 60)]
        let wgs84 = try points.map { try #require(network.snap(x: SmallNetwork.x0 + $0.0, y: SmallNetwork.y0 + $0.1)) }
            .map(\.originPosition)
        let positions = try network.snap(wgs84).map { try #require($0) }
        #expect(positions.map(\.originPosition) == wgs84)
        let costs = network.matrix(among: positions, cost: .distance)
        let tour = try TourPlanner(costs: costs).plan(start: 0)
        let laid = try #require(network.roadTour(tour, positions: positions, cost: .distance))
        guard case .lineString(let line) = laid.geometry else { Issue.record("not a line"); return }
        #expect(line.first == wgs84[0] && line.last == wgs84[0])
        for stop in tour.stops { #expect(line.contains(wgs84[stop])) }
        let drawn = try Self.drawnLength(laid.geometry, projection: network.projection)
        let reported = laid.legDistances.reduce(0, +)
        #expect(abs(drawn - reported) < 1e-3, "drawn \(drawn) m, reported \(reported) m")
    }
}
