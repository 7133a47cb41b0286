import GEOS
import GeoJSON
import PROJ

/// Why a ``Projection`` could not be built or could not move a position. Each case names the CRS
/// or the position at fault.
public enum ProjectionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// PROJ could not build the transformation (an unknown CRS, no operation between the two) or
    /// copy it for another thread; PROJ's own words.
    case proj(PROJError)
    /// A town's working CRS is not projected (geographic, in degrees, or geocentric, …), and
    /// distances and areas need a projected CRS in metres. `name` is PROJ's name for it.
    case notProjected(crs: CRSDefinition, name: String)
    /// A town's working CRS is projected in another unit than the metre (e.g. US survey feet).
    case notInMetres(crs: CRSDefinition, name: String, metresPerUnit: Double)
    /// PROJ could not move a position from `from` to `to` (outside the operation's area of use, not
    /// a finite number, …). `index` counts positions in document order within the geometry (or the
    /// list), `geometry` is the geometry's index in a batch of several.
    case untransformable(position: Position, index: Int, geometry: Int?, from: CRSDefinition, to: CRSDefinition)
    /// GEOS failed to measure a projected geometry.
    case geometry(GEOSError)

    public var description: String {
        switch self {
        case .proj(let error):
            "\(error)"
        case let .notProjected(crs, name):
            "\(crs) (\(name)) is not projected (e.g. geographic, in degrees); distances and areas need a projected CRS in metres"
        case let .notInMetres(crs, name, metresPerUnit):
            "\(crs) (\(name)) is projected in units of \(metresPerUnit) m; distances and areas need a projected CRS in metres"
        case let .untransformable(position, index, geometry, from, to):
            (geometry.map { "geometry \($0), " } ?? "")
                + "position \(index) (\(position.x), \(position.y)) cannot be transformed from \(from) to \(to)"
        case .geometry(let error):
            "\(error)"
        }
    }
}
