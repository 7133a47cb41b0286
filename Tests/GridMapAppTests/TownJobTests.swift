import Foundation
import GridMapApp
import GridMapCore
import GridStore
import Synchronization
import Testing

@Suite("Town jobs: stores, import, export, overview, coverage")
struct TownJobTests {
    @Test("a folder with a problem is rejected with every problem listed, and the store keeps its town")
    func rejectedImport() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let broken = town.folder.appendingPathComponent("broken")
        try FileManager.default.copyItem(at: TestTown.fixture, to: broken)
        try "id,name,home,categories,phone,birthYear\nR-1,张三,home-404,veteran,,\n"
            .write(to: broken.appendingPathComponent("residents.csv"), atomically: true, encoding: .utf8)
        #expect {
            try TownTransfer.importFolder(broken, crs: nil, into: town.store)
        } throws: { error in
            guard let error = error as? JobError else { return false }
            return error.kind == .rejected && error.message.hasPrefix("import rejected, nothing changed")
                && error.details.contains { $0.contains("home-404") }
        }
        #expect(try town.store.summary().residents == 2)
    }

    @Test("a public export holds no resident, an office export every one, a grid worker's their grid's")
    func exportByRole() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let withheld = try TownTransfer.exportData(from: town.store, in: nil, as: .public)
        #expect(withheld.masked && withheld.data.residents.isEmpty)
        #expect(withheld.data.team.map(\.name) == ["李网格长", "赵联络员"], "chief and liaison are on the notice board")
        let office = try TownTransfer.exportData(from: town.store, in: nil, as: .office)
        #expect(!office.masked && office.data.residents.map(\.name) == ["张三", "王小明"])
        // Written out, an office export is its owner's alone; a public one keeps the usual modes
        // and says in its manifest what it withheld.
        let officeFolder = town.folder.appendingPathComponent("office-export")
        try TownTransfer.exportFolder(from: town.store, in: nil, as: .office, to: officeFolder, precision: 7)
        let mode = { (path: String) throws -> Int? in try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int }
        #expect(try mode(officeFolder.path) == 0o700)
        #expect(try mode(officeFolder.appendingPathComponent("residents.csv").path) == 0o600)
        let publicFolder = town.folder.appendingPathComponent("public-export")
        try TownTransfer.exportFolder(from: town.store, in: nil, as: .public, to: publicFolder, precision: 7)
        #expect(try mode(publicFolder.path) != 0o700)
        #expect(try String(contentsOf: publicFolder.appendingPathComponent("residents.csv"), encoding: .utf8) == "id,name,home,categories,phone,birthYear\n")
        let manifest = try String(contentsOf: publicFolder.appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(manifest.contains("\"personalDataMasked\": true") && manifest.contains("\"withheld\": \"every resident"), "\(manifest)")
        // A grid worker's own grid is whole (nothing withheld); their town-wide export is not, and is private.
        let worker = ResidentRole.gridWorker(GridCode("TT-002")!)
        let grid = try TownTransfer.exportData(from: town.store, in: .grid(GridCode("TT-002")!), as: worker)
        #expect(grid.data.grids.map(\.code.description) == ["TT-002"] && grid.data.residents.map(\.id) == ["R-2"] && !grid.masked)
        let whole = try TownTransfer.exportData(from: town.store, in: nil, as: worker)
        #expect(whole.masked && whole.data.residents.map(\.id) == ["R-2"])
        let workerFolder = town.folder.appendingPathComponent("worker-export")
        try TownTransfer.exportFolder(from: town.store, in: nil, as: worker, to: workerFolder, precision: 7)
        #expect(try mode(workerFolder.appendingPathComponent("residents.csv").path) == 0o600)
        #expect(throws: JobError.forbidden("--role grid-worker:TT-002 sees the residents of its own grid only, not those of grid TT-001.")) {
            try TownTransfer.exportData(from: town.store, in: .grid(GridCode("TT-001")!), as: worker)
        }
    }

    @Test("the overview names the town and measures its grids; an unknown grid is refused")
    func overview() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let overview = try TownOverview(store: town.store)
        #expect(overview.name == "小镇" && overview.latinName == "Tiny Town" && overview.workingCRS == "EPSG:4549")
        #expect(overview.gridAreas.count == 2)
        let sum = overview.gridAreas.values.reduce(0, +)
        #expect(abs(sum - overview.area) < 1, "the grids tile the town")
        let detail = try TownOverview.grid(GridCode("TT-001")!, in: town.store)
        #expect(detail.team.map(\.name) == ["李网格长", "赵联络员"])
        #expect(detail.residents == .suppressed && detail.residentsByCategory.allSatisfy { $0.count == .suppressed })
        #expect(overview.gridResidents.values.allSatisfy { $0 == .suppressed } && overview.summary.residents == 2)
        let office = try TownOverview.grid(GridCode("TT-001")!, in: town.store, as: .office)
        #expect(office.residents == .exact(1) && office.residentsByCategory.first { $0.category == .veteran }?.count == .exact(1))
        #expect(throws: JobError.invalidRequest("No grid TT-009 in this town.")) {
            try TownOverview.grid(GridCode("TT-009")!, in: town.store)
        }
        #expect(try CoverageCheck.run(on: town.store, sliverArea: 1).isClean)
    }

    @Test("a missing store is refused, not created; a new store is 0600; an empty one is refused; the default store is built once, with a notice")
    func storeOpening() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-stores-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = folder.appendingPathComponent("empty.sqlite").path
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(throws: JobError.invalidRequest("No store at \(empty): run `gridmap import FOLDER --db \(empty)` to make one.")) {
            try TownStores(path: empty).openWithTown()
        }
        #expect(!FileManager.default.fileExists(atPath: empty), "a read never creates a store")
        _ = try TownStores(path: empty).openForImport()
        let mode = try FileManager.default.attributesOfItem(atPath: empty)[.posixPermissions] as? Int
        #expect(mode == 0o600, "a new store is its owner's alone")
        #expect(throws: JobError.invalidRequest("The store \(empty) holds no town yet: run `gridmap import FOLDER --db \(empty)` first.")) {
            try TownStores(path: empty).openWithTown()
        }
        let environment = ["GRIDMAP_DB": folder.appendingPathComponent("default.sqlite").path, "GRIDMAP_DATA": TestTown.fixture.path]
        let notices = Mutex<[String]>([])
        let stores = TownStores(path: nil, environment: environment) { notice in notices.withLock { $0.append(notice) } }
        let store = try stores.openWithTown()
        #expect(try store.summary().townCode == "TT")
        let first = notices.withLock { $0 }
        #expect(first.count == 1 && first[0].hasPrefix("no --db given; building the default store"))
        _ = try stores.openWithTown()
        #expect(notices.withLock { $0.count } == 1)
    }
}
