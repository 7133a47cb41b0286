import GeoJSON
import PROJ

/// A town: the top of the grid hierarchy (town ⊃ grid ⊃ micro-grid).
public struct Town: Hashable, Sendable {
    /// Short upper-case code that prefixes every grid code, e.g. "DC".
    public var code: String
    /// The town's name, e.g. "大村镇".
    public var name: String
    /// A Latin-script name for file names and foreign readers, e.g. "Dacun".
    public var latinName: String
    /// The metric CRS in which distances, areas and nearest queries are computed, e.g. "EPSG:4549".
    public var workingCRS: CRSDefinition
    /// The town's boundary in WGS84 longitude/latitude (Polygon or MultiPolygon).
    public var boundary: Geometry
    /// The members of the town folder's manifest that GridMap does not read itself (who made the
    /// data, `attribution`, `licence`, `generator`, …), as they came, so that an export writes
    /// them back (docs/TOWN-FORMAT.md).
    public var manifestMembers: JSONObject

    public init(code: String, name: String, latinName: String, workingCRS: CRSDefinition, boundary: Geometry,
                manifestMembers: JSONObject = [:]) {
        self.code = code
        self.name = name
        self.latinName = latinName
        self.workingCRS = workingCRS
        self.boundary = boundary
        self.manifestMembers = manifestMembers
    }
}

/// An administrative village (行政村): it holds one or more grids (one per natural village).
public struct Village: Hashable, Sendable {
    /// Stable code within the town, e.g. "DC-V07".
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// A grid (网格): in Dacun, one natural village. Its micro-grids tile it.
public struct Grid: Hashable, Sendable {
    public var code: GridCode
    public var name: String
    /// The administrative village the grid belongs to.
    public var villageCode: String
    /// Polygon or MultiPolygon in WGS84 longitude/latitude.
    public var geometry: Geometry

    public init(code: GridCode, name: String, villageCode: String, geometry: Geometry) {
        self.code = code
        self.name = name
        self.villageCode = villageCode
        self.geometry = geometry
    }
}

/// A micro-grid (微网格): the smallest unit; every point of the town lies in exactly one.
public struct MicroGrid: Hashable, Sendable {
    public var code: GridCode
    public var name: String
    /// Polygon or MultiPolygon in WGS84 longitude/latitude.
    public var geometry: Geometry

    public init(code: GridCode, name: String, geometry: Geometry) {
        self.code = code
        self.name = name
        self.geometry = geometry
    }

    /// The grid this micro-grid belongs to.
    public var gridCode: GridCode { code.gridCode }
}
