import GEOS
import GeoJSON

/// The geometry rule of town data: a geometry converts to GEOS and GEOS finds it valid
/// (`GEOSisValidDetail_r`, whose reason and place the message quotes); the town boundary, grids
/// and micro-grids must moreover be a non-empty Polygon or MultiPolygon.
enum GeometryCheck {
    /// The geometry in GEOS (living in `context`), or the message saying why it is refused, e.g.
    /// `invalid Polygon: Self-intersection at (119.81, 35.905)`. Without `checksValidity` (for a
    /// geometry already found valid) it is only converted.
    static func geos(_ geometry: Geometry, polygonal: Bool, checksValidity: Bool = true,
                     in context: GEOSContext) -> Result<GEOSGeometry, Refusal> {
        if polygonal {
            switch geometry {
            case .polygon, .multiPolygon: break
            default: return .failure(Refusal(message: "geometry is a \(geometry.typeName); a Polygon or MultiPolygon is required"))
            }
        }
        do {
            let geos = try geometry.geosGeometry(in: context)
            if polygonal, try geos.isEmpty { return .failure(Refusal(message: "geometry is empty; a Polygon or MultiPolygon is required")) }
            if checksValidity, let problem = try geos.validity() {
                let place = problem.location.map { " at (\($0.x), \($0.y))" } ?? ""
                return .failure(Refusal(message: "invalid \(geometry.typeName): \(problem.reason)\(place)"))
            }
            return .success(geos)
        } catch {
            return .failure(Refusal(message: "bad \(geometry.typeName): \(error)"))
        }
    }

    struct Refusal: Error {
        var message: String
    }
}
