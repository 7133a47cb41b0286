import Foundation
import GridMapCore
import Testing

/// Writing a town folder over what is already there: what may be replaced, and that it is
/// replaced whole or not at all.
@Suite("Town folder: replacing what is there")
struct TownFolderReplaceTests {
    /// Every file's bytes by name (folders as nil), to compare a folder before and after.
    static func snapshot(_ folder: URL) throws -> [String: Data?] {
        var files: [String: Data?] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let url = folder.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder)
            files.updateValue(isFolder.boolValue ? nil : try Data(contentsOf: url), forKey: name)
        }
        return files
    }

    /// The hidden names a write leaves beside `folder` (none, after any write that returned).
    static func leftovers(beside folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.deletingLastPathComponent().path)
            .filter { $0.hasPrefix(".\(folder.lastPathComponent).") }
    }

    static var masked: TownFolder.WriteOptions { .init(personalDataMasked: true) }

    @Test("what is at the target is told apart: nothing, an empty folder, a masked export, a full town, other things")
    func targets() throws {
        let parent = TownFolderFixture.temporaryFolder("targets")
        defer { try? FileManager.default.removeItem(at: parent) }
        let manager = FileManager.default
        #expect(TownFolder.target(at: parent.appendingPathComponent("none")) == .absent)
        let empty = parent.appendingPathComponent("empty")
        try manager.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(TownFolder.target(at: empty) == .empty)
        let full = parent.appendingPathComponent("full")
        try TownFolder.write(TownFolderFixture.town, to: full)
        #expect(TownFolder.target(at: full) == .fullTown(residents: TownFolderFixture.town.residents.count))
        let export = parent.appendingPathComponent("export")
        try TownFolder.write(TownFolderFixture.town, to: export, options: Self.masked)
        #expect(TownFolder.target(at: export) == .maskedExport)
        let notes = parent.appendingPathComponent("notes")
        try manager.createDirectory(at: notes, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: notes.appendingPathComponent("diary.txt"))
        guard case .foreign(let what) = TownFolder.target(at: notes) else { Issue.record("notes is not foreign"); return }
        #expect(what.contains("diary.txt"))
        try Data(#"{"type":"FeatureCollection","features":[]}"#.utf8).write(to: notes.appendingPathComponent("manifest.json"))
        guard case .foreign = TownFolder.target(at: notes) else { Issue.record("a manifest that is not a town's"); return }
        guard case .foreign(let file) = TownFolder.target(at: notes.appendingPathComponent("diary.txt")) else { Issue.record("a file"); return }
        #expect(file.contains("a file"))
    }

    @Test("a full town folder is not replaced without replacesFullTown, and is left byte for byte as it was")
    func fullTownIsRefused() throws {
        let folder = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try Self.snapshot(folder)
        #expect {
            try TownFolder.write(TownFolderFixture.town, to: folder, options: Self.masked)
        } throws: { error in
            "\(error)".contains("is a full town folder (names and phones unmasked, 3 residents)")
        }
        #expect(try Self.snapshot(folder) == before)
        #expect(try Self.leftovers(beside: folder).isEmpty)

        var smaller = TownFolderFixture.town
        smaller.residents.removeLast()
        try TownFolder.write(smaller, to: folder, options: .init(replacesFullTown: true))
        #expect(try TownFolder.read(from: folder) == smaller)
    }

    @Test("a masked export is replaced whole: its layers and CSV point layers go, a README beside them stays")
    func maskedExportIsReplaced() throws {
        let folder = TownFolderFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TownFolder.write(TownFolderFixture.town, to: folder, options: Self.masked)
        try Data("read me".utf8).write(to: folder.appendingPathComponent("README.md"))
        try Data("id,name,lon,lat\n".utf8).write(to: folder.appendingPathComponent("clinics.csv"))
        var smaller = TownFolderFixture.town
        smaller.features.removeAll { $0.kind == .well }
        try TownFolder.write(smaller, to: folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(names.contains("README.md") && !names.contains("clinics.csv") && !names.contains("wells.geojson"))
        #expect(try Data(contentsOf: folder.appendingPathComponent("README.md")) == Data("read me".utf8))
        #expect(try TownFolder.read(from: folder) == smaller)
        #expect(try Self.leftovers(beside: folder).isEmpty)
    }

    @Test("a folder that is not a town folder, and a file, are refused and left as they were")
    func foreignTargetsAreRefused() throws {
        let parent = TownFolderFixture.temporaryFolder("foreign")
        defer { try? FileManager.default.removeItem(at: parent) }
        let mine = parent.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: mine.appendingPathComponent("precious.geojson"))
        #expect {
            try TownFolder.write(TownFolderFixture.town, to: mine)
        } throws: { error in
            "\(error)".contains("not a town folder (no manifest.json); it holds precious.geojson")
        }
        #expect(try Self.snapshot(mine) == ["precious.geojson": Data("{}".utf8)])
        let file = mine.appendingPathComponent("precious.geojson")
        #expect(throws: TownFolderError.self) { try TownFolder.write(TownFolderFixture.town, to: file) }
        #expect(try Data(contentsOf: file) == Data("{}".utf8))
        #expect(try Self.leftovers(beside: mine).isEmpty)
    }

    @Test("a write that fails after the new files are written leaves the old folder exactly as it was, and nothing beside it")
    func failureLeavesTheOldFolder() throws {
        let folder = TownFolderFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TownFolder.write(TownFolderFixture.town, to: folder, options: Self.masked)
        // A sub-folder cannot be carried into the new folder: the write fails after every file
        // of the new town folder is written, just before the swap.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("photos"), withIntermediateDirectories: true)
        let before = try Self.snapshot(folder)
        var changed = TownFolderFixture.town
        changed.residents.removeAll()
        #expect {
            try TownFolder.write(changed, to: folder, options: Self.masked)
        } throws: { error in
            "\(error)".contains("photos is not a plain file")
        }
        #expect(try Self.snapshot(folder) == before)
        #expect(try Self.leftovers(beside: folder).isEmpty)
    }

    @Test("a folder with names and phones in full is the owner's alone: folder 0700, files 0600")
    func personalDataModes() throws {
        let folder = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: folder) }
        func mode(_ url: URL) throws -> Int {
            try (FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        #expect(try mode(folder) == 0o700)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            #expect(try mode(folder.appendingPathComponent(name)) == 0o600, "\(name)")
        }
    }
}
