import Foundation
import GridMapApp
import GridMapCore
import GridStore

/// `gridmap-bench register-asof --db STORE --day YYYY-MM-DD [--repeat R]`: the register's
/// category × grid table as of a day (docs/LEDGERS.md, issue #16's target: < 0.2 s), timed on its
/// own inside one process — the store already open, as the server holds it — beside today's
/// table from the same store. tools/bench/ledgers makes the store (a year of monthly syncs) and
/// runs this on it; the whole `gridmap select --counts` command adds opening the store and the
/// process's start.
///
/// Timed: "register-asof-table" — the table as `select --counts --as-of` and the server make it
/// (``RegisterAsOfCounts``: the store counts the residents as of the day in one read, today's
/// counts with the residents changed after the day as they were then), with its parts timed
/// once each after, and the same count made step by step from the store's other reads; "register-asof-full-table" — the same
/// table from the day's whole register (``RegisterReading``, ``RegisterAsOfStore``, the town and
/// the table as the office sees it), as it was made before; "register-today-table" — today's
/// table. Each is the fastest of R runs (default 5), with the CPU time of that run.
/// Answers: the table as of today (and as of any later day) must equal today's table, byte for
/// byte as CSV — the past and the present come from the same records; and the counted table
/// must equal the whole register's for the day and every month's end since the register began.
enum RegisterAsOfBench {
    static func run(_ arguments: [String]) throws {
        guard let path = try BenchOptions.string("--db", in: arguments) else { throw BenchError("--db STORE is needed: a store with a register history (tools/bench/ledgers makes one)") }
        guard let dayText = try BenchOptions.string("--day", in: arguments), let day = RegisterDay(dayText) else {
            throw BenchError("--day YYYY-MM-DD is needed: the day of the table")
        }
        let runs = try BenchOptions.count("--repeat", in: arguments, default: 5, least: 1)
        let store = try TownStores(path: path, readOnly: true).openWithTown()

        // The phases of the last full table, for telling where the time goes.
        var phases: [(String, Double)] = []
        func phase<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            var value: T?
            let seconds = try Measure.seconds { value = try body() }
            phases.append((name, seconds))
            return value!
        }
        /// The table from the day's whole register (today's when nil), as it was made before.
        func fullTable(asOf day: RegisterDay?) throws -> String {
            phases = []
            var read: any TownStore = store
            if let day {
                let reading = try phase("register-read") { try RegisterReading(store) }
                read = try phase("past-applied") { try RegisterAsOfStore(reading, asOf: day) }
            }
            let selection = try phase("town-read") { try ResidentSelection(store: read) }
            return try phase("table") { try selection.counts(of: [], as: .office).csv }
        }
        func countedTable(asOf day: RegisterDay) throws -> String {
            try RegisterAsOfCounts(store, asOf: day).counts(of: [], as: .office).csv
        }
        func best(_ name: String, day: RegisterDay?, extra: () throws -> [String: String] = { [:] }, _ table: () throws -> String) throws -> String {
            var fastest = (seconds: Double.infinity, cpuSeconds: 0.0)
            var answer = ""
            for _ in 0..<runs {
                let run = try Measure.times { answer = try table() }
                if run.seconds < fastest.seconds { fastest = run }
            }
            Measure.report(bench: name, seconds: fastest.seconds, cpuSeconds: fastest.cpuSeconds, items: answer.split(separator: "\n").count - 1,
                           answers: "see register-asof-check",
                           extra: ["runs": "\(runs)", "day": day.map { "\($0)" } ?? "today"].merging(try extra()) { $1 })
            return answer
        }
        func lastPhases() -> [String: String] {
            ["last run's phases (s)": phases.map { "\($0.0) \(String(format: "%.3f", $0.1))" }.joined(separator: ", ")]
        }
        let counted = try best("register-asof-table", day: day, extra: {
            // Its parts, each once: the store's count in one read, and beside it the same count
            // made step by step from the store's other reads (the default for a store without SQL).
            phases = []
            let counted = try phase("store-tally-as-of") { try store.residentTally(asOf: day) }
            let stepwise = try phase("tally-corrected-step-by-step") { try store.residentTallyCorrectedByHistory(asOf: day) }
            guard counted == stepwise else { throw BenchError("the store's count as of \(day) differs from the count corrected step by step") }
            _ = try phase("grids") { try store.grids() }
            return ["parts, once each (s)": phases.map { "\($0.0) \(String(format: "%.3f", $0.1))" }.joined(separator: ", ")]
        }) { try countedTable(asOf: day) }
        let full = try best("register-asof-full-table", day: day, extra: lastPhases) { try fullTable(asOf: day) }
        let today = try best("register-today-table", day: nil, extra: lastPhases) { try fullTable(asOf: nil) }
        guard counted == full else {
            throw BenchError("the table as of \(day) from today's counts differs from the table of the day's whole register")
        }
        // Every month's end since the register began, and today: the counted table equals the whole register's.
        let todayDay = RegisterDay(Date())
        guard let start = try store.registerStart() else { throw BenchError("the store's register has not begun") }
        var days = [todayDay]
        for year in start.year...todayDay.year {
            for month in 1...12 {
                if let end = RegisterDay.endOfMonth(month, in: year), end >= start, end < todayDay { days.append(end) }
            }
        }
        for checked in days {
            guard try countedTable(asOf: checked) == fullTable(asOf: checked) else {
                throw BenchError("the table as of \(checked) from today's counts differs from the table of the day's whole register")
            }
        }
        guard try countedTable(asOf: todayDay) == today, try fullTable(asOf: todayDay) == today else {
            throw BenchError("the table as of today (\(todayDay)) differs from today's table: the history and the register disagree")
        }
        Measure.report(bench: "register-asof-check", seconds: 0, items: today.split(separator: "\n").count - 1,
                       answers: "the table as of \(day) and of \(days.count - 1) month ends from today's counts equals the day's whole register's, "
                           + "and as of \(todayDay) equals today's, byte for byte")
    }
}
