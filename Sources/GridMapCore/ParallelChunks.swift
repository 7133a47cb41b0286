import Foundation
import Synchronization

/// Splits `0..<count` into contiguous chunks and runs them on all cores with
/// `DispatchQueue.concurrentPerform`: the atlas's batch queries, the store's feature checks.
public enum ParallelChunks {
    /// Below this many items per chunk (by default), splitting costs more than it saves.
    public static let minimumChunk = 16_384
    /// Read once: on Linux `activeProcessorCount` reads cgroup files on every call, which costs
    /// more than a whole single-point query.
    public static let cores = ProcessInfo.processInfo.activeProcessorCount

    public static func run(count: Int, minimumChunk: Int = minimumChunk, _ body: @Sendable (Range<Int>) -> Void) {
        // A few chunks per core so that a core slowed by other work does not hold up the rest.
        let chunks = max(1, min(cores * 4, count / max(minimumChunk, 1)))
        if chunks == 1 { body(0..<count); return }
        let size = (count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = chunk * size
            let end = min(start + size, count)
            if start < end { body(start..<end) }
        }
    }

    /// The results of `transform` over every chunk, joined in the order of the chunks. When
    /// `transform` can fail, every chunk still runs, then the first error (in time) is thrown.
    public static func map<Element: Sendable, Failure: Error>(
        count: Int, minimumChunk: Int = minimumChunk, _ transform: @Sendable (Range<Int>) throws(Failure) -> [Element]
    ) throws(Failure) -> [Element] {
        let parts = Mutex<[(start: Int, elements: [Element])]>([])
        try runThrowing(count: count, minimumChunk: minimumChunk) { (range) throws(Failure) in
            let elements = try transform(range)
            parts.withLock { $0.append((range.lowerBound, elements)) }
        }
        return parts.withLock { $0.sorted { $0.start < $1.start }.flatMap(\.elements) }
    }

    /// ``run(count:minimumChunk:_:)`` for a body that can fail: every chunk still runs, then the
    /// first error (in time) is thrown.
    static func runThrowing<Failure: Error>(
        count: Int, minimumChunk: Int = minimumChunk, _ body: @Sendable (Range<Int>) throws(Failure) -> Void
    ) throws(Failure) {
        let failure = Mutex<Failure?>(nil)
        run(count: count, minimumChunk: minimumChunk) { range in
            do throws(Failure) { try body(range) } catch { failure.withLock { $0 = $0 ?? error } }
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
