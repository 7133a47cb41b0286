import GridMapCore

/// A layer of a town as exported to (and read back from) one GeoJSON FeatureCollection.
public enum StoreLayer: Sendable, Hashable, CustomStringConvertible {
    /// One feature: the town's boundary and identity.
    case town
    /// Administrative villages: features without geometry.
    case villages
    case grids
    case microGrids
    /// The features of one kind (homes, wells, roads…).
    case features(FeatureKind)
    case residents
    /// Team members: features without geometry.
    case team

    /// The layer's name, which is also its file's base name (`microgrids.geojson`, `homes.geojson`).
    public var name: String {
        switch self {
        case .town: "town"
        case .villages: "villages"
        case .grids: "grids"
        case .microGrids: "microgrids"
        case .features(let kind): kind.layerName
        case .residents: "residents"
        case .team: "team"
        }
    }

    /// The layer called `name`: a fixed layer name first, otherwise a feature kind's layer name.
    public init?(name: String) {
        if let fixed = Self.fixed.first(where: { $0.name == name }) {
            self = fixed
        } else if let kind = FeatureKind(layerName: name) {
            self = .features(kind)
        } else {
            return nil
        }
    }

    private static let fixed: [StoreLayer] = [.town, .villages, .grids, .microGrids, .residents, .team]

    public var description: String { name }
}
