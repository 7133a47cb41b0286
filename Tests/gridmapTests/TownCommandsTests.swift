import Foundation
import Testing

/// import, info and export end to end on a small fixture town (Fixtures/tiny-town: two grids
/// of two micro-grids each, wells, homes, residents and a team, in the export format).
@Suite("gridmap import, info and export")
struct TownCommandsTests {
    static let tinyTown = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tiny-town")

    /// A fresh folder with a store path inside it.
    struct Workspace {
        let folder: URL
        var db: String { folder.appendingPathComponent("town.sqlite").path }
        init() throws { folder = try makeTemporaryDirectory() }
        func remove() { try? FileManager.default.removeItem(at: folder) }
        func file(_ name: String) -> URL { folder.appendingPathComponent(name) }

        /// A workspace whose store already holds the tiny town, imported by `gridmap import`.
        static func withTinyTown() throws -> Workspace {
            let work = try Workspace()
            let imported = try GridMapExecutable.run(["import", TownCommandsTests.tinyTown.path, "--db", work.db])
            #expect(imported.status == 0, "\(imported.stderr)")
            return work
        }

        /// Adds `members` (JSON object members, e.g. `"registerSince": "2026-01-01"`) to the
        /// manifest of the tiny town's copy `folder`.
        static func addToManifest(_ members: String, in folder: URL) throws {
            let manifest = folder.appendingPathComponent("manifest.json")
            let text = try String(contentsOf: manifest, encoding: .utf8)
                .replacingOccurrences(of: "\"crs\": \"OGC:CRS84\"", with: "\"crs\": \"OGC:CRS84\",\n  \(members)")
            try text.write(to: manifest, atomically: true, encoding: .utf8)
        }

        /// A copy of the tiny town's folder, called `name`, in the workspace: for a test to change.
        func copyOfTinyTown(named name: String) throws -> URL {
            let copy = file(name)
            try FileManager.default.copyItem(at: TownCommandsTests.tinyTown, to: copy)
            return copy
        }
    }

    @Test("an imported town is summarised by info with its counts per grid")
    func importThenInfo() throws {
        let work = try Workspace()
        defer { work.remove() }
        let imported = try GridMapExecutable.run(["import", Self.tinyTown.path, "--db", work.db])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("2 grids, 4 micro-grids, 4 features, 2 residents, 2 team members"))
        let info = try GridMapExecutable.run(["info", "--grids", "--role", "office", "--db", work.db])
        #expect(info.status == 0)
        #expect(info.stdout.contains("小镇 Tiny Town (TT), working CRS EPSG:4549"))
        #expect(info.stdout.contains("1 villages, 2 grids, 4 micro-grids, 2 team members"))
        #expect(info.stdout.contains("TT-001               2         2          1      1.00"))
        // 0.02° × 0.01° at 35.9°N, measured in EPSG:4549.
        #expect(info.stdout.contains("area 2.00 km²"))
    }

    @Test("without --db, the first command builds the default store from the bundled town and says so")
    func defaultStoreIsBuiltOnFirstUse() throws {
        let work = try Workspace()
        defer { work.remove() }
        let environment = ["GRIDMAP_DB": work.file("default.sqlite").path, "GRIDMAP_DATA": Self.tinyTown.path]
        let first = try GridMapExecutable.run(["info"], environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("no --db given; building the default store"))
        #expect(first.stdout.contains("小镇 Tiny Town (TT)"))
        let second = try GridMapExecutable.run(["info"], environment: environment)
        #expect(second.status == 0)
        #expect(!second.stderr.contains("building"))
    }

    @Test("export --all writes a town folder, one file per layer, and importing it gives the same export back")
    func exportReimportsUnchanged() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let first = work.file("first"), second = work.file("second")
        #expect(try GridMapExecutable.run(["export", "--all", "--out", first.path, "--role", "office", "--db", work.db]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: first.path).sorted()
        #expect(names == ["grids.geojson", "homes.geojson", "manifest.json", "microgrids.geojson", "residents.csv",
                          "team.csv", "town.geojson", "villages.geojson", "wells.geojson"])
        let otherDB = work.file("other.sqlite").path
        let reimported = try GridMapExecutable.run(["import", first.path, "--db", otherDB])
        #expect(reimported.status == 0, "\(reimported.stderr)")
        #expect(try GridMapExecutable.run(["export", "--all", "--out", second.path, "--role", "office", "--db", otherDB]).status == 0)
        for name in names {
            let a = try Data(contentsOf: first.appendingPathComponent(name))
            let b = try Data(contentsOf: second.appendingPathComponent(name))
            #expect(a == b, "\(name) differs after a round trip")
        }
    }

    @Test("the residents layer is refused to the public; a grid worker gets their grid's residents, the office everyone's")
    func residentsLayerFollowsTheRole() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let refused = try GridMapExecutable.run(["export", "--layer", "residents", "--db", work.db])
        #expect(refused.status == 64 && refused.stdout.isEmpty && refused.stderr.contains("the public sees no resident"), "\(refused.stderr)")
        let worker = try GridMapExecutable.run(["export", "--layer", "residents", "--role", "grid-worker:TT-001", "--db", work.db])
        #expect(worker.stdout.contains("张三") && !worker.stdout.contains("王小明"))
        let office = try GridMapExecutable.run(["export", "--layer", "residents", "--role", "office", "--db", work.db])
        #expect(office.stdout.contains("张三") && office.stdout.contains("王小明"))
        // The public team: grid chiefs and liaisons, as on a village notice board.
        let team = try GridMapExecutable.run(["export", "--layer", "team", "--db", work.db])
        #expect(team.status == 0 && team.stdout.contains("李网格长") && team.stdout.contains("赵联络员"))
        let detail = try GridMapExecutable.run(["info", "--grid", "TT-001", "--db", work.db])
        #expect(detail.stdout.contains("residents: <5") && detail.stdout.contains("chief: 李网格长"), "\(detail.stdout)")
    }

    @Test("a broken import lists every problem with its file and feature index, and changes nothing")
    func brokenImportChangesNothing() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let before = try GridMapExecutable.run(["export", "--layer", "microgrids", "--db", work.db]).stdout

        let broken = try work.copyOfTinyTown(named: "broken")
        let microgrids = broken.appendingPathComponent("microgrids.geojson")
        var text = try String(contentsOf: microgrids, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"grid\": \"TT-002\"", with: "\"grid\": \"TT-009\"")
        try text.write(to: microgrids, atomically: true, encoding: .utf8)
        let wells = broken.appendingPathComponent("wells.geojson")
        try String(contentsOf: wells, encoding: .utf8).replacingOccurrences(of: "35.908", with: "\"north\"")
            .write(to: wells, atomically: true, encoding: .utf8)

        let result = try GridMapExecutable.run(["import", broken.path, "--db", work.db])
        #expect(result.status == 1)
        #expect(result.stderr.contains("nothing changed"))
        #expect(result.stderr.contains("wells.geojson: feature 1"), "\(result.stderr)")
        let after = try GridMapExecutable.run(["export", "--layer", "microgrids", "--db", work.db]).stdout
        #expect(after == before)

        // With the wells fixed, the dangling grid reference is still reported, by file and index.
        try FileManager.default.copyItem(at: Self.tinyTown.appendingPathComponent("wells.geojson"), to: work.file("wells.geojson"))
        try FileManager.default.removeItem(at: wells)
        try FileManager.default.moveItem(at: work.file("wells.geojson"), to: wells)
        let second = try GridMapExecutable.run(["import", broken.path, "--db", work.db])
        #expect(second.status == 1)
        #expect(second.stderr.contains("microgrids.geojson: feature 2"), "\(second.stderr)")
        #expect(second.stderr.contains("TT-009"))
    }

    @Test("a rejected import's report starts with each kind of problem and its count, then the details")
    func rejectedImportIsSummarisedByKind() throws {
        let work = try Workspace()
        defer { work.remove() }
        let broken = try work.copyOfTinyTown(named: "broken")
        let wells = broken.appendingPathComponent("wells.geojson")
        try String(contentsOf: wells, encoding: .utf8).replacingOccurrences(of: "35.908", with: "\"north\"")
            .write(to: wells, atomically: true, encoding: .utf8)
        try "grid,role,name,unit,phone\nTT-009,chief,王五,,\n"
            .write(to: broken.appendingPathComponent("team.csv"), atomically: true, encoding: .utf8)

        let result = try GridMapExecutable.run(["import", broken.path, "--db", work.db])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex { $0.contains("import rejected") }, "\(result.stderr)")
        let details = try #require(lines.firstIndex(of: "by file and feature:"), "\(result.stderr)")
        let summary = lines[(start + 1)..<details]
        #expect(summary.contains { $0.hasPrefix("  1 reference ") }, "\(result.stderr)")
        #expect(summary.contains { $0.hasPrefix("  1 geometry ") }, "\(result.stderr)")
        #expect(lines[(details + 1)...].contains { $0.contains("wells.geojson: feature 1") })
        #expect(lines[(details + 1)...].contains { $0.contains("team.csv: line 2: grid \"TT-009\" is not in grids.geojson") })
    }

    @Test("a layer in a projected CRS is read through its legacy crs member")
    func projectedInputIsTransformed() throws {
        let work = try Workspace()
        defer { work.remove() }
        let town = try work.copyOfTinyTown(named: "town-4549")
        // 119.805°E 35.902°N in EPSG:4549 (PROJ cs2cs), with the CRS named as GDAL does.
        let wells = """
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4549"}},
             "features":[{"type":"Feature","id":"well-1","properties":{"kind":"well","name":"西井"},
               "geometry":{"type":"Point","coordinates":[482396.3430,3974686.3435]}}]}
            """
        try wells.write(to: town.appendingPathComponent("wells.geojson"), atomically: true, encoding: .utf8)
        let imported = try GridMapExecutable.run(["import", town.path, "--db", work.db])
        #expect(imported.status == 0, "\(imported.stderr)")
        let exported = try GridMapExecutable.run(["export", "--layer", "wells", "--db", work.db])
        #expect(exported.stdout.contains("[119.805,35.902]"), "\(exported.stdout)")
    }

    @Test("a point layer given as CSV with lon,lat columns is imported, other columns as properties")
    func csvPointLayer() throws {
        let work = try Workspace()
        defer { work.remove() }
        let town = try work.copyOfTinyTown(named: "csv-town")
        try "id,name,lon,lat,beds,level\nclinic-1,东村卫生室,119.805,35.902,12,village\n"
            .write(to: town.appendingPathComponent("clinics.csv"), atomically: true, encoding: .utf8)
        let imported = try GridMapExecutable.run(["import", town.path, "--db", work.db])
        #expect(imported.status == 0, "\(imported.stderr)")
        let clinics = try GridMapExecutable.run(["export", "--layer", "clinics", "--db", work.db]).stdout
        #expect(clinics.contains("[119.805,35.902]"), "\(clinics)")
        #expect(clinics.contains("\"beds\":12") && clinics.contains("\"level\":\"village\""))

        // x,y columns without a CRS, and a row whose coordinates are not numbers, are reported by line.
        try "id,name,x,y\nclinic-2,西村卫生室,482396.3,3974686.3\n"
            .write(to: town.appendingPathComponent("clinics.csv"), atomically: true, encoding: .utf8)
        let projected = try GridMapExecutable.run(["import", town.path, "--db", work.db])
        #expect(projected.status == 1)
        #expect(projected.stderr.contains("clinics.csv: line 1") && projected.stderr.contains("--crs"))
        try "id,name,lon,lat\nclinic-3,北村卫生室,east,35.9\n"
            .write(to: town.appendingPathComponent("clinics.csv"), atomically: true, encoding: .utf8)
        let broken = try GridMapExecutable.run(["import", town.path, "--db", work.db])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("clinics.csv: line 2"), "\(broken.stderr)")
    }

    @Test("an unknown CRS is a clear error that names it")
    func unknownCRS() throws {
        let work = try Workspace()
        defer { work.remove() }
        let result = try GridMapExecutable.run(["import", Self.tinyTown.path, "--crs", "EPSG:999999", "--db", work.db])
        #expect(result.status != 0)
        #expect(result.stderr.contains("EPSG:999999"))
    }

    @Test("a public export holds no resident and cannot be imported: the register would be lost")
    func publicExportIsNotImportable() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let withheld = work.file("public")
        let export = try GridMapExecutable.run(["export", "--all", "--out", withheld.path, "--db", work.db])
        #expect(export.status == 0)
        #expect(export.stderr.contains("0 residents (personal data withheld for --role public"), "\(export.stderr)")
        let residents = try String(contentsOf: withheld.appendingPathComponent("residents.csv"), encoding: .utf8)
        #expect(residents == "id,name,home,categories,phone,birthYear\n")
        let result = try GridMapExecutable.run(["import", withheld.path, "--db", work.file("other.sqlite").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("personal data withheld"), "\(result.stderr)")
    }

    @Test("export --all refuses to write into a folder that is not a town folder")
    func exportKeepsForeignFolders() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let mine = work.file("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try "{}".write(to: mine.appendingPathComponent("precious.geojson"), atomically: true, encoding: .utf8)
        let result = try GridMapExecutable.run(["export", "--all", "--out", mine.path, "--role", "office", "--db", work.db])
        #expect(result.status != 0)
        #expect(FileManager.default.fileExists(atPath: mine.appendingPathComponent("precious.geojson").path))
    }

    @Test("export refuses a layer it does not know, and names the layers it does")
    func unknownLayer() throws {
        let result = try GridMapExecutable.run(["export", "--layer", "Wells!", "--db", "/nonexistent/x.sqlite"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Unknown layer 'Wells!'"))
    }
}

@Suite("Output that cannot be written")
struct UnwritableOutputTests {
    /// Runs `gridmap ARGUMENTS > /dev/full` through the shell, so that every write to standard
    /// output fails with ENOSPC.
    static func intoFullDisk(_ arguments: [String]) throws -> CommandResult {
        let quoted = ([GridMapExecutable.url.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", quoted + " > /dev/full"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, stdout: "", stderr: String(decoding: message, as: UTF8.self))
    }

    @Test("every command that answers on standard output fails with status 2 and says so when it cannot write")
    func fullDisk() throws {
        let work = try TownCommandsTests.Workspace()
        defer { work.remove() }
        #expect(try GridMapExecutable.run(["import", TownCommandsTests.tinyTown.path, "--db", work.db]).status == 0)
        let commands: [[String]] = [
            ["select", "--role", "office"], ["select", "--format", "geojson", "--role", "office"], ["select", "--counts"], ["info"], ["info", "--grid", "TT-001"],
            ["validate"], ["locate", "119.803", "35.903"], ["nearest", "--kind", "wells", "119.803", "35.903"],
            ["export", "--layer", "wells"],
        ]
        for command in commands {
            let result = try Self.intoFullDisk(command + ["--db", work.db])
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("cannot write to standard output: No space left on device"), "\(command): \(result.stderr)")
        }
    }
}
