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
}
