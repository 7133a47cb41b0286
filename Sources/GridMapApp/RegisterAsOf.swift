import Foundation
import GeoJSON
import GridMapCore
import GridStore

/// The stored town as its register stood at the end of one day: a read-only ``TownStore`` over
/// the real one whose residents, homes and team come from today's register and the history
/// (``RegisterTimeline``), and everything else (the map, events, accounts) from the store. Any
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
        if day < reading.start {
            throw .invalidRequest("--as-of \(day) is before the register began (\(reading.start), the import it starts from): there is no record of that day.")
        }
        base = reading.store
        self.day = day
        var places = reading.places
        let homes = reading.homesToday.map { reading.timeline.homes(asOf: day, today: $0) }
        for home in homes ?? [] { places.add(home) }
        let residents = reading.timeline.residents(asOf: day, today: reading.today.map(\.resident))
        located = residents.map { resident in
            let place = places.place(of: resident.homeID)
            return LocatedResident(resident: resident, microGrid: place?.microGrid, location: place?.point)
        }
        members = reading.timeline.team(asOf: day, today: reading.team)
        self.homes = homes
    }

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

    public func locatedResidents(in area: AreaFilter?, categories: Set<ResidentCategory>, page: ResultPage) throws(StoreError) -> [LocatedResident] {
        Self.window(page, try residents(in: area, categories: categories))
    }

    public func residentCount(in area: AreaFilter?, categories: Set<ResidentCategory>) throws(StoreError) -> Int {
        try residents(in: area, categories: categories).count
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
    public func registerChanges(_ filter: RegisterFilter) throws(RegisterError) -> [RegisterChange] {
        var filter = filter
        filter.through = min(filter.through ?? day, day)
        return try base.registerChanges(filter)
    }
}

/// What every as-of answer starts from, read once: today's register and the history.
public struct RegisterReading: Sendable {
    public let store: any TownStore
    /// The day the register began.
    public let start: RegisterDay
    public let timeline: RegisterTimeline
    let today: [LocatedResident]
    let team: [TeamMember]
    /// Today's homes, read only when the history changes any home.
    let homesToday: [HomeRecord]?
    var places: RegisterPlaces

    public init(_ store: any TownStore) throws(JobError) {
        self.store = store
        let started = try asJobError { try store.registerStart() }
        guard let start = started else { throw .invalidRequest("The store holds no town.") }
        self.start = start
        let history = try asJobError { try store.registerChanges(.all) }
        let timeline = RegisterTimeline(history)
        self.timeline = timeline
        today = try asJobError { try store.locatedResidents(in: nil, categories: [], page: .all) }
        team = try asJobError { try store.team(of: nil) }
        var places = RegisterPlaces(today: today, history: history)
        let changesHomes = timeline.subjects.contains { $0.kind == .home }
        // A home only the history names (nobody lives there today) is looked up in the store.
        let unplaced = history.contains { change in
            [change.before, change.after].contains { record in
                if case .resident(let resident)? = record { places.place(of: resident.homeID) == nil } else { false }
            }
        }
        if changesHomes || unplaced {
            let current = try asJobError { try store.locatedFeatures(of: .home, in: nil, page: .all) }
            for home in current { places.add(HomeRecord(feature: home.feature, microGrid: home.microGrid)) }
            homesToday = changesHomes
                ? current.map { HomeRecord(feature: $0.feature, microGrid: $0.microGrid, point: places.place(of: $0.feature.id)?.point) } : nil
        } else {
            homesToday = nil
        }
        self.places = places
    }
}

/// Where each home is (micro-grid and point), from today's located residents and the homes the
/// history holds.
struct RegisterPlaces {
    private var places: [String: (microGrid: GridCode?, point: Position?)] = [:]

    init(today: [LocatedResident], history: [RegisterChange]) {
        for row in today where places[row.resident.homeID] == nil {
            places[row.resident.homeID] = (row.microGrid, row.location)
        }
        for change in history {
            for case .home(let home)? in [change.before, change.after] { add(home) }
        }
    }

    mutating func add(_ home: HomeRecord) {
        if places[home.feature.id] == nil { places[home.feature.id] = (home.microGrid, home.point ?? home.feature.geometry.pointPosition) }
    }

    func place(of home: String) -> (microGrid: GridCode?, point: Position?)? { places[home] }
}

private extension Geometry {
    /// The position of a Point; nil for any other geometry.
    var pointPosition: Position? {
        if case .point(let position) = self { position } else { nil }
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

/// The category × grid table at the end of each month of a year, from one reading of the
/// register: what a town office reports month by month.
public enum MonthlyCounts {
    /// One table per month end of `year` from the register's start up to today's month (a
    /// month ending before the register began has no record and is left out).
    public static func tables(of store: any TownStore, year: Int, categories: [ResidentCategory], as role: ResidentRole,
                              today: RegisterDay = RegisterDay(Date())) throws(JobError) -> [(day: RegisterDay, counts: CategoryCounts)] {
        let reading = try RegisterReading(store)
        var tables: [(day: RegisterDay, counts: CategoryCounts)] = []
        for month in 1...12 {
            guard let end = RegisterDay.endOfMonth(month, in: year), end >= reading.start else { continue }
            let day = min(end, max(today, reading.start))
            let selection = try ResidentSelection(store: RegisterAsOfStore(reading, asOf: day))
            tables.append((end, try selection.counts(of: categories, as: role)))
            if end >= today { break }
        }
        return tables
    }
}
