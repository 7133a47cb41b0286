/// A role in a grid's "1+1+N+X" team.
public enum TeamRole: String, Hashable, Sendable, CaseIterable {
    /// 网格长: village cadre or group leader — the "1" who answers for the grid.
    case chief
    /// 民情联络员: the grid worker — the second "1".
    case liaison
    /// Functional staff (police, station staff, village cadres, public-welfare posts) — the "N".
    case functional
    /// Volunteers (party members, citizens, the charity) — the "X".
    case volunteer
}

/// One member of a grid's team.
public struct TeamMember: Hashable, Sendable {
    public var gridCode: GridCode
    public var role: TeamRole
    public var name: String
    /// The member's unit for functional staff (e.g. "派出所" police station); free text.
    public var unit: String?
    public var phone: String?

    public init(gridCode: GridCode, role: TeamRole, name: String, unit: String? = nil, phone: String? = nil) {
        self.gridCode = gridCode
        self.role = role
        self.name = name
        self.unit = unit
        self.phone = phone
    }
}
