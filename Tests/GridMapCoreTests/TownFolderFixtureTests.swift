// The fixture shared by the TownFolder test suites (no tests of its own).
import Foundation
import GeoJSON
import GridMapCore

/// A small town with one of everything, in coordinates that survive 7-decimal rounding exactly
/// and rings oriented as RFC 7946 writes them, so a write → read round trip must give it back.
enum TownFolderFixture {
    static func square(_ x: Double, _ y: Double, _ x2: Double, _ y2: Double) -> Geometry {
        .polygon([[Position(x: x, y: y), Position(x: x2, y: y), Position(x: x2, y: y2), Position(x: x, y: y2), Position(x: x, y: y)]])
    }

    static var town: TownData {
        let grid1 = GridCode("DC-001")!, grid2 = GridCode("DC-002")!
        return TownData(
            town: Town(code: "DC", name: "大村镇", latinName: "Dacun", workingCRS: "EPSG:4549",
                       boundary: square(119.8, 35.9, 119.82, 35.91)),
            villages: [Village(code: "DC-V01", name: "东河村"), Village(code: "DC-V02", name: "西庄村")],
            grids: [
                Grid(code: grid1, name: "东河村", villageCode: "DC-V01", geometry: square(119.8, 35.9, 119.81, 35.91)),
                Grid(code: grid2, name: "王家庄", villageCode: "DC-V02", geometry: square(119.81, 35.9, 119.82, 35.91)),
            ],
            microGrids: [
                MicroGrid(code: grid1.microGrid(1)!, name: "东河村第一微网格", geometry: square(119.8, 35.9, 119.81, 35.905)),
                MicroGrid(code: grid1.microGrid(2)!, name: "东河村第二微网格", geometry: square(119.8, 35.905, 119.81, 35.91)),
                MicroGrid(code: grid2.microGrid(1)!, name: "王家庄第一微网格", geometry: square(119.81, 35.9, 119.82, 35.91)),
            ],
            features: [
                MapFeature(id: "field-1", kind: .field, name: "东河村农田", geometry: square(119.801, 35.901, 119.803, 35.903),
                           properties: ["crop": "小麦/玉米", "areaMu": 12.5]),
                MapFeature(id: "pond-1", kind: FeatureKind(rawValue: "fish-pond")!, name: "鱼塘", geometry: square(119.811, 35.901, 119.812, 35.902)),
                MapFeature(id: "home-1", kind: .home, name: "东河村1号", geometry: .point(Position(x: 119.8051234, y: 35.9012345)),
                           properties: ["address": "大村镇东河村1号", "houseNumber": 1]),
                MapFeature(id: "home-2", kind: .home, name: "王家庄2号", geometry: .point(Position(x: 119.8151234, y: 35.9052345)),
                           properties: ["address": "大村镇王家庄2号", "houseNumber": 2, "note": ["nested": [1, true, nil]]]),
                MapFeature(id: "road-1", kind: .road, name: "县道X601",
                           geometry: .lineString([Position(x: 119.8, y: 35.9055), Position(x: 119.81, y: 35.9055), Position(x: 119.82, y: 35.906)]),
                           properties: ["class": "county", "ref": "X601"]),
                MapFeature(id: "well-1", kind: .well, name: "东河村水井", geometry: .point(Position(x: 119.806, y: 35.904)),
                           properties: ["use": "drinking"]),
            ],
            residents: [
                Resident(id: "R-000001", name: "王秀英", homeID: "home-1", categories: [.elderlyLivingAlone, .partyMember],
                         phone: "138****1234", birthYear: 1948),
                Resident(id: "R-000002", name: "Li, \"Xiao\" Ming", homeID: "home-2", categories: [ResidentCategory(rawValue: "new-arrival")!]),
                Resident(id: "R-000003", name: "张\n伟", homeID: "home-2", birthYear: 2015),
            ],
            team: [
                TeamMember(gridCode: grid1, role: .chief, name: "王建国", phone: "139****0001"),
                TeamMember(gridCode: grid1, role: .liaison, name: "李娟"),
                TeamMember(gridCode: grid1, role: .functional, name: "赵刚", unit: "大村派出所", phone: "137****0002"),
                TeamMember(gridCode: grid2, role: .volunteer, name: "孙丽", unit: "党员志愿者"),
            ])
    }

    static func temporaryFolder(_ name: String = "town") -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-\(name)-\(UUID().uuidString)")
    }

    /// Writes the fixture to a fresh folder.
    static func written() throws -> URL {
        let folder = temporaryFolder()
        try TownFolder.write(town, to: folder)
        return folder
    }

    static func replace(_ file: String, in folder: URL, _ body: (String) -> String) throws {
        let url = folder.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        let changed = body(text)
        precondition(changed != text, "the edit of \(file) changed nothing")
        try changed.write(to: url, atomically: true, encoding: .utf8)
    }

    /// The problems `TownFolder.read` reports for the folder (empty when it reads fine).
    static func problems(_ folder: URL, options: TownFolder.ReadOptions = .init()) -> [TownFolderProblem] {
        do {
            _ = try TownFolder.read(from: folder, options: options)
            return []
        } catch {
            return error.problems
        }
    }
}
