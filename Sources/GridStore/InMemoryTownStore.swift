import Foundation
import GEOS
import GeoJSON
import GridMapCore
import PROJ

/// A store that keeps one town in memory: for tests of the jobs, and a fine embedded store for
/// a tiny town that needs no file.
///
/// It keeps every promise of ``TownStore`` as ``SQLiteTownStore`` does, by the same code where
/// the rule lives: an import goes through ``ImportPlanner`` (the same problems, all or nothing);
/// what it holds is the plan's rows, with geometries decoded from the plan's WKB, so they come
/// back exactly as from SQLite (2D); areas follow ``AreaMatcher``; who sees which residents is
/// the application's disclosure policy, not the store's. The contract tests check
/// that both stores answer alike, on the synthetic town and on the whole bundled one.
///
/// An import builds a new immutable ``Snapshot`` and swaps it in; a read takes the current
/// snapshot and works on it alone, so it sees one import or the next, never a mixture.
public final class InMemoryTownStore: TownStore, @unchecked Sendable {
    // @unchecked Sendable: `state` is the only mutable stored property, and it is read and
    // written only inside `withState`, under `lock`; what leaves the lock is a `Sendable` value.
    private let lock = NSLock()
    private var state = State()

    struct State {
        var snapshot: Snapshot?
        var log: [ImportRecord] = []
        var records = EventRecords()
        /// The register's history, each entry with the import (its index in `log`) whose
        /// register it changed.
        var register: [(importIndex: Int, change: RegisterChange)] = []
        /// The survey's campaigns and visits (``SurveyLog``), kept across imports.
        var campaigns: [SurveyCampaign] = []
        var visits: [SurveyVisit] = []
    }

    /// The event log's records: event EV-n is `events[n - 1]`, inspection IN-n `inspections[n - 1]`,
    /// activity AC-n `activities[n - 1]`.
    struct EventRecords {
        var events: [EventCase] = []
        var inspections: [Inspection] = []
        var findings: [InspectionFinding] = []
        var activities: [Activity] = []
        /// Attachment contents by SHA-256, each with its size and type.
        var contents: [String: (attachment: EventAttachment, bytes: Data)] = [:]
    }

    /// The accounts, sessions and audit log (``AccountBook``), kept apart from the town and events.
    public let accountBook: any AccountBook = InMemoryAccountBook()

    /// An empty store.
    public init() {}

    public var location: String { "memory" }

    func withState<T>(_ body: (inout State) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&state)
    }

    private var snapshot: Snapshot? { withState { $0.snapshot } }

    /// Runs `body` on the event log's records under the lock, all or nothing: the records change
    /// only if `body` returns.
    func withRecords<T>(_ body: (inout EventRecords) throws(EventLogError) -> T) throws(EventLogError) -> T {
        lock.lock()
        defer { lock.unlock() }
        var records = state.records
        let result = try body(&records)
        state.records = records
        return result
    }

    // MARK: TownStore

    public func info() throws(StoreError) -> StoreInfo {
        withState { StoreInfo(imports: $0.log.count, lastImport: $0.log.last) }
    }

    @discardableResult
    public func importTown(_ data: TownData, source: String, acceptedCoverageFaults: [AcceptedCoverageFault]) throws(StoreError) -> ImportSummary {
        let plan = try ImportPlanner.planOrReject(data, coverageFaults: acceptedCoverageFaults)
        let snapshot = try Snapshot(plan)
        // To the second, as the SQLite store's log keeps it.
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let record = ImportRecord(source: source, importedAt: now, townCode: plan.town.code)
        withState {
            $0.snapshot = snapshot
            $0.log.append(record)
        }
        return snapshot.summary
    }

    public func acceptedCoverageFaults() throws(StoreError) -> [AcceptedCoverageFault] {
        snapshot?.plan.coverageFaults ?? []
    }

    public func loadTown(_ parts: TownParts) throws(StoreError) -> TownData? {
        guard var data = snapshot?.town else { return nil }
        if !parts.contains(.features) { data.features = [] }
        if !parts.contains(.residents) { data.residents = [] }
        return data
    }

    public func town() throws(StoreError) -> Town? { snapshot?.town.town }

    public func villages() throws(StoreError) -> [Village] { snapshot?.town.villages ?? [] }

    public func grids() throws(StoreError) -> [Grid] { snapshot?.town.grids ?? [] }

    public func microGrids(of grid: GridCode?) throws(StoreError) -> [MicroGrid] {
        let all = snapshot?.town.microGrids ?? []
        guard let grid else { return all }
        return all.filter { $0.gridCode == grid.gridCode }
    }

    public func team(of grid: GridCode?) throws(StoreError) -> [TeamMember] {
        let all = snapshot?.town.team ?? []
        guard let grid else { return all }
        return all.filter { $0.gridCode == grid.gridCode }
    }

    public func featureKinds() throws(StoreError) -> [FeatureKind] {
        (snapshot?.featuresByKind.keys).map { $0.sorted() } ?? []
    }

    public func locatedFeatures(of kind: FeatureKind, in area: AreaFilter?,
                                page: ResultPage) throws(StoreError) -> [LocatedFeature] {
        let snapshot = self.snapshot
        let matcher = try area.map { area throws(StoreError) in try Snapshot.matcher(for: area, in: snapshot) }
        guard let snapshot else { return [] }
        func belongs(_ index: Int) throws(StoreError) -> Bool {
            guard let matcher else { return true }
            let row = snapshot.featureRows[index]
            return try matcher.contains(kind: kind, geometryType: row.geometry.typeName, microGrid: row.microGrid,
                                        wkb: row.geometry.wkb, envelope: row.geometry.envelope, id: row.feature.id)
        }
        func located(_ index: Int) throws(StoreError) -> LocatedFeature {
            LocatedFeature(feature: snapshot.town.features[index], microGrid: snapshot.featureRows[index].microGrid)
        }
        var indexes = (snapshot.featuresByKind[kind] ?? []).makeIterator()
        return try page.collect(next: { () throws(StoreError) in indexes.next() }, accepts: belongs, make: located)
    }

    public func bareFeatures(of kind: FeatureKind) throws(StoreError) -> [MapFeature] {
        guard let snapshot else { return [] }
        return (snapshot.featuresByKind[kind] ?? []).map {
            var feature = snapshot.town.features[$0]
            feature.properties = JSONObject()
            return feature
        }
    }

    public func homePlaces() throws(StoreError) -> [String: HomePlace] {
        guard let snapshot else { return [:] }
        var places: [String: HomePlace] = [:]
        for index in snapshot.featuresByKind[.home] ?? [] {
            let id = snapshot.town.features[index].id
            if let place = snapshot.places[id] { places[id] = HomePlace(microGrid: place.microGrid, point: place.location) }
        }
        return places
    }

    public func locatedResidents(in area: AreaFilter?, categories: Set<ResidentCategory>,
                                 page: ResultPage) throws(StoreError) -> [LocatedResident] {
        page.window(of: try residents(in: area, categories: categories))
    }

    public func residentCount(in area: AreaFilter?, categories: Set<ResidentCategory>) throws(StoreError) -> Int {
        try residents(in: area, categories: categories).count
    }

    public func locatedResidents(ids: Set<String>) throws(StoreError) -> [LocatedResident] {
        try residents(in: nil, categories: []).filter { ids.contains($0.resident.id) }
    }

    public func residentTally() throws(StoreError) -> ResidentTally {
        var tally = ResidentTally()
        for row in try residents(in: nil, categories: []) { tally.add(row.resident, in: row.microGrid) }
        return tally
    }

    /// Every resident in `area` with any of `categories`, in import order.
    private func residents(in area: AreaFilter?, categories: Set<ResidentCategory>) throws(StoreError) -> [LocatedResident] {
        let snapshot = self.snapshot
        if let area { _ = try Snapshot.polygon(of: area, in: snapshot) }
        guard let snapshot else { return [] }
        return snapshot.town.residents.compactMap { resident in
            guard let home = snapshot.places[resident.homeID] else { return nil }
            if let area, !area.contains(microGrid: home.microGrid) { return nil }
            if !categories.isEmpty, !resident.categories.contains(where: categories.contains) { return nil }
            return LocatedResident(resident: resident, microGrid: home.microGrid, location: home.location)
        }
    }

    public func summary() throws(StoreError) -> TownSummary {
        guard let snapshot else {
            return TownSummary(townCode: "", villages: 0, grids: 0, microGrids: 0, featuresByKind: [:], residents: 0,
                               residentsByCategory: [:], teamMembers: 0, byGrid: [:])
        }
        let town = snapshot.town
        var byGrid: [GridCode: TownSummary.GridCounts] = [:]
        for grid in town.grids { byGrid[grid.code] = .init(microGrids: 0, features: 0, residents: 0) }
        for microGrid in town.microGrids { byGrid[microGrid.gridCode]?.microGrids += 1 }
        for row in snapshot.featureRows {
            if let grid = row.microGrid?.gridCode { byGrid[grid]?.features += 1 }
        }
        var byCategory: [ResidentCategory: Int] = [:]
        for resident in town.residents {
            if let grid = snapshot.places[resident.homeID]?.microGrid?.gridCode { byGrid[grid]?.residents += 1 }
            for category in resident.categories { byCategory[category, default: 0] += 1 }
        }
        return TownSummary(
            townCode: town.town.code, villages: town.villages.count, grids: town.grids.count,
            microGrids: town.microGrids.count, featuresByKind: snapshot.featuresByKind.mapValues(\.count),
            residents: town.residents.count, residentsByCategory: byCategory, teamMembers: town.team.count,
            byGrid: byGrid)
    }

    // MARK: What one import stored

    /// One import's rows, immutable: the plan as written (WKB, boxes, micro-grids, points) and
    /// the town decoded from it, with the indexes the reads use.
    struct Snapshot: Sendable {
        let plan: ImportPlan
        /// The features' rows, all of them: this store keeps what the SQLite one writes.
        let featureRows: [ImportPlan.FeatureRow]
        let summary: ImportSummary
        /// The town as a store gives it back: geometries decoded from the plan's WKB; features
        /// and residents in the order of `featureRows` and `plan.residents`.
        let town: TownData
        /// Indexes into `featureRows` (and `town.features`) per kind, in import order.
        let featuresByKind: [FeatureKind: [Int]]
        /// Each feature's micro-grid and representative point, by id: where its residents live.
        let places: [String: (microGrid: GridCode?, location: Position?)]

        init(_ plan: ImportPlan) throws(StoreError) {
            let context = GEOSContext()
            func decode(_ stored: StoredGeometry, _ place: String) throws(StoreError) -> Geometry {
                do {
                    return try StoredGeometry.decode(stored.wkb, in: context)
                } catch {
                    throw .corrupt("\(place): its WKB does not decode: \(error)")
                }
            }
            self.plan = plan
            var featureRows: [ImportPlan.FeatureRow] = []
            featureRows.reserveCapacity(plan.features.count)
            let outside: Int
            do {
                outside = try plan.writeFeatureRows { featureRows.append(contentsOf: $0) }
            } catch let error as StoreError {
                throw error
            } catch {
                throw .corrupt("making the features' rows: \(error)")
            }
            self.featureRows = featureRows
            summary = plan.summary(featuresOutsideMicroGrids: outside)
            var town = TownData(town: Town(
                code: plan.town.code, name: plan.town.name, latinName: plan.town.latinName,
                workingCRS: CRSDefinition(plan.town.workingCRS), boundary: try decode(plan.town.boundary, "town \(plan.town.code)"),
                manifestMembers: try PropertiesText.decode(plan.town.manifestMembers, place: "town \(plan.town.code)",
                                                           column: "manifest_members")))
            town.villages = plan.villages
            for row in plan.grids {
                var grid = row.grid
                grid.geometry = try decode(row.geometry, "grid \(grid.code)")
                town.grids.append(grid)
            }
            for row in plan.microGrids {
                var microGrid = row.microGrid
                microGrid.geometry = try decode(row.geometry, "micro-grid \(microGrid.code)")
                town.microGrids.append(microGrid)
            }
            var featuresByKind: [FeatureKind: [Int]] = [:]
            var places: [String: (microGrid: GridCode?, location: Position?)] = [:]
            town.features.reserveCapacity(featureRows.count)
            for (index, row) in featureRows.enumerated() {
                var feature = row.feature
                feature.geometry = try decode(row.geometry, "feature \(feature.id)")
                town.features.append(feature)
                featuresByKind[feature.kind, default: []].append(index)
                places[feature.id] = (row.microGrid, row.representativePoint.map { Position(x: $0.x, y: $0.y) })
            }
            town.residents = plan.residents
            town.team = plan.team
            self.town = town
            self.featuresByKind = featuresByKind
            self.places = places
        }

        /// The stored polygon of `area`, or ``StoreError/notFound(_:)`` when `snapshot` (nil:
        /// an empty store) does not hold it.
        static func polygon(of area: AreaFilter, in snapshot: Snapshot?) throws(StoreError) -> StoredGeometry {
            let stored: StoredGeometry? = switch area {
            case .grid(let code): snapshot?.plan.grids.first { $0.grid.code == code.gridCode }?.geometry
            case .microGrid(let code): snapshot?.plan.microGrids.first { $0.microGrid.code == code }?.geometry
            }
            guard let stored else { throw .notFound(area.description) }
            return stored
        }

        /// The matcher for `area` (see ``polygon(of:in:)``).
        static func matcher(for area: AreaFilter, in snapshot: Snapshot?) throws(StoreError) -> AreaMatcher {
            let stored = try polygon(of: area, in: snapshot)
            guard let envelope = stored.envelope else { throw .corrupt("\(area) has an empty polygon") }
            return try AreaMatcher(area, wkb: stored.wkb, envelope: envelope)
        }
    }
}
