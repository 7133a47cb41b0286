import Foundation
import GeoJSON
import GridMapCore
import PROJ
import Testing

/// What a folder read must refuse because importing it would lose data or give wrong answers:
/// files that are there but cannot be read, counts that disagree with the manifest, and
/// coordinates that do not fit the town's working CRS (issue #15, item 1).
@Suite("Town folder: refusing what would lose data")
struct TownFolderRefusalTests {
    /// Replaces `file` of a fresh fixture folder by what `make` puts at its path, and returns the
    /// read's problems with that file.
    func problems(replacing file: String, _ make: (String) throws -> Void) throws -> [TownProblem] {
        let folder = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(file).path
        try FileManager.default.removeItem(atPath: path)
        try make(path)
        return TownFolderFixture.problems(folder).filter { $0.file == file }
    }

    static let files = ["residents.csv", "team.csv", "homes.geojson", "grids.geojson", "manifest.json"]

    @Test("a directory where a file is expected is an error naming the file, never an empty file", arguments: files)
    func directory(file: String) throws {
        let found = try problems(replacing: file) { try FileManager.default.createDirectory(atPath: $0, withIntermediateDirectories: false) }
        #expect(found.map(\.message) == ["cannot be read: Is a directory"], "\(found)")
        #expect(found.first?.kind == .file)
    }

    @Test("a link to /dev/null is refused as a device, naming the link's target", arguments: files)
    func linkToDevice(file: String) throws {
        let found = try problems(replacing: file) { try FileManager.default.createSymbolicLink(atPath: $0, withDestinationPath: "/dev/null") }
        #expect(found.map(\.message) == ["cannot be read: not a regular file but a character device (a link to \"/dev/null\")"], "\(found)")
    }

    @Test("a FIFO is refused without waiting for a writer", arguments: ["residents.csv", "homes.geojson"])
    func fifo(file: String) throws {
        let found = try problems(replacing: file) { #expect(mkfifo($0, 0o600) == 0) }
        #expect(found.map(\.message) == ["cannot be read: not a regular file but a FIFO"], "\(found)")
    }

    @Test("a dangling link is not an absent file: the error says where it points", arguments: files)
    func danglingLink(file: String) throws {
        let found = try problems(replacing: file) { try FileManager.default.createSymbolicLink(atPath: $0, withDestinationPath: "/nonexistent/gridmap") }
        #expect(found.map(\.message) == ["cannot be read: No such file or directory: a link to \"/nonexistent/gridmap\", which does not exist"], "\(found)")
    }

    @Test("a file without read permission is refused with the system's words (skipped as root, who may read it)")
    func permissionDenied() throws {
        guard getuid() != 0 else { return }
        for file in Self.files {
            let found = try problems(replacing: file) { path in
                #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8), attributes: [.posixPermissions: 0]))
            }
            #expect(found.map(\.message) == ["cannot be read: Permission denied"], "\(file): \(found)")
        }
    }

    @Test("an optional file that is really absent is still allowed")
    func absentOptionalFile() throws {
        let folder = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("team.csv"))
        try TownFolderFixture.replace("manifest.json", in: folder) { $0.replacingOccurrences(of: #""team": 4"#, with: #""team": 0"#) }
        #expect(try TownFolder.read(from: folder).team.isEmpty)
    }

    @Test("counts in the manifest are checked against every file, a point layer given as CSV too")
    func counts() throws {
        let folder = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TownFolderFixture.replace("residents.csv", in: folder) { text in
            text.components(separatedBy: "\n").filter { !$0.hasPrefix("R-000001") }.joined(separator: "\n")
        }
        // wells.geojson becomes wells.csv with its one well: its count of 1 still holds.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("wells.geojson"))
        try Data("id,name,lon,lat,use\nwell-1,东河村水井,119.806,35.904,drinking\n".utf8).write(to: folder.appendingPathComponent("wells.csv"))
        let found = TownFolderFixture.problems(folder)
        #expect(found.map(\.description) == ["manifest.json: counts.residents: counts 3 residents but residents.csv has 2"], "\(found)")
    }

    // MARK: Coordinates that do not fit the working CRS

    /// The fixture written with `edit` applied to its manifest, read with `crs`.
    func crsProblems(crs: String? = nil, manifest edit: (String) -> String = { $0 }) throws -> [TownProblem] {
        let folder = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("manifest.json")
        try edit(String(contentsOf: manifest, encoding: .utf8)).write(to: manifest, atomically: true, encoding: .utf8)
        return TownFolderFixture.problems(folder, options: .init(crs: crs)).filter { $0.kind == .crs }
    }

    @Test("longitude/latitude declared as EPSG:4549 metres lands near the equator and is refused with the likely cause")
    func lonLatDeclaredProjected() throws {
        let found = try crsProblems(crs: "EPSG:4549")
        #expect(found.count == 1, "\(found)")
        let message = found.first?.message ?? ""
        #expect(found.first?.file == "manifest.json" && found.first?.path == "workingCRS")
        #expect(message.hasPrefix("the town lies at 115."), "\(message)")
        #expect(message.contains("outside the area of use of \"EPSG:4549\" (CGCS2000 / 3-degree Gauss-Kruger CM 120E)"))
        #expect(message.contains("118.50°E–121.50°E"))
        #expect(message.contains("likely cause: coordinates in another CRS than the one declared"))
    }

    @Test("longitude/latitude declared as web-mercator metres is refused too")
    func lonLatDeclaredWebMercator() throws {
        let found = try crsProblems(crs: "EPSG:3857")
        #expect(found.count == 1 && found[0].message.hasPrefix("the town lies at 0.00°E–0.00°E, 0.00°N–0.00°N, outside the area of use"), "\(found)")
    }

    @Test("a town that collapses inside the working CRS's area of use is refused")
    func collapse() throws {
        // As web-mercator metres the town lands at about 0.001°E, 0.0003°N, inside UTM zone 31N.
        let found = try crsProblems(crs: "EPSG:3857") { $0.replacingOccurrences(of: "EPSG:4549", with: "EPSG:32631") }
        #expect(found.count == 1 && found[0].message.hasPrefix("the town collapses to "), "\(found)")
        #expect(found.first?.message.contains("m² in \"EPSG:32631\" (WGS 84 / UTM zone 31N)") == true)
    }

    @Test("projected metres declared as longitude/latitude are out of range")
    func metresDeclaredLonLat() throws {
        let folder = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TownFolderFixture.replace("town.geojson", in: folder) { $0.replacingOccurrences(of: "119.8,", with: "483000.5,") }
        #expect(TownFolderFixture.problems(folder).contains { $0.file == "town.geojson" && $0.kind == .geometry })
    }

    @Test("a web-mercator working CRS is refused: it stretches distances; the message names the town's Gauss-Krüger zone")
    func webMercatorWorkingCRS() throws {
        let found = try crsProblems { $0.replacingOccurrences(of: "EPSG:4549", with: "EPSG:3857") }
        #expect(found.count == 1, "\(found)")
        let message = found.first?.message ?? ""
        #expect(message.hasPrefix("\"EPSG:3857\" (WGS 84 / Pseudo-Mercator) measures east–west distances at the town +23."), "\(message)")
        #expect(message.hasSuffix("such as the town's CGCS2000 3-degree Gauss-Kruger zone, EPSG:4549 (CM 120E)"))
    }

    @Test("a geographic working CRS is refused, naming the kind that fits")
    func geographicWorkingCRS() throws {
        let found = try crsProblems { $0.replacingOccurrences(of: "EPSG:4549", with: "EPSG:4326") }
        #expect(found.map(\.message) == [
            "\"EPSG:4326\" is geographic (distances in degrees); the working CRS must be a projected CRS in metres such as the town's CGCS2000 3-degree Gauss-Kruger zone, EPSG:4549 (CM 120E)",
        ])
    }

    @Test("the neighbouring Gauss-Krüger zone and the UTM zone still fit; a zone across the country does not")
    func zones() throws {
        #expect(try crsProblems { $0.replacingOccurrences(of: "EPSG:4549", with: "EPSG:32650") }.isEmpty)
        let far = try crsProblems { $0.replacingOccurrences(of: "EPSG:4549", with: "EPSG:4540") }
        #expect(far.count == 1 && far[0].message.contains("outside the area of use of \"EPSG:4540\""), "\(far)")
    }

    @Test("the suggested CRS follows the town: its Gauss-Krüger zone in China, its UTM zone elsewhere")
    func suggestions() throws {
        var data = TownFolderFixture.town
        data.town.workingCRS = "EPSG:4326"
        let kind = TownValidator.problems(in: data).first { $0.kind == .crs }?.message
        #expect(kind?.hasSuffix("EPSG:4549 (CM 120E)") == true, "\(kind ?? "none")")
        // Shifted to Bavaria: 12°E, 48°N.
        let shift = Position(x: 12 - 119.8, y: 48 - 35.9)
        data.town.boundary = data.town.boundary.mapPositions { Position(x: $0.x + shift.x, y: $0.y + shift.y) }
        let bavaria = TownValidator.problems(in: data).first { $0.kind == .crs }?.message
        #expect(bavaria?.hasSuffix("EPSG:32633 (WGS 84 / UTM zone 33N)") == true, "\(bavaria ?? "none")")
    }

    @Test("a working CRS 0.1%–1% off at the town is refused now, naming the zone that fits, and kept when the user insists")
    func scaleErrorAboveAPermille() throws {
        // A transverse Mercator on 114°E: Dacun lies 5.8° away, where it stretches distances by about 0.34%.
        let offZone = "+proj=tmerc +lon_0=114 +k=1 +x_0=500000 +ellps=GRS80 +units=m +type=crs"
        let folder = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TownFolderFixture.replace("manifest.json", in: folder) { $0.replacingOccurrences(of: "EPSG:4549", with: offZone) }
        let found = TownFolderFixture.problems(folder).filter { $0.kind == .crs }
        #expect(found.count == 1 && found[0].path == "workingCRS", "\(found)")
        let message = found.first?.message ?? ""
        #expect(message.contains("measures east–west distances at the town +0.3"), "\(message)")
        #expect(message.contains("more than 0.1%") && message.contains("--accept-crs-error"), "\(message)")
        #expect(message.hasSuffix("EPSG:4549 (CM 120E)"), "\(message)")
        let insisted = try TownFolder.read(from: folder, options: .init(acceptsWorkingCRSScaleError: true))
        #expect(insisted.town.workingCRS.description == offZone)
        // Insisting does not waive the other rules: a town outside the CRS's area of use.
        try TownFolderFixture.replace("manifest.json", in: folder) { $0.replacingOccurrences(of: offZone, with: "EPSG:4540") }
        #expect(TownFolderFixture.problems(folder, options: .init(acceptsWorkingCRSScaleError: true)).contains { $0.kind == .crs })
    }

    @Test("a manifest without a working CRS gets the town's Gauss-Krüger zone, and the reader says so")
    func workingCRSChosen() throws {
        let folder = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TownFolderFixture.replace("manifest.json", in: folder) { $0.replacingOccurrences(of: #""workingCRS": "EPSG:4549","#, with: "") }
        #expect(try !String(contentsOf: folder.appendingPathComponent("manifest.json"), encoding: .utf8).contains("workingCRS"))
        var notices: [String] = []
        let data = try TownFolder.read(from: folder) { notices.append($0) }
        #expect(data.town.workingCRS == "EPSG:4549")
        #expect(notices == ["manifest.json names no working CRS; chose EPSG:4549 (the town's CGCS2000 3-degree Gauss-Kruger zone, CM 120E) from where the town lies"],
                "\(notices)")
        // A working CRS that is there but not a string is a problem, not a reason to choose one.
        try TownFolderFixture.replace("manifest.json", in: folder) { $0.replacingOccurrences(of: #""code":"#, with: #""workingCRS": 4549, "code":"#) }
        #expect(TownFolderFixture.problems(folder).contains { $0.path == "workingCRS" })
    }

    @Test("the chosen working CRS: the CGCS2000 \"CM\" Gauss-Krüger zone in China, WGS 84 UTM elsewhere, north and south")
    func choices() throws {
        let cases: [(Double, Double, String)] = [
            (119.8, 35.9, "EPSG:4549"), (87.6, 43.8, "EPSG:4538"), (126.6, 45.8, "EPSG:4551"), (113.3, 23.1, "EPSG:4547"),
            (-122.29, 37.81, "EPSG:32610"), (-102.29, 21.88, "EPSG:32613"), (151.2, -33.9, "EPSG:32756"), (12.0, 48.0, "EPSG:32633"),
            // Ulaanbaatar lies in the 105°E band's longitudes but outside China: UTM.
            (106.9, 47.9, "EPSG:32648"),
        ]
        for (longitude, latitude, expected) in cases {
            #expect(WorkingCRSChoice.suggested(longitude: longitude, latitude: latitude).crs.description == expected, "\(longitude), \(latitude)")
        }
    }

    @Test("a CRS's area of use comes from PROJ; a PROJ string has none")
    func areaOfUse() throws {
        let zone = try #require(try CRS("EPSG:4549").areaOfUse)
        #expect(zone.west == 118.5 && zone.east == 121.5 && zone.name.hasPrefix("China - onshore"))
        #expect(zone.contains(longitude: 119.8, latitude: 35.9) && !zone.contains(longitude: 115.5, latitude: 0))
        #expect(try CRS("+proj=tmerc +lon_0=120 +type=crs").areaOfUse == nil)
        let fiji = AreaOfUse(west: 176, south: -20, east: -178, north: -12, name: "across the antimeridian")
        #expect(fiji.contains(longitude: 179, latitude: -15) && fiji.contains(longitude: -179, latitude: -15))
        #expect(!fiji.contains(longitude: 0, latitude: -15))
    }
}
