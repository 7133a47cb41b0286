import Foundation
import Synchronization

/// Splits `0..<count` into contiguous chunks and runs them on all cores with
/// `DispatchQueue.concurrentPerform`, for the atlas's batch queries.
enum ParallelChunks {
    /// Below this many items per chunk, splitting costs more than it saves.
    static let minimumChunk = 16_384
    /// Read once: on Linux `activeProcessorCount` reads cgroup files on every call, which costs
    /// more than a whole single-point query.
    static let cores = ProcessInfo.processInfo.activeProcessorCount

    static func run(count: Int, _ body: @Sendable (Range<Int>) -> Void) {
        // A few chunks per core so that a core slowed by other work does not hold up the rest.
        let chunks = max(1, min(cores * 4, count / minimumChunk))
        if chunks == 1 { body(0..<count); return }
        let size = (count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = chunk * size
            let end = min(start + size, count)
            if start < end { body(start..<end) }
        }
    }

    /// ``run(count:_:)`` for a body that can fail: every chunk still runs, then the first error
    /// (in time) is thrown.
    static func runThrowing(count: Int, _ body: @Sendable (Range<Int>) throws(AtlasError) -> Void) throws(AtlasError) {
        let failure = Mutex<AtlasError?>(nil)
        run(count: count) { range in
            do throws(AtlasError) { try body(range) } catch { failure.withLock { $0 = $0 ?? error } }
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
