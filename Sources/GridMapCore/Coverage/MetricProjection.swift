import GEOS
import GeoJSON

/// Moves geometry from WGS84 longitude/latitude (how the town is stored) to the town's metric
/// working CRS, where areas and distances mean m² and metres.
///
/// Only the faults found are measured here (the checks themselves run on the stored WGS84
/// coordinates, where shared edges are exact); each goes through ``GeometryTransformer``, one
/// batched PROJ call per geometry. Owns a PROJ transformer, so it stays on the thread that made it.
final class MetricProjection {
    let crs: String
    private let transformer: GeometryTransformer

    /// Builds the WGS84 → `crs` transformation; the target must be projected (metric).
    init(workingCRS crs: String) throws(CoverageError) {
        do {
            transformer = try GeometryTransformer(from: "EPSG:4326", to: crs)
        } catch {
            throw .workingCRS(crs: crs, reason: "\(error)")
        }
        guard !transformer.targetIsGeographic else {
            throw .workingCRS(crs: crs, reason: "it is geographic (degrees); areas need a projected, metric CRS")
        }
        self.crs = crs
    }

    /// A WGS84 GEOS geometry (a fault found in stored coordinates) in metres, for measuring.
    func metric(_ geometry: GEOS.Geometry) throws(CoverageError) -> GEOS.Geometry {
        let wgs84: GeoJSON.Geometry
        do { wgs84 = try GeoJSON.Geometry(geometry) } catch { throw .geometry("reading a result: \(error)") }
        let metric: GeoJSON.Geometry
        do { metric = try transformer.transform(wgs84) } catch { throw .projection("\(error) (to \(crs))") }
        do { return try metric.geosGeometry(in: geometry.context) } catch { throw .geometry("\(error)") }
    }
}
