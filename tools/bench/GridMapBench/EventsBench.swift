import Foundation
import GeoJSON
import GridMapCore
import GridStore
import SeededRandom

/// `gridmap-bench events --dir DIR [--count N] [--append M] [--parts P] [--rates-only]` (N and M smaller for a quick
/// run; `--rates-only` on a DIR a run with the same N filled: the rates alone): the event log on the bundled town
/// of Dacun (geodata/dacun), against the same figures aggregated by hand in SQL over the same
/// SQLite file (tools/bench/peers/events_sqlite.py).
///
/// Each event: raised by its grid's liaison at a seeded random point of the town (points outside it
/// are drawn again), located by the Atlas (its micro-grid, grid, village); whistled to one department of its category; that
/// department reports in (one in ten after its deadline) and resolves it; the grid verifies; one in
/// twenty is sent back and resolved and verified again; the grid closes it with the resident's
/// rating. Six to nine entries, each checked by the flow.
///
/// Timed: "events-append" — the first M events (default 100,000) appended from their points to
/// committed rows, 1,000 events per transaction (`EventLog.append`, as a journal is imported), locating included; then the
/// log is filled up to N events (default 1,000,000), untimed; "events-rates" — the town's figures
/// (every event's derived state read back from the store, one row each, and tallied one at a
/// time, in P runs of consecutive events read at once — by default one per core — and merged;
/// the state is a cache of the history, written with it, see docs/EVENTS.md). Each line gives
/// the CPU time beside the wall-clock time.
/// Answers: DIR/events-figures.json, which the peer compares with its SQL's.
enum EventsBench {
    static func run(_ arguments: [String]) throws {
        let folder = try BenchOptions.directory(in: arguments)
        let total = try BenchOptions.count("--count", in: arguments, default: 1_000_000, least: 1)
        let timed = min(try BenchOptions.count("--append", in: arguments, default: 100_000, least: 1), total)
        let parts = try BenchOptions.count("--parts", in: arguments, default: ParallelChunks.cores, least: 1)
        let town = try TownFolder.read(from: URL(fileURLWithPath: "geodata/dacun"))
        let atlas = try Atlas(town)
        let path = folder.url.appendingPathComponent("events.sqlite").path
        let store = try SQLiteTownStore(path: path)
        let catalogue = EventCatalogue.standard
        var maker = EventMaker(town: town, atlas: atlas, catalogue: catalogue)

        if arguments.contains("--rates-only") {
            // The log a run before filled with `total` events: only the rates, again (to profile them).
            maker.clock.addTimeInterval(600 * Double(total))
        } else {
            let append = try Measure.times {
                try maker.append(timed, to: store)
            }
            Measure.report(bench: "events-append", seconds: append.seconds, cpuSeconds: append.cpuSeconds, items: timed,
                           answers: "not compared: appends through the flow",
                           extra: ["work": "locate each point, check every entry against the flow, one transaction per 1,000 events"])
            try maker.append(total - timed, to: store)
        }

        var table: EventRateTable?
        let end = maker.clock.addingTimeInterval(86_400 * 30)
        let rates = try Measure.times {
            table = try store.rates(by: .town, EventFilter(), now: end, parts: parts)
        }
        guard let figures = table?.total else { throw BenchError("no figures") }
        Measure.report(bench: "events-rates", seconds: rates.seconds, cpuSeconds: rates.cpuSeconds, items: total, answers: Measure.reference,
                       extra: ["work": "read every event's derived state (one row each, kept with the history) in \(parts) runs at once, tally, merge"])
        let answers: [String: Int] = [
            "collected": figures.collected, "whistled": figures.whistled, "dispatches": figures.dispatches,
            "reported_in": figures.reportedIn, "reported_in_on_time": figures.reportedInOnTime,
            "resolved": figures.resolved, "closed": figures.closed, "satisfied": figures.satisfied, "sent_back": figures.sentBack,
        ]
        let json = "{" + answers.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}\n"
        try Data(json.utf8).write(to: folder.url.appendingPathComponent("events-figures.json"))
    }
}

extension SplitMix64 {
    /// Uniform in [low, high).
    fileprivate mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * Double(next() >> 11) * 0x1p-53 }
    /// Uniform in 0..<count.
    fileprivate mutating func index(_ count: Int) -> Int { Int(next() % UInt64(count)) }
    /// True with probability `p`.
    fileprivate mutating func chance(_ p: Double) -> Bool { uniform(0, 1) < p }
}

/// Makes the bench's events, one batch of operations per 1,000 events.
private struct EventMaker {
    let town: TownData
    let atlas: Atlas
    let catalogue: EventCatalogue
    var random = SplitMix64(seed: 0xE7E7_2026)
    /// The time of the next event: one every ten minutes from 2024-01-01.
    var clock = Date(timeIntervalSince1970: 1_704_038_400)
    let box: (west: Double, south: Double, east: Double, north: Double)
    let categories: [EventCategory]

    init(town: TownData, atlas: Atlas, catalogue: EventCatalogue) {
        self.town = town
        self.atlas = atlas
        self.catalogue = catalogue
        let points = town.microGrids.flatMap { microGrid -> [Position] in
            if case .polygon(let rings) = microGrid.geometry { return rings.first ?? [] }
            if case .multiPolygon(let parts) = microGrid.geometry { return parts.flatMap { $0.first ?? [] } }
            return []
        }
        box = (points.map(\.x).min() ?? 0, points.map(\.y).min() ?? 0, points.map(\.x).max() ?? 0, points.map(\.y).max() ?? 0)
        categories = catalogue.categories.filter { !$0.defaultDepartments.isEmpty }
    }

    mutating func append(_ count: Int, to log: any EventLog) throws {
        var remaining = count
        while remaining > 0 {
            let batch = min(remaining, 1_000)
            var operations: [EventLogOperation] = []
            operations.reserveCapacity(batch * 9)
            for _ in 0..<batch { try event(appendingTo: &operations) }
            // As a journal is imported: the batch's results are not wanted.
            try log.append(operations, uploads: [], catalogue: catalogue)
            remaining -= batch
        }
    }

    /// Appends one event's operations to the batch's (in place: a list per event, copied into
    /// the batch's, showed in the profile).
    private mutating func event(appendingTo operations: inout [EventLogOperation]) throws {
        let first = operations.count
        var index: Int?
        var point = Position(x: 0, y: 0)
        while index == nil {
            point = Position(x: random.uniform(box.west, box.east), y: random.uniform(box.south, box.north))
            index = atlas.microGridIndex(longitude: point.x, latitude: point.y)
        }
        guard let index, let grid = atlas.place(ofMicroGrid: index).grid else { throw BenchError("a micro-grid without a grid") }
        let place = atlas.place(ofMicroGrid: index)
        let category = categories[random.index(categories.count)]
        let department = category.defaultDepartments[random.index(category.defaultDepartments.count)]
        let urgency: Urgency = random.chance(0.1) ? .urgent : .normal
        guard let rule = category.deadlines[urgency] else { throw BenchError("no deadlines") }
        let liaison = EventActor.teamMember(grid: grid.code, role: .liaison, name: place.liaison?.name ?? "")
        let office = EventActor.department(code: department, person: "")
        let report = EventReport(category: category.code, urgency: urgency, description: "bench", location: point,
                                 microGrid: place.microGrid.code, villageCode: grid.villageCode)
        clock = clock.addingTimeInterval(600)
        var t = clock
        func later(_ hours: Double) -> Date { t = t.addingTimeInterval(hours * 3600); return t }
        let me = EventReference.made(byOperation: first)
        operations.append(.raise(EventEntry(at: t, actor: liaison, action: .raise(report))))
        operations.append(.record(me, EventEntry(at: later(1), actor: liaison, action: .whistle(departments: [department], resolutionDeadline: nil))))
        operations.append(.record(me, EventEntry(at: later(rule.reportInHours * (random.chance(0.1) ? 1.5 : 0.5)), actor: office,
                                                 action: .reportIn(department: department))))
        operations.append(.record(me, EventEntry(at: later(rule.resolutionHours * 0.3), actor: office, action: .resolve(department: department))))
        operations.append(.record(me, EventEntry(at: later(2), actor: liaison, action: .verify)))
        if random.chance(0.05) {
            operations.append(.record(me, EventEntry(at: later(1), actor: liaison, action: .sendBack(departments: [], reason: "复发"))))
            operations.append(.record(me, EventEntry(at: later(24), actor: office, action: .resolve(department: department))))
            operations.append(.record(me, EventEntry(at: later(2), actor: liaison, action: .verify)))
        }
        operations.append(.record(me, EventEntry(at: later(3), actor: liaison, action: .close(random.chance(0.9) ? .satisfied : .dissatisfied))))
    }
}
