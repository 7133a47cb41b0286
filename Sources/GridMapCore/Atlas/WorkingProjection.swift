import Foundation
import PROJ

/// WGS84 longitude/latitude → the town's metric working CRS, as a `Sendable` value.
///
/// PROJ objects are confined to one thread, so the ``Atlas`` keeps only the definition and each
/// call makes its own transformer: one `proj_create_crs_to_crs` per call, then whole arrays in
/// one `proj_trans_generic` (in parallel chunks for large batches). Project in batches: a call
/// per point would spend its time creating transformers.
struct WorkingProjection: Sendable {
    let definition: TransformDefinition

    /// Checks at build time that the CRS exists and is projected (metric).
    init(workingCRS: String) throws(AtlasError) {
        definition = TransformDefinition(source: "EPSG:4326", target: workingCRS)
        let transformer: Transformer
        do { transformer = try definition.makeTransformer() } catch { throw .projection("\(workingCRS): \(error)") }
        guard !transformer.targetIsGeographic else {
            throw .projection("\(workingCRS) is geographic (degrees); distances need a projected, metric CRS")
        }
    }

    /// The points in metres; a point PROJ cannot transform becomes NaN.
    func project(longitudes: [Double], latitudes: [Double]) throws(AtlasError) -> (x: [Double], y: [Double]) {
        var x = longitudes, y = latitudes
        do {
            let transformer = try definition.makeTransformer()
            try transformer.transformInParallel(x: &x, y: &y)
        } catch {
            throw .projection("\(definition): \(error)")
        }
        return (x, y)
    }
}
