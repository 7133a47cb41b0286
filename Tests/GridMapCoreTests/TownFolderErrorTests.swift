import Foundation
import GridMapCore
import Testing

/// `TownFolder.read` reports every problem with its file and its feature index or CSV line.
@Suite("Town folder: reading reports every problem")
struct TownFolderErrorTests {
    private func folder(_ edits: [(String, (String) -> String)]) throws -> URL {
        let folder = try TownFolderFixture.written()
        for (file, edit) in edits { try TownFolderFixture.replace(file, in: folder, edit) }
        return folder
    }

    @Test("bad GeoJSON: the reader's error with file, feature index, path, line and column")
    func badGeoJSON() throws {
        let url = try folder([("microgrids.geojson", { $0.replacingOccurrences(of: "[119.81,35.91],[119.8,35.91],[119.8,35.905]]", with: "[119.81,35.91],[119.8,35.91],[119.8,35.9051]]") })])
        defer { try? FileManager.default.removeItem(at: url) }
        let problems = TownFolderFixture.problems(url)
        let problem = try #require(problems.first { $0.file == "microgrids.geojson" })
        #expect(problem.featureIndex == 1 && problem.line == 3 && problem.column != nil)
        #expect(problem.path.hasPrefix("geometry.coordinates") && problem.message.contains("close"))
        #expect(problem.description.hasPrefix("microgrids.geojson: feature 1, geometry.coordinates"))
    }

    @Test("broken JSON stops that file only")
    func brokenJSON() throws {
        let url = try folder([
            ("wells.geojson", { String($0.dropLast(8)) }),
            ("team.csv", { $0.replacingOccurrences(of: "DC-002,volunteer", with: "DC-009,volunteer") }),
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        let problems = TownFolderFixture.problems(url)
        #expect(problems.contains { $0.file == "wells.geojson" && $0.line != nil })
        #expect(problems.contains { $0.file == "team.csv" && $0.line == 5 })
    }

    @Test("missing required properties and malformed grid codes, each with its feature index")
    func propertiesAndCodes() throws {
        let url = try folder([
            ("grids.geojson", {
                $0.replacingOccurrences(of: #""id":"DC-002""#, with: #""id":"DC-2""#)
                    .replacingOccurrences(of: #""code":"DC-002""#, with: #""code":"DC-2""#)
                    .replacingOccurrences(of: #","name":"东河村","village":"DC-V01""#, with: #","village":"DC-V09""#)
            }),
            ("homes.geojson", { $0.replacingOccurrences(of: #","houseNumber":2"#, with: #","houseNumber":0"#) }),
            ("roads.geojson", { $0.replacingOccurrences(of: #""class":"county""#, with: #""class":"expressway""#) }),
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        let problems = TownFolderFixture.problems(url)
        #expect(problems.contains { $0.file == "grids.geojson" && $0.featureIndex == 0 && $0.path == "properties.name" && $0.message.contains("missing") })
        #expect(problems.contains { $0.file == "grids.geojson" && $0.featureIndex == 0 && $0.message.contains("\"DC-V09\" is not in villages.geojson") })
        #expect(problems.contains { $0.file == "grids.geojson" && $0.featureIndex == 1 && $0.message.contains("malformed grid code \"DC-2\"") })
        #expect(problems.contains { $0.file == "homes.geojson" && $0.featureIndex == 1 && $0.path == "properties.houseNumber" })
        #expect(problems.contains { $0.file == "roads.geojson" && $0.featureIndex == 0 && $0.message.contains("expressway") })
        // The micro-grid of the grid that could not be read is reported as orphaned, and the team
        // member of that grid too.
        #expect(problems.contains { $0.file == "microgrids.geojson" && $0.featureIndex == 2 && $0.message.contains("\"DC-002\", which is not in grids.geojson") })
        #expect(problems.contains { $0.file == "team.csv" && $0.line == 5 && $0.message.contains("\"DC-002\" is not in grids.geojson") })
    }

    @Test("a micro-grid whose grid is missing; a micro-grid code where a grid code belongs")
    func orphanMicroGrid() throws {
        let url = try folder([
            ("microgrids.geojson", {
                $0.replacingOccurrences(of: #""id":"DC-002-1""#, with: #""id":"DC-003-1""#)
                    .replacingOccurrences(of: #""code":"DC-002-1","name":"王家庄第一微网格","grid":"DC-002""#, with: #""code":"DC-003-1","name":"王家庄第一微网格","grid":"DC-003""#)
            }),
            ("grids.geojson", {
                $0.replacingOccurrences(of: #""id":"DC-001","#, with: #""id":"DC-001-1","#)
                    .replacingOccurrences(of: #""code":"DC-001","#, with: #""code":"DC-001-1","#)
            }),
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        let problems = TownFolderFixture.problems(url)
        #expect(problems.contains { $0.file == "microgrids.geojson" && $0.featureIndex == 2 && $0.message.contains("grid \"DC-003\", which is not in grids.geojson") })
        #expect(problems.contains { $0.file == "grids.geojson" && $0.featureIndex == 0 && $0.message.contains("is a micro-grid code") })
    }

    @Test("residents: a missing home, a bad category and a bad year, each with its CSV line")
    func residents() throws {
        let url = try folder([("residents.csv", {
            $0.replacingOccurrences(of: "R-000001,王秀英,home-1,", with: "R-000001,王秀英,home-404,")
                .replacingOccurrences(of: "new-arrival,,", with: "New Arrival,,1990x")
        })])
        defer { try? FileManager.default.removeItem(at: url) }
        let problems = TownFolderFixture.problems(url)
        #expect(problems.contains { $0.file == "residents.csv" && $0.line == 2 && $0.message.contains("home \"home-404\" is not in homes.geojson") })
        #expect(problems.contains { $0.file == "residents.csv" && $0.line == 3 && $0.message.contains("category \"New Arrival\"") })
        #expect(problems.contains { $0.file == "residents.csv" && $0.line == 3 && $0.message.contains("birthYear \"1990x\"") })
        #expect(problems.first { $0.line == 2 }?.description == "residents.csv: line 2: home \"home-404\" is not in homes.geojson")
    }

    @Test("broken CSV rows: RFC 4180 quoting errors and wrong field counts, each with its line; a quote inside an unquoted field is a character")
    func brokenCSV() throws {
        let url = try folder([
            ("team.csv", {
                $0.replacingOccurrences(of: "DC-001,liaison,李娟,,", with: "DC-001,liaison,李\"娟,,")
                    .replacingOccurrences(of: "DC-001,functional,赵刚,", with: "DC-001,functional,\"赵刚\"x,")
                    + "DC-002,volunteer,王五\n"
            }),
            ("residents.csv", { $0 + "R-000004,\"unterminated,home-1,,,\n" }),
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        let problems = TownFolderFixture.problems(url)
        #expect(!problems.contains { $0.file == "team.csv" && $0.line == 3 })
        #expect(problems.contains { $0.file == "team.csv" && $0.line == 4 && $0.message.contains("after the closing quote") })
        #expect(problems.contains { $0.file == "team.csv" && $0.line == 6 && $0.message.contains("3 fields, but the header has 5") })
        #expect(problems.contains { $0.file == "residents.csv" && $0.line == 6 && $0.message.contains("not closed by the end of the input") })
        // Counts in the manifest disagree with the damaged files.
        #expect(problems.contains { $0.file == "manifest.json" && $0.path == "counts.team" })
    }

    @Test("residents.csv by hand: BOM, CRLF, a quoted name with a comma, a quote and a line break")
    func handWrittenResidents() throws {
        let url = try folder([("residents.csv", { _ in
            "\u{FEFF}id,name,home,categories,phone,birthYear\r\n"
                + "R-000001,\"Wang, \"\"Da\"\"\r\nMing\",home-1,,,\r\n"
                + "R-000002, \"李娟\" ,home-2,,,1990\r\n\r\n"
                + "R-000003,张伟,home-2,,\"139 0000\",\r\n"
        })])
        defer { try? FileManager.default.removeItem(at: url) }
        let town = try TownFolder.read(from: url)
        #expect(town.residents.map(\.name) == ["Wang, \"Da\"\r\nMing", "李娟", "张伟"])
        #expect(town.residents.map(\.phone) == [nil, nil, "139 0000"] && town.residents[1].birthYear == 1990)
    }

    @Test("CSV headers: columns found case-insensitively after blank lines, lines counted from the top, a name given twice reported")
    func csvHeaders() throws {
        let url = try folder([("residents.csv", { _ in "\n\nID,Name,HOME,Phone\nR-000001,王秀英,home-1,\nR-000002,李娟,home-404,139\n" })])
        defer { try? FileManager.default.removeItem(at: url) }
        let problems = TownFolderFixture.problems(url).filter { $0.file == "residents.csv" }
        #expect(problems.map(\.description) == ["residents.csv: line 5: home \"home-404\" is not in homes.geojson"])
        try TownFolderFixture.replace("residents.csv", in: url) { $0.replacingOccurrences(of: "Phone", with: "id") }
        #expect(TownFolderFixture.problems(url).filter { $0.file == "residents.csv" }.map(\.description).first
            == "residents.csv: line 3: column \"id\" appears twice in the header")
    }

    @Test("CSV bytes that are not UTF-8: a row is reported with its field and line, a header costs the file but its rows are still checked")
    func csvNotUTF8() throws {
        let url = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: url) }
        let residents = url.appendingPathComponent("residents.csv")
        try Data("id,name,home\nR-000001,王秀英,home-1\nR-000002,".utf8 + [0xE7, 0x8E] + ",home-2\nR-000003,张伟,home-404\n".utf8)
            .write(to: residents)
        let rowProblems = TownFolderFixture.problems(url).filter { $0.file == "residents.csv" }.map(\.description)
        #expect(rowProblems == ["residents.csv: line 3: field 2 is not valid UTF-8",
                                "residents.csv: line 4: home \"home-404\" is not in homes.geojson"])
        try Data("id,".utf8 + [0xFF] + ",home\nR-000001,\"open,home-1\n".utf8).write(to: residents)
        let headerProblems = TownFolderFixture.problems(url).filter { $0.file == "residents.csv" }.map(\.description)
        #expect(headerProblems == ["residents.csv: line 1: field 2 is not valid UTF-8",
                                   "residents.csv: line 2: " + "a quoted field opened on this line is not closed by the end of the input"])
    }

    @Test("an unclosed quote in residents.csv costs its line only: later rows are read and checked on their own lines")
    func unclosedQuoteCostsOneLine() throws {
        let url = try folder([("residents.csv", {
            $0 + "R-000004,\"open,home-1,,,\nR-000005,赵六,home-404,,,\n"
        })])
        defer { try? FileManager.default.removeItem(at: url) }
        let problems = TownFolderFixture.problems(url)
        let lines = problems.filter { $0.file == "residents.csv" }.map(\.line)
        #expect(lines == [6, 7], "\(problems)")
        #expect(problems.contains { $0.line == 7 && $0.message.contains("home \"home-404\" is not in homes.geojson") })
    }

    @Test("a missing manifest, a missing layer and a file that is not a layer")
    func missingFiles() throws {
        let url = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: url) }
        try FileManager.default.removeItem(at: url.appendingPathComponent("manifest.json"))
        try FileManager.default.removeItem(at: url.appendingPathComponent("grids.geojson"))
        try Data("{}".utf8).write(to: url.appendingPathComponent("Notes.geojson"))
        let problems = TownFolderFixture.problems(url)
        #expect(problems.contains { $0.file == "manifest.json" && $0.message.contains("missing") })
        #expect(problems.contains { $0.file == "grids.geojson" && $0.message == "missing" })
        #expect(problems.contains { $0.file == "Notes.geojson" && $0.message.contains("is not a layer") })
        #expect(!problems.contains { $0.file == "microgrids.geojson" || $0.file == "team.csv" },
                "references into the missing grids.geojson are not reported one by one")
        let error = TownFolderError(problems: problems)
        #expect(error.description.hasPrefix("\(problems.count) problems in the town folder:\n  "))
    }

    @Test("a manifest that is not JSON, and one with bad members")
    func badManifest() throws {
        let url = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: url) }
        try TownFolderFixture.replace("manifest.json", in: url) { $0.replacingOccurrences(of: "\"code\": \"DC\",", with: "\"code\": \"DC\"") }
        #expect(TownFolderFixture.problems(url).contains { $0.file == "manifest.json" && $0.message.hasPrefix("is not valid JSON") })
        try TownFolderFixture.replace("manifest.json", in: url) {
            $0.replacingOccurrences(of: "\"code\": \"DC\"", with: "\"code\": \"dc\",")
                .replacingOccurrences(of: "\"workingCRS\": \"EPSG:4549\"", with: "\"workingCRS\": \"EPSG:0\"")
        }
        let problems = TownFolderFixture.problems(url)
        #expect(problems.contains { $0.file == "manifest.json" && $0.path == "code" })
        #expect(problems.contains { $0.file == "manifest.json" && $0.path == "workingCRS" && $0.message.contains("unknown CRS") })
    }

    @Test("duplicate ids and codes")
    func duplicates() throws {
        let url = try folder([
            ("wells.geojson", { $0.replacingOccurrences(of: #""id":"well-1""#, with: #""id":"home-1""#) }),
            ("villages.geojson", { $0.replacingOccurrences(of: #""code":"DC-V02""#, with: #""code":"DC-V01""#) }),
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        let problems = TownFolderFixture.problems(url)
        #expect(problems.contains { $0.file == "wells.geojson" && $0.featureIndex == 0 && $0.message.contains("\"home-1\" is used twice") })
        #expect(problems.contains { $0.file == "villages.geojson" && $0.featureIndex == 1 && $0.message.contains("used twice") })
    }
}
