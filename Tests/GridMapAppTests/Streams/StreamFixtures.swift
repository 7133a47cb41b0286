import ByteOutput
import CSV
import GeoJSON
import GridMapApp
import GridMapCore

/// A two-micro-grid town in degrees for the streaming jobs: grid DC-001 is the square
/// 119.80–119.82 °E × 35.90–35.91 °N, split at 119.81 °E into DC-001-1 (west) and DC-001-2
/// (east). Homes: home-1 at (119.805, 35.905) in DC-001-1, home-2 at (119.815, 35.905) in DC-001-2,
/// home-3 at (119.90, 35.905) outside every micro-grid. Wells: well-a at the west home, well-b at
/// (119.8155, 35.905).
enum StreamFixtures {
    static func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Geometry {
        .polygon([[Position(x: x0, y: y0), Position(x: x1, y: y0), Position(x: x1, y: y1),
                   Position(x: x0, y: y1), Position(x: x0, y: y0)]])
    }

    static func home(_ id: String, _ x: Double, _ y: Double, address: String) -> MapFeature {
        MapFeature(id: id, kind: .home, name: "", geometry: .point(Position(x: x, y: y)), properties: ["address": .string(address)])
    }

    static let data: TownData = {
        let town = Town(code: "DC", name: "大村镇", latinName: "Dacun", workingCRS: "EPSG:4549",
                        boundary: square(119.80, 35.90, 119.82, 35.91))
        let grid = Grid(code: GridCode("DC-001")!, name: "一", villageCode: "DC-V01", geometry: square(119.80, 35.90, 119.82, 35.91))
        let microGrids = [
            MicroGrid(code: GridCode("DC-001-1")!, name: "西", geometry: square(119.80, 35.90, 119.81, 35.91)),
            MicroGrid(code: GridCode("DC-001-2")!, name: "东", geometry: square(119.81, 35.90, 119.82, 35.91)),
        ]
        let features = [
            home("home-1", 119.805, 35.905, address: "大村镇东河村1号"),
            home("home-2", 119.815, 35.905, address: "大村镇东河村2号"),
            home("home-3", 119.90, 35.905, address: "大村镇西河村3号"),
            MapFeature(id: "well-a", kind: .well, name: "", geometry: .point(Position(x: 119.805, y: 35.905))),
            MapFeature(id: "well-b", kind: .well, name: "", geometry: .point(Position(x: 119.8155, y: 35.905))),
        ]
        return TownData(town: town, grids: [grid], microGrids: microGrids, features: features)
    }()

    static func atlas() throws -> Atlas { try Atlas(data) }

    static func table(_ text: String, name: String = "in.csv", hasHeader: Bool = true) throws -> CSVTable {
        try CSVTable(bytes: Array(text.utf8), name: name, hasHeader: hasHeader)
    }
}

/// A sink that refuses every write, as a full disk or a closed pipe would.
final class FailingSink: ByteSink {
    func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        throw OutputError("cannot write to standard output: No space left on device")
    }
}

/// Bad rows gathered as their `FILE:LINE: reason` text.
final class BadRows {
    private(set) var reported: [String] = []
    func add(_ row: CSVBadRow) { reported.append(row.description) }
}
