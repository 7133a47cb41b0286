import Foundation
import GEOS
import GeoJSON
import GridMapCore
import PROJ
import Routing
import Testing

/// Real OpenStreetMap streets (geodata/osm, © OpenStreetMap contributors, ODbL 1.0),
/// read with `ogr2ogr -f GeoJSONSeq` into road features as the importer makes them: `way/ID`
/// ids, `class` from `highway`, the contract's tags from `other_tags`. Kept small and here until
/// the GDAL importer is merged.
enum RealOSM {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../geodata/osm").standardized

    /// Aguascalientes (UTM zone 13N): bridges, layers, a tunnel, 240 one-way ways, 78 private.
    static let aguascalientes = Result { try roads(file: "aguascalientes.osm.pbf") }

    /// The tags routing reads (the contract's list).
    static let tagNames = ["oneway", "junction", "access", "vehicle", "motor_vehicle", "motorcar", "bicycle", "foot",
                           "maxspeed", "sidewalk", "layer", "bridge", "tunnel"]

    /// The file's `lines` layer: every way with a `highway` value, as a road feature.
    static func roads(file: String) throws -> [MapFeature] {
        let process = Process(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ogr2ogr")
        process.arguments = ["-q", "-f", "GeoJSONSeq", "/vsistdout/", folder.appendingPathComponent(file).path, "lines"]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var features: [MapFeature] = []
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let feature = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let properties = feature["properties"] as? [String: Any], let highway = properties["highway"] as? String,
                  let id = properties["osm_id"] as? String,
                  let coordinates = (feature["geometry"] as? [String: Any])?["coordinates"] as? [[Double]]
            else { continue }
            var members: JSONObject = ["class": .string(highway)]
            let other = properties["other_tags"] as? String ?? ""
            // hstore text: "key"=>"value","key"=>"value"
            let pairs = try Regex(#""([^"]+)"=>"([^"]*)""#)
            for match in other.matches(of: pairs) {
                let key = String(other[match.output[1].range!]), value = String(other[match.output[2].range!])
                if tagNames.contains(key) { members[key] = .string(value) }
            }
            features.append(MapFeature(id: "way/\(id)", kind: .road, name: properties["name"] as? String ?? "",
                                       geometry: .lineString(coordinates.map { Position(x: $0[0], y: $0[1]) }), properties: members))
        }
        return features
    }
}

@Suite("Routing on real OpenStreetMap streets obeys the road")
struct RealOSMRoutingTests {
    static let crs: CRSDefinition = "EPSG:32613"

    /// The network as the importer's `shared-vertices` manifest builds it.
    static func network(_ topology: RoadTopology = .sharedVertices) throws -> (RoadNetwork, [MapFeature]) {
        let roads = try RealOSM.aguascalientes.get()
        return (try RoadNetwork(roads: roads, workingCRS: crs, options: .init(topology: topology)), roads)
    }

    /// A fixed spread of road points to route between: every 7th edge's middle.
    static func places(_ network: RoadNetwork, _ weights: EdgeWeights) -> [RoadPosition] {
        stride(from: 0, to: network.edgeCount, by: 7).filter { weights.pieceOfEdge[$0] == 0 }
            .map { network.position(edge: $0, offset: network.edgeLength[$0] / 2) }
    }

    /// Every route between consecutive places of ``places(_:_:)`` (and back) under `cost`.
    static func routes(_ network: RoadNetwork, _ cost: RouteCost) -> [RoadRoute] {
        let weights = network.edgeWeights(cost)
        let places = places(network, weights)
        return places.indices.dropFirst().flatMap { i in
            [network.route(from: places[i - 1], to: places[i], weights: weights),
             network.route(from: places[i], to: places[i - 1], weights: weights)].compactMap { $0 }
        }
    }

    @Test("the data holds what the tests need: bridges and layers crossing streets without a shared node, one-ways, private roads")
    func dataHasTheCases() throws {
        let (network, roads) = try Self.network()
        let tags = roads.map { RoadTags(properties: $0.properties) }
        #expect(tags.filter { $0.bridge != nil }.count >= 5 && tags.filter { $0.layer != nil }.count >= 5)
        #expect(tags.filter { $0.oneway == "yes" }.count >= 100 && tags.filter { $0.access == "private" }.count >= 50)
        #expect(network.edgeCount > 1000 && network.components[0].vertexCount > 1000)
        // Crossings of a grade-separated way with another way where they share no node: the
        // false junctions a noded network would make.
        let noded = try Self.network(.nodedCrossings).0
        let naive = try RoadNetwork(roads: roads.map { road in
            var road = road
            for name in ["bridge", "tunnel", "layer"] { road.properties[name] = nil }
            return road
        }, workingCRS: Self.crs, options: .init(topology: .nodedCrossings))
        #expect(naive.vertexCount > noded.vertexCount, "noding every crossing makes junctions the levels forbid")
    }

    @Test("a path never passes from one way to another except at a node both ways share")
    func onlySharedNodes() throws {
        let (network, roads) = try Self.network()
        // The projected vertices of each way, as the network saw them.
        let projection = network.projection
        var nodes: [String: Set<Coordinate>] = [:]
        for road in roads {
            guard case .lineString(let line) = road.geometry else { continue }
            nodes[road.id] = Set(try projection.transform(line).map(\.coordinate))
        }
        var checked = 0
        for cost in [RouteCost.distance, .time(.car)] {
            for route in Self.routes(network, cost) {
                for (a, b) in zip(route.steps, route.steps.dropFirst()) {
                    let roadA = network.roadIDs[Int(network.edgeRoad[a.edge])], roadB = network.roadIDs[Int(network.edgeRoad[b.edge])]
                    let joint = a.toOffset == 0 ? network.edgeFrom[a.edge] : network.edgeTo[a.edge]
                    let point = Coordinate(x: network.vertexX[Int(joint)], y: network.vertexY[Int(joint)])
                    #expect(nodes[roadA]?.contains(point) == true && nodes[roadB]?.contains(point) == true, "\(roadA) → \(roadB)")
                    if roadA != roadB { checked += 1 }
                }
            }
        }
        #expect(checked > 500)
    }

    @Test("with noded crossings too, ways of different levels meet only at an end of one of them")
    func levelsMeetAtEnds() throws {
        let (network, roads) = try Self.network(.nodedCrossings)
        let levels = Dictionary(uniqueKeysWithValues: roads.map { ($0.id, RoadTags(properties: $0.properties).level) })
        let projection = network.projection
        var ends = Set<Coordinate>()
        for road in roads {
            guard case .lineString(let line) = road.geometry else { continue }
            let metres = try projection.transform([line[0], line[line.count - 1]]).map(\.coordinate)
            ends.formUnion(metres)
        }
        var levelsAt = [Set<RoadLevel>](repeating: [], count: network.vertexCount)
        for e in 0..<network.edgeCount {
            let level = levels[network.roadIDs[Int(network.edgeRoad[e])]]!
            levelsAt[Int(network.edgeFrom[e])].insert(level)
            levelsAt[Int(network.edgeTo[e])].insert(level)
        }
        var meetings = 0
        for v in 0..<network.vertexCount {
            let here = levelsAt[v]
            guard here.count > 1 else { continue }
            meetings += 1
            let point = Coordinate(x: network.vertexX[v], y: network.vertexY[v])
            let atAnEnd = ends.contains { end in abs(end.x - point.x) < 1e-5 && abs(end.y - point.y) < 1e-5 }
            #expect(atAnEnd, "vertex \(v)")
        }
        #expect(meetings >= 5)
    }

    @Test("a car never takes a footway, path, steps or pedestrian street, nor a private road, nor goes against a one-way street")
    func carsObey() throws {
        let (network, _) = try Self.network()
        var oneways = 0
        for route in Self.routes(network, .time(.car)) {
            for step in route.steps where step.length > 0 {
                let road = Int(network.edgeRoad[step.edge])
                let tags = network.roadTags[road]
                #expect(![RoadClass.footway, .path, .steps, .pedestrian, .cycleway].contains(network.edgeClass[step.edge]))
                #expect(tags.access != "private" && tags.motorVehicle != "no")
                // Along the way's drawing: along the edge when the edge runs with the way.
                let alongEdge = step.toOffset > step.fromOffset
                if tags.oneway == "yes" || tags.junction == "roundabout" && tags.oneway == nil {
                    #expect(alongEdge == network.edgeAlongRoad[step.edge], "\(network.roadIDs[road])")
                    oneways += 1
                }
            }
        }
        #expect(oneways > 100)
    }

    @Test("a walker goes both ways along one-way streets but never on a private road nor a motorway")
    func walkersObey() throws {
        let (network, _) = try Self.network()
        var against = 0
        for route in Self.routes(network, .distance) {
            for step in route.steps where step.length > 0 {
                let tags = network.roadTags[Int(network.edgeRoad[step.edge])]
                #expect(tags.access != "private" || tags.foot == "yes")
                #expect(![RoadClass.motorway, .motorwayLink, .trunk, .trunkLink].contains(network.edgeClass[step.edge]))
                if tags.oneway == "yes", (step.toOffset > step.fromOffset) != network.edgeAlongRoad[step.edge] { against += 1 }
            }
        }
        #expect(against > 0, "walkers do use one-way streets against their direction")
    }
}
