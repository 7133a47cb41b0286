import Testing
@testable import PROJ

@Suite("Transformer, parallel batches")
struct ParallelTransformTests {
    /// Sequential and parallel results, compared by bit pattern (NaN included).
    private func expectIdentical(_ a: [Double], _ b: [Double]) {
        #expect(a.count == b.count)
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
    }

    @Test("the parallel batch equals the sequential batch bit for bit, failures included",
          arguments: [2, 3, 4, 7])
    func parallelEqualsSequential(threads: Int) throws {
        let transformer = try Transformer(from: "EPSG:4326", to: "EPSG:4549")
        var (x, y) = pointsAroundDacun(count: 10_001, seed: UInt64(threads))
        for bad in [0, 2_500, 5_000, 10_000] { y[bad] = 91 }
        var sequentialX = x, sequentialY = y
        let sequentialFailed = transformer.transform(x: &sequentialX, y: &sequentialY)
        let parallelFailed = try transformer.transformInParallel(
            x: &x, y: &y, threadCount: threads, minimumPointsPerThread: 1)
        #expect(sequentialFailed == [0, 2_500, 5_000, 10_000])
        #expect(parallelFailed == sequentialFailed)
        expectIdentical(x, sequentialX)
        expectIdentical(y, sequentialY)
    }

    @Test("the parallel inverse equals the sequential inverse bit for bit")
    func parallelInverse() throws {
        let transformer = try Transformer(from: "EPSG:4326", to: "EPSG:32650")
        var (x, y) = pointsAroundDacun(count: 4_000, seed: 99)
        transformer.transform(x: &x, y: &y)
        var sequentialX = x, sequentialY = y
        transformer.transform(x: &sequentialX, y: &sequentialY, direction: .inverse)
        try transformer.transformInParallel(x: &x, y: &y, direction: .inverse, threadCount: 3, minimumPointsPerThread: 1)
        expectIdentical(x, sequentialX)
        expectIdentical(y, sequentialY)
    }

    @Test("with default settings a large array is split and still equals the sequential result")
    func defaultSettingsLargeArray() throws {
        let transformer = try Transformer(from: "EPSG:4326", to: "EPSG:4549")
        var (x, y) = pointsAroundDacun(count: 2 * Transformer.defaultMinimumPointsPerThread + 3, seed: 1)
        var sequentialX = x, sequentialY = y
        transformer.transform(x: &sequentialX, y: &sequentialY)
        #expect(try transformer.transformInParallel(x: &x, y: &y, threadCount: 2).isEmpty)
        expectIdentical(x, sequentialX)
        expectIdentical(y, sequentialY)
    }

    @Test("fewer points than chunks, or none, still work")
    func tinyArrays() throws {
        let transformer = try Transformer(from: "EPSG:4326", to: "EPSG:4549")
        var x = [119.8], y = [35.9]
        #expect(try transformer.transformInParallel(x: &x, y: &y, threadCount: 8, minimumPointsPerThread: 1).isEmpty)
        #expect(abs(x[0] - 481944.5123) < 0.001)
        var emptyX: [Double] = [], emptyY: [Double] = []
        #expect(try transformer.transformInParallel(x: &emptyX, y: &emptyY, threadCount: 4, minimumPointsPerThread: 1).isEmpty)
    }

    @Test("a clone in another context transforms exactly like the original")
    func cloneMatchesOriginal() throws {
        let original = try Transformer(from: "EPSG:4326", to: "EPSG:4549")
        let copy = try original.clone(into: PROJContext())
        #expect(copy.definition == original.definition)
        let a = try original.forward(x: 119.77, y: 35.93), b = try copy.forward(x: 119.77, y: 35.93)
        #expect(a.x.bitPattern == b.x.bitPattern && a.y.bitPattern == b.y.bitPattern)
    }
}
