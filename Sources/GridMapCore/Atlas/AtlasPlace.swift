/// Where a point is in the town's hierarchy: its micro-grid, grid, administrative village and the
/// grid's chief (网格长) and liaison (民情联络员).
public struct AtlasPlace: Sendable, Hashable {
    /// The micro-grid's position in ``Atlas/microGrids`` (sorted by code).
    public var microGridIndex: Int
    public var microGrid: MicroGrid
    /// Nil only when the town data has no grid for the micro-grid's code.
    public var grid: Grid?
    public var village: Village?
    public var chief: TeamMember?
    public var liaison: TeamMember?
}

/// A point outside every micro-grid: how far it is from the town (the union of the micro-grids)
/// and which micro-grid is nearest, measured in the town's working CRS.
public struct OutsideTown: Sendable, Hashable {
    /// Metres from the point to the nearest micro-grid's boundary.
    public var distance: Double
    /// The nearest micro-grid's position in ``Atlas/microGrids``; among equally near ones the
    /// smallest code.
    public var nearestMicroGridIndex: Int
    public var nearestMicroGrid: GridCode
}

/// The answer of ``Atlas/locate(longitude:latitude:)``.
public enum Location: Sendable, Hashable {
    case inside(AtlasPlace)
    case outside(OutsideTown)

    /// The place, when the point is inside the town.
    public var place: AtlasPlace? {
        if case .inside(let place) = self { place } else { nil }
    }
}
