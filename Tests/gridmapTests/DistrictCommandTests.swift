import Foundation
import PostgresTesting
import Testing

/// The tiny district (Fixtures/tiny-district: towns TT and TU side by side, sharing the edge at
/// 119.82 E) through the command line, on a district folder and on a PostgreSQL district.
@Suite("gridmap on a district of many towns")
struct DistrictCommandTests {
    static let tinyDistrict = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tiny-district").standardized

    enum Place: String, CaseIterable, CustomTestStringConvertible {
        case folder, postgres
        var testDescription: String { self == .folder ? "SQLite folder" : "PostgreSQL" }

        func make() throws -> String {
            switch self {
            case .folder: FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-cli-district-\(UUID().uuidString)").path
            case .postgres: try TestPostgres.freshSchema()
            }
        }
    }

    static func imported(_ place: Place) throws -> String {
        let db = try place.make()
        let result = try GridMapExecutable.run(["import", tinyDistrict.path, "--db", db])
        #expect(result.status == 0, "\(result.stderr)")
        return db
    }

    @Test("importing a district folder says each town as it is in, then the total", arguments: Place.allCases)
    func importSaysEachTown(_ place: Place) throws {
        let db = try place.make()
        let result = try GridMapExecutable.run(["import", Self.tinyDistrict.path, "--db", db])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("gridmap import: TT 小镇: 2 grids, 4 micro-grids, 4 features, 2 residents, 2 team members"))
        #expect(lines.contains("gridmap import: TU 东小镇: 2 grids, 4 micro-grids, 4 features, 2 residents, 2 team members"))
        #expect(lines.last?.hasPrefix("gridmap import: 2 towns, 4 residents into the district ") == true)
        let again = try GridMapExecutable.run(["import", Self.tinyDistrict.path, "--db", db])
        #expect(again.status != 0)
        #expect(again.stderr.contains("holds TT, TU already; nothing was changed"))
    }

    @Test("info lists the towns with their division codes and the district's totals", arguments: Place.allCases)
    func infoListsTheTowns(_ place: Place) throws {
        let db = try Self.imported(place)
        let info = try GridMapExecutable.run(["info", "--db", db])
        #expect(info.status == 0, "\(info.stderr)")
        let lines = info.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("小区县 Tiny District (370299): 2 towns in ") == true)
        let fields = lines.map { $0.split(separator: " ").map(String.init) }
        #expect(fields.contains(["TT", "370299101", "小镇", "2", "4", "4", "2", "2", "0", "2.00"]))
        #expect(fields.contains(["TU", "370299102", "东小镇", "2", "4", "4", "2", "2", "0", "2.00"]))
        #expect(fields.contains(["total", "4", "8", "8", "4", "4", "0", "4.01"]))
        #expect(lines.suffix(3) == ["Residents by category:", "  TT    disabled 1, party-member 1, veteran 1", "  TU    disabled 1, party-member 1, veteran 1"])
        let grids = try GridMapExecutable.run(["info", "--grids", "--db", db])
        #expect(grids.status != 0 && grids.stderr.contains("--grids works on one town: add --town CODE."))
    }

    @Test("--town makes every command work on that town, as on a store of its own", arguments: Place.allCases)
    func townPicksTheTown(_ place: Place) throws {
        let db = try Self.imported(place)
        let single = try GridMapExecutable.run(["info", "--db", db, "--town", "TU"])
        #expect(single.status == 0, "\(single.stderr)")
        #expect(single.stdout.hasPrefix("东小镇 Tiny East (TU)"))
        let select = try GridMapExecutable.run(["select", "--grid", "TU-001", "--role", "office", "--db", db, "--town", "TU"])
        #expect(select.status == 0, "\(select.stderr)")
        #expect(select.stdout.contains("张三"))
        let missing = try GridMapExecutable.run(["select", "--grid", "TU-001", "--role", "office", "--db", db])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("is a district of 2 towns (TT 小镇, TU 东小镇): name one with --town CODE."))
    }

    @Test("locate across the district names the town; --csv adds a town column; the shared edge goes to the first town", arguments: Place.allCases)
    func locateNamesTheTown(_ place: Place) throws {
        let db = try Self.imported(place)
        let point = try GridMapExecutable.run(["locate", "119.823", "35.903", "--db", db])
        #expect(point.status == 0, "\(point.stderr)")
        #expect(point.stdout.hasPrefix("town        TU  东小镇  370299102\nmicro-grid  TU-001-1"))
        let csv = "id,lon,lat\na,119.803,35.903\nb,119.823,35.903\nc,119.82,35.907\nd,119.9,35.9\n"
        let located = try GridMapExecutable.run(["locate", "--csv", "-", "--db", db], stdin: csv)
        #expect(located.status == 0, "\(located.stderr)")
        #expect(located.stdout == """
            id,lon,lat,town,microgrid,grid
            a,119.803,35.903,TT,TT-001-1,TT-001
            b,119.823,35.903,TU,TU-001-1,TU-001
            c,119.82,35.907,TT,TT-002-2,TT-002
            d,119.9,35.9,,,

            """)
        let outside = try GridMapExecutable.run(["locate", "119.9", "35.9", "--db", db])
        #expect(outside.stdout.hasPrefix("outside the district's towns, "))
    }

    @Test("event stats by town gives a row per town and the district's", arguments: Place.allCases)
    func statsByTown(_ place: Place) throws {
        let db = try Self.imported(place)
        let raised = try GridMapExecutable.run(["event", "raise", "--db", db, "--town", "TU", "--as", "TU-001/liaison",
                                                "--category", "roads-and-water", "--point", "119.823,35.903", "--description", "水沟堵塞"])
        #expect(raised.status == 0, "\(raised.stderr)")
        let stats = try GridMapExecutable.run(["event", "stats", "--by", "town", "--db", db])
        #expect(stats.status == 0, "\(stats.stderr)")
        let rows = stats.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(2).joined(separator: ",") }
        #expect(rows == ["group,collected", "TT,0", "TU,1", "district,1"])
    }

    @Test("a town folder into a new district with --district, then a second town added to it")
    func townByTown() throws {
        let db = try Place.folder.make()
        let first = try GridMapExecutable.run(["import", Self.tinyDistrict.appendingPathComponent("01-tt").path, "--db", db, "--district"])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try GridMapExecutable.run(["import", Self.tinyDistrict.appendingPathComponent("02-tu").path, "--db", db])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("TU 东小镇: 2 grids"))
        let wrong = try GridMapExecutable.run(["import", Self.tinyDistrict.appendingPathComponent("02-tu").path, "--db", db, "--town", "TT", "--replace-town"])
        #expect(wrong.status != 0 && wrong.stderr.contains("holds town TU, not TT; nothing was changed."))
        let file = try GridMapExecutable.run(["import", Self.tinyDistrict.appendingPathComponent("02-tu").path, "--db", db + "/district.sqlite", "--district"])
        #expect(file.status != 0 && file.stderr.contains("is a file (a town store); a district is a folder"))
    }

    @Test("validate on a district checks the towns against each other; an overlap kept at import is reported")
    func validateChecksTheTowns() throws {
        let db = try Self.imported(.folder)
        let clean = try GridMapExecutable.run(["validate", "--db", db])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        // TV: TU's folder under another code, so it overlaps TU wholly.
        let tv = FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-cli-tv-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.tinyDistrict.appendingPathComponent("02-tu"), to: tv)
        for name in try FileManager.default.contentsOfDirectory(atPath: tv.path) {
            let file = tv.appendingPathComponent(name)
            try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "TU", with: "TV").write(to: file, atomically: true, encoding: .utf8)
        }
        let refused = try GridMapExecutable.run(["import", tv.path, "--db", db])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("towns TU and TV overlap"))
        let kept = try GridMapExecutable.run(["import", tv.path, "--db", db, "--allow-coverage-faults"])
        #expect(kept.status == 0, "\(kept.stderr)")
        let faulty = try GridMapExecutable.run(["validate", "--db", db])
        #expect(faulty.status == 1)
        #expect(faulty.stdout.contains("towns TU and TV overlap"))
    }
}
