import Foundation

/// Wall-clock timing and peak memory, reported the same way by every benchmark.
enum Measure {
    /// Seconds taken by `body`, on the monotonic clock.
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Wall-clock seconds and this process's CPU seconds (user and system, every thread) taken
    /// by `body`: on a loaded machine the CPU time is the steadier figure, and CPU above wall
    /// time shows work spread over cores.
    static func times(_ body: () throws -> Void) rethrows -> (seconds: Double, cpuSeconds: Double) {
        let cpuStart = cpuSeconds()
        let seconds = try seconds(body)
        return (seconds, cpuSeconds() - cpuStart)
    }

    /// CPU seconds this process has used so far, every thread's (CLOCK_PROCESS_CPUTIME_ID).
    static func cpuSeconds() -> Double {
        var time = timespec()
        guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time) == 0 else { return .nan }
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The fastest of `runs` runs of `body`: the least disturbed by other work on the machine.
    static func bestSeconds(of runs: Int, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<runs { best = min(best, try seconds(body)) }
        return best
    }

    /// Peak resident set size of this process in MiB (VmHWM from /proc/self/status).
    static func peakRSSMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kib = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kib / 1024
        }
        return 0
    }

    /// GridMap's answers on a line the peers' lines are checked against (tools/bench/report.py).
    static let reference = "reference"

    /// Prints one result line as JSON for tools/bench/run. `answers` says how the line's answers
    /// were checked: ``reference`` when the peers compare theirs with them, or what they were
    /// compared with in this run.
    static func report(bench: String, seconds: Double, cpuSeconds: Double? = nil, items: Int, answers: String,
                       extra: [String: String] = [:]) {
        var fields = [
            "\"bench\": \"\(bench)\"",
            "\"seconds\": \(seconds)",
        ]
        if let cpuSeconds { fields.append("\"cpu_seconds\": \(String(format: "%.3f", cpuSeconds))") }
        fields += [
            "\"items\": \(items)",
            "\"peak_rss_mb\": \(String(format: "%.1f", peakRSSMiB()))",
            "\"answers\": \"\(answers)\"",
        ]
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { fields.append("\"\(key)\": \"\(value)\"") }
        print("{" + fields.joined(separator: ", ") + "}")
    }
}
