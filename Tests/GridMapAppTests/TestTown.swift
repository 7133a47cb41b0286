import Foundation
import GridMapApp
import GridStore

/// The tiny-town fixture (Tests/gridmapTests/Fixtures/tiny-town: grids TT-001 and TT-002 in
/// village TT-V01; R-1, veteran, at home-1 (119.803,35.903) in TT-001-1; R-2, disabled and
/// party member, at home-2 (119.817,35.907) in TT-002-2; wells well-1 and well-2; team members
/// for TT-001 only) with roads and a citizen service station added, imported in process into a
/// fresh store in a temporary folder.
struct TestTown {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../gridmapTests/Fixtures/tiny-town").standardized

    /// A county road east–west, village spurs to both homes, track spurs to both wells.
    static let roads = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","id":"road-1","properties":{"kind":"road","name":"东西路","class":"county"},"geometry":{"type":"LineString","coordinates":[[119.801,35.905],[119.819,35.905]]}},
        {"type":"Feature","id":"road-2","properties":{"kind":"road","name":"西支路","class":"village"},"geometry":{"type":"LineString","coordinates":[[119.803,35.9055],[119.803,35.9033]]}},
        {"type":"Feature","id":"road-3","properties":{"kind":"road","name":"东支路","class":"village"},"geometry":{"type":"LineString","coordinates":[[119.817,35.9045],[119.817,35.9067]]}},
        {"type":"Feature","id":"road-4","properties":{"kind":"road","name":"西井路","class":"track"},"geometry":{"type":"LineString","coordinates":[[119.805,35.9055],[119.805,35.9023]]}},
        {"type":"Feature","id":"road-5","properties":{"kind":"road","name":"东井路","class":"track"},"geometry":{"type":"LineString","coordinates":[[119.815,35.9045],[119.815,35.9077]]}}
        ]}
        """
    static let stations = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","id":"svc-1","properties":{"kind":"citizen-service-station","name":"西驿站"},"geometry":{"type":"Point","coordinates":[119.806,35.9052]}}
        ]}
        """

    let folder: URL
    let store: SQLiteTownStore

    init(roads: Bool = true) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-app-test-\(UUID().uuidString)")
        let town = folder.appendingPathComponent("town")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.fixture, to: town)
        if roads {
            try Self.roads.write(to: town.appendingPathComponent("roads.geojson"), atomically: true, encoding: .utf8)
            try Self.stations.write(to: town.appendingPathComponent("citizen-service-stations.geojson"), atomically: true, encoding: .utf8)
        }
        store = try TownStores(path: folder.appendingPathComponent("town.sqlite").path).openForImport()
        try TownTransfer.importFolder(town, crs: nil, into: store)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
