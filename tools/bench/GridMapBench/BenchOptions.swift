import Foundation

/// The `--name value` options of the benchmarks.
enum BenchOptions {
    /// The value after `name`, or nil when the option is absent.
    static func string(_ name: String, in arguments: [String]) throws -> String? {
        guard let index = arguments.firstIndex(of: name) else { return nil }
        guard index + 1 < arguments.count else { throw BenchError("\(name) needs a value") }
        return arguments[index + 1]
    }

    /// An integer option of at least `least`, `default` when absent.
    static func count(_ name: String, in arguments: [String], default value: Int, least: Int) throws -> Int {
        guard let text = try string(name, in: arguments) else { return value }
        guard let count = Int(text), count >= least else { throw BenchError("\(name) needs an integer of at least \(least)") }
        return count
    }

    /// A positive number of seconds, `default` when absent.
    static func seconds(_ name: String, in arguments: [String], default value: Double) throws -> Double {
        guard let text = try string(name, in: arguments) else { return value }
        guard let seconds = Double(text), seconds > 0 else { throw BenchError("\(name) needs a positive number of seconds") }
        return seconds
    }

    /// `--dir DIR`, required: the existing folder where a bench writes its inputs for the peers
    /// and its answers for them to check (tools/bench/run makes a fresh one per run, so no two
    /// runs share a file).
    static func directory(in arguments: [String]) throws -> BenchFolder {
        guard let path = try string("--dir", in: arguments) else {
            throw BenchError("--dir DIR is needed: the folder for the files shared with the peers")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BenchError("--dir \(path) is not an existing folder")
        }
        return BenchFolder(url: URL(fileURLWithPath: path, isDirectory: true))
    }
}

/// The folder of one run's shared files: inputs for the peers, and GridMap's answers, which the
/// peers compare with their own (tools/bench/peers/bench_common.py reads the same formats).
struct BenchFolder {
    let url: URL

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Text lines, each ended by LF, after an optional header line.
    func write(_ lines: [String], header: String?, to name: String) throws {
        let text = ((header.map { [$0] } ?? []) + lines).joined(separator: "\n") + "\n"
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
    }

    /// The values' bytes as they are in memory (little-endian on every machine Swift runs the
    /// bench on): numpy reads them back exactly with `fromfile(dtype="<i4" / "<f8")`.
    func writeRaw<Value: BitwiseCopyable>(_ values: [Value], to name: String) throws {
        try values.withUnsafeBytes { try Data($0).write(to: url.appendingPathComponent(name)) }
    }
}
