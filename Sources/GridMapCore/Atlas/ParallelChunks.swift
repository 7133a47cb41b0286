import Foundation

/// Splits `0..<count` into contiguous chunks and runs them on all cores with
/// `DispatchQueue.concurrentPerform`, for the atlas's batch queries.
enum ParallelChunks {
    /// Below this many items per chunk, splitting costs more than it saves.
    static let minimumChunk = 16_384

    static func run(count: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let cores = ProcessInfo.processInfo.activeProcessorCount
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
}
