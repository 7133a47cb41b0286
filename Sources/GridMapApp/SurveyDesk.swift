import Foundation
import GeoJSON
import GridMapCore
import GridStore
import MapRender

/// The door-to-door survey (地毯式摸排, docs/LEDGERS.md): campaigns over some grids, visits of
/// homes by the grids' team members, the changes a visit finds recorded as ordinary register
/// changes (``RegisterDesk``'s path, in the visit's transaction), the progress per grid and
/// micro-grid, the homes still to visit in walking order, and the progress map.
///
/// **The counting rule.** A home is *surveyed* once it has a visit whose finding is confirmed,
/// changed or empty-house; a home whose visits all found nobody home is *not yet surveyed*
/// (it is counted apart, as `nobodyHome`, and stays on the list to visit). The homes a campaign
/// counts are today's homes of its grids.
public struct SurveyDesk: Sendable {
    public let store: any TownStore

    public init(store: any TownStore) { self.store = store }

    /// A change a visitor found at the visited home, in the register's terms.
    public enum FoundChange: Sendable, Hashable {
        /// A resident of the home whose fields differ (not the home: a move is recorded where they live now).
        case change(resident: String, RegisterDesk.ResidentFields)
        /// A resident of the home who died or moved away; `reason` says which.
        case remove(resident: String, reason: String)
        /// Someone living there the register lacks (the next free id); `fields` needs a name.
        case add(RegisterDesk.ResidentFields)
    }

    /// One visit as a visitor reports it.
    public struct VisitRequest: Sendable, Hashable {
        public var campaign: String
        public var home: String
        /// The visitor as `--as` names a team member: GRID/ROLE or GRID/NAME.
        public var visitor: String
        public var day: RegisterDay
        public var finding: SurveyFinding
        public var note: String = ""
        /// What changed; only with ``SurveyFinding/changed``, which needs at least one.
        public var changes: [FoundChange] = []

        public init(campaign: String, home: String, visitor: String, day: RegisterDay, finding: SurveyFinding,
                    note: String = "", changes: [FoundChange] = []) {
            (self.campaign, self.home, self.visitor, self.day, self.finding, self.note, self.changes)
                = (campaign, home, visitor, day, finding, note, changes)
        }
    }

    // MARK: - Campaigns

    /// Starts a campaign over `grids` (codes of the town, each once) from `start`, which is
    /// not in the future. Only the town office (`role`) starts one.
    @discardableResult
    public func start(name: String, grids: [String], start: RegisterDay, by startedBy: String, as role: ResidentRole = .office,
                      at time: Date = Date()) throws(JobError) -> SurveyCampaign {
        guard Disclosure(role).seesEveryone else { throw .forbidden("--role \(role) cannot start a survey: the town office starts one.") }
        let campaign = try Self.campaign(name: name, grids: grids, start: start, by: startedBy, at: time,
                                         in: LoadedTown.data(from: store, []))
        try surveyed { () throws(SurveyError) in try store.startSurvey(campaign) }
        return campaign
    }

    /// A new campaign, checked against `town`: a name, grids of the town, a start not in the future.
    static func campaign(name: String, grids: [String], start: RegisterDay, by startedBy: String, at time: Date,
                         in town: TownData) throws(JobError) -> SurveyCampaign {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw .invalidRequest("A survey campaign needs a name.") }
        guard !grids.isEmpty else { throw .invalidRequest("Name the grids the survey covers: --grid CODE (repeatable).") }
        var codes: [GridCode] = []
        for text in grids {
            let code = try RequestParsing.grid(text)
            guard town.grids.contains(where: { $0.code == code }) else {
                throw .invalidRequest("--grid \(code): the town has no grid \(code); it has \(RequestParsing.listing(town.grids.map(\.code.description))).")
            }
            if !codes.contains(code) { codes.append(code) }
        }
        // A campaign may have begun before the register did (a survey on paper, recorded after
        // the import): its visits are kept, and a change one found is held to the register's
        // rules, which refuse a day before the register began.
        try checkDay(start, what: "The survey's start", today: RegisterDay(time))
        return SurveyCampaign(name: name, grids: codes, start: start, startedBy: startedBy, startedAt: time)
    }

    /// Every campaign, in the order they were started.
    public func campaigns() throws(JobError) -> [SurveyCampaign] {
        try surveyed { () throws(SurveyError) in try store.surveyCampaigns() }
    }

    /// The campaign `name`, or ``JobError/Kind/notFound`` naming the ones there are.
    public func campaign(_ name: String) throws(JobError) -> SurveyCampaign {
        try Self.campaign(name, among: try surveyed { () throws(SurveyError) in try store.surveyCampaigns() })
    }

    static func campaign(_ name: String, among campaigns: [SurveyCampaign]) throws(JobError) -> SurveyCampaign {
        guard let campaign = campaigns.first(where: { $0.name == name }) else {
            let names = campaigns.map { "'\($0.name)'" }.joined(separator: ", ")
            throw .notFound("There is no survey campaign '\(name)'; " + (names.isEmpty ? "none has been started (survey start)." : "the campaigns: \(names)."))
        }
        return campaign
    }

    // MARK: - Visits

    /// Records a visit, and the changes it found as register changes effective on its day, in
    /// one transaction; refused whole when the campaign, the home or the visitor is unknown,
    /// the home lies outside the campaign's grids, the day is in the future or before the
    /// campaign, the visitor is not on the home's grid's team, or the register refuses a change;
    /// and when the reader (`role`) does not see the home's grid's residents: the office records
    /// any visit, a grid worker those of their own grid, anyone else none.
    @discardableResult
    public func visit(_ request: VisitRequest, as role: ResidentRole = .office, at time: Date = Date()) throws(JobError)
        -> (visit: SurveyVisit, changes: [RegisterChange]) {
        let disclosure = Disclosure(role)
        try disclosure.checkSeesResidents(inGrids: [], instead: "a visit is recorded by the town office or the grid's worker.")
        var check = try VisitCheck(self)
        let checked = try check.visit(request, at: time)
        try disclosure.checkSeesResidents(inGrids: [checked.visit.grid], instead: "")
        guard let kept = try surveyed({ () throws(SurveyError) in try store.recordVisits([checked]) }).first else {
            throw .failed(SurveyError.store(.corrupt("a recorded visit went missing")))
        }
        return kept
    }

    /// What checking visits needs, read once for a batch: the campaigns, the town's grids and
    /// teams, each home's micro-grid, and the residents of each home.
    struct VisitCheck {
        let desk: SurveyDesk
        var campaigns: [SurveyCampaign]
        let town: TownData
        let homes: [String: GridCode?]
        let residents: [String: [Resident]]
        var nextID: String

        init(_ desk: SurveyDesk) throws(JobError) {
            self.desk = desk
            let store = desk.store
            campaigns = try desk.surveyed { () throws(SurveyError) in try store.surveyCampaigns() }
            town = try LoadedTown.data(from: store, [])
            let located = try asJobError { try store.locatedFeatures(of: .home, in: nil, page: .all) }
            homes = Dictionary(located.map { ($0.feature.id, $0.microGrid) }, uniquingKeysWith: { first, _ in first })
            residents = Dictionary(grouping: try asJobError { try store.residents() }, by: \.homeID)
            nextID = try RegisterDesk(store: store).nextResidentID()
        }

        /// The visit and its register requests, checked; refused as ``visit(_:at:)`` says.
        mutating func visit(_ request: VisitRequest, at time: Date) throws(JobError) -> (visit: SurveyVisit, changes: [RegisterChangeRequest]) {
            let campaign = try SurveyDesk.campaign(request.campaign, among: campaigns)
            guard let microGrid = homes[request.home] else { throw .notFound("There is no home \(request.home) in the town.") }
            guard let grid = microGrid?.gridCode, campaign.grids.contains(grid) else {
                throw .invalidRequest("Home \(request.home) lies in \(microGrid.map { "grid \($0.gridCode)" } ?? "no micro-grid"), "
                    + "which the survey '\(campaign.name)' does not cover (it covers \(campaign.grids.map(\.description).joined(separator: ", "))).")
            }
            try SurveyDesk.checkDay(request.day, what: "The visit's day", today: RegisterDay(time))
            guard request.day >= campaign.start else {
                throw .invalidRequest("The visit's day \(request.day) is before the survey '\(campaign.name)' started on \(campaign.start).")
            }
            let member = try RequestParsing.teamMember(request.visitor, in: town)
            guard member.gridCode == grid else {
                throw .forbidden("--as \(request.visitor): \(member.name) is on \(member.gridCode)'s team, not on the team of grid \(grid), where \(request.home) lies; "
                    + "a home is visited by its own grid's team.")
            }
            switch (request.finding, request.changes.isEmpty) {
            case (.changed, true): throw .invalidRequest("A visit that found changes says what changed (a resident's fields, one who left, one the register lacks).")
            case (.changed, false), (_, true): break
            case (_, false): throw .invalidRequest("A visit that found the home \(request.finding.rawValue) records no changes; say --found changed.")
            }
            let requests = try changeRequests(request, by: "\(grid)/\(member.name)", reason: "survey '\(campaign.name)': found at \(request.home)")
            let visit = SurveyVisit(campaign: campaign.name, home: request.home, grid: grid, visitor: member.name, day: request.day,
                                    finding: request.finding, note: request.note, recordedAt: time)
            return (visit, requests)
        }

        /// The register requests of a visit's changes, each about a resident of the visited home.
        private mutating func changeRequests(_ request: VisitRequest, by visitor: String, reason: String) throws(JobError) -> [RegisterChangeRequest] {
            let living = residents[request.home] ?? []
            func resident(_ id: String) throws(JobError) -> Resident {
                guard let found = living.first(where: { $0.id == id }) else {
                    throw .invalidRequest("Resident \(id) is not registered at \(request.home): a visit records changes of the visited home's residents.")
                }
                return found
            }
            var requests: [RegisterChangeRequest] = []
            for change in request.changes {
                func entry(_ subject: RegisterSubject, _ action: RegisterAction, _ after: RegisterRecord?, _ why: String = "") -> RegisterChangeRequest {
                    RegisterChangeRequest(subject: subject, action: action, after: after, effective: request.day, recordedBy: visitor,
                                          reason: why.isEmpty ? reason : "\(reason): \(why)")
                }
                switch change {
                case .change(let id, let fields):
                    if fields.home != nil { throw .invalidRequest("Resident \(id) lives elsewhere now: record the move where they live (resident move).") }
                    requests.append(entry(.resident(id), .change, .resident(fields.applied(to: try resident(id)))))
                case .remove(let id, let why):
                    _ = try resident(id)
                    requests.append(entry(.resident(id), .remove, nil, why))
                case .add(let fields):
                    guard let name = fields.name else { throw .invalidRequest("A resident found living at \(request.home) needs a name.") }
                    requests.append(entry(.resident(nextID), .add, .resident(fields.applied(to: Resident(id: nextID, name: name, homeID: request.home)))))
                    nextID = String(format: "R-%06d", (Int(nextID.dropFirst(2)) ?? 0) + 1)
                }
            }
            return requests
        }
    }

    /// The visits of a campaign, in recording order, as `role` may see them: the note (free
    /// text may name a person) only to who sees the residents of the visit's grid, the visitor's
    /// name only to who sees that team member (chiefs and liaisons are public; a member who has
    /// since left the team is shown to who sees the grid's residents).
    public func visits(of name: String, as role: ResidentRole) throws(JobError) -> [SurveyVisit] {
        let campaign = try campaign(name)
        let disclosure = Disclosure(role)
        let team = try asJobError { try store.team(of: nil) }
        return try surveyed { () throws(SurveyError) in try store.surveyVisits(campaign: campaign.name) }.map { visit in
            var shown = visit
            let grid = disclosure.seesResidents(inGrid: visit.grid)
            if !grid && !visit.note.isEmpty { shown.note = "(withheld)" }
            let member = team.first { $0.gridCode == visit.grid && $0.name == visit.visitor }
            if !(member.map(disclosure.sees) ?? grid) { shown.visitor = "(withheld)" }
            return shown
        }
    }

    // MARK: - Progress

    /// Homes surveyed of homes, for one grid or micro-grid (or the campaign, both nil).
    public struct Progress: Sendable, Hashable {
        public var grid: GridCode?
        public var microGrid: GridCode?
        public var homes: Int
        /// Homes with a visit that surveyed them (confirmed, changed or empty-house).
        public var surveyed: Int
        /// Homes whose visits all found nobody home: not yet surveyed.
        public var nobodyHome: Int
        /// surveyed / homes; 0 for no homes.
        public var share: Double { homes == 0 ? 0 : Double(surveyed) / Double(homes) }
    }

    /// Today's homes of the campaign's grids, each with its micro-grid and grid.
    private func homes(of campaign: SurveyCampaign, grid: GridCode? = nil) throws(JobError) -> [LocatedFeature] {
        var homes: [LocatedFeature] = []
        for code in campaign.grids where grid == nil || grid == code {
            homes += try asJobError { try store.locatedFeatures(of: .home, in: .grid(code), page: .all) }
        }
        return homes
    }

    /// The homes surveyed, and those visited with nobody home only, by the campaign's visits.
    private func standing(of campaign: SurveyCampaign) throws(JobError) -> (surveyed: Set<String>, nobodyHome: Set<String>) {
        let visits = try surveyed { () throws(SurveyError) in try store.surveyVisits(campaign: campaign.name) }
        let surveyed = Set(visits.filter(\.finding.surveys).map(\.home))
        return (surveyed, Set(visits.map(\.home)).subtracting(surveyed))
    }

    /// The campaign's progress: the whole first, then each grid followed by its micro-grids,
    /// in the campaign's grid order and the town's micro-grid order.
    public func progress(of name: String) throws(JobError) -> [Progress] {
        let campaign = try campaign(name)
        let homes = try homes(of: campaign)
        let (surveyed, nobodyHome) = try standing(of: campaign)
        let microGrids = try asJobError { try store.microGrids(of: nil) }
        func count(_ grid: GridCode?, _ micro: GridCode?, _ members: [LocatedFeature]) -> Progress {
            Progress(grid: grid, microGrid: micro, homes: members.count, surveyed: members.count { surveyed.contains($0.feature.id) },
                     nobodyHome: members.count { nobodyHome.contains($0.feature.id) })
        }
        var rows = [count(nil, nil, homes)]
        for grid in campaign.grids {
            let inGrid = homes.filter { $0.microGrid?.gridCode == grid }
            rows.append(count(grid, nil, inGrid))
            for micro in microGrids where micro.gridCode == grid {
                rows.append(count(grid, micro.code, inGrid.filter { $0.microGrid == micro.code }))
            }
        }
        return rows
    }

    // MARK: - The homes to visit

    /// The homes of `grid` not yet surveyed, in walking order from the grid's service point
    /// (planned as `gridmap route` plans an outreach route: ``OutreachJob``, walking, one
    /// worker, back to the start). Resident ids are listed only to a role that sees the grid's
    /// residents. Nil when every home is surveyed.
    public func todo(of name: String, grid text: String, as role: ResidentRole,
                     notice: (String) -> Void = { _ in }) throws(JobError) -> OutreachJob.Plan? {
        let campaign = try campaign(name)
        let grid = try RequestParsing.grid(text)
        guard campaign.grids.contains(grid) else {
            throw .invalidRequest("--grid \(grid): the survey '\(campaign.name)' does not cover it (it covers \(campaign.grids.map(\.description).joined(separator: ", "))).")
        }
        let (surveyed, _) = try standing(of: campaign)
        let sees = Disclosure(role).seesResidents(inGrid: grid)
        let residents = sees ? try asJobError { try store.locatedResidents(in: .grid(grid), categories: [], page: .all) } : []
        var stops: [OutreachJob.Home] = []
        var unplaced: [String] = []
        for home in try homes(of: campaign, grid: grid) where !surveyed.contains(home.feature.id) {
            guard case .point(let position) = home.feature.geometry else {
                unplaced.append(home.feature.id)
                continue
            }
            stops.append(OutreachJob.Home(id: home.feature.id, position: position, grid: grid,
                                          residents: residents.filter { $0.resident.homeID == home.feature.id }.map(\.resident.id)))
        }
        if !unplaced.isEmpty { notice("\(unplaced.count) homes are not points and are left out of the route: " + unplaced.joined(separator: ", ")) }
        guard !stops.isEmpty else { return nil }
        var job = OutreachJob(categories: "")
        job.grids = [grid.description]
        job.mode = .walk
        job.role = role
        let data = try LoadedTown.data(from: store)
        return try job.route(stops, grids: [grid], residentCount: stops.reduce(0) { $0 + $1.residents.count }, in: data, notice: notice)
    }

    // MARK: - The progress map

    /// The grid map (`map`, the whole town or one grid's sheet) with each micro-grid of the
    /// campaign shaded by its share of homes surveyed; micro-grids without homes stay plain.
    public func map(of name: String, _ map: TownMap) throws(JobError) -> RenderedMap {
        let campaign = try campaign(name)
        if let grid = map.grid, !campaign.grids.contains(grid) {
            throw .invalidRequest("--grid \(grid): the survey '\(campaign.name)' does not cover it (it covers \(campaign.grids.map(\.description).joined(separator: ", "))).")
        }
        var map = map
        for row in try progress(of: name) where row.homes > 0 {
            if let micro = row.microGrid { map.microGridShares[micro] = row.share }
        }
        if map.title == nil {
            let town = try asJobError { try store.town() }
            let language = try TownMap.language(map.language) ?? town.map(MapLanguage.default(for:)) ?? .chinese
            map.title = language == .chinese ? "\(campaign.name) 走访进度" : "\(campaign.name): survey progress"
        }
        return try map.render(from: store)
    }

    // MARK: - Helpers

    static func checkDay(_ day: RegisterDay, what: String, today: RegisterDay) throws(JobError) {
        if day > today { throw .invalidRequest("\(what) \(day) is in the future (today is \(today)).") }
    }

    /// Runs a store call, turning its refusals into the job's errors.
    func surveyed<T>(_ body: () throws(SurveyError) -> T) throws(JobError) -> T {
        do {
            return try body()
        } catch {
            switch error {
            case .duplicateCampaign: throw .conflict("Nothing was recorded: \(error).")
            case .unknownCampaign: throw .notFound("Nothing was recorded: \(error).")
            case .register(let register): throw RegisterDesk.jobError(register)
            case .store(let store): throw .failed(store)
            }
        }
    }
}
