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
/// Timed: "register-asof-table" — reading the register and the changes after the day
/// (``RegisterAsOfStore``), the town's grids and categories, and the table as the office sees it;
/// "register-today-table" — the same table of today. Each is the fastest of R runs (default 5),
/// with the CPU time of that run.
/// Answers: the table as of today (and as of any later day) must equal today's table, byte for
/// byte as CSV — the past and the present come from the same records.
enum RegisterAsOfBench {
    static func run(_ arguments: [String]) throws {
        guard let path = try BenchOptions.string("--db", in: arguments) else { throw BenchError("--db STORE is needed: a store with a register history (tools/bench/ledgers makes one)") }
        guard let dayText = try BenchOptions.string("--day", in: arguments), let day = RegisterDay(dayText) else {
            throw BenchError("--day YYYY-MM-DD is needed: the day of the table")
        }
        let runs = try BenchOptions.count("--repeat", in: arguments, default: 5, least: 1)
        let store = try TownStores(path: path, readOnly: true).openWithTown()

        // The phases of the last table, for telling where the time goes.
        var phases: [(String, Double)] = []
        func table(asOf day: RegisterDay?) throws -> String {
            phases = []
            func phase<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
                var value: T?
                let seconds = try Measure.seconds { value = try body() }
                phases.append((name, seconds))
                return value!
            }
            var read: any TownStore = store
            if let day {
                let reading = try phase("register-read") { try RegisterReading(store) }
                read = try phase("past-applied") { try RegisterAsOfStore(reading, asOf: day) }
            }
            let selection = try phase("town-read") { try ResidentSelection(store: read) }
            return try phase("table") { try selection.counts(of: [], as: .office).csv }
        }
        func best(_ name: String, asOf day: RegisterDay?) throws -> String {
            var fastest = (seconds: Double.infinity, cpuSeconds: 0.0)
            var answer = ""
            for _ in 0..<runs {
                let run = try Measure.times { answer = try table(asOf: day) }
                if run.seconds < fastest.seconds { fastest = run }
            }
            let parts = phases.map { "\($0.0) \(String(format: "%.3f", $0.1))" }.joined(separator: ", ")
            Measure.report(bench: name, seconds: fastest.seconds, cpuSeconds: fastest.cpuSeconds, items: answer.split(separator: "\n").count - 1,
                           answers: "see register-asof-check",
                           extra: ["runs": "\(runs)", "day": day.map { "\($0)" } ?? "today", "last run's phases (s)": parts])
            return answer
        }
        _ = try best("register-asof-table", asOf: day)
        let today = try best("register-today-table", asOf: nil)
        let todayDay = RegisterDay(Date())
        let asOfToday = try table(asOf: todayDay)
        guard asOfToday == today else {
            throw BenchError("the table as of today (\(todayDay)) differs from today's table: the history and the register disagree")
        }
        Measure.report(bench: "register-asof-check", seconds: 0, items: today.split(separator: "\n").count - 1,
                       answers: "the table as of \(todayDay) equals today's, byte for byte")
    }
}
