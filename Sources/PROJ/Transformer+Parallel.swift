import Foundation

/// The parallel batch path: one chunk per core, each with its own context and its own
/// `proj_clone` of the transformation (PROJ objects are single-threaded; see PROJContext.swift).
extension Transformer {
    /// Below this many points per thread, the thread setup (a context and a `proj_clone` each)
    /// costs more than it saves.
    public static let defaultMinimumPointsPerThread = 50_000

    /// Transforms the points (x[i], y[i]) in place like `transform(x:y:direction:)`, split into
    /// contiguous chunks run on separate threads. Results are identical, bit for bit, to the
    /// sequential call: each point goes through the same operation on the same code path.
    ///
    /// The chunk count is `threadCount`, reduced so that each chunk has at least
    /// `minimumPointsPerThread` points; with one chunk this is the sequential call. The clones
    /// are made here, on the thread that owns `self`, then each moves with its context to one
    /// worker thread and is used by it alone.
    ///
    /// - Returns: the indices, ascending, of the points that could not be transformed (now NaN).
    /// - Throws: `PROJError.cloneFailed` if PROJ cannot copy the transformation.
    @discardableResult
    public func transformInParallel(
        x: inout [Double], y: inout [Double], direction: TransformDirection = .forward,
        threadCount: Int = ProcessInfo.processInfo.activeProcessorCount,
        minimumPointsPerThread: Int = Transformer.defaultMinimumPointsPerThread
    ) throws(PROJError) -> [Int] {
        precondition(x.count == y.count, "x has \(x.count) values but y has \(y.count)")
        let count = x.count
        let chunkCount = max(1, min(threadCount, count / max(1, minimumPointsPerThread)))
        if chunkCount == 1 { return transform(x: &x, y: &y, direction: direction) }

        let workers = WorkerTransformers(try (0..<chunkCount).map { _ throws(PROJError) in try clone(into: PROJContext()) })
        let chunkSize = (count + chunkCount - 1) / chunkCount
        let failuresPerChunk = UnsafeMutableBufferPointer<[Int]>.allocate(capacity: chunkCount)
        failuresPerChunk.initialize(repeating: [])
        defer {
            failuresPerChunk.deinitialize()
            failuresPerChunk.deallocate()
        }
        x.withUnsafeMutableBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                // Each iteration touches only its own slice of xs/ys, its own failuresPerChunk
                // slot and its own worker: no two threads share memory or a PROJ context.
                nonisolated(unsafe) let xs = xs, ys = ys, failures = failuresPerChunk
                DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                    let start = chunk * chunkSize
                    let end = min(start + chunkSize, count)
                    guard start < end else { return }
                    let slice = start..<end
                    let local = workers.transformer(chunk).transform(
                        x: UnsafeMutableBufferPointer(rebasing: xs[slice]),
                        y: UnsafeMutableBufferPointer(rebasing: ys[slice]),
                        direction: direction)
                    failures[chunk] = local.map { $0 + start }
                }
            }
        }
        return failuresPerChunk.flatMap { $0 }
    }
}

/// Hands one private `Transformer` (with its own context) to each worker iteration.
///
/// `@unchecked Sendable` is sound because `transformer(i)` is called by iteration `i` only, so
/// each transformer and its context are used by exactly one thread, after the creating thread
/// has finished with them.
private struct WorkerTransformers: @unchecked Sendable {
    private let transformers: [Transformer]

    init(_ transformers: [Transformer]) {
        self.transformers = transformers
    }

    func transformer(_ index: Int) -> Transformer {
        transformers[index]
    }
}
