import GridMapCore

/// Which people a read that builds output hands over: residents and team members kept or left
/// out, one by one. The store applies it and decides nothing; the rule of who sees whom is the
/// application's one disclosure policy (GridMapApp's `Disclosure`), which makes these filters.
public struct PersonFilter: Sendable {
    /// Whether a resident (with where they live) is handed over.
    public var keepsResident: @Sendable (LocatedResident) -> Bool
    /// Whether a team member is handed over.
    public var keepsTeamMember: @Sendable (TeamMember) -> Bool

    public init(keepsResident: @escaping @Sendable (LocatedResident) -> Bool,
                keepsTeamMember: @escaping @Sendable (TeamMember) -> Bool) {
        self.keepsResident = keepsResident
        self.keepsTeamMember = keepsTeamMember
    }

    /// Everyone, in full: for moving a town between stores and for tests.
    public static let everyone = PersonFilter(keepsResident: { _ in true }, keepsTeamMember: { _ in true })
}
