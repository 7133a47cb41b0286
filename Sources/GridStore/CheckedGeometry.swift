import GEOS
import GeoJSON

/// An input geometry converted to GEOS, checked valid, and encoded as the store keeps it.
struct CheckedGeometry {
    var geos: GEOS.Geometry
    var stored: StoredGeometry

    /// Why a geometry cannot be stored, as the import's problem list says it.
    struct Problem: Error {
        var message: String
    }

    /// The checked geometry, or the problem. `polygonal` requires a non-empty Polygon or
    /// MultiPolygon, as for town, grid and micro-grid areas. The GEOS objects live in `context`.
    static func check(_ geometry: GeoJSON.Geometry, polygonal: Bool,
                      in context: GEOSContext) -> Result<CheckedGeometry, Problem> {
        if polygonal {
            switch geometry {
            case .polygon, .multiPolygon: break
            default: return .failure(Problem(message: "geometry must be a Polygon or MultiPolygon, not a \(geometry.typeName)"))
            }
        }
        do {
            let geos = try geometry.geosGeometry(in: context)
            if polygonal, try geos.isEmpty { return .failure(Problem(message: "geometry is empty")) }
            if let problem = try geos.validity() {
                let place = problem.location.map { " at (\($0.x), \($0.y))" } ?? ""
                return .failure(Problem(message: "invalid \(geometry.typeName): \(problem.reason)\(place)"))
            }
            return .success(CheckedGeometry(geos: geos, stored: try StoredGeometry(geos, typeName: geometry.typeName)))
        } catch {
            return .failure(Problem(message: "bad \(geometry.typeName): \(error)"))
        }
    }
}
