import GridMapCore
import GridStore

/// Who is reading: the role a request is answered for (`--role`, later a server account's).
public enum ResidentRole: Sendable, Hashable, CustomStringConvertible {
    /// Anyone: the default.
    case `public`
    /// The grid worker (民情联络员) of one grid.
    case gridWorker(GridCode)
    /// The town office.
    case office
    /// A department (by its catalogue code), signed in to the server: no resident by grid; the
    /// events whistled to it in full, residents included (``Disclosure``'s events part).
    case department(String)

    /// The role as `--role` spells it.
    public var description: String {
        switch self {
        case .public: "public"
        case .gridWorker(let grid): "grid-worker:\(grid)"
        case .office: "office"
        case .department(let code): "department:\(code)"
        }
    }
}

/// The one policy on personal data: what each role sees of residents and team members, and how
/// counts of residents are shown. Every job that hands people's data or counts to a reader goes
/// through it (the store masks nobody), and the server's accounts will too. docs/PRIVACY.md
/// explains it for users.
///
/// - public: no resident at all (no row, no id, no home linked to a category); of the team,
///   only each grid's chief and liaison (name, role, phone, as on a village notice board).
///   Counts of residents per grid are shown exactly only from ``smallCount`` up; smaller ones
///   are suppressed, and so is a second cell wherever one alone would be (see
///   ``disclose(_:town:grids:)``). Town totals stay exact.
/// - grid worker of grid G: the residents and the whole team of G in full, and of other grids
///   what the public sees. A request for residents of another grid is refused, a town-wide one
///   answers for G alone.
/// - office: everything, exact.
/// - department (a server account): as the public by grid; the events whistled to it in full,
///   with the residents they concern (the events part, `Disclosure+Events.swift`).
///
/// A request the role may not make (residents for the public, another grid's for a grid worker)
/// is refused as ``JobError/Kind/forbidden``.
public struct Disclosure: Sendable, Hashable {
    public let role: ResidentRole

    public init(_ role: ResidentRole) { self.role = role }

    /// Counts of residents below this are suppressed for a reader who may not see the grid.
    public static let smallCount = 5
    /// How a suppressed count is shown.
    public static let suppressedMark = "<\(smallCount)"
    /// The team members everyone sees, in every grid.
    public static let publicTeamRoles: Set<TeamRole> = [.chief, .liaison]

    /// Whether the reader sees the residents whose home lies in `grid` (nil: in no grid, which
    /// only the office sees), and counts of them exactly.
    public func seesResidents(inGrid grid: GridCode?) -> Bool {
        switch role {
        case .public, .department: false
        case .gridWorker(let own): grid == own
        case .office: true
        }
    }

    /// Whether the reader sees `member` (name, role, unit and phone).
    public func sees(_ member: TeamMember) -> Bool {
        Self.publicTeamRoles.contains(member.role) || seesResidents(inGrid: member.gridCode)
    }

    /// Whether the reader sees every resident and team member of the town.
    public var seesEveryone: Bool { role == .office }

    /// The filter the store applies to the residents and team members it hands over.
    public var people: PersonFilter {
        let policy = self
        return PersonFilter(keepsResident: { policy.seesResidents(inGrid: $0.grid) }, keepsTeamMember: { policy.sees($0) })
    }

    /// The area a request for resident rows reads: `area` itself, or for a grid worker asking
    /// for the whole town, their own grid. The public, and a grid worker asking for another
    /// grid, are refused; `instead` tells the public what it can ask for.
    public func residentArea(_ area: AreaFilter?, instead: String) throws(JobError) -> AreaFilter? {
        if seesNoGrid { throw noResidentRefusal(instead) }
        try checkOwnGrid(area)
        if case .gridWorker(let own) = role, area == nil { return .grid(own) }
        return area
    }

    /// Refuses a grid worker's request for an area in another grid (naming it).
    public func checkOwnGrid(_ area: AreaFilter?) throws(JobError) {
        if let area { try checkSeesResidents(inGrids: [area.gridCode], instead: "") }
    }

    /// Refuses a reader who does not see the residents of every one of `grids` (a route lists
    /// resident ids and homes of a category); `instead` tells the public what it can ask for.
    /// A refusal of the role is ``JobError/Kind/forbidden`` (403 on the server; the command line
    /// exits 64 as for any refused request).
    public func checkSeesResidents(inGrids grids: some Sequence<GridCode>, instead: String) throws(JobError) {
        if seesNoGrid { throw noResidentRefusal(instead) }
        if let other = grids.first(where: { !seesResidents(inGrid: $0) }) {
            throw .forbidden("--role \(role) sees the residents of its own grid only, not those of grid \(other).")
        }
    }

    /// Whether the reader sees the residents of no grid at all (the public, a department).
    private var seesNoGrid: Bool {
        switch role {
        case .public, .department: true
        case .gridWorker, .office: false
        }
    }

    private func noResidentRefusal(_ instead: String) -> JobError {
        .forbidden(role == .public ? "the public sees no resident: \(instead)" : "--role \(role) sees no resident: \(instead)")
    }

    /// What an export for this reader leaves out, as its manifest says it; nil when nothing is.
    public var withheld: String? {
        switch role {
        case .office: nil
        case .public: "every resident, and team members other than grid chiefs and liaisons (a public export)"
        case .department(let code): "every resident, and team members other than grid chiefs and liaisons (an export for department \(code))"
        case .gridWorker(let own): "residents and team members (other than grid chiefs and liaisons) outside grid \(own) (an export for its grid worker)"
        }
    }

    /// The town folder's write options for an export for this reader: a folder that holds
    /// anything the public may not see is its owner's alone (0700, files 0600); `incomplete`
    /// marks it as not a whole town (it cannot be imported) and says what was withheld.
    public func folderOptions(precision: Int, incomplete: Bool) -> TownFolder.WriteOptions {
        TownFolder.WriteOptions(coordinatePrecision: precision, personalDataMasked: incomplete,
                                withheld: incomplete ? withheld : nil, ownerOnly: role != .public)
    }

    /// One column of a table of resident counts (one count per grid, in `grids`' order, and the
    /// town's), as the reader may see it. Counts of grids the reader does not see are suppressed
    /// below ``smallCount`` (primary suppression). A column with exactly one suppressed cell
    /// would give it away as the town's count minus the others, so the next smallest count of
    /// a grid the reader does not see is suppressed too (secondary suppression; ties go to the
    /// first grid); when there is none, the town's count is suppressed instead.
    public func disclose(_ counts: [Int], town: Int, grids: [GridCode]) -> (grids: [DisclosedCount], town: DisclosedCount) {
        let hidden = grids.indices.filter { !seesResidents(inGrid: grids[$0]) }
        var suppressed = Set(hidden.filter { counts[$0] < Self.smallCount })
        var townSuppressed = false
        if suppressed.count == 1 {
            let candidates = hidden.filter { !suppressed.contains($0) }
            if let next = candidates.min(by: { (counts[$0], $0) < (counts[$1], $1) }) {
                suppressed.insert(next)
            } else {
                townSuppressed = true
            }
        }
        return (counts.indices.map { suppressed.contains($0) ? .suppressed : .exact(counts[$0]) },
                townSuppressed ? .suppressed : .exact(town))
    }
}

/// A count of residents as a reader may see it.
public enum DisclosedCount: Sendable, Hashable, CustomStringConvertible {
    case exact(Int)
    /// Small, or hiding a small one (``Disclosure/disclose(_:town:grids:)``).
    case suppressed

    /// The count, or ``Disclosure/suppressedMark``.
    public var description: String {
        switch self {
        case .exact(let count): String(count)
        case .suppressed: Disclosure.suppressedMark
        }
    }
}
