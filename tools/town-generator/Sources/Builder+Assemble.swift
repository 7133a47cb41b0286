import Foundation
import GEOS
import GeoJSON
import GridMapCore

extension Builder {
    /// Everything as `TownData` in WGS84, features grouped by layer in layer-name order (the
    /// order `TownFolder.read` gives back), ids numbered in generation order.
    func assemble() throws -> TownData {
        var rng = rng("assemble")
        func padded(_ n: Int, _ width: Int) -> String {
            let text = String(n)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let town = Town(code: config.townCode, name: config.townName, latinName: config.latinName,
                        workingCRS: config.workingCRS, boundary: townShape)
        let villages = villageNames.indices.map { Village(code: villageCodeOf($0), name: villageNames[$0]) }
        var grids: [Grid] = []
        var microGrids: [MicroGrid] = []
        for g in gridOrder {
            let code = GridCode(town: config.townCode, grid: gridNumber[g])!
            grids.append(Grid(code: code, name: gridNames[g], villageCode: villageCodeOf(villageOf[g]), geometry: gridShapes[g]))
            for j in microSeeds[g].indices.sorted(by: { microNumber[g][$0] < microNumber[g][$1] }) {
                let number = microNumber[g][j]
                microGrids.append(MicroGrid(code: code.microGrid(number)!, name: gridNames[g] + "第" + Names.numeral(number) + "微网格",
                                            geometry: .polygon([microRings[g][j]])))
            }
        }

        var layers: [FeatureKind: [MapFeature]] = [:]
        func add(_ kind: FeatureKind, _ width: Int, _ name: String, _ geometry: Geometry, _ properties: JSONObject = [:]) {
            let number = (layers[kind]?.count ?? 0) + 1
            layers[kind, default: []].append(MapFeature(id: "\(kind.rawValue)-" + padded(number, width), kind: kind, name: name,
                                                        geometry: geometry, properties: properties))
        }

        // Fields
        let crops: [(String, Double)] = [("小麦/玉米", 55), ("花生", 18), ("蔬菜", 10), ("蓝莓", 9), ("茶叶", 8)]
        var fieldCounter: [Int: Int] = [:]
        for field in fields {
            guard let geometry = try wgs84Polygonal(field.polygon) else { continue }
            let k = (fieldCounter[field.grid] ?? 0) + 1
            fieldCounter[field.grid] = k
            add(.field, 4, gridNames[field.grid] + "第" + Names.numeral(k) + "片农田", geometry, [
                "crop": .string(crops[rng.weighted(crops.map(\.1))].0),
                "areaMu": .number(JSONNumber((field.area / (10_000.0 / 15) * 10).rounded() / 10)),
            ])
        }
        // Forest: one feature per part, named after its hill.
        let hillShapes = try hills.map { try PreparedGeometry(geos.polygon(hillRing($0, scale: forestScale))) }
        for part in try forest.polygons() {
            guard let geometry = try wgs84Polygonal(part) else { continue }
            let inside = try part.pointOnSurface().pointCoordinate()
            let hill = try hills.indices.first { try hillShapes[$0].containsXY(x: inside.x, y: inside.y) } ?? 0
            add(.forest, 3, hills[hill].name + "林地", geometry, [
                "hill": .string(hills[hill].name),
                "areaHa": .number(JSONNumber((try part.area() / 10_000 * 10).rounded() / 10)),
            ])
        }
        // Water
        add(.river, 1, "白马河", wgs84Line(river)!, ["widthM": 25])
        add(.lake, 1, "藏马湖", try wgs84Polygonal(lake)!, ["type": "reservoir"])
        for ditch in try makeDitches() {
            guard let line = wgs84Line(ditch.points) else { continue }
            add(.ditch, 3, gridNames[ditch.grid] + (ditch.purpose == "irrigation" ? "灌渠" : "排水沟"), line,
                ["purpose": .string(ditch.purpose), "widthM": ditch.purpose == "irrigation" ? 2 : 3])
        }
        // Roads
        let surfaces = ["county": "asphalt", "village": "concrete", "track": "earth"]
        for road in roads {
            guard let line = wgs84Line(road.points) else { continue }
            var properties: JSONObject = ["class": .string(road.roadClass)]
            if let ref = road.ref { properties["ref"] = .string(ref) }
            properties["surface"] = .string(surfaces[road.roadClass]!)
            add(.road, 4, road.name, line, properties)
        }
        // Homes
        for home in homes {
            let name = gridNames[home.grid] + "\(home.number)号"
            add(.home, 5, name, .point(home.position), ["address": .string(config.townName + name), "houseNumber": .number(JSONNumber(home.number))])
        }
        // Facilities, in grid order (wells, squares, services)
        for facility in facilities {
            add(facility.kind, 4, facility.name, facility.geometry, facility.properties)
        }

        let features = layers.keys.sorted { $0.layerName.utf8.lexicographicallyPrecedes($1.layerName.utf8) }.flatMap { layers[$0]! }
        return TownData(town: town, villages: villages, grids: grids, microGrids: microGrids, features: features,
                        residents: residents, team: team)
    }
}
