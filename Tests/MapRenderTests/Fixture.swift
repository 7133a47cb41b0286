import GeoJSON
import GridMapCore

/// A small synthetic town near 119.8°E 35.9°N: two grids side by side, each split into a north
/// and a south micro-grid, with a road of each class, a river, a ditch, a forest, a field, two
/// wells, homes and a clinic. One grid's name holds XML-special characters.
enum Fixture {
    static let west = (min: 119.78, max: 119.80)
    static let east = (min: 119.80, max: 119.82)
    static let south = 35.89, middle = 35.90, north = 35.91

    static func rectangle(_ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double) -> Geometry {
        .polygon([[Position(x: minX, y: minY), Position(x: maxX, y: minY), Position(x: maxX, y: maxY),
                   Position(x: minX, y: maxY), Position(x: minX, y: minY)]])
    }

    static let grid1 = GridCode("DC-001")!
    static let grid2 = GridCode("DC-002")!
    static let awkwardName = "河口<东>&村"

    static func town(features: Bool = true) -> TownData {
        let town = Town(code: "DC", name: "大村镇", latinName: "Dacun", workingCRS: "EPSG:4549",
                        boundary: rectangle(west.min, south, east.max, north))
        let grids = [
            Grid(code: grid1, name: "东庄村", villageCode: "DC-V01", geometry: rectangle(west.min, south, west.max, north)),
            Grid(code: grid2, name: awkwardName, villageCode: "DC-V01", geometry: rectangle(east.min, south, east.max, north)),
        ]
        var micro: [MicroGrid] = []
        for (grid, span) in [(grid1, west), (grid2, east)] {
            micro.append(MicroGrid(code: grid.microGrid(1)!, name: "北片", geometry: rectangle(span.min, middle, span.max, north)))
            micro.append(MicroGrid(code: grid.microGrid(2)!, name: "南片", geometry: rectangle(span.min, south, span.max, middle)))
        }
        return TownData(town: town, grids: grids, microGrids: micro, features: features ? Self.features : [])
    }

    static func line(_ points: [(Double, Double)]) -> Geometry {
        .lineString(points.map { Position(x: $0.0, y: $0.1) })
    }

    static let features: [MapFeature] = [
        MapFeature(id: "road-1", kind: .road, name: "县道X601", geometry: line([(119.775, 35.897), (119.825, 35.899)]),
                   properties: ["class": "county"]),
        MapFeature(id: "road-2", kind: .road, name: "东庄路", geometry: line([(119.79, 35.892), (119.79, 35.908)]),
                   properties: ["class": "village"]),
        MapFeature(id: "road-3", kind: .road, name: "", geometry: line([(119.805, 35.893), (119.815, 35.906)]),
                   properties: ["class": "track"]),
        MapFeature(id: "river-1", kind: .river, name: "白马河", geometry: line([(119.78, 35.905), (119.82, 35.903)])),
        MapFeature(id: "ditch-1", kind: .ditch, name: "", geometry: line([(119.81, 35.891), (119.811, 35.902)])),
        MapFeature(id: "forest-1", kind: .forest, name: "藏马山林场", geometry: rectangle(119.783, 35.9065, 119.797, 35.9095)),
        MapFeature(id: "field-1", kind: .field, name: "", geometry: rectangle(119.803, 35.891, 119.818, 35.896)),
        MapFeature(id: "well-1", kind: .well, name: "一号井", geometry: .point(Position(x: 119.785, y: 35.893))),
        MapFeature(id: "well-2", kind: .well, name: "二号井", geometry: .point(Position(x: 119.815, y: 35.901))),
        MapFeature(id: "home-1", kind: .home, name: "", geometry: .point(Position(x: 119.792, y: 35.901))),
        MapFeature(id: "home-2", kind: .home, name: "", geometry: .point(Position(x: 119.793, y: 35.9012))),
        MapFeature(id: "home-3", kind: .home, name: "", geometry: .point(Position(x: 119.808, y: 35.8975))),
        MapFeature(id: "clinic-1", kind: .clinic, name: "东庄村卫生室", geometry: .point(Position(x: 119.787, y: 35.8985))),
    ]
}
