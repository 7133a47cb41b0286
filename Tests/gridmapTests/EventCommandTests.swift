import Foundation
import Testing

@Suite("gridmap event")
struct EventCommandTests {
    @Test("a whistled event runs through the command line to closing, and show prints its whole history")
    func wholeFlow() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        func event(_ arguments: [String]) throws -> CommandResult { try GridMapExecutable.run(["event"] + arguments + ["--db", work.db]) }
        let raised = try event(["raise", "--as", "TT-001/liaison", "--category", "welfare-assistance", "--point", "119.803,35.903",
                                "--description", "独居老人取暖困难", "--resident", "R-1", "--time", "2026-11-01 08:00"])
        #expect(raised.status == 0, "\(raised.stderr)")
        #expect(raised.stdout == "EV-000001 welfare-assistance TT-001-1: raised\n")
        let steps: [[String]] = [
            ["whistle", "EV-000001", "--as", "TT-001/chief", "--department", "civil-affairs", "--time", "2026-11-01 09:00"],
            ["report-in", "EV-000001", "--as", "department:civil-affairs/钱", "--time", "2026-11-01 10:00"],
            ["resolve", "EV-000001", "--as", "department:civil-affairs", "--time", "2026-11-02 10:00", "--note", "已送取暖器"],
            ["verify", "EV-000001", "--as", "TT-001/liaison", "--time", "2026-11-02 15:00"],
            ["close", "EV-000001", "--as", "TT-001/liaison", "--satisfaction", "satisfied", "--time", "2026-11-02 16:00"],
        ]
        for step in steps {
            let result = try event(step)
            #expect(result.status == 0, "\(step): \(result.stderr)")
        }
        let shown = try event(["show", "EV-000001", "--role", "office"])
        #expect(shown.stdout.contains("  2026-11-02 10:00  resolve  by department civil-affairs (civil-affairs) — 已送取暖器"), "\(shown.stdout)")
        #expect(shown.stdout.contains("residents: concerns R-1"))
        #expect(shown.stdout.hasPrefix("EV-000001 welfare-assistance (民生救助), normal: closed"))
        let public_ = try event(["show", "EV-000001"])
        #expect(!public_.stdout.contains("R-1") && public_.stdout.contains("residents: 1 (shown to the office and the grid's worker)"))
        #expect(!public_.stdout.contains("119.803") && shown.stdout.contains("at 119.803,35.903 in TT-001-1"), "the point of an event about a resident is not public")
        let stats = try event(["stats"])
        #expect(stats.stdout.split(separator: "\n").last?.hasPrefix("town,1,1,1,100.0,100.0,1,100.0,100.0,1,100.0,0,0,0,1.0,1.0,1.0,1.0,24.0,24.0,5.0,5.0,1.0,1.0") == true, "\(stats.stdout)")
    }

    @Test("the public's show leaves out the description and the history's notes and reasons, which may name people; the office sees them")
    func publicSeesNoFreeText() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        func event(_ arguments: [String]) throws -> CommandResult { try GridMapExecutable.run(["event"] + arguments + ["--db", work.db]) }
        #expect(try event(["raise", "--as", "TT-001/liaison", "--category", "roads-and-water", "--point", "119.803,35.903",
                           "--description", "王大爷家门口水沟堵塞", "--time", "2026-11-01 08:00"]).status == 0)
        #expect(try event(["take", "EV-000001", "--as", "TT-001/liaison", "--time", "2026-11-01 09:00", "--note", "王大爷说堵了三天"]).status == 0)
        let office = try event(["show", "EV-000001", "--role", "office"]).stdout
        #expect(office.contains("  王大爷家门口水沟堵塞\n") && office.contains("— 王大爷说堵了三天"), "\(office)")
        for role in ["public", "grid-worker:TT-002"] {
            let shown = try event(["show", "EV-000001", "--role", role])
            #expect(shown.status == 0 && !shown.stdout.contains("王大爷"), "\(role): \(shown.stdout)")
            #expect(shown.stdout.contains("(the description is shown to the office and the grid's worker)"), "\(role)")
            #expect(shown.stdout.contains("EV-000001 roads-and-water") && shown.stdout.contains("at 119.803,35.903 in TT-001-1")
                    && shown.stdout.contains("2026-11-01 09:00  take  by TT-001 liaison"), "\(role): category, place, state and times stay public")
        }
    }

    @Test("an action the flow refuses exits 1 naming the event and the rule; a bad --as or --time exits 64; nothing is recorded")
    func refusals() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        func event(_ arguments: [String]) throws -> CommandResult { try GridMapExecutable.run(["event"] + arguments + ["--db", work.db]) }
        #expect(try event(["raise", "--as", "TT-001/liaison", "--category", "traffic", "--point", "119.803,35.903", "--description", "x"]).status == 0)
        let early = try event(["close", "EV-000001", "--as", "TT-001/liaison", "--satisfaction", "satisfied"])
        #expect(early.status == 1)
        #expect(early.stderr.contains("gridmap event close: event EV-000001: cannot close: only a verified event is closed (it is raised); nothing was recorded"), "\(early.stderr)")
        let future = try event(["take", "EV-000001", "--as", "TT-001/liaison", "--time", "2099-01-01"])
        #expect(future.status == 64 && future.stderr.contains("is in the future"), "\(future.stderr)")
        let stranger = try event(["take", "EV-000001", "--as", "TT-002/liaison"])
        #expect(stranger.status == 64 && stranger.stderr.contains("TT-002's team has no liaison"), "\(stranger.stderr)")
        let outside = try event(["raise", "--as", "office", "--category", "traffic", "--point", "120.5,36.0", "--description", "x"])
        #expect(outside.status == 64 && outside.stderr.contains("lies outside the town"), "\(outside.stderr)")
        #expect(try event(["show", "EV-000001", "--role", "office"]).stdout.contains("history (Asia/Shanghai):\n  ") )
        #expect(try event(["list"]).stdout.split(separator: "\n").count == 2, "one event, the refusals stored nothing")
    }
}

@Suite("gridmap inspection and gridmap activity")
struct InspectionCommandTests {
    @Test("an inspection of the town's wells finds a problem that becomes a whistled event with its rectification deadline")
    func inspectionToEvent() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        func run(_ arguments: [String]) throws -> CommandResult { try GridMapExecutable.run(arguments + ["--db", work.db]) }
        let plan = try run(["inspection", "plan", "--title", "水井安全检查", "--as", "office/张主任", "--sites", "wells",
                            "--item", "水质:health", "--item", "井盖:water", "--date", "2026-09-01"])
        #expect(plan.status == 0 && plan.stdout == "IN-000001 水井安全检查: 2 sites × 2 items\n", "\(plan.stdout)\(plan.stderr)")
        let found = try run(["inspection", "find", "IN-000001", "--site", "well-1", "--item", "井盖", "--description", "井盖破损",
                             "--category", "roads-and-water", "--deadline", "2026-09-10", "--as", "office", "--time", "2026-09-02 09:00"])
        #expect(found.status == 0 && found.stdout == "EV-000001 roads-and-water TT-001-1: whistled (water: awaiting-report-in)\n", "\(found.stdout)\(found.stderr)")
        let shown = try run(["inspection", "show", "IN-000001"])
        #expect(shown.stdout.contains("  well-1 井盖: EV-000001 whistled, rectify by 2026-09-10 00:00"), "\(shown.stdout)")
        #expect(try run(["inspection", "list"]).stdout.hasSuffix("\nIN-000001,水井安全检查,2026-09-01 00:00,2,2,1,0\n"), "one finding, not closed")
        let wrong = try run(["inspection", "find", "IN-000001", "--site", "home-1", "--item", "井盖", "--description", "x", "--deadline", "2026-09-10", "--as", "office"])
        #expect(wrong.status == 64 && wrong.stderr.contains("does not visit home-1"), "\(wrong.stderr)")
    }

    @Test("activities and volunteer services are counted per grid with their attendance")
    func activityCounts() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        func run(_ arguments: [String]) throws -> CommandResult { try GridMapExecutable.run(arguments + ["--db", work.db]) }
        for (kind, point, people) in [("activity", "119.803,35.903", "30"), ("volunteer-service", "119.803,35.903", "12"), ("volunteer-service", "119.817,35.907", "8")] {
            let result = try run(["activity", "record", "--kind", kind, "--title", "理发", "--service", "haircut", "--point", point,
                                  "--organiser", "志愿者协会", "--attendance", people, "--date", "2026-10-01"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(try run(["activity", "stats", "--by", "grid"]).stdout == """
            group,activities,volunteer_services,attendance
            TT-001,1,1,42
            TT-002,0,1,8
            town,1,2,50

            """)
        let outside = try run(["activity", "record", "--kind", "activity", "--title", "x", "--service", "show", "--point", "120.5,36.0",
                               "--organiser", "x", "--attendance", "1"])
        #expect(outside.status == 64 && outside.stderr.contains("lies outside the town"))
    }
}
