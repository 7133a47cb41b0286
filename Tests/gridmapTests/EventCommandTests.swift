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
        let stats = try event(["stats"])
        #expect(stats.stdout.split(separator: "\n").last?.hasPrefix("town,1,1,1,100.0,100.0,1,100.0,100.0,1,100.0,0,0,0,1.0,1.0,1.0,1.0,24.0,24.0,5.0,5.0,1.0,1.0") == true, "\(stats.stdout)")
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
