import GEOS
import GeoJSON

/// Turns GEOS fault geometries, found in stored WGS84 coordinates, into reported
/// ``CoverageProblem``s: measures area and perimeter in the working CRS, drops floating-point
/// residue, tells slivers from real faults and finds a representative point
/// (`GEOSPointOnSurface_r`). The checks run on the stored WGS84 coordinates, where shared edges
/// are exact; only the faults found are projected, one batch per fault.
final class FaultRecorder {
    private let projection: Projection
    let options: CoverageOptions
    private(set) var problems: [CoverageProblem] = []

    init(projection: Projection, options: CoverageOptions) {
        self.projection = projection
        self.options = options
    }

    /// Records one polygonal fault (a gap, overlap or outside part, WGS84) unless it is residue.
    /// `kind` is the real-fault kind; it becomes its sliver form when the polygon is below the
    /// sliver area or the sliver mean width (2A/P, the width of a long strip with that area and
    /// perimeter).
    func recordArea(_ kind: CoverageProblem.Kind, level: CoverageProblem.Level, polygon: GEOSGeometry,
                    codes: [GridCode], message: String) throws(CoverageError) {
        let (area, perimeter) = try areaAndPerimeter(of: polygon)
        guard area > options.residueArea else { return }
        let meanWidth = perimeter > 0 ? 2 * area / perimeter : 0
        let isSliver = area < options.sliverArea || meanWidth < options.sliverWidth
        let location = try measure { () throws(GEOSError) in try polygon.pointOnSurface().pointCoordinate() }
        let geometry = try measure { () throws(GEOSError) in try Geometry(polygon) }
        problems.append(CoverageProblem(
            kind: isSliver ? kind.sliver : kind, level: level, severity: isSliver ? .warning : .error,
            geometry: geometry, areaSquareMetres: area, location: Position(location), codes: codes,
            message: isSliver ? "sliver: " + message : message))
    }

    /// Area (m²) and perimeter (m) of a WGS84 polygon, measured in the working CRS.
    func areaAndPerimeter(of polygon: GEOSGeometry) throws(CoverageError) -> (Double, Double) {
        let metric = try metric(polygon)
        return try measure { () throws(GEOSError) in (try metric.area(), try metric.length()) }
    }

    /// A WGS84 GEOS geometry (a fault found in stored coordinates) in metres, for measuring.
    func metric(_ geometry: GEOSGeometry) throws(CoverageError) -> GEOSGeometry {
        let wgs84: Geometry
        do { wgs84 = try Geometry(geometry) } catch { throw .geometry("reading a result: \(error)") }
        let metric: Geometry
        do { metric = try projection.transform(wgs84) } catch { throw .projection("\(error)") }
        do { return try metric.geosGeometry(in: geometry.context) } catch { throw .geometry("\(error)") }
    }

    /// Records a problem already measured by the caller.
    func record(_ problem: CoverageProblem) {
        problems.append(problem)
    }

    /// Runs a GEOS step, turning its failure into a coverage error.
    func measure<T>(_ step: () throws(GEOSError) -> T) throws(CoverageError) -> T {
        do { return try step() } catch { throw .geometry("\(error)") }
    }
}

/// The polygons inside an overlay result (`Polygon`, `MultiPolygon`, or a collection mixing
/// polygons with the lines and points overlays leave along shared edges), each non-empty.
func polygonalParts(of geometry: GEOSGeometry) throws(GEOSError) -> [GEOSGeometry] {
    if try geometry.isEmpty { return [] }
    switch geometry.type {
    case .polygon:
        return [geometry]
    case .multiPolygon, .geometryCollection:
        var parts: [GEOSGeometry] = []
        for member in try geometry.geometries() { parts += try polygonalParts(of: member) }
        return parts
    default:
        return []
    }
}

/// Formats an area for people: "152.3 m²", or "0.0042 m²" for residue-sized slivers.
func formatArea(_ squareMetres: Double) -> String {
    squareMetres >= 10 ? "\(rounded(squareMetres, 1)) m²" : "\(rounded(squareMetres, 4)) m²"
}

/// `value` rounded to `digits` decimals, printed without trailing noise.
func rounded(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let result = (value * scale).rounded() / scale
    return "\(result)"
}
