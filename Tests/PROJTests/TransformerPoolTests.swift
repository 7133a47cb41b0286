import Foundation
import Synchronization
import Testing
@testable import PROJ

@Suite("TransformerPool: one transformer per borrower, reused")
struct TransformerPoolTests {
    @Test("borrowers on many threads at once each get their own transformer and the sequential answers")
    func concurrentBorrowersAgreeWithOneTransformer() throws {
        let pool = try TransformerPool(TransformDefinition(source: "EPSG:4326", target: "EPSG:4549"))
        let (x, y) = pointsAroundDacun(count: 4_000, seed: 17)
        var expectedX = x, expectedY = y
        try Transformer(from: "EPSG:4326", to: "EPSG:4549").transform(x: &expectedX, y: &expectedY)

        let chunks = 16, size = x.count / chunks
        let results = Mutex<[Int: ([Double], [Double])]>([:])
        let handles = Mutex<Set<ObjectIdentifier>>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = chunk * size..<(chunk + 1) * size
            var cx = Array(x[range]), cy = Array(y[range])
            do {
                try pool.withTransformer { transformer in
                    // While lent, no other borrower holds this transformer.
                    let fresh = handles.withLock { $0.insert(ObjectIdentifier(transformer)).inserted }
                    if !fresh { failures.withLock { $0.append("transformer lent twice at once") } }
                    transformer.transform(x: &cx, y: &cy)
                    handles.withLock { _ = $0.remove(ObjectIdentifier(transformer)) }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
            results.withLock { $0[chunk] = (cx, cy) }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let merged = results.withLock { all in (0..<chunks).map { all[$0]! } }
        #expect(merged.flatMap(\.0).map(\.bitPattern) == expectedX.map(\.bitPattern))
        #expect(merged.flatMap(\.1).map(\.bitPattern) == expectedY.map(\.bitPattern))
    }

    @Test("one borrower after another reuses the same transformer")
    func sequentialBorrowersReuse() throws {
        let pool = try TransformerPool(TransformDefinition(source: "EPSG:4326", target: "EPSG:4549"))
        let first = try pool.withTransformer { ObjectIdentifier($0) }
        let second = try pool.withTransformer { ObjectIdentifier($0) }
        #expect(first == second)
    }

    @Test("an unknown CRS fails when the pool is made")
    func unknownCRSFailsEarly() {
        #expect(throws: PROJError.self) { try TransformerPool(TransformDefinition(source: "EPSG:4326", target: "EPSG:999999")) }
    }
}
