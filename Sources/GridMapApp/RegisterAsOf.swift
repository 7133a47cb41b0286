import Foundation
import GeoJSON
import GridMapCore
import GridStore

/// The stored town as its register stood at the end of one day: a read-only ``TownStore`` over
/// the real one whose residents, homes and team come from today's register and the history
/// (``RegisterPast``: only the changes after the day are read), and everything else (the map, events, accounts) from the store. Any
/// job given it — select, the category × grid table, info, export, a route — answers as of that
/// day, from the same records as today's answers.
///
/// Days before the register began (its import) are refused; a day after today is today.
public final class RegisterAsOfStore: TownStore, @unchecked Sendable {
    // @unchecked Sendable: every stored property is set once in init and never changed.
    public let base: any TownStore
    public let day: RegisterDay
    private let located: [LocatedResident]
    private let members: [TeamMember]
    /// The homes as of the day, when any home has a change (else the store's are).
    private let homes: [HomeRecord]?

    /// The register of `store` as of `day`.
    public convenience init(_ store: any TownStore, asOf day: RegisterDay) throws(JobError) {
        try self.init(RegisterReading(store), asOf: day)
    }

    /// The register `reading` read, as of `day`: one reading serves many days (a year's month ends).
    public init(_ reading: RegisterReading, asOf day: RegisterDay) throws(JobError) {
        try RegisterReading.check(day, start: reading.start)
        let store = reading.store
        base = store
        self.day = day
        let past = try RegisterReading.past(of: store, asOf: day)
        var places = reading.places
        for case (_, .home(let home)?) in past.values { places.add(home) }
        var homes: [HomeRecord]?
        if past.changes(.home) {
            let today = try asJobError { try store.locatedFeatures(of: .home, in: nil, page: .all) }
            homes = past.homes(today: today.map { HomeRecord(feature: $0.feature, microGrid: $0.microGrid, point: places.place(of: $0.feature.id)?.point) })
        }
        // Today's rows of residents unchanged since the day stay as they are (placed already);
        // the others are placed at the home they had then.
        located = past.residents(today: reading.today, id: \.resident.id) { resident in
            let place = places.place(of: resident.homeID)
            return LocatedResident(resident: resident, microGrid: place?.microGrid, location: place?.point)
        }
        members = past.team(today: reading.team)
        self.homes = homes
    }

    /// The residents of the day with where they lived (their home's micro-grid and point).
    public var residentsThen: [LocatedResident] { located }

    public var location: String { "\(base.location) as of \(day)" }
    public var accountBook: any AccountBook { base.accountBook }

    public func info() throws(StoreError) -> StoreInfo { try base.info() }
    public func acceptedCoverageFaults() throws(StoreError) -> [AcceptedCoverageFault] { try base.acceptedCoverageFaults() }
    public func reserveForImport() throws(StoreError) -> ImportReservation { throw .importRefused("the register as of \(day) is read-only") }
    public func importTown(_ data: TownData, source: String, acceptedCoverageFaults: [AcceptedCoverageFault]) throws(StoreError) -> ImportSummary {
        throw .importRefused("the register as of \(day) is read-only")
    }
    public func town() throws(StoreError) -> Town? { try base.town() }
    public func villages() throws(StoreError) -> [Village] { try base.villages() }
    public func grids() throws(StoreError) -> [Grid] { try base.grids() }
    public func microGrids(of grid: GridCode?) throws(StoreError) -> [MicroGrid] { try base.microGrids(of: grid) }
    public func featureKinds() throws(StoreError) -> [FeatureKind] { try base.featureKinds() }

    public func loadTown(_ parts: TownParts) throws(StoreError) -> TownData? {
        // The store's residents are not read: they are today's, and these are the day's.
        guard var data = try base.loadTown(parts.subtracting(.residents)) else { return nil }
        data.team = members
        if parts.contains(.residents) { data.residents = located.map(\.resident) }
        if parts.contains(.features), let homes {
            data.features = data.features.filter { $0.kind != .home } + homes.map(\.feature)
        }
        return data
    }

    public func team(of grid: GridCode?) throws(StoreError) -> [TeamMember] {
        guard let grid else { return members }
        return members.filter { $0.gridCode == grid.gridCode }
    }

    public func locatedFeatures(of kind: FeatureKind, in area: AreaFilter?, page: ResultPage) throws(StoreError) -> [LocatedFeature] {
        guard kind == .home, let homes else { return try base.locatedFeatures(of: kind, in: area, page: page) }
        try checkArea(area)
        return Self.window(page, homes.filter { area?.contains(microGrid: $0.microGrid) ?? true }
            .map { LocatedFeature(feature: $0.feature, microGrid: $0.microGrid) })
    }

    public func bareFeatures(of kind: FeatureKind) throws(StoreError) -> [MapFeature] {
        guard kind == .home, let homes else { return try base.bareFeatures(of: kind) }
        return homes.map { MapFeature(id: $0.feature.id, kind: .home, name: $0.feature.name, geometry: $0.feature.geometry) }
    }

    public func homePlaces() throws(StoreError) -> [String: HomePlace] {
        var places = try base.homePlaces()
        guard let homes else { return places }
        // The day's homes: those built since are not there yet, those pulled down since are.
        let then = Set(homes.map(\.feature.id))
        for id in places.keys where !then.contains(id) { places[id] = nil }
        for home in homes {
            let point = home.point ?? home.feature.geometry.pointPosition ?? places[home.feature.id]?.point
            places[home.feature.id] = HomePlace(microGrid: home.microGrid, point: point)
        }
        return places
    }

    public func locatedResidents(in area: AreaFilter?, categories: Set<ResidentCategory>, page: ResultPage) throws(StoreError) -> [LocatedResident] {
        Self.window(page, try residents(in: area, categories: categories))
    }

    public func residentCount(in area: AreaFilter?, categories: Set<ResidentCategory>) throws(StoreError) -> Int {
        try residents(in: area, categories: categories).count
    }

    public func locatedResidents(ids: Set<String>) throws(StoreError) -> [LocatedResident] {
        located.filter { ids.contains($0.resident.id) }
    }

    public func residentTally() throws(StoreError) -> ResidentTally {
        var tally = ResidentTally()
        for row in located { tally.add(row.resident, in: row.microGrid) }
        return tally
    }

    private func residents(in area: AreaFilter?, categories: Set<ResidentCategory>) throws(StoreError) -> [LocatedResident] {
        try checkArea(area)
        return located.filter { row in
            if let area, !area.contains(microGrid: row.microGrid) { return false }
            return categories.isEmpty || row.resident.categories.contains(where: categories.contains)
        }
    }

    /// The page of `rows`, as the stores cut it.
    private static func window<Row>(_ page: ResultPage, _ rows: [Row]) -> [Row] {
        Array(rows.dropFirst(page.offset).prefix(page.limit ?? Int.max))
    }

    /// An area the town does not have is ``StoreError/notFound(_:)``, as the store says it.
    private func checkArea(_ area: AreaFilter?) throws(StoreError) {
        guard let area else { return }
        let known = switch area {
        case .grid(let code): try base.grids().contains { $0.code == code.gridCode }
        case .microGrid(let code): try base.microGrids(of: code.gridCode).contains { $0.code == code }
        }
        if !known { throw .notFound(area.description) }
    }

    public func summary() throws(StoreError) -> TownSummary {
        var summary = try base.summary()
        summary.residents = located.count
        summary.teamMembers = members.count
        var byCategory: [ResidentCategory: Int] = [:]
        for grid in summary.byGrid.keys { summary.byGrid[grid]?.residents = 0 }
        for row in located {
            for category in row.resident.categories { byCategory[category, default: 0] += 1 }
            if let grid = row.grid { summary.byGrid[grid]?.residents += 1 }
        }
        summary.residentsByCategory = byCategory
        if let homes {
            let now = try base.locatedFeatures(of: .home, in: nil, page: .all)
            summary.featuresByKind[.home] = homes.count
            for home in now { if let grid = home.microGrid?.gridCode { summary.byGrid[grid]?.features -= 1 } }
            for home in homes { if let grid = home.microGrid?.gridCode { summary.byGrid[grid]?.features += 1 } }
        }
        return summary
    }

    // The events, accounts and history are the store's own.

    public func perform(_ operations: [EventLogOperation], uploads: [AttachmentUpload], catalogue: EventCatalogue) throws(EventLogError) -> [EventLogResult] {
        throw .store(.importRefused("the register as of \(day) is read-only"))
    }
    public func attachmentBytes(_ sha256: String, from offset: Int, count: Int) throws(EventLogError) -> Data? {
        try base.attachmentBytes(sha256, from: offset, count: count)
    }
    public func attachmentHashes() throws(EventLogError) -> [String] { try base.attachmentHashes() }
    public func event(_ id: String, catalogue: EventCatalogue) throws(EventLogError) -> EventCase? { try base.event(id, catalogue: catalogue) }
    public func forEachEvent(_ filter: EventFilter, catalogue: EventCatalogue, _ body: (EventCase) throws(EventLogError) -> Void) throws(EventLogError) {
        try base.forEachEvent(filter, catalogue: catalogue, body)
    }
    public func forEachSummary(_ filter: EventFilter, _ body: (EventSummary) throws(EventLogError) -> Void) throws(EventLogError) {
        try base.forEachSummary(filter, body)
    }
    public func foldSummaries<Value: Sendable>(_ filter: EventFilter, parts: Int, start: @escaping @Sendable () -> Value,
                                               add: @escaping @Sendable (inout Value, EventSummary) -> Void) throws(EventLogError) -> [Value] {
        try base.foldSummaries(filter, parts: parts, start: start, add: add)
    }
    public func escalateOverdue(before time: Date, catalogue: EventCatalogue) throws(EventLogError) -> [(event: String, entry: EventEntry)] {
        throw .store(.importRefused("the register as of \(day) is read-only"))
    }
    public func inspections() throws(EventLogError) -> [Inspection] { try base.inspections() }
    public func findings(of inspection: String?) throws(EventLogError) -> [InspectionFinding] { try base.findings(of: inspection) }
    public func activities(_ filter: EventFilter) throws(EventLogError) -> [Activity] { try base.activities(filter) }

    public func registerStart() throws(RegisterError) -> RegisterDay? { try base.registerStart() }
    public func recordChanges(_ requests: [RegisterChangeRequest], at time: Date) throws(RegisterError) -> [RegisterChange] {
        throw .store(.importRefused("the register as of \(day) is read-only"))
    }
    /// The base's past: the first change after an earlier day gives the value then, whether it
    /// came before this view's day or after; from this view's day on nothing differs.
    public func registerPast(asOf day: RegisterDay) throws(RegisterError) -> RegisterPast {
        day >= self.day ? RegisterPast(day: day, values: []) : try base.registerPast(asOf: day)
    }

    public func registerChanges(_ filter: RegisterFilter) throws(RegisterError) -> [RegisterChange] {
        var filter = filter
        filter.through = min(filter.through ?? day, day)
        return try base.registerChanges(filter)
    }

    public func surveyCampaigns() throws(SurveyError) -> [SurveyCampaign] {
        try base.surveyCampaigns().filter { $0.start <= day }
    }
    public func recordSurvey(starting campaigns: [SurveyCampaign], visits batch: [(visit: SurveyVisit, changes: [RegisterChangeRequest])])
        throws(SurveyError) -> [(visit: SurveyVisit, changes: [RegisterChange])] {
        throw .store(.importRefused("the register as of \(day) is read-only"))
    }
    /// The visits made by the end of this view's day.
    public func surveyVisits(campaign name: String) throws(SurveyError) -> [SurveyVisit] {
        try base.surveyVisits(campaign: name).filter { $0.day <= day }
    }
}

/// What every as-of answer starts from, read once: today's residents (with their homes'
/// places) and team, and the day the register began. Each day's answer then reads only the
/// changes after that day.
public struct RegisterReading: Sendable {
    public let store: any TownStore
    /// The day the register began.
    public let start: RegisterDay
    let today: [LocatedResident]
    let team: [TeamMember]
    let places: RegisterPlaces

    public init(_ store: any TownStore) throws(JobError) {
        self.store = store
        start = try Self.startDay(of: store)
        today = try asJobError { try store.locatedResidents(in: nil, categories: [], page: .all) }
        team = try asJobError { try store.team(of: nil) }
        places = RegisterPlaces(try asJobError { try store.homePlaces() })
    }
}

extension RegisterReading {
    /// The day `store`'s register began; the store without a town is refused.
    static func startDay(of store: any TownStore) throws(JobError) -> RegisterDay {
        let started = try asJobError { try store.registerStart() }
        guard let start = started else { throw .invalidRequest("The store holds no town.") }
        return start
    }

    /// Refuses a day before the register began: there is no record of it.
    static func check(_ day: RegisterDay, start: RegisterDay) throws(JobError) {
        if day < start {
            throw .invalidRequest("--as-of \(day) is before the register began (\(start), the import it starts from): there is no record of that day.")
        }
    }

    /// The values `store`'s history holds of the subjects changed after `day`, as they were then.
    static func past(of store: any TownStore, asOf day: RegisterDay) throws(JobError) -> RegisterPast {
        do {
            return try store.registerPast(asOf: day)
        } catch {
            throw RegisterDesk.jobError(error)
        }
    }
}

/// The category × grid table as the register stood at the end of a day, without reading the
/// day's whole register (issue #16's target: under 0.2 s over a year of changes): the store
/// counts the residents as of the day (``TownStore/residentTally(asOf:)``: today's counts, with
/// the residents changed after the day counted as they were then), and the table is made from
/// those counts. It answers exactly as the table of ``RegisterAsOfStore`` (whose residents are
/// placed the same way) does.
public struct RegisterAsOfCounts: Sendable {
    public let day: RegisterDay
    /// The residents of the day, counted.
    public let tally: ResidentTally
    /// The town's grids, in import order.
    public let grids: [GridCode]

    /// The counts of `store`'s register as of `day`; a day before the register began is refused,
    /// a day after today is today.
    public init(_ store: any TownStore, asOf day: RegisterDay) throws(JobError) {
        try RegisterReading.check(day, start: RegisterReading.startDay(of: store))
        self.day = day
        do {
            tally = try store.residentTally(asOf: day)
        } catch {
            throw RegisterDesk.jobError(error)
        }
        grids = try asJobError { try store.grids() }.map(\.code)
    }

    /// The categories a comma-separated `list` names, each checked against those the town
    /// knows as of the day; none (meaning all) when nil.
    public func categories(_ list: String?) throws(JobError) -> [ResidentCategory] {
        guard let list else { return [] }
        return try RequestParsing.categories(list, known: RequestParsing.allCategories(held: tally.categories))
    }

    /// The table over `categories` (all the town knows as of the day when empty), as `role` may
    /// see it: ``ResidentSelection/counts(of:as:)`` of the day.
    public func counts(of categories: [ResidentCategory], as role: ResidentRole) throws(JobError) -> CategoryCounts {
        try RequestParsing.checkRole(role, grids: grids)
        let columns = categories.isEmpty ? RequestParsing.allCategories(held: tally.categories) : categories
        return CategoryCounts(tally: tally, grids: grids.sorted(), categories: columns, as: Disclosure(role))
    }
}

extension TownStores {
    /// The store with a town, as its register stood at the end of `day` (today's when nil).
    public func openWithTown(asOf day: RegisterDay?) throws(JobError) -> any TownStore {
        let store = try openWithTown()
        guard let day else { return store }
        return try RegisterAsOfStore(store, asOf: day)
    }
}

extension ResidentSelection {
    /// A selection over the register as it stood at the end of `day` (today's when nil).
    public init(store: any TownStore, asOf day: RegisterDay?) throws(JobError) {
        if let day {
            try self.init(store: RegisterAsOfStore(store, asOf: day))
        } else {
            try self.init(store: store)
        }
    }
}

/// The category × grid table at the end of each month of a year, from one reading of the
/// register: what a town office reports month by month.
public enum MonthlyCounts {
    /// One table per month end of `year` from the register's start up to today's month (a
    /// month ending before the register began has no record and is left out; the current
    /// month's table is today's).
    public static func tables(of store: any TownStore, year: Int, categories: [ResidentCategory], as role: ResidentRole,
                              today: RegisterDay = RegisterDay(Date())) throws(JobError) -> [(day: RegisterDay, counts: CategoryCounts)] {
        let selection = try ResidentSelection(store: store)
        try RequestParsing.checkRole(role, grids: selection.data.grids.map(\.code))
        let columns = categories.isEmpty ? RequestParsing.allCategories(in: selection.data) : categories
        let grids = selection.data.grids.map(\.code).sorted()
        let reading = try RegisterReading(store)
        var tables: [(day: RegisterDay, counts: CategoryCounts)] = []
        for month in 1...12 {
            guard let end = RegisterDay.endOfMonth(month, in: year), end >= reading.start else { continue }
            let day = min(end, max(today, reading.start))
            let rows = try RegisterAsOfStore(reading, asOf: day).residentsThen
            tables.append((end, CategoryCounts(rows: rows, grids: grids, categories: columns, as: Disclosure(role))))
            if end >= today { break }
        }
        return tables
    }

    /// The tables as one CSV: a `month_end` column before each table's columns.
    public static func csv(_ tables: [(day: RegisterDay, counts: CategoryCounts)]) -> String {
        var text = ""
        for (day, table) in tables {
            let lines = table.csv.split(separator: "\n", omittingEmptySubsequences: true)
            if text.isEmpty, let header = lines.first { text = "month_end," + header + "\n" }
            for line in lines.dropFirst() { text += "\(day),\(line)\n" }
        }
        return text
    }
}
