import GEOS
import GeoJSON

/// A grid, micro-grid or town boundary ready for overlay: its code and a valid GEOS polygon in
/// the stored WGS84 coordinates.
struct PreparedPolygon {
    /// The grid or micro-grid code; nil for the town boundary.
    let code: GridCode?
    /// Valid (made valid when the input was not) and polygonal.
    let geometry: GEOSGeometry
}

/// Step 1 of coverage validation: each polygon's validity.
///
/// Converts a WGS84 polygon into GEOS and asks GEOS whether it is valid (`GEOSisValidDetail_r`). An invalid polygon is reported with GEOS's reason and location
/// and then repaired with `GEOSMakeValid_r` (keeping only its polygonal parts), so that the later
/// overlay steps still see the land it was meant to cover and report only the consequences of
/// the fault (e.g. the two triangles a bow-tie leaves uncovered) instead of failing or treating
/// the whole polygon as missing. Input that cannot even be built (an open ring, too few points,
/// a non-polygonal type) is reported and left out.
struct PolygonPreparation {
    let context: GEOSContext
    let recorder: FaultRecorder

    /// The valid polygon, or nil when the input is unusable; problems go to the recorder.
    func prepare(code: GridCode?, what: String, level: CoverageProblem.Level,
                 original: Geometry) throws(CoverageError) -> PreparedPolygon? {
        let location = Self.firstPosition(of: original) ?? Position(x: 0, y: 0)
        func reportUnusable(_ reason: String) {
            recorder.record(CoverageProblem(
                kind: .invalidPolygon, level: level, severity: .error, geometry: original, areaSquareMetres: 0,
                location: location, codes: code.map { [$0] } ?? [], message: "\(what) is unusable: \(reason)"))
        }
        switch original {
        case .polygon, .multiPolygon: break
        default:
            reportUnusable("a \(original.typeName) is not a Polygon or MultiPolygon")
            return nil
        }
        let geometry: GEOSGeometry
        do {
            geometry = try original.geosGeometry(in: context)
        } catch {
            reportUnusable("\(error)")
            return nil
        }
        guard let problem = try recorder.measure({ () throws(GEOSError) in try geometry.validity() }) else {
            return PreparedPolygon(code: code, geometry: geometry)
        }
        let repaired = try recorder.measure { () throws(GEOSError) -> GEOSGeometry in
            let parts = try polygonalParts(of: try geometry.makeValid())
            return parts.count == 1 ? parts[0] : try .multiPolygon(parts, context: context)
        }
        let isEmpty = try recorder.measure { () throws(GEOSError) in try repaired.isEmpty }
        let repairedArea = isEmpty ? 0 : try recorder.areaAndPerimeter(of: repaired).0
        recorder.record(CoverageProblem(
            kind: .invalidPolygon, level: level, severity: .error, geometry: original,
            areaSquareMetres: repairedArea, location: problem.location.map(Position.init) ?? location, codes: code.map { [$0] } ?? [],
            message: "\(what) is invalid: \(problem.reason)"))
        if isEmpty { return nil }
        return PreparedPolygon(code: code, geometry: repaired)
    }

    static func firstPosition(of geometry: Geometry) -> Position? {
        switch geometry {
        case .point(let p): p
        case .multiPoint(let ps), .lineString(let ps): ps.first
        case .multiLineString(let ls), .polygon(let ls): ls.first?.first
        case .multiPolygon(let polygons): polygons.first?.first?.first
        case .geometryCollection(let members): members.lazy.compactMap(firstPosition).first
        }
    }
}
