import Foundation
import GeoJSON
import GridMapCore
import SeededRandom
import Testing

/// Random sequences of actions, by random people at random times, driven through the flow; most
/// are refused, and the invariants must hold after every one.
@Suite("The whistle flow under random actions")
struct EventFlowPropertyTests {
    typealias F = FlowFixture

    static let actors: [EventActor] = [F.chief, F.liaison, F.volunteer, F.otherChief, F.water, F.housing,
                                       .department(code: "justice", person: "郑"), .office(person: "值班员")]

    static func randomAction(_ random: inout SplitMix64) -> EventAction {
        let departments = ["water", "housing", "justice"]
        let some = departments.filter { _ in Bool.random(using: &random) }
        switch Int.random(in: 0..<9, using: &random) {
        case 0: return .take(deadline: nil)
        case 1: return .whistle(departments: some, resolutionDeadline: nil)
        case 2, 3: return .reportIn(department: departments.randomElement(using: &random)!)
        case 4, 5: return .resolve(department: Bool.random(using: &random) ? nil : departments.randomElement(using: &random)!)
        case 6: return .verify
        case 7: return .sendBack(departments: Array(some.prefix(1)), reason: "未解决")
        default: return .close(Satisfaction.allCases.randomElement(using: &random)!)
        }
    }

    /// An action the flow would take next, by someone entitled to it: drives most random events
    /// through every stage, so that the rates have something to count.
    static func plausibleStep(_ event: EventCase, grid: GridCode, _ random: inout SplitMix64) -> (EventActor, EventAction) {
        let liaison = EventActor.teamMember(grid: grid, role: .liaison, name: "乙")
        let member = EventActor.teamMember(grid: grid, role: .functional, name: "丙")
        switch event.phase {
        case .raised:
            return Bool.random(using: &random) ? (member, .take(deadline: nil)) : (liaison, .whistle(departments: [], resolutionDeadline: nil))
        case .handledByGrid:
            return (member, .resolve(department: nil))
        case .whistled:
            let part = event.parts.filter { $0.state != .resolved }.randomElement(using: &random)!
            let department = EventActor.department(code: part.department, person: "丁")
            return part.state == .awaitingReportIn ? (department, .reportIn(department: part.department)) : (department, .resolve(department: part.department))
        case .awaitingVerification:
            return Int.random(in: 0..<5, using: &random) == 0 ? (liaison, .sendBack(departments: [], reason: "未解决")) : (liaison, .verify)
        case .verified, .closed:
            return (liaison, .close(Satisfaction.allCases.randomElement(using: &random)!))
        }
    }

    /// One event driven by `steps` random actions; returns it with the time of its last action.
    static func randomEvent(_ random: inout SplitMix64, id: String, grid: GridCode, steps: Int) throws -> (EventCase, Date) {
        var report = F.report(["roads-and-water", "safety-hazard", "dispute-mediation"].randomElement(using: &random)!,
                              Urgency.allCases.randomElement(using: &random)!)
        report.microGrid = GridCode(town: grid.town, grid: grid.grid, microGrid: 1)!
        let raiser = EventActor.teamMember(grid: grid, role: .liaison, name: "甲")
        let start = F.start.addingTimeInterval(Double.random(in: 0...(365 * 86_400), using: &random))
        var event = try EventCase(id: id, raised: EventEntry(at: start, actor: raiser, action: .raise(report)), catalogue: F.catalogue)
        var time = start
        let people = actors.map { actor -> EventActor in
            if case .teamMember(_, let role, let name) = actor, actor != F.otherChief { return .teamMember(grid: grid, role: role, name: name) }
            return actor
        }
        for _ in 0..<steps {
            time = time.addingTimeInterval(Double.random(in: 0...(40 * 3600), using: &random))
            let (actor, action) = Double.random(in: 0..<1, using: &random) < 0.7
                ? plausibleStep(event, grid: grid, &random)
                : (people.randomElement(using: &random)!, randomAction(&random))
            _ = try? event.record(EventEntry(at: time, actor: actor, action: action), catalogue: F.catalogue)
        }
        return (event, time)
    }

    @Test("every action leaves one consistent state: history only grows in time order, refusals change nothing, a rebuild agrees")
    func invariantsAfterEveryAction() throws {
        var random = SplitMix64(seed: 0x5EED_0F10)
        for round in 0..<300 {
            var event = try F.raised()
            var time = F.start
            for _ in 0..<40 {
                time = time.addingTimeInterval(Double.random(in: 0...(30 * 3600), using: &random))
                let entry = EventEntry(at: time, actor: Self.actors.randomElement(using: &random)!, action: Self.randomAction(&random))
                let before = event
                do {
                    let appended = try event.record(entry, catalogue: F.catalogue)
                    #expect(event.history == before.history + appended && appended.last == entry, "round \(round): history only grows")
                } catch {
                    #expect(event.history == before.history && event.phase == before.phase && event.parts == before.parts,
                            "round \(round): a refused action changes nothing")
                }
                #expect(zip(event.history, event.history.dropFirst()).allSatisfy { $0.at <= $1.at })
                switch event.phase {
                case .whistled: #expect(event.parts.contains { $0.state != .resolved })
                case .awaitingVerification, .verified, .closed: #expect(event.parts.allSatisfy { $0.state == .resolved })
                case .handledByGrid: #expect(event.gridDeadline != nil)
                case .raised: #expect(event.parts.isEmpty)
                }
            }
            let rebuilt = try EventCase(id: event.id, history: event.history, catalogue: F.catalogue)
            #expect(rebuilt.phase == event.phase && rebuilt.parts == event.parts && rebuilt.lateSteps == event.lateSteps,
                    "round \(round): the state is a function of the history")
        }
    }

    @Test("escalations appear exactly when a deadline passes: one per missed step, dated at its deadline, none early")
    func escalationsExactlyAtDeadlines() throws {
        var random = SplitMix64(seed: 0xE5CA_1A7E)
        for round in 0..<300 {
            var (event, last) = try Self.randomEvent(&random, id: "EV-\(round)", grid: F.grid, steps: 30)
            let sweepTime = last.addingTimeInterval(Double.random(in: 0...(200 * 3600), using: &random))
            for entry in event.escalations(before: sweepTime) { try event.apply(entry, catalogue: F.catalogue) }
            let escalations = event.history.compactMap { entry -> (Date, EventStep)? in
                if case .escalate(let step) = entry.action { (entry.at, step) } else { nil }
            }
            #expect(escalations.allSatisfy { $0.0 == $0.1.deadline }, "round \(round): dated at the deadline")
            #expect(Set(escalations.map(\.1)).count == escalations.count, "round \(round): each step once")
            for late in event.lateSteps {
                #expect(escalations.contains { $0.1 == late }, "round \(round): \(late) was done late, so it was escalated")
            }
            for pending in event.pendingSteps where pending.deadline < sweepTime {
                #expect(escalations.contains { $0.1 == pending }, "round \(round): \(pending) is overdue, so it is escalated")
            }
        }
    }

    @Test("rates stay within 0-100 %, and the grids' and the months' counts add up to the town's")
    func ratesAddUp() throws {
        var random = SplitMix64(seed: 0x2A7E5)
        var events: [EventCase] = []
        for index in 0..<400 {
            let grid = GridCode(town: "DC", grid: Int.random(in: 1...6, using: &random))!
            events.append(try Self.randomEvent(&random, id: "EV-\(index)", grid: grid, steps: Int.random(in: 0...60, using: &random)).0)
        }
        let now = F.start.addingTimeInterval(400 * 86_400)
        let town = EventRateTable(events, by: .town, now: now).total
        #expect(town.collected == 400)
        #expect(town.closed > 20 && town.dispatches > 100, "the random flows reach every stage")
        for rate in [town.reportInRate, town.onTimeReportInRate, town.resolutionRate, town.onTimeResolutionRate, town.satisfactionRate] {
            let value = try #require(rate)
            #expect((0...1).contains(value))
        }
        #expect(town.reportedInOnTime <= town.reportedIn && town.reportedIn <= town.dispatches)
        #expect(town.resolvedOnTime <= town.resolved && town.closed <= town.resolved && town.satisfied <= town.closed)
        for grouping in [EventGrouping.grid, .village, .month] {
            let rows = EventRateTable(events, by: grouping, now: now).rows.map(\.tally)
            #expect(rows.map(\.collected).reduce(0, +) == town.collected, "\(grouping)")
            #expect(rows.map(\.resolved).reduce(0, +) == town.resolved, "\(grouping)")
            #expect(rows.map(\.dispatches).reduce(0, +) == town.dispatches, "\(grouping)")
            #expect(rows.map(\.overdueNow).reduce(0, +) == town.overdueNow, "\(grouping)")
        }
        let departments = EventRateTable(events, by: .department, now: now).rows.map(\.tally)
        #expect(departments.map(\.dispatches).reduce(0, +) == town.dispatches, "each dispatch belongs to one department")
        for stage in EventStage.allCases {
            if let average = town.average(stage), let p90 = town.percentile90(stage) {
                #expect(average >= 0 && p90 >= 0, "\(stage)")
            }
        }
    }
}
