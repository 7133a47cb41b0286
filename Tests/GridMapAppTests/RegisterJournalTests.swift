import Foundation
import GridMapApp
import GridMapCore
import GridStore
import Testing

@Suite("A file of register changes, imported whole")
struct RegisterJournalTests {
    /// A spring on the tiny town: the worked example of docs/LEDGERS.md, then a birth at R-1's
    /// new home and the newborn's first category.
    static let spring = """
        {"do":"change","resident":"R-1","addCategories":["disabled"],"effective":"2026-03-01","by":"镇残联","reason":"certificate"}
        {"do":"move","resident":"R-1","home":"home-2","effective":"2026-04-01","reason":"moved within the town"}

        {"do":"remove","resident":"R-2","effective":"2026-05-01","by":"派出所","reason":"died"}
        {"do":"add","resident":"R-3","name":"王小明","home":"home-2","birthYear":2026,"effective":"2026-05-02","reason":"born"}
        {"do":"change","resident":"R-3","categories":["left-behind-child"],"effective":"2026-06-01","reason":"parents work in the city"}
        """

    @Test("every line becomes one entry of the history, in order, recorded by its 'by' or the importer, and today's register is the last")
    func importsEveryLine() throws {
        for store in try RegisterTown.stores() {
            let changes = try RegisterDesk(store: store).importJournal(Self.spring, name: "spring.jsonl", by: "importer", at: RegisterTown.now)
            #expect(changes.map(\.action) == [.change, .move, .remove, .add, .change], "\(store.location)")
            #expect(changes.map(\.recordedBy) == ["镇残联", "importer", "派出所", "importer", "importer"])
            #expect(changes.map(\.effective.description) == ["2026-03-01", "2026-04-01", "2026-05-01", "2026-05-02", "2026-06-01"])
            let today = try store.residents().sorted { $0.id < $1.id }
            #expect(today.map(\.id) == ["R-1", "R-3"])
            #expect(today[0].homeID == "home-2" && today[0].categories == [.disabled, .veteran])
            #expect(today[1].homeID == "home-2" && today[1].categories == [.leftBehindChild] && today[1].birthYear == 2026)
            let april = try RegisterAsOfStore(store, asOf: RegisterTown.day("2026-04-30")).residents()
            #expect(Set(april.map(\.id)) == ["R-1", "R-2"], "\(store.location)")
        }
    }

    @Test("team members are changed by lines of the same file: a new chief added, the old one removed, a phone changed, and the team as of a day before is the old one")
    func teamMemberLines() throws {
        for store in try RegisterTown.stores() {
            let old = try #require(store.team(of: nil).first)
            let grid = old.gridCode
            let file = """
                {"do":"add","teamMember":"\(grid)/李新","role":"chief","phone":"131****0001","effective":"2026-04-01","by":"镇党委","reason":"elected"}
                {"do":"remove","teamMember":"\(grid)/\(old.name)","effective":"2026-04-01","reason":"retired"}
                {"do":"change","teamMember":"\(grid)/李新","phone":"","unit":"村委","effective":"2026-05-01"}
                """
            let changes = try RegisterDesk(store: store).importJournal(file, name: "team.jsonl", by: "importer", at: RegisterTown.now)
            #expect(changes.map(\.action) == [.add, .remove, .change], "\(store.location)")
            #expect(changes.map(\.recordedBy) == ["镇党委", "importer", "importer"])
            let today = try store.team(of: grid)
            #expect(!today.contains { $0.name == old.name })
            #expect(today.contains(TeamMember(gridCode: grid, role: .chief, name: "李新", unit: "村委", phone: nil)))
            let march = try RegisterAsOfStore(store, asOf: RegisterTown.day("2026-03-31")).team(of: grid)
            #expect(march.contains(old) && !march.contains { $0.name == "李新" }, "\(store.location)")
        }
    }

    @Test("a line that does not read, names a resident an earlier line removed, or changes a team member in a way that does not apply is refused by its line number, naming the rule, and nothing of the file is kept",
          arguments: [
              (#"{"do":"change","resident":"R-1","effective":"2026-13-01"}"#, "day YYYY-MM-DD"),
              (#"{"do":"marry","resident":"R-1","effective":"2026-06-01"}"#, "\"do\" is add, change, move or remove"),
              (#"{"do":"change","resident":"R-2","addCategories":["veteran"],"effective":"2026-06-01"}"#, "an earlier line removed them"),
              (#"{"do":"change","resident":"R-1","addCategories":["Disabled"],"effective":"2026-06-01"}"#, "'Disabled' is not a category"),
              (#"{"do":"move","resident":"R-1","effective":"2026-06-01"}"#, "names the new \"home\""),
              (#"{"do":"add","resident":"R-1","name":"x","home":"home-1","effective":"2026-06-01"}"#, "on the register already"),
              ("not json", "not a register change line"),
              // A team member's lines.
              (#"{"do":"add","teamMember":"TT-001/新人","effective":"2026-06-01"}"#, "needs a \"role\""),
              (#"{"do":"add","teamMember":"TT-001/新人","role":"boss","effective":"2026-06-01"}"#, "\"role\" is chief, liaison"),
              (#"{"do":"change","teamMember":"TT-001/无名","phone":"1","effective":"2026-06-01"}"#, "has no team member 无名"),
              (#"{"do":"move","teamMember":"TT-001/新人","effective":"2026-06-01"}"#, "is not moved"),
              (#"{"do":"add","teamMember":"TT-001-1/新人","role":"volunteer","effective":"2026-06-01"}"#, "is GRID/NAME"),
              (#"{"do":"add","teamMember":"TT-001/新人","role":"volunteer","home":"home-1","effective":"2026-06-01"}"#, "the other fields are a resident's"),
              (#"{"do":"change","resident":"R-1","role":"chief","effective":"2026-06-01"}"#, "are a team member's"),
          ])
    func badLineRefused(line: String, message: String) throws {
        for store in try RegisterTown.stores() {
            let before = try store.loadTown()
            #expect {
                try RegisterDesk(store: store).importJournal(Self.spring + "\n" + line, name: "spring.jsonl", by: "importer", at: RegisterTown.now)
            } throws: { error in
                let text = (error as? JobError)?.message ?? ""
                return text.hasPrefix("spring.jsonl line 7: ") && text.contains(message)
            }
            #expect(try store.registerChanges(.all).isEmpty, "\(store.location)")
            #expect(try store.loadTown() == before)
        }
    }

    @Test("changes the register's rules refuse are named by their lines, every one, and nothing of the file is kept")
    func rulesRefusalNamesLines() throws {
        let text = Self.spring + "\n"
            + #"{"do":"move","resident":"R-1","home":"home-404","effective":"2026-07-01"}"# + "\n"
            + #"{"do":"change","resident":"R-3","addCategories":["disabled"],"effective":"2026-01-15"}"# + "\n"
            + #"{"do":"remove","resident":"R-3","effective":"2099-01-01"}"#
        for store in try RegisterTown.stores() {
            do {
                try RegisterDesk(store: store).importJournal(text, name: "year.jsonl", by: "importer", at: RegisterTown.now)
                Issue.record("the file was recorded")
            } catch {
                #expect(error.kind == .rejected)
                #expect(error.details.count == 3, "\(error.details)")
                #expect(error.details.first?.hasPrefix("year.jsonl line 7: resident R-1 home home-404 is not on the register") == true, "\(error.details)")
                #expect(error.details.dropFirst().first?.hasPrefix("year.jsonl line 8: resident R-3 ") == true)
                #expect(error.details.last?.contains("line 9") == true && error.details.last?.contains("in the future") == true)
            }
            #expect(try store.registerChanges(.all).isEmpty, "\(store.location)")
        }
    }
}

@Suite("A survey's campaigns and visits recorded as one")
struct SurveyBatchTests {
    @Test("a visit the store refuses keeps the campaign started in the same batch from being kept, on both stores")
    func campaignAndVisitsAllOrNothing() throws {
        for store in try RegisterTown.stores() {
            let campaign = SurveyCampaign(name: "spring", grids: [GridCode("TT-001")!], start: RegisterTown.day("2026-03-01"),
                                          startedBy: "test", startedAt: RegisterTown.now)
            let visit = SurveyVisit(campaign: "spring", home: "home-1", grid: GridCode("TT-001")!, visitor: "chief",
                                    day: RegisterTown.day("2026-03-02"), finding: .changed, recordedAt: RegisterTown.now)
            let unknown = RegisterChangeRequest(subject: .resident("R-404"), action: .remove, after: nil, effective: RegisterTown.day("2026-03-02"),
                                                recordedBy: "test", reason: "died")
            #expect(throws: SurveyError.self) { try store.recordSurvey(starting: [campaign], visits: [(visit, [unknown])]) }
            #expect(try store.surveyCampaigns().isEmpty, "\(store.location)")
            #expect(try store.registerChanges(.all).isEmpty)
            // The same campaign with a visit the store takes is kept whole.
            var confirmed = visit
            confirmed.finding = .confirmed
            let kept = try store.recordSurvey(starting: [campaign], visits: [(confirmed, [])])
            #expect(kept.map { $0.visit.sequence } == [1])
            #expect(try store.surveyCampaigns().map(\.name) == ["spring"])
        }
    }
}
