import Foundation
import GeoJSON
import GridMapCore
import GridStore
import MapRender

/// What a new event says, before the town places it.
public struct RaiseRequest: Sendable {
    public var category: String
    public var urgency: Urgency
    public var description: String
    /// Where the problem is, WGS84 longitude and latitude.
    public var location: Position
    /// The resident who brought the problem to the grid worker, by register id.
    public var reportedByResident: String?
    /// Residents the event concerns, by register id.
    public var residents: [String]

    public init(category: String, urgency: Urgency = .normal, description: String, location: Position,
                reportedByResident: String? = nil, residents: [String] = []) {
        self.category = category
        self.urgency = urgency
        self.description = description
        self.location = location
        self.reportedByResident = reportedByResident
        self.residents = residents
    }
}

/// Which events a list or a table covers.
public struct EventQuery: Sendable, Hashable {
    public var grid: GridCode?
    public var village: String?
    public var phase: EventPhase?
    public var department: String?
    public var category: String?
    /// Raised at or after.
    public var from: Date?
    /// Raised before.
    public var before: Date?
    /// The events as they stood at this time: later events left out, later entries cut off, and
    /// overdue steps counted at it (an office reports "as of" the end of a month).
    public var asOf: Date?

    public init(grid: GridCode? = nil, village: String? = nil, phase: EventPhase? = nil, department: String? = nil,
                category: String? = nil, from: Date? = nil, before: Date? = nil, asOf: Date? = nil) {
        (self.grid, self.village, self.phase, self.department) = (grid, village, phase, department)
        (self.category, self.from, self.before, self.asOf) = (category, from, before, asOf)
    }
}

/// The town's event desk: raising events at a place, acting on them as a named team member,
/// department or the office, and the lists and rates the office watches. The store keeps the
/// histories (``EventLog``); the town's micro-grids place each event and its team answers for it.
public struct EventDesk: Sendable {
    public let store: any TownStore
    public let catalogue: EventCatalogue
    /// The town without features and residents: grids, villages and teams.
    public let town: TownData
    let atlas: Atlas
    /// The register's ids, read once on first need: a journal of many events about residents
    /// would otherwise read the whole register once per event.
    private let residentIDs = ResidentIDs()

    public init(store: any TownStore, catalogue: EventCatalogue = .standard) throws(JobError) {
        self.store = store
        self.catalogue = catalogue
        let loaded = try LoadedTown(store: store, loading: [])
        town = loaded.data
        atlas = loaded.atlas
    }

    // MARK: - Who acts

    /// The actor named by `text`:
    /// - `DC-017/liaison` or `DC-017/chief`: that grid's member in that role (the only one);
    ///   `DC-017/NAME`: the member of DC-017's team of that name;
    /// - `department:CODE` or `department:CODE/PERSON`: a department of the catalogue;
    /// - `office` or `office/PERSON`: the town's grid office.
    public func actor(_ text: String) throws(JobError) -> EventActor {
        let (head, person) = Self.split(text)
        if head == "office" { return .office(person: person ?? "") }
        if head.hasPrefix("department:") {
            let code = String(head.dropFirst("department:".count))
            guard catalogue.department(code) != nil else {
                throw .invalidRequest("--as \(text): no department \(code); departments: \(catalogue.departments.map(\.code).joined(separator: ", "))")
            }
            return .department(code: code, person: person ?? "")
        }
        guard GridCode(head).map({ !$0.isMicroGrid }) ?? false else {
            throw .invalidRequest("--as \(text): say who acts as GRID/ROLE or GRID/NAME (e.g. DC-017/liaison), department:CODE[/PERSON] or office[/PERSON]")
        }
        let member = try RequestParsing.teamMember(text, in: town)
        return .teamMember(grid: member.gridCode, role: member.role, name: member.name)
    }

    static func split(_ text: String) -> (String, String?) {
        guard let slash = text.firstIndex(of: "/") else { return (text, nil) }
        let person = String(text[text.index(after: slash)...])
        return (String(text[..<slash]), person.isEmpty ? nil : person)
    }

    // MARK: - Raising and acting

    /// Places the request in the town (its micro-grid, grid and village) and raises it, with the
    /// files attached (stored once per SHA-256, in the same transaction; see ``uploads(_:)``).
    public func raise(_ request: RaiseRequest, by actor: EventActor, at time: Date,
                      attaching files: [AttachmentFile] = []) throws(JobError) -> EventCase {
        var report = try report(request)
        let uploads = try uploads(files)
        report.attachments = uploads.map(\.attachment)
        return try perform(.raise(EventEntry(at: time, actor: actor, action: .raise(report))), uploads: uploads)
    }

    /// The raise record of `request`, placed in its micro-grid; residents checked against the register.
    func report(_ request: RaiseRequest) throws(JobError) -> EventReport {
        let (microGrid, village) = try place(request.location, what: "an event")
        try checkResidents([request.reportedByResident].compactMap { $0 } + request.residents)
        return EventReport(category: request.category, urgency: request.urgency, description: request.description,
                           location: request.location, microGrid: microGrid, villageCode: village,
                           reportedByResident: request.reportedByResident, residents: request.residents)
    }

    /// The micro-grid and village of `point`; a point outside the town is refused.
    func place(_ point: Position, what: String) throws(JobError) -> (GridCode, String) {
        let location = try asJobError(.invalidRequest, "the point \(point.x),\(point.y)") {
            try atlas.locate(longitude: point.x, latitude: point.y)
        }
        guard let place = location.place else {
            let distance = if case .outside(let outside) = location { " (\(Int(outside.distance.rounded())) m from \(outside.nearestMicroGrid))" } else { "" }
            throw .invalidRequest("The point \(point.x),\(point.y) lies outside the town\(distance): \(what) belongs to a micro-grid.")
        }
        guard let grid = place.grid else { throw .invalidRequest("Micro-grid \(place.microGrid.code) has no grid in the stored town.") }
        return (place.microGrid.code, grid.villageCode)
    }

    /// Records `action` on event `id` by `actor` at `time`, with the files attached (a photo of
    /// the repaired well); escalations of deadlines passed before it come first.
    public func act(on id: String, _ action: EventAction, by actor: EventActor, note: String = "", at time: Date,
                    attaching files: [AttachmentFile] = []) throws(JobError) -> EventCase {
        let uploads = try uploads(files)
        let entry = EventEntry(at: time, actor: actor, action: action, note: note, attachments: uploads.map(\.attachment))
        return try perform(.record(.id(id), entry), uploads: uploads)
    }

    /// Appends the escalations of every deadline passed before `now`.
    public func escalateOverdue(now: Date) throws(JobError) -> [(event: String, entry: EventEntry)] {
        try logged { () throws(EventLogError) in try store.escalateOverdue(before: now, catalogue: catalogue) }
    }

    // MARK: - Reading

    /// The event `id`, or ``JobError/Kind/notFound`` (404 on the server; the command line exits 64).
    public func event(_ id: String) throws(JobError) -> EventCase {
        guard let event = try logged({ () throws(EventLogError) in try store.event(id, catalogue: catalogue) }) else {
            throw .notFound("There is no event \(id).")
        }
        return event
    }

    /// The events `query` selects, in raising order.
    public func events(_ query: EventQuery) throws(JobError) -> [EventCase] {
        var events: [EventCase] = []
        try forEachEvent(query) { events.append($0) }
        return events
    }

    /// Hands each event `query` selects to `body`, as it stood at the query's as-of time, without
    /// holding them all.
    func forEachEvent(_ query: EventQuery, _ body: (EventCase) -> Void) throws(JobError) {
        try check(query)
        try logged { () throws(EventLogError) in
            try store.forEachEvent(filter(query), catalogue: catalogue) { stored throws(EventLogError) in
                var event = stored
                if let asOf = query.asOf, let last = event.history.last, last.at > asOf {
                    let past = event.history.filter { $0.at <= asOf }
                    event = try refusingFlow { () throws(EventFlowError) in try EventCase(id: event.id, history: past, catalogue: catalogue) }
                }
                if Self.selects(query, event.summary) { body(event) }
            }
        }
    }

    /// Hands the summary of each event `query` selects to `body`: from the store's derived state
    /// (one row per event), or, for a query as of a past time, from the histories cut there.
    func forEachSummary(_ query: EventQuery, _ body: (EventSummary) -> Void) throws(JobError) {
        guard query.asOf == nil else {
            try forEachEvent(query) { body($0.summary) }
            return
        }
        try check(query)
        try logged { () throws(EventLogError) in
            try store.forEachSummary(filter(query)) { summary in if Self.selects(query, summary) { body(summary) } }
        }
    }

    /// The part of `query` the store applies itself.
    private func filter(_ query: EventQuery) -> EventFilter {
        var filter = EventFilter(grid: query.grid, category: query.category, raisedFrom: query.from, raisedBefore: query.before)
        if let asOf = query.asOf { filter.raisedBefore = min(filter.raisedBefore ?? .distantFuture, asOf.addingTimeInterval(0.001)) }
        return filter
    }

    /// The rest of `query`: village, state and department.
    private static func selects(_ query: EventQuery, _ event: EventSummary) -> Bool {
        (query.village == nil || event.villageCode == query.village)
            && (query.phase == nil || event.phase == query.phase)
            && (query.department == nil || event.parts.contains { $0.department == query.department })
    }

    /// The events with a step past its deadline at `now` (or the query's as-of time), each with those steps.
    public func overdue(_ query: EventQuery, now: Date) throws(JobError) -> [(event: EventCase, steps: [EventStep])] {
        let now = query.asOf ?? now
        return try events(query).compactMap { event in
            let steps = event.overdueSteps(at: now).filter { query.department == nil || $0.department == query.department }
            return steps.isEmpty ? nil : (event, steps)
        }
    }

    /// The rates of the events `query` selects, grouped by `grouping`, with overdue counted at `now`.
    /// Read on every core from the store's derived state (``EventLog/rates(by:_:now:parts:where:)``),
    /// or, as of a past time, tallied from the histories cut there.
    public func rates(by grouping: EventGrouping, _ query: EventQuery, now: Date) throws(JobError) -> EventRateTable {
        guard let asOf = query.asOf else {
            try check(query)
            return try logged { () throws(EventLogError) in
                try store.rates(by: grouping, filter(query), now: now, where: { Self.selects(query, $0) })
            }
        }
        var tally = EventRateTable.Tallying(by: grouping, now: asOf)
        try forEachSummary(query) { tally.add($0) }
        return tally.table
    }

    /// Runs `body`, turning the flow's refusal into the log's.
    private func refusingFlow<T>(_ body: () throws(EventFlowError) -> T) throws(EventLogError) -> T {
        do { return try body() } catch { throw .refused(error) }
    }

    /// The monthly rates chart (SVG) of the events `query` selects, in `language` (`zh`, `en`;
    /// nil: the town's), with `title` or the language's own.
    public func ratesChart(_ query: EventQuery, now: Date, title: String? = nil, language: String? = nil) throws(JobError) -> String {
        let language = try TownMap.language(language) ?? .default(for: town.town)
        let title = title ?? (language == .chinese ? "网格事件月度指标 · monthly event rates" : "Monthly event rates")
        return RatesChart.svg(try rates(by: .month, query, now: now), title: title, language: language)
    }

    /// The map of the events `query` selects, as `role` may see them: the town (or one grid's
    /// sheet) with each grid labelled with its number of events, and a symbol at each event whose
    /// point the role may see (``Disclosure/seesLocation(of:)``).
    public func eventMap(_ query: EventQuery, as role: ResidentRole, page: String = "a3", language: String? = nil,
                         now: Date) throws(JobError) -> RenderedMap {
        let chosen = try TownMap.language(language) ?? .default(for: town.town)
        try RequestParsing.checkRole(role, grids: town.grids.map(\.code))
        let disclosure = Disclosure(role)
        var data = try LoadedTown.data(from: store, .features)
        var counts: [GridCode: Int] = [:]
        try forEachEvent(query) { event in
            counts[event.report.grid, default: 0] += 1
            guard disclosure.seesLocation(of: event) else { return }
            data.features.append(MapFeature(id: event.id, kind: .event, name: event.id, geometry: .point(event.report.location)))
        }
        for index in data.grids.indices {
            let count = counts[data.grids[index].code] ?? 0
            data.grids[index].name += chosen == .chinese ? " · \(count)件" : " · \(count) event\(count == 1 ? "" : "s")"
        }
        let title = chosen == .chinese ? "\(data.town.name)网格事件分布图"
            : "\(data.town.latinName.isEmpty ? data.town.name : data.town.latinName): grid events"
        let map = TownMap(page: page, grid: query.grid, title: title, language: chosen.rawValue)
        return try map.render(data, dataSource: "GridMap, \(store.location); \(counts.values.reduce(0, +)) events")
    }

    // MARK: - Checks

    /// Refuses codes the town or the catalogue does not have.
    private func check(_ query: EventQuery) throws(JobError) {
        if let grid = query.grid, !town.grids.contains(where: { $0.code == grid }) { throw .invalidRequest("The town has no grid \(grid).") }
        if let village = query.village, !town.villages.contains(where: { $0.code == village }) { throw .invalidRequest("The town has no village \(village).") }
        if let code = query.department, catalogue.department(code) == nil {
            throw .invalidRequest("No department \(code); departments: \(catalogue.departments.map(\.code).joined(separator: ", ")).")
        }
        if let code = query.category, catalogue.category(code) == nil {
            throw .invalidRequest("No category \(code); categories: \(catalogue.categories.map(\.code).joined(separator: ", ")).")
        }
    }

    /// Refuses resident ids the register does not hold.
    private func checkResidents(_ ids: [String]) throws(JobError) {
        guard !ids.isEmpty else { return }
        let known = try residentIDs.load { () throws(JobError) in Set(try LoadedTown.data(from: store, .residents).residents.map(\.id)) }
        let unknown = ids.filter { !known.contains($0) }
        guard unknown.isEmpty else { throw .invalidRequest("The register has no resident \(unknown.joined(separator: ", ")).") }
    }

    /// Runs an event log call: the flow's refusals are rejections (exit 1) naming the event and the
    /// rule, an unknown event a bad request, a store failure a failure.
    func logged<T>(_ body: () throws(EventLogError) -> T) throws(JobError) -> T {
        do {
            return try body()
        } catch {
            throw Self.jobError(error)
        }
    }

    /// `error` as a job's error; `where` names what failed (an operation of a batch, a journal line).
    static func jobError(_ error: EventLogError, where place: String? = nil) -> JobError {
        let prefix = place.map { "\($0): " } ?? ""
        switch error {
        case .refused(let refusal): return JobError(.rejected, prefix + refusal.description + "; nothing was recorded")
        case .unknownEvent(let id): return .invalidRequest(prefix + "There is no event \(id).")
        case .unknownInspection(let id): return .invalidRequest(prefix + "There is no inspection \(id).")
        case .operation(_, let inner): return jobError(inner, where: place)
        case .badReference, .unexpectedResult: return .invalidRequest(prefix + error.description)
        case .store(let failure): return .failed(failure)
        }
    }
}

/// A set of ids read at most once, shared by copies of the desk that holds it.
private final class ResidentIDs: @unchecked Sendable {
    // `ids` is read and written only under `lock`.
    private let lock = NSLock()
    private var ids: Set<String>?

    func load(_ read: () throws(JobError) -> Set<String>) throws(JobError) -> Set<String> {
        lock.lock()
        defer { lock.unlock() }
        if let ids { return ids }
        let loaded = try read()
        ids = loaded
        return loaded
    }
}
