import Foundation

/// A door-to-door survey (地毯式摸排, docs/LEDGERS.md): a campaign that covers some grids from
/// a start day, during which the grids' team members visit every home.
public struct SurveyCampaign: Hashable, Sendable {
    /// The campaign's name, unique in the store (`2026 spring survey`).
    public var name: String
    /// The grids it covers, each once, in the order given.
    public var grids: [GridCode]
    /// The first day a visit may be recorded on.
    public var start: RegisterDay
    /// Who started it and when.
    public var startedBy: String
    public var startedAt: Date

    public init(name: String, grids: [GridCode], start: RegisterDay, startedBy: String, startedAt: Date) {
        self.name = name
        self.grids = grids
        self.start = start
        self.startedBy = startedBy
        self.startedAt = startedAt
    }
}

/// What a visitor found at a home.
public enum SurveyFinding: String, CaseIterable, Hashable, Sendable {
    /// The register's record of the home and its residents is right.
    case confirmed
    /// Something differed; the visit's changes were recorded in the register's history.
    case changed
    /// Nobody opened: the home is still to be surveyed.
    case nobodyHome = "nobody-home"
    /// Nobody lives there.
    case emptyHouse = "empty-house"

    /// Whether a visit with this finding surveys the home: every finding but nobody-home.
    public var surveys: Bool { self != .nobodyHome }
}

/// One visit of a home in a campaign.
public struct SurveyVisit: Hashable, Sendable {
    /// Its number among the store's visits (1, 2, …), in recording order; 0 before it is kept.
    public var sequence: Int
    public var campaign: String
    public var home: String
    /// The home's grid when it was visited, whose team the visitor belongs to.
    public var grid: GridCode
    /// The team member who visited, by name.
    public var visitor: String
    /// The day of the visit.
    public var day: RegisterDay
    public var finding: SurveyFinding
    /// Free text, which may name a person: shown only to who sees the grid's residents.
    public var note: String
    /// The register history entries the visit recorded (its changes), by sequence.
    public var changes: [Int]
    /// When it was recorded.
    public var recordedAt: Date

    public init(sequence: Int = 0, campaign: String, home: String, grid: GridCode, visitor: String, day: RegisterDay,
                finding: SurveyFinding, note: String = "", changes: [Int] = [], recordedAt: Date) {
        self.sequence = sequence
        self.campaign = campaign
        self.home = home
        self.grid = grid
        self.visitor = visitor
        self.day = day
        self.finding = finding
        self.note = note
        self.changes = changes
        self.recordedAt = recordedAt
    }
}
