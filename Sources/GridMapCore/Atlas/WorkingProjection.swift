import Foundation
import PROJ

/// WGS84 longitude/latitude → the town's metric working CRS, as a `Sendable` value.
///
/// PROJ objects are confined to one thread at a time, so the transformers live in a
/// ``TransformerPool``: the first is made once (at build time, `proj_create_crs_to_crs`, tens of
/// milliseconds) and every call borrows one for its own thread, so a single-point query costs
/// one `proj_trans_generic`, not a new transformer. Copies of this value share the pool.
struct WorkingProjection: Sendable {
    private let pool: TransformerPool

    var definition: TransformDefinition { pool.definition }

    /// Checks at build time that the CRS exists and is projected (metric).
    init(workingCRS: String) throws(AtlasError) {
        let definition = TransformDefinition(source: "EPSG:4326", target: workingCRS)
        do { pool = try TransformerPool(definition) } catch { throw .projection("\(workingCRS): \(error)") }
        guard !pool.targetIsGeographic else {
            throw .projection("\(workingCRS) is geographic (degrees); distances need a projected, metric CRS")
        }
    }

    /// The points (x[i], y[i]), longitude and latitude going in, in metres coming out, in place;
    /// a point PROJ cannot transform becomes NaN. Safe to call from many threads at once.
    func project(x: UnsafeMutableBufferPointer<Double>, y: UnsafeMutableBufferPointer<Double>) throws(AtlasError) {
        do {
            _ = try pool.withTransformer { $0.transform(x: x, y: y) }
        } catch {
            throw .projection("\(definition): \(error)")
        }
    }

    /// The points in metres, in parallel chunks; a point PROJ cannot transform becomes NaN.
    func project(longitudes: [Double], latitudes: [Double]) throws(AtlasError) -> (x: [Double], y: [Double]) {
        var x = longitudes, y = latitudes
        let count = x.count
        try x.withUnsafeMutableBufferPointer { (xs) throws(AtlasError) in
            try y.withUnsafeMutableBufferPointer { (ys) throws(AtlasError) in
                // Each chunk transforms only its own slice.
                nonisolated(unsafe) let xs = xs, ys = ys
                try ParallelChunks.runThrowing(count: count) { (range) throws(AtlasError) in
                    try project(x: UnsafeMutableBufferPointer(rebasing: xs[range]),
                                y: UnsafeMutableBufferPointer(rebasing: ys[range]))
                }
            }
        }
        return (x, y)
    }

    /// Each segment's ends in metres (a failed end becomes NaN), all in one batch.
    func project(_ groups: [[PlanarSegment]]) throws(AtlasError) -> [[PlanarSegment]] {
        var longitudes: [Double] = [], latitudes: [Double] = []
        for segment in groups.joined() {
            longitudes += [segment.ax, segment.bx]
            latitudes += [segment.ay, segment.by]
        }
        let (x, y) = try project(longitudes: longitudes, latitudes: latitudes)
        var next = 0
        return groups.map { segments in
            segments.map { _ in
                defer { next += 2 }
                return PlanarSegment(ax: x[next], ay: y[next], bx: x[next + 1], by: y[next + 1])
            }
        }
    }
}
