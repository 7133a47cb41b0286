import Foundation
import Testing

/// `gridmap export --all --out`: never over a source, and whole or not at all.
@Suite("gridmap export --all: the folder it replaces")
struct ExportCommandTests {
    typealias Workspace = TownCommandsTests.Workspace

    /// Every file's bytes by name, to compare a folder before and after.
    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    static func hiddenSiblings(of folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.deletingLastPathComponent().path)
            .filter { $0.hasPrefix(".\(folder.lastPathComponent).") }
    }

    @Test("export --all over the folder the store was imported from is refused in words and changes nothing; --replace replaces it")
    func sourceFolderIsKept() throws {
        let work = try Workspace()
        defer { work.remove() }
        let source = try work.copyOfTinyTown(named: "town")
        #expect(try GridMapExecutable.run(["import", source.path, "--db", work.db]).status == 0)
        let before = try Self.snapshot(source)
        let public_ = try GridMapExecutable.run(["export", "--all", "--out", source.path, "--db", work.db])
        #expect(public_.status == 2)
        #expect(public_.stderr.contains("\(source.path) is a full town folder (names and phones unmasked); writing a public export over it would empty its residents.csv and cut its team.csv to the grids' chiefs and liaisons; choose another --out or pass --replace"), "\(public_.stderr)")
        let grid = try GridMapExecutable.run(["export", "--all", "--out", source.path, "--grid", "TT-001", "--role", "office", "--db", work.db])
        #expect(grid.status == 2)
        #expect(grid.stderr.contains("writing the export of grid TT-001 over it would cut it down to that one area"), "\(grid.stderr)")
        #expect(try Self.snapshot(source) == before)

        let replaced = try GridMapExecutable.run(["export", "--all", "--out", source.path, "--role", "office", "--replace", "--db", work.db])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        let reimported = try GridMapExecutable.run(["import", source.path, "--db", work.file("again.sqlite").path])
        #expect(reimported.status == 0, "\(reimported.stderr)")
        #expect(try Self.hiddenSiblings(of: source).isEmpty)
    }

    @Test("an earlier masked export is replaced without asking; a folder of other files is refused, saying what is there")
    func maskedExportAndForeignFolder() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let out = work.file("layers")
        #expect(try GridMapExecutable.run(["export", "--all", "--out", out.path, "--grid", "TT-001", "--db", work.db]).status == 0)
        let whole = try GridMapExecutable.run(["export", "--all", "--out", out.path, "--db", work.db])
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(try String(contentsOf: out.appendingPathComponent("grids.geojson"), encoding: .utf8).contains("TT-002"))

        let mine = work.file("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: mine.appendingPathComponent("notes.txt"))
        let refused = try GridMapExecutable.run(["export", "--all", "--out", mine.path, "--role", "office", "--replace", "--db", work.db])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is a folder that is not a town folder (no manifest.json); it holds notes.txt"), "\(refused.stderr)")
        #expect(try Self.snapshot(mine) == ["notes.txt": Data("notes".utf8)])
    }

    @Test("an export that fails part-way (a file-size limit) says what failed in words and leaves the old folder exactly as it was")
    func failedExportLeavesTheOldFolder() throws {
        let work = try Workspace()
        defer { work.remove() }
        // The tiny town with 4,000 wells, so that wells.geojson outgrows the limit below (while
        // the store's own files, read only, stay under it).
        let town = try work.copyOfTinyTown(named: "town")
        let wells = (0..<4000).map { index in
            let (x, y) = (119.801 + Double(index % 80) * 0.000_2, 35.901 + Double(index / 80) * 0.000_15)
            return #"{"type":"Feature","id":"w-\#(index)","properties":{"kind":"well","name":"井\#(index)"},"geometry":{"type":"Point","coordinates":[\#(x),\#(y)]}}"#
        }
        try Data(#"{"type":"FeatureCollection","features":[\#(wells.joined(separator: ","))]}"#.utf8)
            .write(to: town.appendingPathComponent("wells.geojson"))
        let imported = try GridMapExecutable.run(["import", town.path, "--db", work.db])
        #expect(imported.status == 0, "\(imported.stderr)")
        let out = work.file("layers")
        #expect(try GridMapExecutable.run(["export", "--all", "--out", out.path, "--grid", "TT-002", "--db", work.db]).status == 0)
        let before = try Self.snapshot(out)

        let limited = Process()
        limited.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        limited.arguments = ["--fsize=65536", GridMapExecutable.url.path, "export", "--all", "--out", out.path, "--db", work.db]
        let errors = Pipe()
        limited.standardError = errors
        limited.standardOutput = FileHandle.nullDevice
        try limited.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        limited.waitUntilExit()
        #expect(limited.terminationReason == .exit && limited.terminationStatus == 2, "\(stderr)")
        #expect(stderr.contains("cannot write to \(out.path)/wells.geojson: File too large"), "\(stderr)")
        #expect(!stderr.contains("NSCocoaErrorDomain"))
        #expect(try Self.snapshot(out) == before)
        #expect(try Self.hiddenSiblings(of: out).isEmpty)
    }
}
