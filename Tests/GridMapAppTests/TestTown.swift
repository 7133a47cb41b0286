import Foundation
import GridMapApp
import GridStore

/// The tiny-town fixture (Tests/gridmapTests/Fixtures/tiny-town: grids TT-001 and TT-002 in
/// village TT-V01; R-1, veteran, at home-1 (119.803,35.903) in TT-001-1; R-2, disabled and
/// party member, at home-2 (119.817,35.907) in TT-002-2; wells well-1 and well-2; team members
/// for TT-001 only) with the road layers added, imported in process into a
/// fresh store in a temporary folder.
struct TestTown {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../gridmapTests/Fixtures/tiny-town").standardized

    /// The roads (a county road east–west, village spurs to both homes, track spurs to both
    /// wells, and one short track joined to nothing) and a citizen service station in TT-001,
    /// shared with the CLI's tests.
    static let roadLayers = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../gridmapTests/Fixtures/road-layers").standardized

    let folder: URL
    let store: any TownStore

    /// `teamRows` (CSV lines) are added to the fixture's team.csv before the import.
    init(roads: Bool = true, teamRows: String = "") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-app-test-\(UUID().uuidString)")
        let town = folder.appendingPathComponent("town")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.fixture, to: town)
        if !teamRows.isEmpty {
            let team = town.appendingPathComponent("team.csv")
            try (String(contentsOf: team, encoding: .utf8) + teamRows).write(to: team, atomically: true, encoding: .utf8)
        }
        if roads {
            for layer in ["roads.geojson", "citizen-service-stations.geojson"] {
                try FileManager.default.copyItem(at: Self.roadLayers.appendingPathComponent(layer), to: town.appendingPathComponent(layer))
            }
        }
        store = try TownStores(path: folder.appendingPathComponent("town.sqlite").path).openForImport()
        try TownTransfer.importFolder(town, crs: nil, into: store)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
