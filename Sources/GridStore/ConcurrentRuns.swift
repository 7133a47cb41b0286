import Dispatch
import Synchronization

/// Runs, one thread each, reading ranges of event numbers; the caller waits until each has begun
/// (taken its snapshot), then for their values.
final class ConcurrentRuns<Value: Sendable>: Sendable {
    private let begun: DispatchSemaphore
    private let done = DispatchGroup()
    private let results: Mutex<[Result<Value, any Error>?]>
    private let count: Int

    /// Starts `read` on each range, with a function it calls once its snapshot is taken.
    init(_ ranges: [Range<Int64>], read: @escaping @Sendable (Range<Int64>, _ begun: () -> Void) throws -> Value) {
        count = ranges.count
        begun = DispatchSemaphore(value: 0)
        results = Mutex(Array(repeating: nil, count: ranges.count))
        for (index, numbers) in ranges.enumerated() {
            DispatchQueue.global().async(group: done) { [self] in
                var signalled = false
                let result = Result { try read(numbers) { if !signalled { signalled = true; begun.signal() } } }
                // A run that failed before its snapshot still lets the caller go on.
                if !signalled { begun.signal() }
                results.withLock { $0[index] = result }
            }
        }
    }

    func waitUntilBegun() {
        for _ in 0..<count { begun.wait() }
    }

    /// The runs' values in order, once all are done; the first failure (in order) is thrown.
    func values() throws -> [Value] {
        done.wait()
        return try results.withLock { $0 }.map { result in
            guard let result else { throw StoreError.corrupt("a run of the events' state did not finish") }
            return try result.get()
        }
    }
}
