import Testing
@testable import PROJ

@Suite("Transformer, batches")
struct TransformerBatchTests {
    @Test("a batch gives exactly the single-point results", arguments: [TransformDirection.forward, .inverse])
    func batchEqualsSinglePoints(direction: TransformDirection) throws {
        let transformer = try Transformer(from: "EPSG:4326", to: "EPSG:4549")
        var (x, y) = pointsAroundDacun(count: 500, seed: 11)
        if direction == .inverse {
            _ = transformer.transform(x: &x, y: &y)  // start from projected coordinates
        }
        let inputX = x, inputY = y
        let failed = transformer.transform(x: &x, y: &y, direction: direction)
        #expect(failed.isEmpty)
        for index in x.indices {
            let single = direction == .forward
                ? try transformer.forward(x: inputX[index], y: inputY[index])
                : try transformer.inverse(x: inputX[index], y: inputY[index])
            #expect(single.x == x[index] && single.y == y[index], "point \(index)")
        }
    }

    @Test("a batch matches the cs2cs known answers")
    func batchKnownAnswers() throws {
        let transformer = try Transformer(from: "EPSG:4326", to: "EPSG:32650")
        var x = ReferenceAnswers.toUTM50N.map(\.lon), y = ReferenceAnswers.toUTM50N.map(\.lat)
        #expect(transformer.transform(x: &x, y: &y).isEmpty)
        for (index, answer) in ReferenceAnswers.toUTM50N.enumerated() {
            #expect(abs(x[index] - answer.easting) < 0.001 && abs(y[index] - answer.northing) < 0.001)
        }
    }

    @Test("forward then inverse batch returns the originals within 1e-9 degrees")
    func batchRoundTrip() throws {
        let transformer = try Transformer(from: "EPSG:4326", to: "EPSG:4549")
        let (lon, lat) = pointsAroundDacun(count: 1000, seed: 5)
        var x = lon, y = lat
        transformer.transform(x: &x, y: &y)
        transformer.transform(x: &x, y: &y, direction: .inverse)
        for index in x.indices {
            #expect(abs(x[index] - lon[index]) < 1e-9 && abs(y[index] - lat[index]) < 1e-9)
        }
    }

    @Test("the interleaved batch equals the separate-array batch")
    func interleavedEqualsSeparate() throws {
        let transformer = try Transformer(from: "EPSG:4326", to: "EPSG:4549")
        var (x, y) = pointsAroundDacun(count: 300, seed: 3)
        var interleaved = zip(x, y).flatMap { [$0, $1] }
        interleaved[2 * 17 + 1] = 95  // latitude 95: point 17 cannot be transformed
        y[17] = 95
        let failedSeparate = transformer.transform(x: &x, y: &y)
        let failedInterleaved = transformer.transform(interleaved: &interleaved)
        #expect(failedSeparate == [17] && failedInterleaved == [17])
        for index in x.indices where index != 17 {
            #expect(interleaved[2 * index] == x[index] && interleaved[2 * index + 1] == y[index])
        }
        #expect(interleaved[34].isNaN && interleaved[35].isNaN)
    }

    @Test("points PROJ cannot transform are reported by index and set to NaN, the others go on")
    func failuresArePerPoint() throws {
        let transformer = try Transformer(from: "EPSG:4326", to: "EPSG:4549")
        var x = [119.8, 119.8, 119.6, .nan, 119.95]
        var y = [35.9, 95.0, 35.75, 35.9, 36.1]
        let failed = transformer.transform(x: &x, y: &y)
        #expect(failed == [1, 3])
        #expect(x[1].isNaN && y[1].isNaN && x[3].isNaN && y[3].isNaN)
        #expect(abs(x[0] - 481944.5123) < 0.001 && abs(y[0] - 3974465.3411) < 0.001)
        #expect(abs(x[2] - 463820.9448) < 0.001 && abs(y[4] - 3996639.8206) < 0.001)
    }

    @Test("an empty batch does nothing")
    func emptyBatch() throws {
        let transformer = try Transformer(from: "EPSG:4326", to: "EPSG:4549")
        var x: [Double] = [], y: [Double] = [], xy: [Double] = []
        #expect(transformer.transform(x: &x, y: &y).isEmpty)
        #expect(transformer.transform(interleaved: &xy).isEmpty)
    }
}
