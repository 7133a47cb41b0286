import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
import GridStore
import Testing

/// The tiny district (Tests/gridmapTests/Fixtures/tiny-district): towns TT (the tiny town,
/// 119.80–119.82 E) and TU (the same town moved 0.02° east, 119.82–119.84 E), sharing the edge
/// at 119.82; TU's manifest carries its division code, TT's comes from district.json.
struct TinyDistrict {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../gridmapTests/Fixtures/tiny-district").standardized

    let folder: URL
    var path: String { folder.appendingPathComponent("district").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-district-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// A copy of one of the fixture's town folders (`01-tt`, `02-tu`) to change.
    func copy(of town: String, as name: String) throws -> URL {
        let copy = folder.appendingPathComponent(name)
        try FileManager.default.copyItem(at: Self.fixture.appendingPathComponent(town), to: copy)
        return copy
    }

    /// `town`'s folder with every "TU" made `code`: a town with TU's boundary under another code.
    func renamed(_ town: String, to code: String) throws -> URL {
        let copy = try self.copy(of: town, as: "renamed-\(code)")
        for name in try FileManager.default.contentsOfDirectory(atPath: copy.path) {
            let file = copy.appendingPathComponent(name)
            try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "TU", with: code)
                .write(to: file, atomically: true, encoding: .utf8)
        }
        return copy
    }

    func imported() throws -> District {
        let district = try TownStores(path: path).districtForImport()
        try DistrictImport.importDistrict(Self.fixture, options: .init(), into: district)
        return district
    }
}

@Suite("Many towns in a district: import, --town, district-wide locate, counts and rates")
struct DistrictJobTests {
    @Test("a district folder's towns are all imported, each with its counts, division code and the district's details")
    func importingADistrictFolder() throws {
        let tiny = try TinyDistrict()
        let district = try TownStores(path: tiny.path).districtForImport()
        var told: [String] = []
        let towns = try DistrictImport.importDistrict(TinyDistrict.fixture, options: .init(), into: district, imported: { told.append($0.town.code) })
        #expect(told == ["TT", "TU"])
        #expect(towns.map(\.summary.residents) == [2, 2])
        let listed = try district.towns()
        #expect(listed.map(\.code) == ["TT", "TU"])
        #expect(listed.map(\.divisionCode) == ["370299101", "370299102"])
        #expect(try district.details() == DistrictDetails(name: "小区县", latinName: "Tiny District", divisionCode: "370299"))
        let overview = try DistrictOverview(district: district)
        #expect(overview.rows.map(\.summary.grids) == [2, 2])
        #expect(overview.rows.map(\.town.name) == ["小镇", "东小镇"])
        // 0.02° × 0.01° at 35.9° N: about 1.80 km × 1.11 km.
        #expect(overview.rows.allSatisfy { $0.area > 1_950_000 && $0.area < 2_050_000 })
    }

    @Test("--town opens that town's store; without it, or with a town the district lacks, the refusal lists the towns")
    func townChoosesTheStore() throws {
        let tiny = try TinyDistrict()
        _ = try tiny.imported()
        #expect(try TownStores(path: tiny.path, town: "TU").openWithTown().town()?.name == "东小镇")
        #expect(try TownStores(path: tiny.path, town: "TT", readOnly: true).openWithTown().town()?.name == "小镇")
        let without = #expect(throws: JobError.self) { try TownStores(path: tiny.path).openWithTown() }
        #expect(without?.message == "\(tiny.path) is a district of 2 towns (TT 小镇, TU 东小镇): name one with --town CODE.")
        let unknown = #expect(throws: JobError.self) { try TownStores(path: tiny.path, town: "XX").openWithTown() }
        #expect(unknown?.message == "The district \(tiny.path) has no town XX; its towns: TT 小镇, TU 东小镇.")
    }

    @Test("--town on a town store must name the town it holds")
    func townOnATownStoreMustMatch() throws {
        let town = try TestTown(roads: false)
        let path = town.folder.appendingPathComponent("town.sqlite").path
        #expect(try TownStores(path: path, town: "TT").openWithTown().town()?.code == "TT")
        let other = #expect(throws: JobError.self) { try TownStores(path: path, town: "TU").openWithTown() }
        #expect(other?.message.hasPrefix("The store \(path) holds town TT (小镇), not TU") == true)
    }

    @Test("a town the district holds is refused without --replace-town and replaced with it, keeping its events")
    func replacingATownKeepsItsEvents() throws {
        let tiny = try TinyDistrict()
        let district = try tiny.imported()
        let tu = TinyDistrict.fixture.appendingPathComponent("02-tu")
        let refused = #expect(throws: JobError.self) { try DistrictImport.importTown(tu, options: .init(), into: district) }
        #expect(refused?.message.hasPrefix("The district \(tiny.path) holds TU already; nothing was changed.") == true)
        let desk = try EventDesk(store: district.openTown("TU", access: .readWrite))
        let ditch = RaiseRequest(category: "roads-and-water", description: "水沟堵塞", location: Position(x: 119.823, y: 35.903))
        let raised = try desk.raise(ditch, by: desk.actor("TU-001/liaison"), at: Date(timeIntervalSince1970: 1_780_000_000))
        // The new version renames a grid: the replaced town has it, and its event stays.
        let changed = try tiny.copy(of: "02-tu", as: "tu-v2")
        let grids = changed.appendingPathComponent("grids.geojson")
        try String(contentsOf: grids, encoding: .utf8).replacingOccurrences(of: "\"name\": \"", with: "\"name\": \"新")
            .write(to: grids, atomically: true, encoding: .utf8)
        var options = DistrictImportOptions()
        options.replacingTowns = true
        try DistrictImport.importTown(changed, options: options, into: district)
        let store = try district.openTown("TU", access: .readOnly)
        #expect(try store.grids().allSatisfy { $0.name.hasPrefix("新") })
        #expect(try EventDesk(store: store).event(raised.id).id == raised.id)
        #expect(try district.towns().map(\.code) == ["TT", "TU"])
    }

    @Test("a town overlapping another is refused before anything is written, naming both towns and the area")
    func anOverlappingTownIsRefused() throws {
        let tiny = try TinyDistrict()
        let district = try tiny.imported()
        // TV has TU's boundary: it overlaps TU wholly.
        let tv = try tiny.renamed("02-tu", to: "TV")
        let refused = #expect(throws: JobError.self) { try DistrictImport.importTown(tv, options: .init(), into: district) }
        #expect(refused?.kind == .rejected)
        #expect(refused?.message == "import rejected, nothing changed; town TV in \(tv.relativePath) adds 1 coverage fault to the district (allow them with --allow-coverage-faults):")
        #expect(refused?.details.first?.contains("towns TU and TV overlap") == true)
        #expect(try district.towns().map(\.code) == ["TT", "TU"])
        #expect(!FileManager.default.fileExists(atPath: tiny.path + "/towns/TV.sqlite"))
        var options = DistrictImportOptions()
        options.allowingCoverageFaults = true
        var kept: [String] = []
        try DistrictImport.importTown(tv, options: options, into: district) { kept.append($0) }
        #expect(kept.count == 1 && kept[0].contains("towns TU and TV overlap"))
        #expect(try district.towns().map(\.code) == ["TT", "TU", "TV"])
    }

    @Test("a district folder with a town the district holds changes nothing, before any town is read")
    func aDistrictFolderWithAHeldTownChangesNothing() throws {
        let tiny = try TinyDistrict()
        let district = try tiny.imported()
        let refused = #expect(throws: JobError.self) { try DistrictImport.importDistrict(TinyDistrict.fixture, options: .init(), into: district) }
        #expect(refused?.message.hasPrefix("The district \(tiny.path) holds TT, TU already") == true)
    }

    @Test("locating in a district finds the town and the micro-grid; a point on the towns' shared edge belongs to the first town by code")
    func locatingInADistrict() throws {
        let tiny = try TinyDistrict()
        let atlas = try DistrictAtlas(district: tiny.imported())
        func where_(_ x: Double, _ y: Double) throws -> (town: String?, microGrid: String?) {
            guard case .inside(let place) = try atlas.atlas.locate(longitude: x, latitude: y) else { return (nil, nil) }
            return (atlas.town(of: place.microGrid.code)?.code, place.microGrid.code.description)
        }
        #expect(try where_(119.803, 35.903) == ("TT", "TT-001-1"))
        #expect(try where_(119.823, 35.903) == ("TU", "TU-001-1"))
        #expect(try where_(119.82, 35.907) == ("TT", "TT-002-2"))
        #expect(try where_(119.85, 35.903) == (nil, nil))
        // A grid's team is its own town's.
        guard case .inside(let place) = try atlas.atlas.locate(longitude: 119.823, latitude: 35.903) else { Issue.record("outside"); return }
        #expect(place.chief?.gridCode.description == "TU-001")
    }

    @Test("the district's rates by town are each town's own, and its total all of them")
    func ratesByTown() throws {
        let tiny = try TinyDistrict()
        let district = try tiny.imported()
        for (town, x, count) in [("TT", 119.803, 2), ("TU", 119.823, 1)] {
            let desk = try EventDesk(store: district.openTown(town, access: .readWrite))
            for index in 0..<count {
                let ditch = RaiseRequest(category: "roads-and-water", description: "水沟堵塞", location: Position(x: x, y: 35.903))
                _ = try desk.raise(ditch, by: desk.actor("\(town)-001/liaison"), at: Date(timeIntervalSince1970: 1_780_000_000 + Double(index) * 60))
            }
        }
        let now = Date(timeIntervalSince1970: 1_780_100_000)
        let table = try DistrictRates.rates(in: district, by: .town, EventQuery(), now: now)
        #expect(table.isDistrict)
        #expect(table.rows.map(\.group) == ["TT", "TU"])
        #expect(table.rows.map(\.tally.collected) == [2, 1])
        #expect(table.total.collected == 3)
        let byGrid = try DistrictRates.rates(in: district, by: .grid, EventQuery(), now: now)
        #expect(byGrid.rows.map(\.group) == ["TT-001", "TU-001"])
        let oneGrid = try DistrictRates.rates(in: district, by: .town, EventQuery(grid: GridCode("TU-001")), now: now)
        #expect(oneGrid.rows.map(\.group) == ["TU"] && oneGrid.total.collected == 1)
    }
}
