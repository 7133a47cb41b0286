import Foundation
import GeoJSON
import GridMapCore
import Testing

/// The rules that fit real data (issue #11, item 2), read from a town folder: names, addresses and
/// house numbers optional, homes as polygons, OSM road classes, catalogue layer names.
@Suite("Town folder: rules that fit real data")
struct RealDataRulesTests {
    @Test("a feature without a name and a home without address or house number are read; a name that is not text is not")
    func optionalNamesAndAddresses() throws {
        let folder = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TownFolderFixture.replace("homes.geojson", in: folder) {
            $0.replacingOccurrences(of: #""name":"东河村1号","address":"大村镇东河村1号","houseNumber":1"#, with: #""note":"no address""#)
        }
        let town = try TownFolder.read(from: folder)
        let home = try #require(town.features.first { $0.id == "home-1" })
        #expect(home.name.isEmpty && home.properties["address"] == nil && home.properties["note"] == "no address")

        try TownFolderFixture.replace("homes.geojson", in: folder) {
            $0.replacingOccurrences(of: #""note":"no address""#, with: #""name":12"#)
        }
        let problems = TownFolderFixture.problems(folder)
        #expect(problems.count == 1)
        #expect(problems.first?.file == "homes.geojson" && problems.first?.path == "properties.name"
                && problems.first?.message == "\"name\" must be a string, found 12")
    }

    @Test("a home drawn as a polygon, a road of an OSM class and a pharmacies layer make a valid town")
    func polygonHomesAndOpenClasses() throws {
        var data = TownFolderFixture.town
        let index = try #require(data.features.firstIndex { $0.id == "home-1" })
        data.features[index].geometry = TownFolderFixture.square(119.8050, 35.9012, 119.8052, 35.9014)
        let road = try #require(data.features.firstIndex { $0.kind == .road })
        data.features[road].properties["class"] = "living_street"
        data.features[road].properties["oneway"] = "yes"
        let pharmacy = try #require(FeatureKind(rawValue: "pharmacy"))
        data.features.append(MapFeature(id: "node/42", kind: pharmacy, name: "",
                                        geometry: .point(Position(x: 119.807, y: 35.906)), properties: ["amenity": "pharmacy"]))
        #expect(TownValidator.problems(in: data).isEmpty)
        let folder = TownFolderFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TownFolder.write(data, to: folder)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("pharmacies.geojson").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("pharmacys.geojson").path))
        let read = try TownFolder.read(from: folder)
        #expect(read.features.contains { $0.id == "node/42" && $0.kind == pharmacy })
        #expect(read.features.first { $0.id == "home-1" }?.geometry == data.features[index].geometry)

        // A folder an earlier GridMap wrote, with the layer named by adding "s", still reads.
        try FileManager.default.moveItem(at: folder.appendingPathComponent("pharmacies.geojson"),
                                         to: folder.appendingPathComponent("pharmacys.geojson"))
        try TownFolderFixture.replace("manifest.json", in: folder) { $0.replacingOccurrences(of: "\"pharmacies\"", with: "\"pharmacys\"") }
        #expect(try TownFolder.read(from: folder).features.contains { $0.id == "node/42" && $0.kind == pharmacy })
    }
}
