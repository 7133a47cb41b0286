import Foundation
import GeoJSON
import GridMapCore
import Testing

/// The people and the place of the flow tests: grid DC-017 of Dacun, its chief, its liaison, a
/// volunteer, and two departments.
enum FlowFixture {
    static let catalogue = EventCatalogue.standard
    static let grid = GridCode("DC-017")!
    static let chief = EventActor.teamMember(grid: grid, role: .chief, name: "王建国")
    static let liaison = EventActor.teamMember(grid: grid, role: .liaison, name: "李梅")
    static let volunteer = EventActor.teamMember(grid: grid, role: .volunteer, name: "赵强")
    static let otherChief = EventActor.teamMember(grid: GridCode("DC-018")!, role: .chief, name: "孙立")
    static let water = EventActor.department(code: "water", person: "周工")
    static let housing = EventActor.department(code: "housing", person: "吴工")
    static let start = Date(timeIntervalSince1970: 1_780_000_000)

    static func hours(_ value: Double) -> Date { start.addingTimeInterval(value * 3600) }

    static func report(_ category: String = "roads-and-water", _ urgency: Urgency = .normal) -> EventReport {
        EventReport(category: category, urgency: urgency, description: "水沟堵塞, 雨后积水", location: Position(x: 119.81, y: 35.90),
                    microGrid: GridCode("DC-017-2")!, villageCode: "DC-V07")
    }

    static func raised(_ report: EventReport = report(), by actor: EventActor = volunteer) throws -> EventCase {
        try EventCase(id: "EV-1", raised: EventEntry(at: start, actor: actor, action: .raise(report)), catalogue: catalogue)
    }
}

extension EventCase {
    /// Records `action` by `actor` at `hours` after the fixture's start.
    mutating func act(_ action: EventAction, by actor: EventActor, atHour hours: Double) throws {
        try record(EventEntry(at: FlowFixture.hours(hours), actor: actor, action: action), catalogue: FlowFixture.catalogue)
    }
}

/// The message of what `body` throws; nil when it throws nothing.
func refusal(_ body: () throws -> Void) -> String? {
    do { try body() } catch { return "\(error)" }
    return nil
}

@Suite("The whistle flow")
struct EventFlowTests {
    typealias F = FlowFixture

    @Test("the standard catalogue is consistent: every category has deadlines and known default departments")
    func standardCatalogue() throws {
        let catalogue = F.catalogue
        _ = try EventCatalogue(departments: catalogue.departments, categories: catalogue.categories)
        #expect(catalogue.categories.count >= 6)
        #expect(catalogue.category("safety-hazard")?.deadlines[.urgent] == DeadlineRule(reportInHours: 2, resolutionHours: 24))
    }

    @Test("a catalogue naming an unknown department or missing a deadline is refused with each problem")
    func badCatalogue() {
        let category = EventCategory(code: "x", name: "X", defaultDepartments: ["nobody"],
                                     deadlines: [.normal: DeadlineRule(reportInHours: 0, resolutionHours: 1)])
        #expect(throws: EventFlowError.self) { try EventCatalogue(departments: [], categories: [category]) }
        do {
            _ = try EventCatalogue(departments: [], categories: [category])
        } catch {
            #expect(error.description.contains("no deadlines for urgent events"))
            #expect(error.description.contains("department nobody, which the catalogue does not have"))
            #expect(error.description.contains("report-in must take more than 0 hours"))
        }
    }

    @Test("a joint whistle runs to closing: each department reports in and resolves, the grid verifies, the resident rates it")
    func jointWhistleToClosing() throws {
        var event = try F.raised()
        try event.act(.whistle(departments: [], resolutionDeadline: nil), by: F.liaison, atHour: 1)
        #expect(event.phase == .whistled)
        #expect(event.parts.map(\.department) == ["water", "housing"], "the category's default departments")
        #expect(event.parts.allSatisfy { $0.reportInDeadline == F.hours(25) && $0.resolutionDeadline == F.hours(1 + 168) })
        try event.act(.reportIn(department: "water"), by: F.water, atHour: 2)
        try event.act(.reportIn(department: "housing"), by: F.housing, atHour: 3)
        try event.act(.resolve(department: "water"), by: F.water, atHour: 30)
        #expect(event.phase == .whistled, "housing has not resolved its part")
        try event.act(.resolve(department: "housing"), by: F.housing, atHour: 40)
        #expect(event.phase == .awaitingVerification)
        try event.act(.verify, by: F.chief, atHour: 41)
        try event.act(.close(.basicallySatisfied), by: F.liaison, atHour: 42)
        #expect(event.phase == .closed && event.satisfaction == .basicallySatisfied)
        #expect(event.history.count == 8 && event.lateSteps.isEmpty && event.escalated.isEmpty)
    }

    @Test("an event the grid takes itself is resolved by its team and sent back to the team when the resident is not satisfied")
    func gridHandledAndSentBack() throws {
        var event = try F.raised()
        try event.act(.take(deadline: nil), by: F.volunteer, atHour: 1)
        try event.act(.resolve(department: nil), by: F.volunteer, atHour: 5)
        try event.act(.verify, by: F.liaison, atHour: 6)
        try event.act(.sendBack(departments: [], reason: "居民不满意"), by: F.liaison, atHour: 7)
        #expect(event.phase == .handledByGrid && event.sentBack == 1 && event.gridDeadline == F.hours(7 + 168))
        try event.act(.resolve(department: nil), by: F.volunteer, atHour: 9)
        try event.act(.verify, by: F.liaison, atHour: 10)
        try event.act(.close(.satisfied), by: F.liaison, atHour: 11)
        #expect(event.phase == .closed && event.milestones.resolvedAt == F.hours(5), "the first resolution is kept for the stage times")
    }

    @Test("transitions that do not apply are refused with the event and the rule, and the case is unchanged")
    func refusals() throws {
        var event = try F.raised()
        let before = event.history
        let cases: [(EventAction, EventActor, String)] = [
            (.verify, F.chief, "only a resolved event is verified (it is raised)"),
            (.close(.satisfied), F.chief, "only a verified event is closed"),
            (.reportIn(department: "water"), F.water, "department water was not whistled for this event"),
            (.whistle(departments: [], resolutionDeadline: nil), F.volunteer, "only DC-017's chief or liaison, or the town office, blows the whistle"),
            (.whistle(departments: [], resolutionDeadline: nil), F.otherChief, "only DC-017's chief or liaison"),
            (.whistle(departments: ["sewers"], resolutionDeadline: nil), F.chief, "department sewers is not in the catalogue"),
            (.whistle(departments: ["water"], resolutionDeadline: F.hours(-1)), F.chief, "is not after"),
            (.take(deadline: nil), F.water, "only DC-017's team or the town office takes its events"),
            (.resolve(department: nil), F.volunteer, "the grid resolves only an event it took itself"),
            (.raise(F.report()), F.chief, "the event was raised already"),
        ]
        for (action, actor, rule) in cases {
            let message = refusal { try event.act(action, by: actor, atHour: 1) }
            #expect(message?.hasPrefix("event EV-1: cannot \(action.name): ") == true && message?.contains(rule) == true, "\(message ?? "accepted")")
            #expect(event.history == before && event.phase == .raised)
        }
        try event.act(.whistle(departments: ["water"], resolutionDeadline: nil), by: F.chief, atHour: 2)
        #expect(throws: EventFlowError.self) { try event.act(.reportIn(department: "water"), by: F.housing, atHour: 3) }
        #expect(throws: EventFlowError.self) { try event.act(.resolve(department: "water"), by: F.water, atHour: 3) }
        #expect(throws: EventFlowError.self) { try event.act(.verify, by: F.chief, atHour: 1) }
    }

    @Test("raising checks the category, the description and the attachments against the catalogue's limits")
    func raisingRules() {
        var unknown = F.report()
        unknown.category = "ufo"
        #expect(refusal { _ = try F.raised(unknown) }?.contains("category ufo is not in the catalogue") == true)
        var huge = F.report()
        huge.attachments = [EventAttachment(sha256: String(repeating: "a", count: 64), byteCount: 50 << 20, mediaType: "image/jpeg", fileName: "ditch.jpg")]
        #expect(refusal { _ = try F.raised(huge) }?.contains("attachment ditch.jpg has 52428800 bytes; the limit is 10485760") == true)
        var video = F.report()
        video.attachments = [EventAttachment(sha256: String(repeating: "b", count: 64), byteCount: 10, mediaType: "video/mp4", fileName: "a.mp4")]
        #expect(refusal { _ = try F.raised(video) }?.contains("attachment a.mp4 is video/mp4") == true)
        #expect(refusal { _ = try F.raised(by: F.water) }?.contains("raised by a grid's team member or the town office") == true)
    }

    @Test("a missed report-in deadline is escalated once, dated when it passed, before the late report-in")
    func escalationOfMissedReportIn() throws {
        var event = try F.raised(F.report("safety-hazard", .urgent))
        try event.act(.whistle(departments: ["emergency"], resolutionDeadline: nil), by: F.chief, atHour: 0)
        #expect(event.escalations(before: F.hours(2)).isEmpty, "due at 2 h: not overdue at 2 h")
        try event.act(.reportIn(department: "emergency"), by: .department(code: "emergency", person: "钱"), atHour: 3)
        let escalation = try #require(event.history.first { if case .escalate = $0.action { true } else { false } })
        #expect(escalation.at == F.hours(2) && escalation.actor == .system)
        #expect(event.history.map(\.action.name) == ["raise", "whistle", "escalate", "report-in"])
        #expect(event.lateSteps == [EventStep(kind: .reportIn, department: "emergency", deadline: F.hours(2))])
        #expect(event.escalations(before: F.hours(4)).isEmpty, "escalated once only")
        #expect(event.escalations(before: F.hours(25)).map(\.at) == [F.hours(24)], "then the resolution deadline")
    }

    @Test("a case rebuilt from its stored history is the same case")
    func rebuild() throws {
        var event = try F.raised()
        try event.act(.whistle(departments: [], resolutionDeadline: nil), by: F.liaison, atHour: 1)
        try event.act(.reportIn(department: "water"), by: F.water, atHour: 30)
        let rebuilt = try EventCase(id: "EV-1", history: event.history, catalogue: F.catalogue)
        #expect(rebuilt.phase == event.phase && rebuilt.parts == event.parts && rebuilt.escalated == event.escalated)
        #expect(rebuilt.lateSteps == event.lateSteps)
    }

    @Test("months are counted in China Standard Time: 23:30 UTC on 30 June is July in Qingdao")
    func shanghaiMonths() throws {
        let date = try Date("2026-06-30T23:30:00Z", strategy: .iso8601)
        #expect(EventClock.month(of: date) == "2026-07")
        #expect(EventClock.month(of: date, in: TimeZone(identifier: "UTC")!) == "2026-06")
    }
}

@Suite("The rates a town reports")
struct EventRateTests {
    typealias F = FlowFixture

    /// Four events of DC-017: a joint whistle closed satisfied with housing late to report in; an
    /// event the grid fixed itself, closed dissatisfied after one send-back; a whistle nobody
    /// answered; one just raised.
    static func fourEvents() throws -> [EventCase] {
        var joint = try F.raised()
        try joint.act(.whistle(departments: [], resolutionDeadline: nil), by: F.liaison, atHour: 1)
        try joint.act(.reportIn(department: "water"), by: F.water, atHour: 2)
        try joint.act(.reportIn(department: "housing"), by: F.housing, atHour: 30)
        try joint.act(.resolve(department: "water"), by: F.water, atHour: 40)
        try joint.act(.resolve(department: "housing"), by: F.housing, atHour: 50)
        try joint.act(.verify, by: F.chief, atHour: 52)
        try joint.act(.close(.satisfied), by: F.chief, atHour: 54)
        var own = try F.raised()
        try own.act(.take(deadline: nil), by: F.volunteer, atHour: 3)
        try own.act(.resolve(department: nil), by: F.volunteer, atHour: 7)
        try own.act(.verify, by: F.liaison, atHour: 8)
        try own.act(.sendBack(departments: [], reason: "复发"), by: F.liaison, atHour: 9)
        try own.act(.resolve(department: nil), by: F.volunteer, atHour: 11)
        try own.act(.verify, by: F.liaison, atHour: 12)
        try own.act(.close(.dissatisfied), by: F.liaison, atHour: 13)
        var silent = try F.raised()
        try silent.act(.whistle(departments: ["water"], resolutionDeadline: nil), by: F.chief, atHour: 5)
        return [joint, own, silent, try F.raised()]
    }

    @Test("four known events give known figures: report-in 2 of 3 (1 on time), resolved 2 of 4, satisfied 1 of 2")
    func knownAnswer() throws {
        let now = F.hours(100)
        let total = EventRateTable(try Self.fourEvents(), by: .town, now: now).total
        #expect(total.collected == 4 && total.whistled == 2 && total.dispatches == 3)
        #expect(total.reportedIn == 2 && total.reportedInOnTime == 1, "housing reported in at 30 h, due at 25 h")
        #expect(total.resolved == 2 && total.resolvedOnTime == 2 && total.closed == 2 && total.satisfied == 1)
        #expect(total.reportInRate == 2.0 / 3 && total.resolutionRate == 0.5 && total.satisfactionRate == 0.5)
        #expect(total.sentBack == 1)
        #expect(total.overdueNow == 1, "the silent whistle: report-in due at 29 h")
        #expect(total.escalations == 1, "housing's late report-in was escalated when it came in; the silent one is not swept yet")
        #expect(total.average(.dispatch) == (1 + 3 + 5) * 3600 / 3.0)
        let p90 = try #require(total.percentile90(.reportIn))
        #expect(p90 == 29 * 3600, "nearest rank: the larger of 1 h and 29 h")
        #expect(total.average(.handling) == ((40 - 2) + (50 - 30) + (7 - 3)) * 3600 / 3.0)
        let departments = EventRateTable(try Self.fourEvents(), by: .department, now: now)
        #expect(departments.rows.map(\.group) == ["housing", "water"])
        #expect(departments.rows.map(\.tally.dispatches) == [1, 2])
    }
}
