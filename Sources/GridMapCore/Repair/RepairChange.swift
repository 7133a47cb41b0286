/// The item of a town a repair changed (or could not), named as a person finds it in the data.
public enum RepairItem: Hashable, Sendable {
    case townBoundary
    case grid(GridCode)
    case microGrid(GridCode)
    case feature(kind: FeatureKind, id: String)

    /// The town-folder file the item is read from (docs/TOWN-FORMAT.md).
    public var file: String {
        switch self {
        case .townBoundary: TownFolder.townFile
        case .grid: TownFolder.gridsFile
        case .microGrid: TownFolder.microGridsFile
        case .feature(let kind, _): kind.layerName + ".geojson"
        }
    }

    /// The item's id: a code or a feature id; the town boundary has none.
    public var id: String {
        switch self {
        case .townBoundary: "boundary"
        case .grid(let code), .microGrid(let code): code.description
        case .feature(_, let id): id
        }
    }
}

/// One line of a repair's report: which item, what was wrong, what was done.
public struct RepairChange: Hashable, Sendable, CustomStringConvertible {
    public enum Action: String, Hashable, Sendable {
        /// Made valid by GEOS MakeValid (`--make-valid`).
        case madeValid = "made valid"
        /// Vertices snapped or inserted (`--snap`).
        case snapped
        /// A repair was asked for but would not give a valid geometry of the same type: the item
        /// is left as it was, and validation reports it.
        case leftAsIs = "left as it was"
    }

    public var item: RepairItem
    public var action: Action
    /// What was wrong, e.g. "Self-intersection at (119.81, 35.905)" or "a vertex 0.041 m from a neighbour's edge".
    public var problem: String
    /// What was done, e.g. "MultiPolygon of 2 parts, area 4.000 → 4.000 m²".
    public var detail: String

    public init(item: RepairItem, action: Action, problem: String, detail: String) {
        self.item = item
        self.action = action
        self.problem = problem
        self.detail = detail
    }

    /// `microgrids.geojson: DC-001-1: snapped: 3 vertices … ; moved …`.
    public var description: String { "\(item.file): \(item.id): \(action.rawValue): \(problem); \(detail)" }
}
