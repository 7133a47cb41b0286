import GridMapCore
import GeoJSON
import Routing
import Testing

/// Hand-built roads for each rule (EPSG:4549 metres, offsets from ``SmallNetwork/x0``, ``SmallNetwork/y0``).
@Suite("Road rules: grade separation, one-way, access, classes, maxspeed")
struct RoadRulesTests {
    static let c = SmallNetwork.c
    static let x0 = SmallNetwork.x0, y0 = SmallNetwork.y0

    /// A street along y = 0, and a road north–south across it at x = 200 whose middle
    /// stretch carries `tags`; the two really meet only round the east: (400, 0) → (400, 200)
    /// → (200, 200).
    static func crossing(_ tags: RoadTags, topology: RoadTopology = .nodedCrossings) throws -> RoadNetwork {
        try RoadNetwork(lines: [
            RoadLine(id: "street", roadClass: .residential, coordinates: [c(0, 0), c(400, 0)]),
            RoadLine(id: "south", roadClass: .residential, coordinates: [c(200, -200), c(200, -20)]),
            RoadLine(id: "middle", roadClass: .residential, coordinates: [c(200, -20), c(200, 20)], tags: tags),
            RoadLine(id: "north", roadClass: .residential, coordinates: [c(200, 20), c(200, 200)]),
            RoadLine(id: "east", roadClass: .residential, coordinates: [c(400, 0), c(400, 200)]),
            RoadLine(id: "top", roadClass: .residential, coordinates: [c(400, 200), c(200, 200)]),
        ], workingCRS: "EPSG:4549", options: .init(topology: topology))
    }

    /// Metres from the street's west end to the north road's end, on foot.
    static func westToNorth(_ network: RoadNetwork) throws -> Double? {
        let from = try #require(network.snap(x: x0, y: y0)), to = try #require(network.snap(x: x0 + 200, y: y0 + 200))
        return network.route(from: from, to: to).map(\.roadDistance)
    }

    @Test("a street meets a plain road where it crosses it: 400 m through the crossing")
    func plainCrossing() throws {
        let distance = try #require(try Self.westToNorth(Self.crossing(RoadTags())))
        #expect(abs(distance - 400) < 1e-6)
    }

    @Test("a bridge, a tunnel, another layer never meet the street they cross: 800 m round by the real junctions",
          arguments: [RoadTags(bridge: "yes"), RoadTags(tunnel: "yes"), RoadTags(tunnel: "culvert"), RoadTags(layer: "-1"),
                      RoadTags(layer: "1", bridge: "viaduct")])
    func gradeSeparated(tags: RoadTags) throws {
        let network = try Self.crossing(tags)
        let distance = try #require(try Self.westToNorth(network))
        #expect(abs(distance - 800) < 1e-6)
        #expect(!(0..<network.vertexCount).contains { network.vertexX[$0] == Self.x0 + 200 && network.vertexY[$0] == Self.y0 })
    }

    @Test("bridge=no and layer 0 are the ground: they meet the street")
    func notSeparated() throws {
        let distance = try #require(try Self.westToNorth(Self.crossing(RoadTags(layer: "0", bridge: "no"))))
        #expect(abs(distance - 400) < 1e-6)
    }

    @Test("with shared-vertex topology a crossing without a shared vertex is no junction, a shared vertex is")
    func sharedVertices() throws {
        let apart = try #require(try Self.westToNorth(Self.crossing(RoadTags(), topology: .sharedVertices)))
        #expect(abs(apart - 800) < 1e-6)
        // The same roads with the street drawn through the crossing point: they share it.
        let network = try RoadNetwork(lines: [
            RoadLine(id: "street", roadClass: .residential, coordinates: [Self.c(0, 0), Self.c(200, 0), Self.c(400, 0)]),
            RoadLine(id: "cross", roadClass: .residential, coordinates: [Self.c(200, -200), Self.c(200, 0), Self.c(200, 200)]),
        ], workingCRS: "EPSG:4549", options: .init(topology: .sharedVertices))
        #expect(network.edgeCount == 4 && network.isConnected)
        let distance = try #require(try Self.westToNorth(network))
        #expect(abs(distance - 400) < 1e-6)
        #expect(network.topology == .sharedVertices && network.joinedEnds.isEmpty)
    }

    @Test("a bridge whose end lies on a street's middle meets it there")
    func bridgeEndOnAStreet() throws {
        let network = try RoadNetwork(lines: [
            RoadLine(id: "street", roadClass: .residential, coordinates: [Self.c(0, 0), Self.c(400, 0)]),
            RoadLine(id: "ramp", roadClass: .residential, coordinates: [Self.c(100, 0), Self.c(100, 100)], tags: RoadTags(bridge: "yes")),
        ], workingCRS: "EPSG:4549")
        #expect(network.isConnected && network.edgeCount == 3)
        let from = try #require(network.snap(x: Self.x0 + 100, y: Self.y0 + 100)), to = try #require(network.snap(x: Self.x0, y: Self.y0))
        #expect(abs((network.route(from: from, to: to)?.roadDistance ?? 0) - 200) < 1e-6)
    }

    /// A 100 m road from (0, 0) east to (100, 0) with `tags` (drawn west to east, or east to
    /// west when `drawnBackwards`), and a 300 m way round by the north.
    static let along = 80.0, round = 320.0, closed = 300.0
    static func loop(_ tags: RoadTags, drawnBackwards: Bool = false, roadClass: RoadClass = .residential) throws -> RoadNetwork {
        let short = drawnBackwards ? [c(100, 0), c(50, 0), c(0, 0)] : [c(0, 0), c(50, 0), c(100, 0)]
        return try RoadNetwork(lines: [
            RoadLine(id: "short", roadClass: roadClass, coordinates: short, tags: tags),
            RoadLine(id: "round", roadClass: .residential, coordinates: [c(100, 0), c(100, 100), c(0, 100), c(0, 0)]),
        ], workingCRS: "EPSG:4549")
    }

    /// Metres from (10, -1) to (90, -1) and back under `profile`, each by its cheapest route:
    /// 80 m along the short road where the profile may take it that way, 10 + 300 + 10 m round
    /// the loop where it may only go the other way, 300 m from corner to corner where it may not
    /// use it at all (the places snap to the loop's corners).
    static func eastAndWest(_ network: RoadNetwork, _ profile: TravelProfile) throws -> (east: Double, west: Double) {
        let weights = network.edgeWeights(.time(profile))
        let west = try #require(network.snap(x: x0 + 10, y: y0 - 1, weights: weights, tolerance: 50)).position
        let east = try #require(network.snap(x: x0 + 90, y: y0 - 1, weights: weights, tolerance: 50)).position
        let there = try #require(network.route(from: west, to: east, weights: weights, includeOffRoad: false))
        let back = try #require(network.route(from: east, to: west, weights: weights, includeOffRoad: false))
        return (there.roadDistance, back.roadDistance)
    }

    @Test("oneway=yes binds cars and bicycles along the drawing; walkers go both ways",
          arguments: ["yes", "1", "true"])
    func onewayForward(value: String) throws {
        let network = try Self.loop(RoadTags(oneway: value))
        for profile in [TravelProfile.car, .bicycle, .eBike] {
            let (east, west) = try Self.eastAndWest(network, profile)
            #expect(abs(east - Self.along) < 1e-6 && abs(west - Self.round) < 1e-6, "\(profile.name)")
        }
        let (east, west) = try Self.eastAndWest(network, .walk)
        #expect(abs(east - Self.along) < 1e-6 && abs(west - Self.along) < 1e-6)
    }

    @Test("oneway=-1, and oneway=yes on a road drawn the other way, allow only the way against the drawing")
    func onewayBackward() throws {
        let (east, west) = try Self.eastAndWest(Self.loop(RoadTags(oneway: "-1")), .car)
        #expect(abs(east - Self.round) < 1e-6 && abs(west - Self.along) < 1e-6)
        let drawn = try Self.eastAndWest(Self.loop(RoadTags(oneway: "yes"), drawnBackwards: true), .car)
        #expect(abs(drawn.east - Self.round) < 1e-6 && abs(drawn.west - Self.along) < 1e-6)
    }

    @Test("oneway:bicycle=no and a contraflow cycleway let bicycles ride a one-way street both ways; cars still may not",
          arguments: [RoadTags(oneway: "yes", onewayBicycle: "no"), RoadTags(oneway: "yes", cycleway: "opposite_lane"),
                      RoadTags(oneway: "yes", cycleway: "opposite")])
    func bicyclesAgainstTheOneway(tags: RoadTags) throws {
        let network = try Self.loop(tags)
        for profile in [TravelProfile.bicycle, .eBike] {
            let (east, west) = try Self.eastAndWest(network, profile)
            #expect(abs(east - Self.along) < 1e-6 && abs(west - Self.along) < 1e-6, "\(profile.name)")
        }
        let car = try Self.eastAndWest(network, .car)
        #expect(abs(car.east - Self.along) < 1e-6 && abs(car.west - Self.round) < 1e-6)
    }

    @Test("oneway:bicycle=yes makes a two-way road one-way for bicycles alone, and -1 the other way")
    func onewayForBicyclesAlone() throws {
        let forward = try Self.loop(RoadTags(onewayBicycle: "yes"))
        let bicycle = try Self.eastAndWest(forward, .bicycle)
        #expect(abs(bicycle.east - Self.along) < 1e-6 && abs(bicycle.west - Self.round) < 1e-6)
        let car = try Self.eastAndWest(forward, .car)
        #expect(abs(car.east - Self.along) < 1e-6 && abs(car.west - Self.along) < 1e-6)
        let backward = try Self.eastAndWest(Self.loop(RoadTags(onewayBicycle: "-1")), .eBike)
        #expect(abs(backward.east - Self.round) < 1e-6 && abs(backward.west - Self.along) < 1e-6)
    }

    @Test("a road's oneway:bicycle and cycleway properties reach the rules under OSM's names")
    func bicycleTagsFromProperties() {
        let tags = RoadTags(properties: ["oneway": .string("yes"), "oneway:bicycle": .string("No"),
                                         "cycleway": .string("opposite_track")])
        #expect(tags.onewayBicycle == "no" && tags.cycleway == "opposite_track" && tags.oneway == "yes")
    }

    @Test("a roundabout is one-way along its drawing unless oneway=no says otherwise")
    func roundabout() throws {
        let (east, west) = try Self.eastAndWest(Self.loop(RoadTags(junction: "roundabout")), .car)
        #expect(abs(east - Self.along) < 1e-6 && abs(west - Self.round) < 1e-6)
        let open = try Self.eastAndWest(Self.loop(RoadTags(oneway: "no", junction: "roundabout")), .car)
        #expect(abs(open.east - Self.along) < 1e-6 && abs(open.west - Self.along) < 1e-6)
    }

    @Test("a one-way road split by a crossing keeps its direction on every piece")
    func onewayAcrossNoding() throws {
        // The crossing road at x = 50 splits "short" in two; GEOS may turn pieces round.
        var lines = [
            RoadLine(id: "short", roadClass: .residential, coordinates: [Self.c(100, 0), Self.c(0, 0)], tags: RoadTags(oneway: "yes")),
            RoadLine(id: "round", roadClass: .residential, coordinates: [Self.c(100, 0), Self.c(100, 100), Self.c(0, 100), Self.c(0, 0)]),
        ]
        lines.append(RoadLine(id: "cross", roadClass: .residential, coordinates: [Self.c(50, -50), Self.c(50, 50)]))
        let network = try RoadNetwork(lines: lines, workingCRS: "EPSG:4549")
        let (east, west) = try Self.eastAndWest(network, .car)
        #expect(abs(west - Self.along) < 1e-6 && abs(east - Self.round) < 1e-6)
    }

    @Test("access=no closes a road to everyone, foot=yes opens it again to walkers, private is closed too")
    func access() throws {
        let closed = try Self.loop(RoadTags(access: "no"))
        for profile in TravelProfile.all { #expect(abs(try Self.eastAndWest(closed, profile).east - Self.closed) < 1e-6, "\(profile.name)") }
        let footpath = try Self.loop(RoadTags(access: "no", foot: "yes"))
        #expect(abs(try Self.eastAndWest(footpath, .walk).east - Self.along) < 1e-6)
        #expect(abs(try Self.eastAndWest(footpath, .car).east - Self.closed) < 1e-6)
        #expect(abs(try Self.eastAndWest(Self.loop(RoadTags(access: "private")), .car).east - Self.closed) < 1e-6)
        #expect(abs(try Self.eastAndWest(Self.loop(RoadTags(motorVehicle: "no")), .car).east - Self.closed) < 1e-6)
        #expect(abs(try Self.eastAndWest(Self.loop(RoadTags(motorVehicle: "no")), .bicycle).east - Self.along) < 1e-6)
        #expect(abs(try Self.eastAndWest(Self.loop(RoadTags(vehicle: "no", motorcar: "yes")), .car).east - Self.along) < 1e-6)
    }

    @Test("no car on a footway, path, steps, pedestrian street, cycleway, bridleway or corridor; walkers take them",
          arguments: [RoadClass.footway, .path, .steps, .pedestrian, .cycleway, .bridleway, .corridor])
    func noCars(roadClass: RoadClass) throws {
        let network = try Self.loop(RoadTags(), roadClass: roadClass)
        #expect(abs(try Self.eastAndWest(network, .car).east - Self.closed) < 1e-6)
        #expect(abs(try Self.eastAndWest(network, .walk).east - Self.along) < 1e-6)
        #expect(abs(try Self.eastAndWest(Self.loop(RoadTags(motorVehicle: "yes"), roadClass: roadClass), .car).east - Self.along) < 1e-6)
    }

    @Test("no walking or cycling on a motorway or trunk road unless a sidewalk or foot=yes says so",
          arguments: [RoadClass.motorway, .motorwayLink, .trunk, .trunkLink])
    func noWalkers(roadClass: RoadClass) throws {
        let network = try Self.loop(RoadTags(), roadClass: roadClass)
        for profile in [TravelProfile.walk, .bicycle, .eBike] {
            #expect(abs(try Self.eastAndWest(network, profile).east - Self.closed) < 1e-6, "\(profile.name)")
        }
        #expect(abs(try Self.eastAndWest(network, .car).east - Self.along) < 1e-6)
        #expect(abs(try Self.eastAndWest(Self.loop(RoadTags(sidewalk: "both"), roadClass: roadClass), .walk).east - Self.along) < 1e-6)
        #expect(abs(try Self.eastAndWest(Self.loop(RoadTags(sidewalk: "no"), roadClass: roadClass), .walk).east - Self.closed) < 1e-6)
        #expect(abs(try Self.eastAndWest(Self.loop(RoadTags(foot: "yes"), roadClass: roadClass), .walk).east - Self.along) < 1e-6)
    }

    @Test("a car drives at maxspeed where given: 50 → 7.2 s per 100 m, 30 mph → 7.456 s, none keeps the class's 30 km/h")
    func maxspeed() throws {
        func seconds(_ tags: RoadTags) throws -> Double {
            let network = try Self.loop(tags)
            let weights = network.edgeWeights(.time(.car))
            let short = try #require((0..<network.edgeCount).first { network.roadIDs[Int(network.edgeRoad[$0])] == "short" })
            return weights.forward[short]
        }
        #expect(abs(try seconds(RoadTags(maxspeed: "50")) - 7.2) < 1e-9)
        #expect(abs(try seconds(RoadTags(maxspeed: "30 mph")) - 100 / (30 * 1.609344 / 3.6)) < 1e-9)
        #expect(abs(try seconds(RoadTags(maxspeed: "none")) - 12) < 1e-9)
        #expect(abs(try seconds(RoadTags()) - 12) < 1e-9)
        #expect(RoadRules.kilometresPerHour(maxspeed: "walk") == 5)
        #expect(RoadRules.kilometresPerHour(maxspeed: "DE:urban") == nil)
    }

    @Test("Dacun's three classes keep their speeds: walk 4.5, e-bike 20/18/12, car 50/30/15 km/h")
    func dacunSpeeds() {
        for (profile, speeds) in [(TravelProfile.walk, [4.5, 4.5, 4.5]), (.eBike, [20, 18, 12]), (.car, [50, 30, 15])] {
            let got = [RoadClass.county, .village, .track].map { profile.speed(on: $0) * 3.6 }
            for (a, b) in zip(got, speeds) { #expect(abs(a - b) < 1e-9, "\(profile.name)") }
        }
        #expect(RoadClass(property: "motorway") == .motorway && RoadClass(property: "living_street") == .livingStreet)
        #expect(RoadClass(property: "runway") == .track && RoadClass(property: nil) == .track)
    }

    @Test("costs in a one-way network: the matrix, the place costs and the nearest facility agree, each way")
    func directedCostsAgree() throws {
        let network = try Self.loop(RoadTags(oneway: "yes"))
        let weights = network.edgeWeights(.time(.car))
        let points = [(10.0, 1.0), (90, -1), (100, 60), (30, 101), (-2, 40)]
        let positions = try points.map { try #require(network.snap(x: Self.x0 + $0.0, y: Self.y0 + $0.1, weights: weights, tolerance: 50)).position }
        let matrix = network.matrix(among: positions, cost: .time(.car))
        let sparse = RoadPlaceCosts(network: network, positions: positions, cost: .time(.car), ballSize: 1)
        #expect(sparse.isDirected)
        #expect(matrix[0, 1] < matrix[1, 0])
        for i in positions.indices {
            for j in positions.indices {
                #expect(abs(sparse.directedCost(i, j) - matrix[i, j]) < 1e-9, "\(i)→\(j)")
                #expect(sparse.cost(i, j) == max(sparse.directedCost(i, j), sparse.directedCost(j, i)))
                if let route = network.route(from: positions[i], to: positions[j], cost: .time(.car)), i != j {
                    #expect(abs(route.cost - matrix[i, j]) < 1e-9, "\(i)→\(j)")
                }
            }
        }
        // The nearest of facilities 2 and 3 from every place is the one a search from the place finds.
        let nearest = NearestFacility(network: network, facilities: [positions[2], positions[3]], cost: .time(.car))
        for i in [0, 1, 4] {
            let answer = try #require(nearest.nearest(to: positions[i]))
            let best = min(matrix[i, 2], matrix[i, 3])
            #expect(abs(answer.cost - best) < 1e-9 && [2, 3][answer.facility] == (matrix[i, 2] <= matrix[i, 3] ? 2 : 3))
        }
    }

    @Test("three stops at one spot cost nothing between them, in the matrix and in the place costs")
    func sameSpot() throws {
        let network = try SmallNetwork.make()
        let spot = try #require(network.snap(x: Self.x0 + 37, y: Self.y0 + 14))
        let other = try #require(network.snap(x: Self.x0 + 150, y: Self.y0 + 90))
        let positions = [spot, spot, spot, other]
        let matrix = network.matrix(among: positions, cost: .time(.walk))
        let sparse = RoadPlaceCosts(network: network, positions: positions, cost: .time(.walk), ballSize: 2)
        for i in 0..<3 {
            for j in 0..<3 {
                #expect(matrix[i, j] == 0 && sparse.cost(i, j) == 0)
            }
            #expect(matrix[i, 3] > 0)
        }
    }

    @Test("a stop snaps to the main network within the tolerance rather than a nearer road cut off from it")
    func snapTolerance() throws {
        // The main road along y = 0; an isolated footway 10 m from the point, the main road 30 m.
        let network = try RoadNetwork(lines: [
            RoadLine(id: "main", roadClass: .residential, coordinates: [Self.c(0, 0), Self.c(300, 0), Self.c(300, 300)]),
            RoadLine(id: "footway", roadClass: .footway, coordinates: [Self.c(50, 40), Self.c(150, 40)]),
        ], workingCRS: "EPSG:4549")
        let weights = network.edgeWeights(.time(.walk))
        let within = try #require(network.snap(x: Self.x0 + 100, y: Self.y0 + 30, weights: weights, tolerance: 50))
        #expect(within.piece == 0 && abs(within.position.offRoadDistance - 30) < 1e-9)
        let tight = try #require(network.snap(x: Self.x0 + 100, y: Self.y0 + 30, weights: weights, tolerance: 20))
        #expect(tight.piece == 1 && abs(tight.position.offRoadDistance - 10) < 1e-9)
        #expect(network.roadIDs[Int(network.edgeRoad[tight.position.edge])] == "footway")
        // A car may not use the footway at all: it takes the main road even within 20 m.
        let car = try #require(network.snap(x: Self.x0 + 100, y: Self.y0 + 39, weights: network.edgeWeights(.time(.car)), tolerance: 20))
        #expect(car.piece == 0 && abs(car.position.offRoadDistance - 39) < 1e-9)
    }

    @Test("the topology comes from the manifest member: absent or noded-crossings, shared-vertices, anything else refused")
    func topologyMember() throws {
        #expect(try RoadTopology(manifestMember: nil) == .nodedCrossings)
        #expect(try RoadTopology(manifestMember: "noded-crossings") == .nodedCrossings)
        #expect(try RoadTopology(manifestMember: "shared-vertices") == .sharedVertices)
        #expect(throws: RoadTopologyError.self) { try RoadTopology(manifestMember: "osm") }
        #expect(throws: RoadTopologyError.self) { try RoadTopology(manifestMember: 3) }
    }
}

@Suite("Tours over one-way streets without a matrix")
struct DirectedTourTests {
    @Test("a tour planned over the larger direction is timed with the directed costs, the cheaper way round")
    func retimed() throws {
        let network = try RoadRulesTests.loop(RoadTags(oneway: "yes"))
        let weights = network.edgeWeights(.time(.car))
        let points = [(10.0, -1.0), (90, -1), (100, 60), (30, 101), (-2, 40), (60, -1)]
        let positions = try points.map { point in
            try #require(network.snap(x: SmallNetwork.x0 + point.0, y: SmallNetwork.y0 + point.1, weights: weights, tolerance: 50)).position
        }
        let costs = RoadPlaceCosts(network: network, positions: positions, cost: .time(.car), ballSize: 2)
        let planned = try TourPlanner(costs: costs).plan(start: 0, options: .init(exactLimit: 0))
        let timed = costs.retimed(planned, options: .init())
        #expect(Set(timed.order) == Set(planned.order) && timed.order.count == planned.order.count)
        let directed = zip(timed.order, timed.order.dropFirst()).map { costs.directedCost($0, $1) }
        #expect(timed.legs == directed)
        let reversed = zip(timed.order.reversed(), timed.order.reversed().dropFirst()).map { costs.directedCost($0, $1) }
        #expect(timed.travelCost <= reversed.reduce(0, +))
        // The loop is one-way: no round trip is shorter than one lap (400 m at 30 km/h); the
        // larger direction bounds every leg, so the timed tour never costs more than planned.
        #expect(timed.travelCost >= 400 / (30 / 3.6) - 1e-9)
        #expect(planned.travelCost >= timed.travelCost)
    }
}
