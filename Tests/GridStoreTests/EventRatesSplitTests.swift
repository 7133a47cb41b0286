import Foundation
import GeoJSON
import GridMapCore
import Testing
@testable import GridStore

/// The rates read in runs of consecutive events (on several connections at once, for a file
/// store) and merged must be the very rates one pass over every event gives: same counts, and
/// the same stage times to the last bit, so the averages and percentiles are identical.
@Suite("The rates read in runs on several cores against one pass")
struct EventRatesSplitTests {
    static let now = EventStatePropertyTests.start.addingTimeInterval(60 * 86_400)
    /// One run, a few, and more runs than there are events.
    static let partCounts = [1, 2, 3, 7, 1_000]

    /// The table one tally of every summary gives, one event at a time.
    static func onePass(_ log: any EventLog, by grouping: EventGrouping, _ filter: EventFilter = EventFilter(),
                        where keep: (EventSummary) -> Bool = { _ in true }) throws -> EventRateTable {
        var tally = EventRateTable.Tallying(by: grouping, now: now)
        try log.forEachSummary(filter) { if keep($0) { tally.add($0) } }
        return tally.table
    }

    /// Whether two tables are the same to the last bit, rates and stage times included.
    static func identical(_ a: EventRateTable, _ b: EventRateTable) -> Bool {
        func bits(_ tally: EventTally) -> [UInt64?] {
            EventStage.allCases.flatMap { [tally.average($0)?.bitPattern, tally.percentile90($0)?.bitPattern] }
                + [tally.reportInRate, tally.onTimeReportInRate, tally.resolutionRate, tally.satisfactionRate].map { $0?.bitPattern }
        }
        return a.total == b.total && bits(a.total) == bits(b.total)
            && a.rows.map(\.group) == b.rows.map(\.group) && a.rows.map(\.tally) == b.rows.map(\.tally)
            && a.rows.map { bits($0.tally) } == b.rows.map { bits($0.tally) }
    }

    static func checkEverySplit(_ log: any EventLog, _ name: String) throws {
        for grouping in EventGrouping.allCases {
            let whole = try onePass(log, by: grouping)
            for parts in partCounts {
                let split = try log.rates(by: grouping, EventFilter(), now: now, parts: parts)
                #expect(identical(split, whole), "\(name), \(grouping), \(parts) parts")
            }
        }
        // With the store's filter and a kept subset, as the event desk asks.
        let grid = GridCode("TS-002")!
        let closed: @Sendable (EventSummary) -> Bool = { $0.phase == .closed }
        let whole = try onePass(log, by: .month, EventFilter(grid: grid), where: closed)
        for parts in partCounts {
            let split = try log.rates(by: .month, EventFilter(grid: grid), now: now, parts: parts, where: closed)
            #expect(identical(split, whole), "\(name), one grid's closed events, \(parts) parts")
        }
    }

    @Test("on random events, the rates merged from any number of runs are identical to one pass, on a file, in memory and on PostgreSQL")
    func splitEqualsOnePass() throws {
        try SyntheticTown.withTemporaryStore { file in
            try EventStatePropertyTests.randomFlows(file, count: 300, seed: 0x5B11)
            let town = try Self.onePass(file, by: .town).total
            #expect(town.collected == 300 && town.closed > 0 && town.stageDurations.count >= 4, "the events reach most stages")
            try Self.checkEverySplit(file, "file")
        }
        let memory = try SQLiteTownStore()
        try EventStatePropertyTests.randomFlows(memory, count: 120, seed: 0x5B12)
        try Self.checkEverySplit(memory, "SQLite in memory")
        let other = InMemoryTownStore()
        try EventStatePropertyTests.randomFlows(other, count: 60, seed: 0x5B13)
        try Self.checkEverySplit(other, "in-memory store")
        let postgres = try StoreKind.postgres.make()
        try EventStatePropertyTests.randomFlows(postgres, count: 60, seed: 0x5B15)
        try Self.checkEverySplit(postgres, "PostgreSQL")
    }

    /// Runs `body` on the stores that read their runs at once, each on its own connection: a
    /// SQLite file and PostgreSQL.
    static func withConcurrentStores(_ body: (any TownStore, String) throws -> Void) throws {
        try SyntheticTown.withTemporaryStore { file in try body(file, "SQLite file") }
        try body(try StoreKind.postgres.make(), "PostgreSQL")
    }

    @Test("the runs cover every event once, in raising order, however many there are, on a SQLite file and on PostgreSQL")
    func runsCoverEveryEventInOrder() throws {
        try Self.withConcurrentStores { store, name in
            try EventStatePropertyTests.randomFlows(store, count: 50, seed: 0x5B14)
            let ids = try EventStatePropertyTests.summaries(store).map(\.id)
            for parts in Self.partCounts {
                let runs = try store.foldSummaries(EventFilter(), parts: parts, start: { [String]() }) { $0.append($1.id) }
                #expect(runs.count == parts, "\(name)")
                #expect(runs.flatMap { $0 } == ids, "\(name), \(parts) parts")
            }
        }
    }

    @Test("an empty log gives empty runs and an empty table, on a SQLite file and on PostgreSQL")
    func emptyLog() throws {
        try Self.withConcurrentStores { store, name in
            let runs = try store.foldSummaries(EventFilter(), parts: 4, start: { 0 }) { count, _ in count += 1 }
            #expect(runs == [0, 0, 0, 0], "\(name)")
            let table = try store.rates(by: .grid, EventFilter(), now: Self.now, parts: 4)
            #expect(table.rows.isEmpty && table.total == EventTally(), "\(name)")
        }
    }
}

@Suite("Record ids")
struct RecordIDTests {
    @Test("an id is the prefix and the number padded to six digits or more, and reads back as the number")
    func idsRoundTrip() {
        let known: [(Int64, String)] = [(1, "EV-000001"), (42, "EV-000042"), (999_999, "EV-999999"), (1_000_000, "EV-1000000"),
                                        (1_234_567_890, "EV-1234567890"), (0, "EV-000000")]
        for (number, text) in known { #expect(RecordID.event.text(number) == text) }
        for number: Int64 in [1, 9, 10, 99_999, 100_000, 123_456, 7_654_321, Int64.max] {
            #expect(RecordID.event.number(RecordID.event.text(number)) == number, "\(number)")
            #expect(RecordID.activity.text(number) == "AC-" + String(repeating: "0", count: max(0, 6 - String(number).count)) + String(number))
        }
    }
}

@Suite("The rates' runs against a writer")
struct EventRatesSnapshotTests {
    @Test("runs read while another thread writes see one committed state: two events moved together in each transaction are read together, on a SQLite file and on PostgreSQL")
    func runsSeeOneState() throws {
        try EventRatesSplitTests.withConcurrentStores { file, name in
            let catalogue = EventStatePropertyTests.catalogue
            let grid = GridCode(town: "TS", grid: 1)!
            let liaison = EventActor.teamMember(grid: grid, role: .liaison, name: "甲")
            let start = EventStatePropertyTests.start
            let report = EventReport(category: "roads-and-water", urgency: .normal, description: "问题", location: Position(x: 119.8, y: 35.9),
                                     microGrid: grid.microGrid(1)!, villageCode: "TS-V1")
            var ids: [String] = []
            for index in 0..<40 {
                let at = start.addingTimeInterval(Double(index))
                ids.append(try file.raiseEvent(EventEntry(at: at, actor: liaison, action: .raise(report)), catalogue: catalogue).id)
            }
            // The first event and the last, which 2 runs read on different connections, taken and
            // resolved by the grid, then sent back and resolved again, both in each transaction.
            let (first, last) = (ids[0], ids[ids.count - 1])
            @Sendable func both(_ action: EventAction, _ step: Int) throws {
                let at = start.addingTimeInterval(100 + Double(step))
                _ = try file.perform([.record(.id(first), EventEntry(at: at, actor: liaison, action: action)),
                                      .record(.id(last), EventEntry(at: at, actor: liaison, action: action))], catalogue: catalogue)
            }
            try both(.take(deadline: nil), 0)
            try both(.resolve(department: nil), 1)
            let writing = DispatchGroup()
            DispatchQueue.global().async(group: writing) {
                for step in 0..<150 {
                    try? both(.sendBack(departments: [], reason: "未解决"), 2 + 2 * step)
                    try? both(.resolve(department: nil), 3 + 2 * step)
                }
            }
            var reads = 0
            repeat {
                let runs = try file.foldSummaries(EventFilter(), parts: 2, start: { [EventSummary]() }) { $0.append($1) }
                let all = runs.flatMap { $0 }
                #expect(all.count == 40 && runs.allSatisfy { !$0.isEmpty }, "\(name)")
                if let a = all.first, let b = all.last {
                    #expect(a.sentBack == b.sentBack && a.phase == b.phase, "\(name), read \(reads): \(a.sentBack) \(a.phase) against \(b.sentBack) \(b.phase)")
                }
                reads += 1
            } while writing.wait(timeout: .now()) == .timedOut
            let end = try EventStatePropertyTests.summaries(file)
            #expect(end.first?.sentBack == 150 && end.last?.sentBack == 150, "\(name): the writer's steps were all accepted")
        }
    }
}
