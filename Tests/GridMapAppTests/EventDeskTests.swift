import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
import GridStore
import Testing

/// The event desk on the tiny town: TT-001's chief 李网格长 and liaison 赵联络员; home-1 in
/// TT-001-1 at (119.803, 35.903).
@Suite("The event desk")
struct EventDeskTests {
    static let start = Date(timeIntervalSince1970: 1_780_000_000)
    static func at(_ hours: Double) -> Date { start.addingTimeInterval(hours * 3600) }
    static let ditch = RaiseRequest(category: "roads-and-water", description: "水沟堵塞", location: Position(x: 119.803, y: 35.903),
                                    reportedByResident: "R-1")

    @Test("who acts is named as GRID/ROLE, GRID/NAME, department:CODE/PERSON or office, checked against the town and the catalogue")
    func actors() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let desk = try EventDesk(store: town.store)
        #expect(try desk.actor("TT-001/liaison") == .teamMember(grid: GridCode("TT-001")!, role: .liaison, name: "赵联络员"))
        #expect(try desk.actor("TT-001/李网格长") == .teamMember(grid: GridCode("TT-001")!, role: .chief, name: "李网格长"))
        #expect(try desk.actor("department:water/周工") == .department(code: "water", person: "周工"))
        #expect(try desk.actor("office") == .office(person: ""))
        let refusals: [(String, String)] = [
            ("TT-002/liaison", "TT-002's team has no liaison (team: none)"), ("TT-009/chief", "the town has no grid TT-009"),
            ("department:sewers", "no department sewers"), ("TT-001-1/chief", "say who acts as GRID/ROLE"), ("TT-001", "name the role or the member"),
        ]
        for (text, message) in refusals {
            #expect(throws: JobError.self, "\(text)") { try desk.actor(text) }
            do { _ = try desk.actor(text) } catch { #expect(error.kind == .invalidRequest && error.message.contains(message), "\(error)") }
        }
    }

    @Test("an event is placed in its micro-grid, grid and village; a point outside the town or an unknown resident is refused")
    func raising() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let desk = try EventDesk(store: town.store)
        let liaison = try desk.actor("TT-001/liaison")
        let event = try desk.raise(Self.ditch, by: liaison, at: Self.start)
        #expect(event.id == "EV-000001" && event.report.microGrid == GridCode("TT-001-1")! && event.report.villageCode == "TT-V01")
        var outside = Self.ditch
        outside.location = Position(x: 119.9, y: 35.9)
        do { _ = try desk.raise(outside, by: liaison, at: Self.start); Issue.record("accepted") } catch {
            #expect(error.kind == .invalidRequest && error.message.contains("lies outside the town"), "\(error)")
        }
        var stranger = Self.ditch
        stranger.residents = ["R-99"]
        do { _ = try desk.raise(stranger, by: liaison, at: Self.start); Issue.record("accepted") } catch {
            #expect(error.message.contains("no resident R-99"), "\(error)")
        }
        #expect(try desk.events(EventQuery()).count == 1, "refusals store nothing")
    }

    @Test("the flow's refusals are rejections naming the event and the rule; lists, overdue and rates follow the store")
    func actingAndReading() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let desk = try EventDesk(store: town.store)
        let chief = try desk.actor("TT-001/chief")
        let event = try desk.raise(Self.ditch, by: chief, at: Self.start)
        do { _ = try desk.act(on: event.id, .verify, by: chief, at: Self.at(1)); Issue.record("accepted") } catch {
            #expect(error.kind == .rejected && error.message.hasPrefix("event EV-000001: cannot verify: "), "\(error)")
        }
        _ = try desk.act(on: event.id, .whistle(departments: ["water"], resolutionDeadline: nil), by: chief, at: Self.at(1))
        #expect(try desk.events(EventQuery(phase: .whistled, department: "water")).map(\.id) == ["EV-000001"])
        #expect(try desk.events(EventQuery(department: "housing")).isEmpty)
        let overdue = try desk.overdue(EventQuery(), now: Self.at(30))
        #expect(overdue.map(\.steps.count) == [1], "the report-in due at 25 h")
        #expect(try desk.escalateOverdue(now: Self.at(30)).count == 1)
        #expect(try desk.rates(by: .grid, EventQuery(), now: Self.at(30)).rows.map(\.group) == ["TT-001"])
        do { _ = try desk.events(EventQuery(village: "TT-V99")); Issue.record("accepted") } catch { #expect(error.message.contains("no village TT-V99")) }
        do { _ = try desk.event("EV-000077"); Issue.record("found") } catch { #expect(error.kind == .notFound) }
    }

    @Test("a signed-in request that reaches the store after a later one on the same event is recorded after it, not refused for its time")
    func requestsTakenInTheStoresOrder() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let desk = try EventDesk(store: town.store)
        let chief = try desk.actor("TT-001/chief")
        let event = try desk.raise(Self.ditch, by: chief, at: Self.start)
        _ = try desk.act(on: event.id, .whistle(departments: ["water", "housing"], resolutionDeadline: nil), by: chief, at: Self.at(1))
        // Water's report-in came in at 2 h and was taken first; housing's came in at 1.5 h, just
        // before it, and reaches the store now (two departments of a joint whistle at once).
        _ = try desk.act(on: event.id, .reportIn(department: "water"), by: .department(code: "water", person: ""), at: Self.at(2))
        let housing = Viewer(account: "housing-desk", role: .department("housing"), actor: .department(code: "housing", person: ""))
        let recorded = try desk.act(EventActionRequest(action: "report-in"), on: event.id, as: housing, at: Self.at(1.5))
        #expect(recorded.history.map(\.action.name) == ["raise", "whistle", "report-in", "report-in"])
        #expect(recorded.history.last?.action == .reportIn(department: "housing"))
        #expect(recorded.history.last?.at == Self.at(2), "dated with the request taken before it")
        #expect(try desk.event(event.id).history.count == 4, "kept")
        // What the flow forbids is still refused, as a conflict, and leaves nothing.
        do { _ = try desk.act(EventActionRequest(action: "report-in"), on: event.id, as: housing, at: Self.at(1.5)); Issue.record("accepted") } catch {
            #expect(error.kind == .conflict && error.message.contains("reported in already"), "\(error)")
        }
        // A time someone gives (the command line's --time, a journal) is not moved: before the last entry, refused.
        do { _ = try desk.act(on: event.id, .resolve(department: "water"), by: .department(code: "water", person: ""), at: Self.at(1.5)); Issue.record("accepted") } catch {
            #expect(error.kind == .rejected && error.message.contains("before the last entry"), "\(error)")
        }
        #expect(try desk.event(event.id).history.count == 4, "refusals append nothing")
    }

    @Test("times are read in Asia/Shanghai unless they say their offset, and an action cannot be dated in the future")
    func times() throws {
        #expect(try EventTimes.parse("2026-06-30 08:30", option: "--time") == Date("2026-06-30T00:30:00Z", strategy: .iso8601))
        #expect(try EventTimes.parse("2026-06-30T08:30:00Z", option: "--time") == Date("2026-06-30T08:30:00Z", strategy: .iso8601))
        #expect(try EventTimes.parse("2026-07-01", option: "--time") == Date("2026-06-30T16:00:00Z", strategy: .iso8601))
        #expect(throws: JobError.self) { try EventTimes.parse("yesterday", option: "--time") }
        #expect(throws: JobError.self) { try EventTimes.checkNotFuture(Self.at(1), now: Self.start, option: "--time") }
        #expect(EventTimes.text(try Date("2026-06-30T16:00:00Z", strategy: .iso8601)) == "2026-07-01 00:00")
    }
}

@Suite("Event journals")
struct EventJournalTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a journal is recorded whole, keys naming the events and inspections of earlier lines")
    func recorded() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let desk = try EventDesk(store: town.store)
        let journal = """
            # a comment, then a blank line

            {"do":"raise","key":"E1","at":"2026-03-02 09:10","as":"TT-001/liaison","category":"roads-and-water","point":[119.803,35.903],"description":"水沟堵塞","reportedBy":"R-1"}
            {"do":"take","event":"E1","at":"2026-03-02 10:00","as":"TT-001/chief"}
            {"do":"resolve","event":"E1","at":"2026-03-03 10:00","as":"TT-001/liaison"}
            {"do":"plan-inspection","key":"I1","at":"2026-04-01","as":"office","title":"水井检查","sites":["wells"],"items":[["井盖","water"]]}
            {"do":"finding","key":"F1","inspection":"I1","at":"2026-04-01 10:00","as":"office","site":"well-1","item":"井盖","description":"破损","deadline":"2026-04-10","category":"roads-and-water"}
            {"do":"report-in","event":"F1","at":"2026-04-01 12:00","as":"department:water"}
            {"do":"activity","at":"2026-05-01 10:00","as":"office","kind":"activity","title":"宣讲","service":"talk","point":[119.803,35.903],"organiser":"中心","attendance":30}
            """
        let summary = try EventJournal(desk: desk, name: "j.jsonl").record(journal, now: Self.now)
        #expect(summary == EventJournal.Summary(events: 1, actions: 3, inspections: 1, findings: 1, activities: 1))
        let events = try desk.events(EventQuery())
        #expect(events.map(\.phase) == [.awaitingVerification, .whistled])
        #expect(events[1].parts.map(\.state) == [.handling])
        #expect(try desk.activities(EventQuery()).count == 1)
    }

    @Test("the first line the flow or the town refuses is named, and nothing of the journal is recorded")
    func refusedWhole() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let desk = try EventDesk(store: town.store)
        let good = #"{"do":"raise","key":"E1","at":"2026-03-02 09:10","as":"TT-001/liaison","category":"traffic","point":[119.803,35.903],"description":"x"}"#
        let cases: [(String, String)] = [
            (#"{"do":"verify","event":"E1","at":"2026-03-02 10:00","as":"TT-001/chief"}"#, "j line 2: event EV-000001: cannot verify: only a resolved event is verified"),
            (#"{"do":"take","event":"E9","at":"2026-03-02 10:00","as":"TT-001/chief"}"#, "j line 2: event E9 is neither an earlier line's key nor an EV- id"),
            (#"{"do":"take","event":"E1","at":"2099-01-01","as":"TT-001/chief"}"#, "j line 2: at 2099-01-01 00:00 is in the future"),
            (#"{"do":"take","event":"E1","as":"TT-001/chief"}"#, "j line 2: not a journal line (no \"at\")"),
            (#"{"do":"fly","event":"E1","at":"2026-03-02 10:00","as":"TT-001/chief"}"#, "j line 2: \"do\": fly is not one of"),
            (#"{"do":"raise","key":"E2","at":"2026-03-02 09:10","as":"TT-001/liaison","category":"traffic","point":[120.5,36.0],"description":"x"}"#, "j line 2: The point 120.5,36.0 lies outside the town"),
        ]
        for (line, message) in cases {
            do {
                try EventJournal(desk: desk, name: "j").record(good + "\n" + line, now: Self.now)
                Issue.record("accepted: \(line)")
            } catch {
                #expect(error.message.hasPrefix(message), "\(error.message)")
            }
            #expect(try desk.events(EventQuery()).isEmpty, "nothing of a refused journal is recorded")
        }
    }
}

extension EventJournalTests {
    @Test("a journal file is read line by line: commas, quotes and CRLF in the JSON are one line each, and a refusal names its line in the file")
    func streamedFile() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let desk = try EventDesk(store: town.store)
        let path = NSTemporaryDirectory() + "journal-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let raise = #"{"do":"raise","key":"E1","at":"2026-03-02 09:10","as":"TT-001/liaison","category":"traffic","point":[119.803,35.903],"description":"路口, \"红绿灯\" 坏了,"}"#
        let take = #"{"do":"take","event":"E1","at":"2026-03-02 10:00","as":"TT-001/liaison","note":"\"\",\"\""}"#
        let verify = #"{"do":"verify","event":"E1","at":"2026-03-02 11:00","as":"TT-001/chief"}"#
        try Data(("# Dacun, March\r\n\r\n" + raise + "\r\n" + take + "\r\n\r\n" + verify + "\r\n").utf8).write(to: URL(fileURLWithPath: path))
        do {
            try EventJournal(desk: desk, name: "j").record(file: path, now: Self.now)
            Issue.record("the verify of an unresolved event was accepted")
        } catch {
            #expect(error.message.hasPrefix("j line 6: event EV-000001: cannot verify"), "\(error.message)")
        }
        #expect(try desk.events(EventQuery()).isEmpty, "nothing of a refused journal is recorded")
        try Data(("# Dacun, March\n" + raise + "\n" + take + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let summary = try EventJournal(desk: desk, name: "j").record(file: path, now: Self.now)
        #expect(summary == EventJournal.Summary(events: 1, actions: 1))
        let event = try desk.event("EV-000001")
        #expect(event.report.description == #"路口, "红绿灯" 坏了,"# && event.history.last?.note == "\"\",\"\"")
        #expect(throws: JobError.self) { try EventJournal(desk: desk, name: "j").record(file: path + ".missing", now: Self.now) }
    }
}

@Suite("Dacun's year of events")
struct DacunEventYearTests {
    @Test("replayed through the flow, the bundled year gives the town's own figures: 70+ problems, 60+ whistles, every department reporting in, about 91 % resolved")
    func theTownsFigures() throws {
        let geodata = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../geodata").standardized
        let store = InMemoryTownStore()
        try TownTransfer.importFolder(geodata.appendingPathComponent("dacun"), crs: nil, into: store)
        let desk = try EventDesk(store: store)
        let text = try String(contentsOf: geodata.appendingPathComponent("dacun-events.jsonl"), encoding: .utf8)
        let summary = try EventJournal(desk: desk, name: "dacun-events.jsonl").record(text, now: Date())
        #expect(summary.inspections == 1 && summary.findings >= 12 && summary.activities == 59)
        let yearEnd = try EventTimes.parse("2025-01-01", option: "")
        let problems = try desk.events(EventQuery(asOf: yearEnd)).filter { $0.report.category != "school-safety" }
        let figures = EventRateTable(problems, by: .town, now: yearEnd).total
        #expect(figures.collected >= 70 && figures.whistled >= 60, "\(figures.collected) problems, \(figures.whistled) whistles")
        #expect(figures.reportInRate == 1, "every department reported in")
        let resolved = try #require(figures.resolutionRate)
        #expect((0.88...0.94).contains(resolved), "resolved \(resolved)")
        #expect(figures.overdueNow > 0 && figures.overdueNow == figures.collected - figures.resolved, "the unresolved are overdue at the year's end")
        let activities = ActivityTally.table(try desk.activities(EventQuery()), by: .town).total
        #expect(activities.activities == 17 && activities.services >= 40)
    }
}

@Suite("The monthly rates chart")
struct RatesChartTests {
    @Test("one bar per month, a line per rate with a legend, and the title: the chart of a known set of events")
    func chartOfKnownEvents() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let desk = try EventDesk(store: town.store)
        let liaison = try desk.actor("TT-001/liaison"), chief = try desk.actor("TT-001/chief")
        for (index, month) in ["2026-01-10", "2026-02-10", "2026-02-20", "2026-04-01"].enumerated() {
            let event = try desk.raise(EventDeskTests.ditch, by: liaison, at: EventTimes.parse(month, option: ""))
            if index < 2 { _ = try desk.act(on: event.id, .whistle(departments: ["water"], resolutionDeadline: nil), by: chief,
                                            at: EventTimes.parse(month, option: "").addingTimeInterval(3600)) }
        }
        let svg = try desk.ratesChart(EventQuery(), now: EventTimes.parse("2026-05-01", option: ""), title: "小镇 2026")
        #expect(svg.hasPrefix("<?xml") && svg.hasSuffix("</svg>\n"))
        #expect(svg.contains(">小镇 2026</title>"))
        for month in ["26-01", "26-02", "26-04"] { #expect(svg.contains(">\(month)</text>"), "\(month)") }
        #expect(!svg.contains(">26-03</text>"), "a month without events has no bar")
        #expect(svg.components(separatedBy: "<rect ").count - 1 == 1 + 3, "the background and one bar per month")
        #expect(svg.components(separatedBy: "<polyline ").count - 1 >= 1, "at least the report-in rate is drawn")
        for legend in ["report-in 报到率", "resolved 解决率", "satisfied 满意率"] { #expect(svg.contains(legend)) }
    }
}

@Suite("What each role sees of an event")
struct EventDisclosureTests {
    @Test("an event about a resident shows its residents and exact point to the office and its grid's worker only; other events' points are public")
    func eventDisclosure() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let desk = try EventDesk(store: town.store)
        let liaison = try desk.actor("TT-001/liaison")
        let aboutResident = try desk.raise(EventDeskTests.ditch, by: liaison, at: EventDeskTests.start)
        var plain = EventDeskTests.ditch
        plain.reportedByResident = nil
        let aboutNobody = try desk.raise(plain, by: liaison, at: EventDeskTests.start)
        let roles: [(ResidentRole, Bool)] = [(.public, false), (.office, true), (.gridWorker(GridCode("TT-001")!), true),
                                             (.gridWorker(GridCode("TT-002")!), false)]
        for (role, sees) in roles {
            let disclosure = Disclosure(role)
            #expect(disclosure.seesResidents(of: aboutResident) == sees && disclosure.seesLocation(of: aboutResident) == sees, "\(role)")
            #expect(disclosure.seesLocation(of: aboutNobody), "\(role): an event about nobody is placed for everyone")
        }
    }

    @Test("the description, the history's notes and reasons and the attachments are withheld from the public and other grids' workers, even of an event about nobody")
    func freeTextDisclosure() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let desk = try EventDesk(store: town.store)
        let liaison = try desk.actor("TT-001/liaison")
        var plain = EventDeskTests.ditch
        plain.reportedByResident = nil
        plain.description = "王大爷家门口的水沟堵了"
        let raised = try desk.raise(plain, by: liaison, at: EventDeskTests.start)
        _ = try desk.act(on: raised.id, .take(deadline: nil), by: liaison, note: "王大爷说三天了", at: EventDeskTests.start.addingTimeInterval(60))
        let event = try desk.event(raised.id)
        for (role, sees) in [(ResidentRole.public, false), (.office, true), (.gridWorker(GridCode("TT-001")!), true), (.gridWorker(GridCode("TT-002")!), false)] {
            let shown = Disclosure(role).disclose(event)
            #expect((shown.description == plain.description) == sees && (shown.attachments != nil) == sees, "\(role)")
            #expect(shown.history.contains { $0.note.contains("王大爷") } == sees, "\(role)")
            let raiseText = if case .raise(let report) = shown.history[0].action { report.description } else { "?" }
            #expect(raiseText.contains("王大爷") == sees, "\(role): the raise entry carries no description either")
            #expect(shown.phase == .handledByGrid && shown.history.count == 2 && shown.location != nil && shown.grid == event.report.grid,
                    "\(role): state, times, place and grid stay public")
        }
    }
}

extension EventDisclosureTests {
    @Test("a department sees an event's residents, point and text once it is whistled to it (and after its part is resolved); another department never")
    func departmentSeesItsWhistles() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let desk = try EventDesk(store: town.store)
        let liaison = try desk.actor("TT-001/liaison")
        let raised = try desk.raise(EventDeskTests.ditch, by: liaison, at: EventDeskTests.start)
        let (water, police) = (Disclosure(.department("water")), Disclosure(.department("police")))
        #expect(!water.seesResidents(of: raised) && !water.seesText(of: raised) && !water.seesLocation(of: raised), "not whistled yet")
        let whistled = try desk.act(on: raised.id, .whistle(departments: ["water"], resolutionDeadline: nil), by: liaison, at: EventDeskTests.at(1))
        #expect(water.seesResidents(of: whistled) && water.seesText(of: whistled) && water.seesLocation(of: whistled))
        let shown = water.disclose(whistled)
        #expect(shown.reportedBy == EventDeskTests.ditch.reportedByResident && shown.description == EventDeskTests.ditch.description)
        #expect(!police.seesResidents(of: whistled) && police.disclose(whistled).reportedBy == nil && police.disclose(whistled).description == nil)
        let water1 = try desk.actor("department:water")
        _ = try desk.act(on: raised.id, .reportIn(department: "water"), by: water1, at: EventDeskTests.at(2))
        let resolved = try desk.act(on: raised.id, .resolve(department: "water"), by: water1, at: EventDeskTests.at(3))
        #expect(water.seesResidents(of: resolved), "the case stays in the department's record")
        #expect(!Disclosure(.department("water")).seesResidents(inGrid: raised.report.grid), "and it sees no resident by grid")
    }
}

@Suite("The events map")
struct EventMapTests {
    @Test("each grid is labelled with its number of events; an event about a resident is drawn for the office, only counted for the public")
    func eventsOnTheMap() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let desk = try EventDesk(store: town.store)
        let liaison = try desk.actor("TT-001/liaison")
        _ = try desk.raise(EventDeskTests.ditch, by: liaison, at: EventDeskTests.start)
        let office = try desk.eventMap(EventQuery(), as: .office, now: EventDeskTests.start)
        let public_ = try desk.eventMap(EventQuery(), as: .public, now: EventDeskTests.start)
        for map in [office, public_] {
            #expect(map.svg.contains("· 1件") && map.svg.contains("· 0件"), "TT-001 has one event, TT-002 none")
        }
        #expect(office.legend.contains("网格事件") && office.svg.contains("href=\"#sym-event\""))
        #expect(!public_.legend.contains("网格事件") && !public_.svg.contains("href=\"#sym-event\""),
                "the public map does not point at the home the event is about")
    }
}
