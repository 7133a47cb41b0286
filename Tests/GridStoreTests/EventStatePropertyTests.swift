import Foundation
import GRDB
import GeoJSON
import GridMapCore
import SeededRandom
import Testing
@testable import GridStore

/// The derived state a store keeps beside the histories (``EventLog/forEachSummary(_:_:)``) is a
/// cache: on random flows it must equal the state replayed from the histories, and so must the
/// rates computed from it.
@Suite("The events' derived state against their histories")
struct EventStatePropertyTests {
    static let catalogue = EventCatalogue.standard
    static let start = Date(timeIntervalSince1970: 1_780_000_000)
    static let departments = ["water", "housing", "justice"]

    /// Drives `count` random events through `log`, one action at a time, in single actions and in
    /// batches, with escalation sweeps between; refused actions are part of the test.
    static func randomFlows(_ log: any EventLog, count: Int, seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var time = start
        var ids: [(id: String, grid: GridCode)] = []
        for _ in 0..<count {
            time = time.addingTimeInterval(Double.random(in: 0...7200, using: &random))
            let grid = GridCode(town: "TS", grid: Int.random(in: 1...4, using: &random))!
            let report = EventReport(category: ["roads-and-water", "safety-hazard", "dispute-mediation"].randomElement(using: &random)!,
                                     urgency: Urgency.allCases.randomElement(using: &random)!, description: "问题",
                                     location: Position(x: 119.8, y: 35.9), microGrid: grid.microGrid(1)!, villageCode: "TS-V\(grid.grid % 2)")
            let raised = try log.raiseEvent(EventEntry(at: time, actor: .teamMember(grid: grid, role: .liaison, name: "甲"), action: .raise(report)),
                                            catalogue: catalogue)
            ids.append((raised.id, grid))
            for _ in 0..<Int.random(in: 0...8, using: &random) {
                // Mostly the latest events, so that many go all the way to closing.
                let (id, grid) = ids.suffix(8).randomElement(using: &random)!
                time = time.addingTimeInterval(Double.random(in: 0...(20 * 3600), using: &random))
                let phase = try log.event(id, catalogue: catalogue)?.phase ?? .raised
                let operations = (0..<Int.random(in: 1...3, using: &random)).map { step in
                    let (actor, action) = Int.random(in: 0..<10, using: &random) < 6 ? nextStep(phase, grid: grid, &random) : randomStep(grid: grid, &random)
                    return EventLogOperation.record(.id(id), EventEntry(at: time.addingTimeInterval(Double(step)), actor: actor, action: action))
                }
                _ = try? log.perform(operations, catalogue: catalogue)
            }
            if Int.random(in: 0..<25, using: &random) == 0 { _ = try log.escalateOverdue(before: time, catalogue: catalogue) }
        }
    }

    /// A step the flow would take next from `phase` (a department picked at random may still be
    /// refused).
    static func nextStep(_ phase: EventPhase, grid: GridCode, _ random: inout SplitMix64) -> (EventActor, EventAction) {
        let liaison = EventActor.teamMember(grid: grid, role: .liaison, name: "乙")
        let department = departments.randomElement(using: &random)!
        let desk = EventActor.department(code: department, person: "丁")
        switch phase {
        case .raised: return Bool.random(using: &random) ? (liaison, .take(deadline: nil)) : (liaison, .whistle(departments: [], resolutionDeadline: nil))
        case .handledByGrid: return (liaison, .resolve(department: nil))
        case .whistled: return Bool.random(using: &random) ? (desk, .reportIn(department: department)) : (desk, .resolve(department: department))
        case .awaitingVerification: return Int.random(in: 0..<4, using: &random) == 0 ? (liaison, .sendBack(departments: [], reason: "未解决")) : (liaison, .verify)
        case .verified, .closed: return (liaison, .close(Satisfaction.allCases.randomElement(using: &random)!))
        }
    }

    static func randomStep(grid: GridCode, _ random: inout SplitMix64) -> (EventActor, EventAction) {
        let liaison = EventActor.teamMember(grid: grid, role: .liaison, name: "乙")
        let department = departments.randomElement(using: &random)!
        let desk = EventActor.department(code: department, person: "丁")
        switch Int.random(in: 0..<11, using: &random) {
        case 0: return (liaison, .take(deadline: nil))
        case 1: return (liaison, .whistle(departments: Bool.random(using: &random) ? [] : [department], resolutionDeadline: nil))
        case 2, 3: return (desk, .reportIn(department: department))
        case 4: return (desk, .resolve(department: department))
        case 5: return (liaison, .resolve(department: nil))
        case 6, 7: return (liaison, .verify)
        case 8, 9: return (liaison, .sendBack(departments: [], reason: "未解决"))
        default: return (liaison, .close(Satisfaction.allCases.randomElement(using: &random)!))
        }
    }

    static func summaries(_ log: any EventLog, _ filter: EventFilter = EventFilter()) throws -> [EventSummary] {
        var result: [EventSummary] = []
        try log.forEachSummary(filter) { result.append($0) }
        return result
    }

    @Test("on random flows, each event's stored state equals its history replayed, on every store")
    func stateEqualsReplay() throws {
        for (name, log) in [("SQLite", try SQLiteTownStore() as any EventLog), ("in memory", InMemoryTownStore())] {
            try Self.randomFlows(log, count: 300, seed: 0x57A7E)
            let replayed = try log.events(EventFilter(), catalogue: Self.catalogue)
            let stored = try Self.summaries(log)
            #expect(stored.count == 300, "\(name)")
            #expect(stored == replayed.map(\.summary), "\(name)")
            #expect(Set(replayed.map(\.phase)).count >= 4, "\(name): the random flows reach most states")
            let grid = GridCode("TS-002")!
            #expect(try Self.summaries(log, EventFilter(grid: grid)) == replayed.filter { $0.report.grid == grid }.map(\.summary), "\(name)")
        }
    }

    @Test("the rates from the stored state equal the rates replayed from the histories, for every grouping")
    func ratesFromStateEqualReplay() throws {
        let log = try SQLiteTownStore()
        try Self.randomFlows(log, count: 300, seed: 0xA7E5)
        let replayed = try log.events(EventFilter(), catalogue: Self.catalogue)
        let stored = try Self.summaries(log)
        let now = Self.start.addingTimeInterval(60 * 86_400)
        for grouping in EventGrouping.allCases {
            var fromState = EventRateTable.Tallying(by: grouping, now: now)
            for summary in stored { fromState.add(summary) }
            let fromHistory = EventRateTable(replayed, by: grouping, now: now)
            #expect(fromState.table.total == fromHistory.total, "\(grouping)")
            #expect(fromState.table.rows.map(\.group) == fromHistory.rows.map(\.group), "\(grouping)")
            #expect(fromState.table.rows.map(\.tally) == fromHistory.rows.map(\.tally), "\(grouping)")
        }
        let town = EventRateTable(replayed, by: .town, now: now).total
        #expect(town.closed > 0 && town.escalations > 0 && town.sentBack > 0, "the flows reach closing, escalation and sending back")
    }

    @Test("the state is a cache: dropped and rebuilt from the histories alone, it is the same")
    func rebuiltFromHistory() throws {
        let log = try SQLiteTownStore()
        try Self.randomFlows(log, count: 120, seed: 0xCAC4E)
        let before = try Self.summaries(log)
        try log.database.write { db in try db.execute(sql: "DELETE FROM event_state") }
        #expect(try Self.summaries(log).isEmpty)
        try log.rebuildEventStates(catalogue: Self.catalogue)
        #expect(try Self.summaries(log) == before)
    }

    @Test("the history stays append-only beside its state: an UPDATE or DELETE of an entry is refused")
    func historyStaysAppendOnly() throws {
        let log = try SQLiteTownStore()
        try Self.randomFlows(log, count: 5, seed: 1)
        #expect(throws: DatabaseError.self) { try log.database.write { db in try db.execute(sql: "DELETE FROM event_entries") } }
        #expect(throws: DatabaseError.self) { try log.database.write { db in try db.execute(sql: "UPDATE events SET category = 'x'") } }
    }

    @Test("a store from before the state (schema v3) gets it on opening, filled from the histories")
    func migrationFillsState() throws {
        try SyntheticTown.withTemporaryPath { path in
            let before: [EventSummary]
            do {
                let log = try SQLiteTownStore(path: path)
                try Self.randomFlows(log, count: 60, seed: 0x7E3)
                before = try Self.summaries(log)
            }
            // The file as GridMap left it before the state existed (and before the accounts, v5,
            // attachments, v6, whose table the state's rebuild does without, the town's
            // other manifest members, v7, the register's changes, v8, the survey, v9, and the
            // packed state, v10).
            try DatabaseQueue(path: path).writeWithoutTransaction { db in
                try db.execute(sql: """
                    DROP TABLE event_state; DROP TABLE event_attachments; DROP TABLE attachment_contents;
                    DROP TABLE accounts; DROP TABLE credentials; DROP TABLE sign_in_failures; DROP TABLE audit_log;
                    ALTER TABLE town DROP COLUMN manifest_members; DROP TABLE register_changes;
                    DROP TABLE survey_visits; DROP TABLE survey_campaigns;
                    DELETE FROM grdb_migrations
                    WHERE identifier LIKE 'v4:%' OR identifier LIKE 'v5:%' OR identifier LIKE 'v6:%' OR identifier LIKE 'v7:%'
                       OR identifier LIKE 'v8:%' OR identifier LIKE 'v9:%' OR identifier LIKE 'v10:%'
                    """)
            }
            let upgraded = try SQLiteTownStore(path: path)
            #expect(try upgraded.settings().appliedMigrations == StoreSchema.migrator.migrations)
            #expect(try Self.summaries(upgraded) == before && upgraded.attachmentHashes().isEmpty)
            #expect(before.count == 60)
        }
    }
}
