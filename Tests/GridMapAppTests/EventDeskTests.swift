import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
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
        do { _ = try desk.event("EV-000077"); Issue.record("found") } catch { #expect(error.kind == .invalidRequest) }
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
