/// Everything known about one town, as plain values: what an import brings in, what an export
/// writes out, and what the store holds. Geometry is WGS84 longitude/latitude throughout.
public struct TownData: Hashable, Sendable {
    public var town: Town
    public var villages: [Village]
    public var grids: [Grid]
    public var microGrids: [MicroGrid]
    public var features: [MapFeature]
    public var residents: [Resident]
    public var team: [TeamMember]

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
}
