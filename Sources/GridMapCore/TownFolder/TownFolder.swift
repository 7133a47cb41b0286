import Foundation
import GeoJSON
import PROJ

/// A town folder: a town's data as plain files that people and GIS tools can open — one GeoJSON
/// file (RFC 7946, WGS84) per layer, two CSV files for the people, and a small JSON manifest.
/// docs/TOWN-FORMAT.md is the specification; in short:
///
/// | file                      | holds                                                        |
/// |---------------------------|--------------------------------------------------------------|
/// | `manifest.json`           | town code, name, Latin name, working CRS, counts, generator  |
/// | `town.geojson`            | the town boundary (one feature)                              |
/// | `villages.geojson`        | administrative villages (`code`, `name`; union polygon)      |
/// | `grids.geojson`           | grids (`code`, `name`, `village`)                            |
/// | `microgrids.geojson`      | micro-grids (`code`, `name`, `grid`)                         |
/// | `<layer>.geojson`         | one per feature kind (`roads.geojson`, `homes.geojson`, …)   |
/// | `residents.csv`           | `id,name,home,categories,phone,birthYear`                    |
/// | `team.csv`                | `grid,role,name,unit,phone`                                  |
///
/// Writing is deterministic: the same `TownData` gives the same bytes. Reading checks everything
/// and throws one ``TownFolderError`` listing every problem (file, feature index or CSV line);
/// it never returns partial data.
public enum TownFolder {
    public static let manifestFile = "manifest.json"
    public static let townFile = "town.geojson"
    public static let villagesFile = "villages.geojson"
    public static let gridsFile = "grids.geojson"
    public static let microGridsFile = "microgrids.geojson"
    public static let residentsFile = "residents.csv"
    public static let teamFile = "team.csv"
    /// The value of the manifest's `format` member.
    public static let formatName = "gridmap-town"
    public static let formatVersion = 1
    /// The CRS of the files GridMap writes: RFC 7946 longitude/latitude on WGS84.
    public static let wgs84 = "OGC:CRS84"

    /// GeoJSON file names that are not feature layers (a feature kind may not use these layer names).
    public static let reservedLayerNames: Set<String> = ["town", "villages", "grids", "microgrids"]

    /// Column order of residents.csv.
    public static let residentColumns = ["id", "name", "home", "categories", "phone", "birthYear"]
    /// Column order of team.csv.
    public static let teamColumns = ["grid", "role", "name", "unit", "phone"]

    public struct WriteOptions: Sendable, Hashable {
        /// Decimal places of coordinates (7 ≈ 1 cm). Coordinates already rounded to this many
        /// places are written exactly and read back as the same doubles.
        public var coordinatePrecision: Int
        /// Written as the manifest's `generator` member (who made the data, seed, version).
        public var generator: JSONObject?
        /// Marks the folder as an export that is not the whole town (residents or team members
        /// withheld from its reader): such a folder is for reading, and
        /// ``TownFolder/read(from:options:)`` refuses to import it. The manifest says
        /// `"personalDataMasked": true`.
        public var personalDataMasked: Bool
        /// What the export withheld, in words, written as the manifest's `withheld` member.
        public var withheld: String?
        /// Whether the folder holds personal data the public may not see, so that it is its
        /// owner's alone: folder 0700, files 0600 (by default, unless `personalDataMasked`).
        public var ownerOnly: Bool
        /// Writing may replace a full town folder, such as the folder a store was imported from;
        /// without it, writing over one is refused (``TownFolder/Target``).
        public var replacesFullTown: Bool

        public init(coordinatePrecision: Int = 7, generator: JSONObject? = nil, personalDataMasked: Bool = false,
                    withheld: String? = nil, ownerOnly: Bool? = nil, replacesFullTown: Bool = false) {
            self.coordinatePrecision = coordinatePrecision
            self.generator = generator
            self.personalDataMasked = personalDataMasked
            self.withheld = withheld
            self.ownerOnly = ownerOnly ?? !personalDataMasked
            self.replacesFullTown = replacesFullTown
        }
    }

    public struct ReadOptions: Sendable, Hashable {
        /// The CRS of the layers' coordinates when a layer does not name one itself with a legacy
        /// `crs` member (e.g. "EPSG:4549", or "GCJ02"); overrides the manifest's `crs`.
        /// Coordinates are transformed to WGS84 longitude/latitude (``Projection``).
        public var crs: String?
        /// Keep a working CRS whose scale error over the town exceeds 0.1% (``WorkingCRSFit``):
        /// the user insists.
        public var acceptsWorkingCRSScaleError: Bool
        /// Repairs to make after reading and before validating (``TownRepair``); none by default.
        public var repair: RepairOptions

        public init(crs: String? = nil, acceptsWorkingCRSScaleError: Bool = false, repair: RepairOptions = .init()) {
            self.crs = crs
            self.acceptsWorkingCRSScaleError = acceptsWorkingCRSScaleError
            self.repair = repair
        }
    }

    /// Whether a CRS name means RFC 7946 longitude/latitude on WGS84, needing no transformation
    /// (``CRSDefinition/isWGS84``).
    public static func isWGS84(_ name: String) -> Bool {
        CRSDefinition(name).isWGS84
    }
}
