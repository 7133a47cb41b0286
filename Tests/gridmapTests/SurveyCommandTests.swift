import Foundation
import Testing

/// `gridmap survey`: on the tiny town with its roads and service station, its register begun on
/// 2026-01-01 (R-1 at home-1 in TT-001-1, R-2 at home-2 in TT-002-2; a team for TT-001 only).
@Suite("gridmap survey")
struct SurveyCommandTests {
    typealias Workspace = TownCommandsTests.Workspace

    /// A workspace whose store holds the tiny town with roads and a survey 'autumn' over both grids from 2026-06-01.
    static func surveyed() throws -> Workspace {
        let work = try Workspace()
        let town = try work.copyOfTinyTown(named: "town")
        let roads = TownCommandsTests.tinyTown.deletingLastPathComponent().appendingPathComponent("road-layers")
        for layer in ["roads.geojson", "citizen-service-stations.geojson"] {
            try FileManager.default.copyItem(at: roads.appendingPathComponent(layer), to: town.appendingPathComponent(layer))
        }
        try Workspace.addToManifest("\"registerSince\": \"2026-01-01\"", in: town)
        let imported = try GridMapExecutable.run(["import", town.path, "--db", work.db])
        #expect(imported.status == 0, "\(imported.stderr)")
        let started = try GridMapExecutable.run(["survey", "start", "--campaign", "autumn", "--grid", "TT-001", "--grid", "TT-002",
                                                 "--start", "2026-06-01", "--db", work.db])
        #expect(started.status == 0, "\(started.stderr)")
        #expect(started.stdout == "started survey 'autumn' over TT-001, TT-002 from 2026-06-01\n")
        return work
    }

    static func survey(_ arguments: [String], _ work: Workspace) throws -> CommandResult {
        try GridMapExecutable.run(["survey"] + arguments + ["--db", work.db])
    }

    @Test("visits are recorded, a changed one with its register change, and progress counts homes surveyed per grid and micro-grid")
    func visitsAndProgress() throws {
        let work = try Self.surveyed()
        defer { work.remove() }
        let nobody = try Self.survey(["visit", "home-1", "--campaign", "autumn", "--as", "TT-001/liaison", "--found", "nobody-home", "--day", "2026-06-02"], work)
        #expect(nobody.status == 0 && nobody.stdout == "visit #1: home-1 nobody-home on 2026-06-02 by TT-001/赵联络员\n", "\(nobody.stderr)")
        let before = try Self.survey(["progress", "--campaign", "autumn"], work)
        #expect(before.stdout.contains("\nTT-001,,1,0,1,0.0\n"), "\(before.stdout)")
        let changed = try Self.survey(["visit", "home-1", "--campaign", "autumn", "--as", "TT-001/赵联络员", "--found", "changed",
                                       "--resident", "R-1", "--add-category", "disabled", "--day", "2026-06-03"], work)
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stdout == "visit #2: home-1 changed on 2026-06-03 by TT-001/赵联络员\nrecorded #1: change resident R-1 effective 2026-06-03\n")
        let history = try GridMapExecutable.run(["history", "--role", "office", "--db", work.db])
        #expect(history.stdout.contains("change resident R-1 by TT-001/赵联络员") && history.stdout.contains("(survey 'autumn': found at home-1)"),
                "\(history.stdout)")
        let progress = try Self.survey(["progress", "--campaign", "autumn"], work)
        #expect(progress.status == 0)
        #expect(progress.stdout == """
            grid,micro_grid,homes,surveyed,nobody_home,share_pct
            ,,2,1,0,50.0
            TT-001,,1,1,0,100.0
            TT-001,TT-001-1,1,1,0,100.0
            TT-001,TT-001-2,0,0,0,0.0
            TT-002,,1,0,0,0.0
            TT-002,TT-002-1,0,0,0,0.0
            TT-002,TT-002-2,1,0,0,0.0

            """)
    }

    @Test("todo lists the homes not yet surveyed in walking order, with residents only for a role that sees them")
    func todo() throws {
        let work = try Self.surveyed()
        defer { work.remove() }
        let office = try Self.survey(["todo", "--campaign", "autumn", "--grid", "TT-001", "--role", "office"], work)
        #expect(office.status == 0, "\(office.stderr)")
        #expect(office.stdout.hasPrefix("order,home,residents,leg_m\n1,home-1,R-1,"), "\(office.stdout)")
        #expect(office.stderr.contains("1 homes to visit in TT-001, walking") && office.stderr.contains("from svc-1"), "\(office.stderr)")
        let anyone = try Self.survey(["todo", "--campaign", "autumn", "--grid", "TT-001"], work)
        #expect(anyone.stdout.hasPrefix("order,home,residents,leg_m\n1,home-1,,"), "\(anyone.stdout)")
        _ = try Self.survey(["visit", "home-1", "--campaign", "autumn", "--as", "TT-001/chief", "--found", "confirmed", "--day", "2026-06-02"], work)
        let done = try Self.survey(["todo", "--campaign", "autumn", "--grid", "TT-001"], work)
        #expect(done.status == 0 && done.stdout == "order,home,residents,leg_m\n" && done.stderr.contains("every home of TT-001 is surveyed"))
    }

    @Test("map draws micro-grids shaded by their share surveyed")
    func map() throws {
        let work = try Self.surveyed()
        defer { work.remove() }
        _ = try Self.survey(["visit", "home-1", "--campaign", "autumn", "--as", "TT-001/chief", "--found", "empty-house", "--day", "2026-06-02"], work)
        let out = work.file("progress.svg")
        let drawn = try Self.survey(["map", "--campaign", "autumn", "--out", out.path, "--lang", "en"], work)
        #expect(drawn.status == 0, "\(drawn.stderr)")
        let svg = try String(contentsOf: out, encoding: .utf8)
        #expect(svg.contains("id=\"layer-surveyed-all\"") && svg.contains("id=\"layer-surveyed-none\"") && svg.contains("autumn: survey progress"))
    }

    @Test("each bad request is refused with its reason and status 64, and nothing is recorded")
    func refusals() throws {
        let work = try Self.surveyed()
        defer { work.remove() }
        let visit = ["visit", "home-1", "--campaign", "autumn", "--as", "TT-001/liaison", "--found", "confirmed"]
        let cases: [([String], String)] = [
            (["visit", "home-1", "--campaign", "spring", "--as", "TT-001/liaison", "--found", "confirmed"],
             "Error: There is no survey campaign 'spring'; the campaigns: 'autumn'."),
            (["visit", "home-9", "--campaign", "autumn", "--as", "TT-001/liaison", "--found", "confirmed"], "Error: There is no home home-9 in the town."),
            (visit + ["--day", "2999-01-01"], "is in the future"),
            (visit + ["--day", "2026-05-31"], "Error: The visit's day 2026-05-31 is before the survey 'autumn' started on 2026-06-01."),
            (["visit", "home-2", "--campaign", "autumn", "--as", "TT-001/liaison", "--found", "confirmed", "--day", "2026-06-02"],
             "Error: --as TT-001/liaison: 赵联络员 is on TT-001's team, not on the team of grid TT-002, where home-2 lies; a home is visited by its own grid's team."),
            (["visit", "home-1", "--campaign", "autumn", "--as", "TT-001/王五", "--found", "confirmed", "--day", "2026-06-02"],
             "Error: --as TT-001/王五: TT-001's team has no 王五"),
            (visit + ["--day", "2026-06-02", "--left", "R-1"], "Error: A visit that found the home confirmed records no changes; say --found changed."),
            (["visit", "home-1", "--campaign", "autumn", "--as", "TT-001/liaison", "--found", "gone"], "--found is confirmed, changed, nobody-home, empty-house, not 'gone'."),
            (visit + ["--add-category", "disabled"], "The resident's fields (--add-category, --phone, …) need --resident ID"),
            (["start", "--campaign", "autumn", "--grid", "TT-001", "--start", "2026-06-01"], "Error: Nothing was recorded: a survey campaign named 'autumn' exists already."),
            (["start", "--campaign", "spring", "--grid", "TT-009", "--start", "2026-06-01"], "Error: --grid TT-009: the town has no grid TT-009; it has TT-001, TT-002."),
            (["progress", "--campaign", "spring"], "Error: There is no survey campaign 'spring'"),
            (["todo", "--campaign", "autumn", "--grid", "TT-003"], "Error: --grid TT-003: the survey 'autumn' does not cover it (it covers TT-001, TT-002)."),
            (["map", "--campaign", "spring", "--out", work.file("x.svg").path], "Error: There is no survey campaign 'spring'"),
        ]
        for (arguments, message) in cases {
            let result = try Self.survey(arguments, work)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        let progress = try Self.survey(["progress", "--campaign", "autumn"], work)
        #expect(progress.stdout.contains("\n,,2,0,0,0.0\n"), "\(progress.stdout)")
        let history = try GridMapExecutable.run(["history", "--role", "office", "--db", work.db])
        #expect(history.stdout.isEmpty || history.stderr.contains("no entries"), "\(history.stdout)")
        #expect(!FileManager.default.fileExists(atPath: work.file("x.svg").path))
    }

    @Test("visits lists each visit, the note only for a role that sees the grid's residents")
    func visits() throws {
        let work = try Self.surveyed()
        defer { work.remove() }
        _ = try Self.survey(["visit", "home-1", "--campaign", "autumn", "--as", "TT-001/liaison", "--found", "confirmed",
                             "--day", "2026-06-02", "--note", "张三 at home"], work)
        let worker = try Self.survey(["visits", "--campaign", "autumn", "--role", "grid-worker:TT-001"], work)
        #expect(worker.status == 0 && worker.stdout == "visit,day,home,grid,visitor,found,changes,note\n1,2026-06-02,home-1,TT-001,赵联络员,confirmed,,张三 at home\n",
                "\(worker.stdout)\(worker.stderr)")
        let anyone = try Self.survey(["visits", "--campaign", "autumn"], work)
        #expect(anyone.stdout.hasSuffix("\n1,2026-06-02,home-1,TT-001,赵联络员,confirmed,,(withheld)\n"), "\(anyone.stdout)")
        let other = try Self.survey(["visits", "--campaign", "autumn", "--grid", "TT-002", "--role", "office"], work)
        #expect(other.stdout == "visit,day,home,grid,visitor,found,changes,note\n")
    }

    @Test("survey --help teaches the counting rule and each subcommand with examples")
    func help() throws {
        let help = try GridMapExecutable.run(["survey", "--help"])
        #expect(help.status == 0 && help.stdout.contains("nobody-home") && help.stdout.contains("gridmap survey todo --campaign"))
        for command in ["start", "visit", "progress", "todo", "map", "import", "visits"] {
            let sub = try GridMapExecutable.run(["survey", command, "--help"])
            #expect(sub.status == 0 && sub.stdout.contains("gridmap survey \(command)"), "\(command)")
        }
    }
}

@Suite("gridmap survey import")
struct SurveyImportCommandTests {
    @Test("a survey file is recorded whole, and a bad line is refused naming it, with nothing kept")
    func importsAndRefuses() throws {
        let work = try SurveyCommandTests.surveyed()
        defer { work.remove() }
        let good = """
            {"do":"start","campaign":"winter","grids":["TT-001"],"start":"2026-07-01","by":"office"}
            {"do":"visit","campaign":"winter","home":"home-1","as":"TT-001/liaison","day":"2026-07-02","found":"confirmed"}
            """
        let bad = good + "\n" + #"{"do":"visit","campaign":"winter","home":"home-9","as":"TT-001/liaison","day":"2026-07-02","found":"confirmed"}"#
        try bad.write(to: work.file("bad.jsonl"), atomically: true, encoding: .utf8)
        let refused = try SurveyCommandTests.survey(["import", work.file("bad.jsonl").path], work)
        #expect(refused.status == 64 && refused.stderr.contains("Error: bad.jsonl line 3: There is no home home-9 in the town."), "\(refused.stderr)")
        let none = try SurveyCommandTests.survey(["progress", "--campaign", "winter"], work)
        #expect(none.status == 64, "the campaign of a refused file is not started")
        try good.write(to: work.file("good.jsonl"), atomically: true, encoding: .utf8)
        let imported = try SurveyCommandTests.survey(["import", work.file("good.jsonl").path], work)
        #expect(imported.status == 0 && imported.stderr.contains("1 campaigns started, 1 visits recorded"), "\(imported.stderr)")
        let progress = try SurveyCommandTests.survey(["progress", "--campaign", "winter"], work)
        #expect(progress.stdout.contains("\nTT-001,,1,1,0,100.0\n"), "\(progress.stdout)")
        let missing = try SurveyCommandTests.survey(["import", work.file("missing.jsonl").path], work)
        #expect(missing.status == 2 && missing.stderr.contains("gridmap survey import: cannot read"), "\(missing.stderr)")
    }
}
