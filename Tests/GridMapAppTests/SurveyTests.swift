import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
import GridStore
import PostgresTesting
import Testing

/// The tiny town with its roads and service station, its register begun on 2026-01-01, into
/// each kind of store; three more homes near home-1 (TT-001-1) and a liaison for TT-002,
/// added through the register in February. TT-001 then has home-1, h-1, h-2 and h-3 (all in
/// TT-001-1; TT-001-2 has none), TT-002 has home-2 (in TT-002-2).
enum SurveyTown {
    static let now = RegisterTown.now  // 2026-09-21

    static func stores() throws -> [any TownStore] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-survey-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: TestTown.fixture, to: folder)
        for layer in ["roads.geojson", "citizen-service-stations.geojson"] {
            try FileManager.default.copyItem(at: TestTown.roadLayers.appendingPathComponent(layer), to: folder.appendingPathComponent(layer))
        }
        var data = try TownFolder.read(from: folder)
        data.town.manifestMembers["registerSince"] = .string("2026-01-01")
        let stores: [any TownStore] = [InMemoryTownStore(), try SQLiteTownStore(), try PostgresTownStore(uri: TestPostgres.freshSchema())]
        for store in stores {
            try store.importTown(data, source: "tiny-town")
            let desk = RegisterDesk(store: store)
            for step in 1...3 {
                try desk.home("h-\(step)", .add, after: RegisterTown.home("h-\(step)", step: step), RegisterTown.entry("2026-02-01"), at: now)
            }
            try desk.teamMember(grid: GridCode("TT-002")!, name: "钱联络员", .add,
                                after: TeamMember(gridCode: GridCode("TT-002")!, role: .liaison, name: "钱联络员"),
                                RegisterTown.entry("2026-02-01"), at: now)
        }
        return stores
    }

    static func visit(_ home: String, _ finding: SurveyFinding, on day: String = "2026-06-02", as visitor: String = "TT-001/liaison",
                      campaign: String = "autumn", changes: [SurveyDesk.FoundChange] = []) -> SurveyDesk.VisitRequest {
        SurveyDesk.VisitRequest(campaign: campaign, home: home, visitor: visitor, day: RegisterDay(day)!, finding: finding, changes: changes)
    }
}

@Suite("The door-to-door survey")
struct SurveyTests {
    @Test("progress counts homes surveyed of homes per grid and micro-grid, a home where nobody was home as not yet surveyed")
    func progressKnownAnswers() throws {
        for store in try SurveyTown.stores() {
            let desk = SurveyDesk(store: store)
            try desk.start(name: "autumn", grids: ["TT-001", "TT-002"], start: RegisterTown.day("2026-06-01"), by: "office", at: SurveyTown.now)
            try desk.visit(SurveyTown.visit("home-1", .confirmed), at: SurveyTown.now)
            try desk.visit(SurveyTown.visit("h-1", .nobodyHome), at: SurveyTown.now)
            try desk.visit(SurveyTown.visit("h-2", .nobodyHome), at: SurveyTown.now)
            try desk.visit(SurveyTown.visit("h-2", .emptyHouse, on: "2026-06-05"), at: SurveyTown.now)
            let rows = try desk.progress(of: "autumn").map { [$0.grid?.description ?? "", $0.microGrid?.description ?? "",
                                                              "\($0.homes)", "\($0.surveyed)", "\($0.nobodyHome)"] }
            #expect(rows == [
                ["", "", "5", "2", "1"],
                ["TT-001", "", "4", "2", "1"], ["TT-001", "TT-001-1", "4", "2", "1"], ["TT-001", "TT-001-2", "0", "0", "0"],
                ["TT-002", "", "1", "0", "0"], ["TT-002", "TT-002-1", "0", "0", "0"], ["TT-002", "TT-002-2", "1", "0", "0"],
            ], "\(store.location)")
            #expect(try desk.progress(of: "autumn")[1].share == 0.5)
        }
    }

    @Test("the homes to visit are every home not yet surveyed, once, in a walking round from the grid's service station")
    func todoProperties() throws {
        for store in try SurveyTown.stores() {
            let desk = SurveyDesk(store: store)
            try desk.start(name: "autumn", grids: ["TT-001"], start: RegisterTown.day("2026-06-01"), by: "office", at: SurveyTown.now)
            try desk.visit(SurveyTown.visit("h-2", .confirmed), at: SurveyTown.now)
            try desk.visit(SurveyTown.visit("h-1", .nobodyHome), at: SurveyTown.now)
            let plan = try #require(try desk.todo(of: "autumn", grid: "TT-001", as: .office))
            let listed = plan.trip.workers.flatMap(\.stops).map(plan.id(ofNode:)) + plan.trip.leftOut.map(plan.id(ofNode:))
            #expect(listed.sorted() == ["h-1", "h-3", "home-1"], "\(store.location)")
            #expect(plan.trip.workers.count == 1 && plan.start.id == "svc-1")
            #expect(plan.trip.workers[0].visits.first?.node == 0 && plan.trip.workers[0].visits.last?.node == 0, "a round back to the start")
            #expect(plan.homes.first { $0.id == "home-1" }?.residents == ["R-1"])
            // The public sees the homes, never who lives there.
            let publicPlan = try #require(try desk.todo(of: "autumn", grid: "TT-001", as: .public))
            #expect(publicPlan.homes.allSatisfy(\.residents.isEmpty) && publicPlan.homes.count == 3)
            // Once every home is surveyed there is nothing to visit.
            for home in ["home-1", "h-1", "h-3"] { try desk.visit(SurveyTown.visit(home, .confirmed, on: "2026-06-03"), at: SurveyTown.now) }
            #expect(try desk.todo(of: "autumn", grid: "TT-001", as: .office) == nil)
        }
    }

    @Test("a visit that found changes records them as register changes of its day, by its visitor, tied to the visit")
    func changedVisitRecordsRegisterChanges() throws {
        for store in try SurveyTown.stores() {
            let desk = SurveyDesk(store: store)
            try desk.start(name: "autumn", grids: ["TT-001", "TT-002"], start: RegisterTown.day("2026-06-01"), by: "office", at: SurveyTown.now)
            let (visit, changes) = try desk.visit(SurveyTown.visit("home-1", .changed, changes: [
                .change(resident: "R-1", .init(addCategories: [.disabled])), .add(.init(name: "张小三")),
            ]), at: SurveyTown.now)
            #expect(changes.map(\.action) == [.change, .add], "\(store.location)")
            #expect(visit.changes == changes.map(\.sequence) && visit.sequence == 1)
            #expect(changes.allSatisfy { $0.effective == RegisterTown.day("2026-06-02") && $0.recordedBy == "TT-001/赵联络员" })
            #expect(changes[0].reason == "survey 'autumn': found at home-1")
            let history = try store.registerChanges(.all)
            #expect(history.suffix(2).map(\.sequence) == visit.changes)
            let residents = try store.residents().filter { $0.homeID == "home-1" }
            #expect(residents.count == 2 && residents.first { $0.id == "R-1" }?.categories == [.disabled, .veteran])
            let (_, removal) = try desk.visit(SurveyTown.visit("home-2", .changed, as: "TT-002/钱联络员",
                                                               changes: [.remove(resident: "R-2", reason: "moved away")]), at: SurveyTown.now)
            #expect(removal.map(\.action) == [.remove] && removal[0].reason == "survey 'autumn': found at home-2: moved away")
            #expect(try store.residents().contains { $0.id == "R-2" } == false)
            #expect(try store.surveyVisits(campaign: "autumn").map(\.finding) == [.changed, .changed])
        }
    }

    @Test("bad visits and campaigns are refused with what is wrong, and nothing is recorded")
    func refusals() throws {
        for store in try SurveyTown.stores() {
            let desk = SurveyDesk(store: store)
            try desk.start(name: "autumn", grids: ["TT-001"], start: RegisterTown.day("2026-06-01"), by: "office", at: SurveyTown.now)
            let history = try store.registerChanges(.all)
            func refused(_ request: SurveyDesk.VisitRequest, _ kind: JobError.Kind, _ words: String) {
                do {
                    try desk.visit(request, at: SurveyTown.now)
                    Issue.record("accepted: \(request)")
                } catch {
                    #expect(error.kind == kind && error.message.contains(words), "\(error.message)")
                }
            }
            refused(SurveyTown.visit("home-1", .confirmed, campaign: "spring"), .notFound, "There is no survey campaign 'spring'; the campaigns: 'autumn'.")
            refused(SurveyTown.visit("home-9", .confirmed), .notFound, "There is no home home-9 in the town.")
            refused(SurveyTown.visit("home-2", .confirmed, as: "TT-002/liaison"), .invalidRequest,
                    "Home home-2 lies in grid TT-002, which the survey 'autumn' does not cover (it covers TT-001).")
            refused(SurveyTown.visit("home-1", .confirmed, on: "2026-09-22"), .invalidRequest, "The visit's day 2026-09-22 is in the future (today is 2026-09-21).")
            refused(SurveyTown.visit("home-1", .confirmed, on: "2026-05-31"), .invalidRequest,
                    "The visit's day 2026-05-31 is before the survey 'autumn' started on 2026-06-01.")
            refused(SurveyTown.visit("home-1", .confirmed, as: "TT-002/liaison"), .forbidden,
                    "--as TT-002/liaison: 钱联络员 is on TT-002's team, not on the team of grid TT-001, where home-1 lies")
            refused(SurveyTown.visit("home-1", .confirmed, as: "TT-001/王五"), .invalidRequest, "--as TT-001/王五: TT-001's team has no 王五")
            refused(SurveyTown.visit("home-1", .changed), .invalidRequest, "A visit that found changes says what changed")
            refused(SurveyTown.visit("home-1", .confirmed, changes: [.remove(resident: "R-1", reason: "died")]), .invalidRequest,
                    "A visit that found the home confirmed records no changes; say --found changed.")
            refused(SurveyTown.visit("home-1", .changed, changes: [.remove(resident: "R-2", reason: "died")]), .invalidRequest,
                    "Resident R-2 is not registered at home-1")
            // The register refuses a change that changes nothing: the visit goes with it.
            refused(SurveyTown.visit("home-1", .changed, changes: [.add(.init(name: "新人")), .change(resident: "R-1", .init(addCategories: [.veteran]))]),
                    .conflict, "Nothing was recorded")
            #expect(try store.surveyVisits(campaign: "autumn").isEmpty, "\(store.location)")
            #expect(try store.registerChanges(.all) == history)
            #expect(try store.residents().count == 2)

            func refusedStart(_ name: String, _ grids: [String], _ start: String, _ kind: JobError.Kind, _ words: String) {
                do {
                    try desk.start(name: name, grids: grids, start: RegisterTown.day(start), by: "office", at: SurveyTown.now)
                    Issue.record("started: \(name)")
                } catch {
                    #expect(error.kind == kind && error.message.contains(words), "\(error.message)")
                }
            }
            refusedStart("autumn", ["TT-002"], "2026-06-01", .conflict, "a survey campaign named 'autumn' exists already")
            refusedStart("spring", ["TT-009"], "2026-06-01", .invalidRequest, "--grid TT-009: the town has no grid TT-009; it has TT-001, TT-002.")
            refusedStart("spring", ["TT-001"], "2026-09-22", .invalidRequest, "The survey's start 2026-09-22 is in the future (today is 2026-09-21).")
            refusedStart("spring", [], "2026-06-01", .invalidRequest, "Name the grids the survey covers")
            #expect(try store.surveyCampaigns().map(\.name) == ["autumn"])
        }
    }

    @Test("notes are shown only to who sees the grid's residents, visitors' names by the team rule")
    func notesFollowTheRole() throws {
        let store = try SurveyTown.stores()[1]
        let desk = SurveyDesk(store: store)
        try desk.start(name: "autumn", grids: ["TT-001"], start: RegisterTown.day("2026-06-01"), by: "office", at: SurveyTown.now)
        var request = SurveyTown.visit("home-1", .confirmed)
        request.note = "张三 says his son moved to the city"
        try desk.visit(request, at: SurveyTown.now)
        #expect(try desk.visits(of: "autumn", as: .gridWorker(GridCode("TT-001")!)).map(\.note) == ["张三 says his son moved to the city"])
        #expect(try desk.visits(of: "autumn", as: .public).map(\.note) == ["(withheld)"])
        // A volunteer's name is the grid's to see; a liaison's is public.
        let grid = GridCode("TT-001")!
        try RegisterDesk(store: store).teamMember(grid: grid, name: "孙志愿", .add, after: TeamMember(gridCode: grid, role: .volunteer, name: "孙志愿"),
                                                  RegisterTown.entry("2026-06-01"), at: SurveyTown.now)
        try desk.visit(SurveyTown.visit("h-1", .confirmed, as: "TT-001/孙志愿"), at: SurveyTown.now)
        #expect(try desk.visits(of: "autumn", as: .public).map(\.visitor) == ["赵联络员", "(withheld)"])
        #expect(try desk.visits(of: "autumn", as: .gridWorker(grid)).map(\.visitor) == ["赵联络员", "孙志愿"])
    }

    @Test("the progress map shades each micro-grid with homes by its share surveyed")
    func progressMap() throws {
        let store = try SurveyTown.stores()[1]
        let desk = SurveyDesk(store: store)
        try desk.start(name: "autumn", grids: ["TT-001", "TT-002"], start: RegisterTown.day("2026-06-01"), by: "office", at: SurveyTown.now)
        try desk.visit(SurveyTown.visit("home-1", .confirmed), at: SurveyTown.now)
        try desk.visit(SurveyTown.visit("h-1", .confirmed), at: SurveyTown.now)
        let map = try desk.map(of: "autumn", TownMap(language: "en"))
        // TT-001-1: 2 of 4 (half or more); TT-002-2: 0 of 1; the two micro-grids without homes plain.
        #expect(map.svg.contains("id=\"layer-surveyed-most\"") && map.svg.contains("id=\"layer-surveyed-none\""))
        #expect(!map.svg.contains("layer-surveyed-all") && !map.svg.contains("layer-surveyed-some"))
        #expect(map.legend.contains("Half or more surveyed") && map.legend.contains("No home surveyed"))
        #expect(map.svg.contains("autumn: survey progress"))
        #expect(throws: JobError.self) { try desk.map(of: "autumn", TownMap(grid: GridCode("TT-003")!)) }
    }
}

@Suite("A survey from a file")
struct SurveyJournalTests {
    static let journal = """
        {"do":"start","campaign":"autumn","grids":["TT-001","TT-002"],"start":"2026-06-01","by":"office"}
        {"do":"visit","campaign":"autumn","home":"home-1","as":"TT-001/liaison","day":"2026-06-02","found":"nobody-home"}
        {"do":"visit","campaign":"autumn","home":"home-1","as":"TT-001/chief","day":"2026-06-04","found":"confirmed","note":"all well"}
        {"do":"visit","campaign":"autumn","home":"home-2","as":"TT-002/liaison","day":"2026-06-04","found":"empty-house"}
        """

    @Test("a file's campaigns and visits are recorded as the commands record them")
    func importsTheFile() throws {
        for store in try SurveyTown.stores() {
            let desk = SurveyDesk(store: store)
            let kept = try desk.importJournal(Self.journal, name: "survey.jsonl", at: SurveyTown.now)
            #expect(kept.campaigns == 1 && kept.visits == 3, "\(store.location)")
            #expect(try desk.progress(of: "autumn").first.map { [$0.homes, $0.surveyed, $0.nobodyHome] } == [5, 2, 0])
            #expect(try store.surveyVisits(campaign: "autumn").map(\.visitor) == ["赵联络员", "李网格长", "钱联络员"])
        }
    }

    @Test("a bad line is refused naming its line, and nothing of the file is kept")
    func badLineKeepsNothing() throws {
        let bad: [(String, String)] = [
            (#"{"do":"visit","campaign":"autumn","home":"home-2","as":"TT-001/liaison","day":"2026-06-04","found":"confirmed"}"#,
             "survey.jsonl line 5: --as TT-001/liaison: 赵联络员 is on TT-001's team, not on the team of grid TT-002"),
            (#"{"do":"visit","campaign":"autumn","home":"home-1","as":"TT-001/liaison","day":"2026-05-04","found":"confirmed"}"#,
             "survey.jsonl line 5: The visit's day 2026-05-04 is before the survey 'autumn' started on 2026-06-01."),
            (#"{"do":"visit","campaign":"autumn","home":"home-1","as":"TT-001/liaison","day":"2026-06-04","found":"changed"}"#,
             "survey.jsonl line 5: A visit that found changes says what changed"),
            (#"{"do":"visit","campaign":"autumn","home":"home-1","as":"TT-001/liaison","day":"2026-06-04","found":"changed","changes":[{"resident":"R-2","phone":"139****0000"}]}"#,
             "survey.jsonl line 5: Resident R-2 is not registered at home-1"),
            (#"{"do":"visit","campaign":"autumn","home":"home-1","as":"TT-001/liaison","day":"2026-06-04","found":"changed","changes":[{"phone":"139****0000"}]}"#,
             "survey.jsonl line 5: a change names its \"resident\""),
            (#"{"do":"start","campaign":"autumn","grids":["TT-001"],"start":"2026-06-01"}"#,
             "survey.jsonl line 5: a survey campaign named 'autumn' exists already"),
            ("not json", "survey.jsonl line 5: not a survey line"),
        ]
        for store in try SurveyTown.stores() {
            let desk = SurveyDesk(store: store)
            for (line, message) in bad {
                do {
                    _ = try desk.importJournal(Self.journal + "\n" + line, name: "survey.jsonl", at: SurveyTown.now)
                    Issue.record("accepted: \(line)")
                } catch {
                    #expect(error.message.hasPrefix(message), "\(error.message)")
                }
            }
            #expect(try store.surveyCampaigns().isEmpty && store.surveyVisits(campaign: "autumn").isEmpty, "\(store.location)")
        }
    }
}

@Suite("Dacun's survey")
struct DacunSurveyTests {
    @Test("the bundled survey imports into the bundled town: one campaign over twelve grids, about 85 % of their homes surveyed")
    func theBundledSurvey() throws {
        let geodata = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../geodata").standardized
        let store = InMemoryTownStore()
        try TownTransfer.importFolder(geodata.appendingPathComponent("dacun"), crs: nil, into: store)
        let desk = SurveyDesk(store: store)
        let text = try String(contentsOf: geodata.appendingPathComponent("dacun-survey.jsonl"), encoding: .utf8)
        let kept = try desk.importJournal(text, name: "dacun-survey.jsonl")
        #expect(kept.campaigns == 1 && kept.visits == text.split(separator: "\n").count - 1)
        let campaign = try #require(try store.surveyCampaigns().first)
        #expect(campaign.grids.count == 12)
        let whole = try #require(try desk.progress(of: campaign.name).first)
        #expect((0.8...0.9).contains(whole.share) && whole.nobodyHome > 0, "\(whole)")
        // The visits that found a phone changed recorded it in the register's history, tied to the visit.
        let changed = try store.surveyVisits(campaign: campaign.name).filter { $0.finding == .changed }
        let history = try store.registerChanges(.all)
        #expect(!changed.isEmpty && changed.allSatisfy { $0.changes.count == 1 })
        #expect(history.map(\.sequence) == changed.flatMap(\.changes))
        #expect(history.allSatisfy { $0.reason.hasPrefix("survey '\(campaign.name)': found at ") && $0.fieldChanges.map(\.field) == ["phone"] })
    }
}
