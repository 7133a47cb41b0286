/// Everything known about one town, as plain values: what an import brings in, what an export
/// writes out, and what the store holds. Geometry is WGS84 longitude/latitude throughout.
///
/// A value that ``TownValidator`` found clean remembers it until it is changed (every property
/// clears the mark when set or mutated), so that a town read from a folder — validated by the
/// read — is not validated again by the store's import. The mark is not part of the value:
/// equality and hashing ignore it.
public struct TownData: Hashable, Sendable {
    public var town: Town { didSet { isValidated = false } }
    public var villages: [Village] { didSet { isValidated = false } }
    public var grids: [Grid] { didSet { isValidated = false } }
    public var microGrids: [MicroGrid] { didSet { isValidated = false } }
    public var features: [MapFeature] { didSet { isValidated = false } }
    public var residents: [Resident] { didSet { isValidated = false } }
    public var team: [TeamMember] { didSet { isValidated = false } }
    /// Whether ``TownValidator`` found no problem in this value as it is now.
    public internal(set) var isValidated = false

    public init(town: Town, villages: [Village] = [], grids: [Grid] = [], microGrids: [MicroGrid] = [],
                features: [MapFeature] = [], residents: [Resident] = [], team: [TeamMember] = []) {
        self.town = town
        self.villages = villages
        self.grids = grids
        self.microGrids = microGrids
        self.features = features
        self.residents = residents
        self.team = team
    }

    public static func == (a: TownData, b: TownData) -> Bool {
        a.town == b.town && a.villages == b.villages && a.grids == b.grids && a.microGrids == b.microGrids
            && a.features == b.features && a.residents == b.residents && a.team == b.team
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(town)
        hasher.combine(villages)
        hasher.combine(grids)
        hasher.combine(microGrids)
        hasher.combine(features)
        hasher.combine(residents)
        hasher.combine(team)
    }
}
