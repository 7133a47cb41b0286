import Foundation
import GeoJSON
import GridMapCore

/// Where the GridMap tools keep a town: the one interface the command line, the jobs and the
/// server hold (`any TownStore`), so that the embedded SQLite store (``SQLiteTownStore``), the
/// in-memory store (``InMemoryTownStore``) and a later PostgreSQL + PostGIS store are
/// interchangeable.
///
/// The requirements are the reads a database answers well: each filter (area, kind, category)
/// and each page is part of the request, so that a server database narrows in its own query
/// instead of handing over the whole town. What is built from those reads — plain features
/// and residents, the export layers — lives in an extension, once for every store. The store
/// masks nobody: which residents and team members a reader sees is decided by the application's
/// disclosure policy (GridMapApp's `Disclosure`) and reaches the export layers as a
/// ``PersonFilter``.
///
/// Promises every implementation keeps (the contract tests in GridStoreTests check them on
/// every store):
/// - Order: rows come back in import order (the order of the imported ``TownData``); team
///   members too. Pages (``ResultPage``) are windows on that order, so paging is stable.
/// - Snapshots: an import is all or nothing, and each call reads one consistent state, never
///   half of an import.
/// - Areas: ``AreaFilter``'s rule; an area the store does not hold is ``StoreError/notFound(_:)``.
/// - Errors: every method throws ``StoreError`` only.
///
/// Every operation is synchronous and may be called from any thread: a command-line tool needs
/// nothing more, and a server can call it from its own executor.
public protocol TownStore: EventLog, RegisterLog, SurveyLog, Sendable {
    /// Where the data lives, for messages: a file path, a database's name, or `memory`.
    var location: String { get }

    /// Whether a town has been imported, from where and when.
    func info() throws(StoreError) -> StoreInfo

    /// Replaces the stored town with `data`, or — when `data` has any problem — changes nothing
    /// and throws ``StoreError/rejected(_:)`` listing every problem that ``ImportPlanner`` found.
    /// `source` (a folder or file name) goes into the import log, and `acceptedCoverageFaults`
    /// (what the importer's coverage check found and was allowed to keep) with it, in the same
    /// transaction. Importing the same data twice leaves the same contents.
    @discardableResult
    func importTown(_ data: TownData, source: String, acceptedCoverageFaults: [AcceptedCoverageFault]) throws(StoreError) -> ImportSummary

    /// The coverage faults the latest import accepted, in the order given (none before the first
    /// import, or after a clean one).
    func acceptedCoverageFaults() throws(StoreError) -> [AcceptedCoverageFault]

    /// Claims the store for one import, before any of the import's work (reading a folder can
    /// take a while): a store that cannot take an import — open read-only, holding what an import
    /// would lose, or being imported into by another process — says so here with
    /// ``StoreError/importRefused(_:)``. The claim lasts until ``ImportReservation/release()``.
    /// Stores that need no claim (in memory) have a default that claims nothing.
    func reserveForImport() throws(StoreError) -> ImportReservation

    /// The town with only `parts` of its features and residents, read as one snapshot: the town,
    /// villages, grids, micro-grids and team always come; nil when nothing has been imported.
    /// Geometries come back as stored (2D); everything else exactly as imported.
    func loadTown(_ parts: TownParts) throws(StoreError) -> TownData?

    /// The town itself (code, names, working CRS, boundary); nil before the first import.
    func town() throws(StoreError) -> Town?

    /// All villages, in import order.
    func villages() throws(StoreError) -> [Village]

    /// All grids, in import order.
    func grids() throws(StoreError) -> [Grid]

    /// The micro-grids of `grid`, or all when nil, in import order. A grid the store does not
    /// hold has none.
    func microGrids(of grid: GridCode?) throws(StoreError) -> [MicroGrid]

    /// The "1+1+N+X" team of one grid, or every grid's when nil, in import order.
    func team(of grid: GridCode?) throws(StoreError) -> [TeamMember]

    /// The kinds of the stored features, sorted by name.
    func featureKinds() throws(StoreError) -> [FeatureKind]

    /// The features of `kind` in `area` (all when nil), each with the micro-grid stored for it
    /// at import, in import order, only the `page` asked for.
    func locatedFeatures(of kind: FeatureKind, in area: AreaFilter?, page: ResultPage) throws(StoreError) -> [LocatedFeature]

    /// The features of `kind`, in import order, bare: id, kind, name and geometry, no
    /// properties — what a nearest query indexes. A point comes from its stored point columns
    /// with no WKB decoded, so a layer of a million wells costs a fraction of
    /// ``locatedFeatures(of:in:page:)``; otherwise each feature equals that read's with its
    /// properties left empty.
    func bareFeatures(of kind: FeatureKind) throws(StoreError) -> [MapFeature]

    /// Every home's stored micro-grid and representative point (where its residents are
    /// located), by home id: what placing a resident needs, with no geometry or properties read.
    func homePlaces() throws(StoreError) -> [String: HomePlace]

    /// Residents whose home lies in `area` (all when nil) and who belong to at least one of
    /// `categories` (any category when empty), in full, with their home's micro-grid and
    /// point, in import order, only the `page` asked for. Anything a person will see passes the
    /// application's disclosure policy first.
    func locatedResidents(in area: AreaFilter?, categories: Set<ResidentCategory>,
                          page: ResultPage) throws(StoreError) -> [LocatedResident]

    /// How many residents ``locatedResidents(in:categories:page:)`` would return over all pages.
    func residentCount(in area: AreaFilter?, categories: Set<ResidentCategory>) throws(StoreError) -> Int

    /// The residents with the ids in `ids`, as ``locatedResidents(in:categories:page:)`` returns
    /// them (a resident whose home the store lacks is left out there, and here), in import
    /// order; an id no resident has is left out. What changed since a day needs a few thousand
    /// of tens of thousands.
    func locatedResidents(ids: Set<String>) throws(StoreError) -> [LocatedResident]

    /// Every resident ``locatedResidents(in:categories:page:)`` returns for the whole town,
    /// counted by their home's micro-grid and the categories they hold (``ResidentTally``): the
    /// category × grid table's counts, counted where the residents are stored.
    func residentTally() throws(StoreError) -> ResidentTally

    /// The register's residents as they stood at the end of `day`, counted as
    /// ``residentTally()`` counts today's: the category × grid table as of a day without
    /// reading the day's whole register (docs/LEDGERS.md). Today's residents whom no change
    /// after the day touched count as they are; the others count as the history says they
    /// were then, with their categories then, at the home they had then (that home's place
    /// today, or for a home pulled down since, its place then). A day after today is today;
    /// a store without a town counts nobody. The default,
    /// ``residentTallyCorrectedByHistory(asOf:)``, reads in several steps; a database store
    /// counts in one read, so that a change recorded meanwhile is either wholly in or wholly out.
    func residentTally(asOf day: RegisterDay) throws(RegisterError) -> ResidentTally

    /// Counts of what the store holds, for the town and per grid (zeros and an empty town code
    /// before the first import).
    func summary() throws(StoreError) -> TownSummary

    /// The server's accounts, sessions and audit log, kept in the same store as the town (an
    /// import leaves them alone).
    var accountBook: any AccountBook { get }
}

// MARK: Built on the requirements, the same for every store

extension TownStore {
    public func residentTally(asOf day: RegisterDay) throws(RegisterError) -> ResidentTally {
        try residentTallyCorrectedByHistory(asOf: day)
    }

    /// ``residentTally(asOf:)`` from the other requirements: today's tally, less the residents
    /// changed after the day as they are today (read by id), plus the same residents as they
    /// were then (``registerPast(asOf:)``), each placed by ``RegisterPlaces``. What the
    /// stores' own one-read counts are tested against.
    public func residentTallyCorrectedByHistory(asOf day: RegisterDay) throws(RegisterError) -> ResidentTally {
        let past = try registerPast(asOf: day)
        func stored<T>(_ read: () throws(StoreError) -> T) throws(RegisterError) -> T {
            do { return try read() } catch { throw .store(error) }
        }
        var tally = try stored { () throws(StoreError) in try residentTally() }
        var changed = Set<String>()
        for case (.resident(let id), _) in past.values { changed.insert(id) }
        guard !changed.isEmpty else { return tally }
        for row in try stored({ () throws(StoreError) in try locatedResidents(ids: changed) }) {
            tally.add(row.resident, in: row.microGrid, count: -1)
        }
        var places = RegisterPlaces(try stored { () throws(StoreError) in try homePlaces() })
        for case (_, .home(let home)?) in past.values { places.add(home) }
        for case (.resident, .resident(let resident)?) in past.values {
            tally.add(resident, in: places.place(of: resident.homeID)?.microGrid)
        }
        return tally
    }

    /// Claims nothing: a store without other writers needs no claim.
    public func reserveForImport() throws(StoreError) -> ImportReservation {
        ImportReservation(releasing: {})
    }

    /// ``importTown(_:source:acceptedCoverageFaults:)`` of a town with no coverage faults accepted.
    @discardableResult
    public func importTown(_ data: TownData, source: String) throws(StoreError) -> ImportSummary {
        try importTown(data, source: source, acceptedCoverageFaults: [])
    }

    /// Everything stored: ``loadTown(_:)`` with features and residents.
    public func loadTown() throws(StoreError) -> TownData? {
        try loadTown(.all)
    }

    /// The features of `kind` in `area` (all when nil), in import order.
    public func features(of kind: FeatureKind, in area: AreaFilter? = nil,
                         page: ResultPage = .all) throws(StoreError) -> [MapFeature] {
        try locatedFeatures(of: kind, in: area, page: page).map(\.feature)
    }

    /// Residents whose home lies in `area` and who belong to any of `categories`, in full.
    public func residents(in area: AreaFilter? = nil, categories: Set<ResidentCategory> = [],
                          page: ResultPage = .all) throws(StoreError) -> [Resident] {
        try locatedResidents(in: area, categories: categories, page: page).map(\.resident)
    }

    /// The layers the store holds: town, villages, grids, microgrids, one per stored feature
    /// kind (sorted), residents, team.
    public func layers() throws(StoreError) -> [StoreLayer] {
        [.town, .villages, .grids, .microGrids] + (try featureKinds()).map(StoreLayer.features) + [.residents, .team]
    }

    /// The features of one export layer in the exchange format of ``LayerEncoder``, residents
    /// and team members only those `people` keeps. With an area, feature layers and residents
    /// follow ``AreaFilter``; grids, team and villages keep what belongs to the area's grid; the
    /// town layer is whole.
    public func layerFeatures(_ layer: StoreLayer, in area: AreaFilter? = nil,
                              people: PersonFilter) throws(StoreError) -> [Feature] {
        switch layer {
        case .town:
            return try town().map { [LayerEncoder.feature(for: $0)] } ?? []
        case .villages:
            var villages = try villages()
            if let area {
                let codes = Set(try grids().filter { $0.code == area.gridCode }.map(\.villageCode))
                villages = villages.filter { codes.contains($0.code) }
            }
            return villages.map(LayerEncoder.feature(for:))
        case .grids:
            return try grids().filter { grid in area.map { $0.gridCode == grid.code } ?? true }
                .map(LayerEncoder.feature(for:))
        case .microGrids:
            return try microGrids(of: area?.gridCode).filter { microGrid in
                if case .microGrid(let code)? = area { microGrid.code == code } else { true }
            }.map(LayerEncoder.feature(for:))
        case .features(let kind):
            return try locatedFeatures(of: kind, in: area, page: .all).map {
                LayerEncoder.feature(for: $0.feature, microGrid: $0.microGrid)
            }
        case .residents:
            return try locatedResidents(in: area, categories: [], page: .all).filter(people.keepsResident)
                .map(LayerEncoder.feature(for:))
        case .team:
            return try team(of: area?.gridCode).filter(people.keepsTeamMember).map(LayerEncoder.feature(for:))
        }
    }
}

extension ImportPlanner {
    /// The first step of every store's import: the plan for `data`, or the rejection listing
    /// every problem, as the protocol promises it.
    static func planOrReject(_ data: TownData, coverageFaults: [AcceptedCoverageFault]) throws(StoreError) -> ImportPlan {
        do {
            return try plan(data, coverageFaults: coverageFaults)
        } catch {
            throw .rejected(error)
        }
    }
}

// MARK: Values of the protocol

/// The optional parts of a town read by ``TownStore/loadTown(_:)``. A query that needs no
/// residents (locate, nearest) skips decoding 56,000 of them, most of its start-up time.
public struct TownParts: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let features = TownParts(rawValue: 1 << 0)
    public static let residents = TownParts(rawValue: 1 << 1)
    public static let all: TownParts = [.features, .residents]
}

/// A store claimed for one import (``TownStore/reserveForImport()``), until ``release()``, which
/// its holder calls (`defer { reservation.release() }`) rather than rely on when Swift frees it.
public final class ImportReservation {
    private var releasing: (() -> Void)?

    /// A claim that `releasing` gives up; it runs once, at the first ``release()`` or at deinit.
    public init(releasing: @escaping () -> Void) {
        self.releasing = releasing
    }

    /// Gives the claim up; further calls do nothing.
    public func release() {
        releasing?()
        releasing = nil
    }

    deinit { release() }
}

/// A window on a read's results in their promised order: skip `offset` rows, then return at
/// most `limit` (all the rest when nil). The shape of a server's `offset`/`limit` paging.
public struct ResultPage: Sendable, Hashable {
    public var offset: Int
    public var limit: Int?

    /// `offset` below 0 counts as 0, `limit` below 0 as 0.
    public init(offset: Int = 0, limit: Int? = nil) {
        self.offset = max(0, offset)
        self.limit = limit.map { max(0, $0) }
    }

    /// Every row.
    public static let all = ResultPage()

    /// The page of `rows` (already in order and filtered).
    func window<Rows: Collection>(of rows: Rows) -> [Rows.Element] {
        Array(rows.dropFirst(offset).prefix(limit ?? Int.max))
    }

    /// The page of the candidates `next` yields in order, for a read that filters as it steps:
    /// `accepts` decides which belong (the offset counts only those), and only the accepted
    /// candidates inside the window are turned into results by `make`, which may be costly.
    /// Stops stepping once the page is full.
    func collect<Candidate, Result, Failure: Error>(
        next: () throws(Failure) -> Candidate?, accepts: (Candidate) throws(Failure) -> Bool,
        make: (Candidate) throws(Failure) -> Result
    ) throws(Failure) -> [Result] {
        var results: [Result] = []
        var skipped = 0
        while results.count < limit ?? Int.max, let candidate = try next() {
            guard try accepts(candidate) else { continue }
            if skipped < offset {
                skipped += 1
            } else {
                results.append(try make(candidate))
            }
        }
        return results
    }
}

/// A feature with the micro-grid stored for it at import (the one covering its representative
/// point; nil when it lies in none).
public struct LocatedFeature: Sendable, Hashable {
    public var feature: MapFeature
    public var microGrid: GridCode?

    public init(feature: MapFeature, microGrid: GridCode?) {
        self.feature = feature
        self.microGrid = microGrid
    }
}

/// Where a home is: its stored micro-grid and representative point, as
/// ``LocatedResident`` places the people who live there.
public struct HomePlace: Sendable, Hashable {
    public var microGrid: GridCode?
    public var point: Position?

    public init(microGrid: GridCode?, point: Position?) {
        self.microGrid = microGrid
        self.point = point
    }
}

/// Where each home is (micro-grid and point): today's homes as the store places them, and the
/// homes of the day's register (pulled down since) added as they are met.
public struct RegisterPlaces: Sendable {
    private var places: [String: HomePlace]

    public init(_ today: [String: HomePlace]) {
        places = today
    }

    public mutating func add(_ home: HomeRecord) {
        if places[home.feature.id] == nil {
            places[home.feature.id] = HomePlace(microGrid: home.microGrid, point: home.point ?? home.feature.geometry.pointPosition)
        }
    }

    public func place(of home: String) -> HomePlace? { places[home] }
}

extension Geometry {
    /// The position of a Point; nil for any other geometry.
    package var pointPosition: Position? {
        if case .point(let position) = self { position } else { nil }
    }
}

/// A resident, in full, with their home's micro-grid and the home's representative point.
public struct LocatedResident: Sendable, Hashable {
    public var resident: Resident
    public var microGrid: GridCode?
    public var location: Position?

    /// The grid of the resident's home (nil when the home lies in no micro-grid).
    public var grid: GridCode? { microGrid?.gridCode }

    public init(resident: Resident, microGrid: GridCode?, location: Position?) {
        self.resident = resident
        self.microGrid = microGrid
        self.location = location
    }
}

/// How many residents live in each micro-grid holding each combination of categories: all a
/// category × grid table needs (``TownStore/residentTally()``), a few thousand numbers where the
/// residents are tens of thousands of rows. A resident counts once, under the distinct
/// categories they hold; residents holding none are not counted.
public struct ResidentTally: Sendable, Hashable {
    /// A micro-grid (nil: a home in none) and a combination of categories, sorted and distinct.
    public struct Key: Sendable, Hashable {
        public let microGrid: GridCode?
        public let categories: [ResidentCategory]

        /// `categories` in any order and with repeats, as a resident may hold them.
        public init(microGrid: GridCode?, categories: some Sequence<ResidentCategory>) {
            self.microGrid = microGrid
            self.categories = Set(categories).sorted()
        }
    }

    /// How many residents each key counts; never zero.
    public private(set) var counts: [Key: Int] = [:]

    public init() {}

    /// Counts `count` more residents under `key` (fewer when negative); a key without categories
    /// counts nothing.
    public mutating func add(_ key: Key, count: Int = 1) {
        guard !key.categories.isEmpty, count != 0 else { return }
        let total = counts[key, default: 0] + count
        counts[key] = total == 0 ? nil : total
    }

    /// Counts `resident`, living in `microGrid`, once more (`count` -1: once less).
    public mutating func add(_ resident: Resident, in microGrid: GridCode?, count: Int = 1) {
        guard !resident.categories.isEmpty else { return }
        add(Key(microGrid: microGrid, categories: resident.categories), count: count)
    }

    /// The categories some counted resident holds.
    public var categories: Set<ResidentCategory> {
        var held = Set<ResidentCategory>()
        for key in counts.keys { held.formUnion(key.categories) }
        return held
    }
}

/// What a store says about itself: whether a town has been imported, from where and when.
public struct StoreInfo: Sendable, Hashable {
    /// How many imports the log records (rejected imports are not logged).
    public var imports: Int
    /// The latest import; nil when nothing has been imported.
    public var lastImport: ImportRecord?

    public init(imports: Int, lastImport: ImportRecord?) {
        self.imports = imports
        self.lastImport = lastImport
    }

    /// Whether the store holds a town.
    public var hasTown: Bool { lastImport != nil }
}

/// One line of a store's import log.
public struct ImportRecord: Sendable, Hashable {
    /// The folder or file the town came from, as the importer named it.
    public var source: String
    /// When the import was committed, to the second.
    public var importedAt: Date
    public var townCode: String

    public init(source: String, importedAt: Date, townCode: String) {
        self.source = source
        self.importedAt = importedAt
        self.townCode = townCode
    }
}

/// Limits a read or an export to one grid or one micro-grid.
///
/// Points and homes belong to the micro-grid stored for them at import (the one covering their
/// representative point); every other feature belongs to each area its geometry intersects;
/// residents belong where their home does; a grid includes all of its micro-grids.
public enum AreaFilter: Sendable, Hashable, CustomStringConvertible {
    case grid(GridCode)
    case microGrid(GridCode)

    /// A grid code selects a grid, a micro-grid code a micro-grid.
    public init(_ code: GridCode) {
        self = code.isMicroGrid ? .microGrid(code) : .grid(code.gridCode)
    }

    /// The grid the area lies in.
    public var gridCode: GridCode {
        switch self {
        case .grid(let code), .microGrid(let code): code.gridCode
        }
    }

    /// Whether a feature or home stored in micro-grid `code` lies in the area (nil: in none).
    public func contains(microGrid code: GridCode?) -> Bool {
        guard let code else { return false }
        switch self {
        case .grid(let grid): return code.gridCode == grid.gridCode
        case .microGrid(let microGrid): return code == microGrid
        }
    }

    public var description: String {
        switch self {
        case .grid(let code): "grid \(code)"
        case .microGrid(let code): "micro-grid \(code)"
        }
    }
}

/// What one successful import wrote.
public struct ImportSummary: Sendable, Hashable {
    public var villages: Int
    public var grids: Int
    public var microGrids: Int
    public var features: Int
    public var residents: Int
    public var teamMembers: Int
    /// Features whose representative point lies in no micro-grid (outside the town's tiling).
    public var featuresOutsideMicroGrids: Int
    /// Coverage faults the import was allowed to keep, stored with it.
    public var coverageFaultsAccepted: Int

    public init(villages: Int, grids: Int, microGrids: Int, features: Int, residents: Int,
                teamMembers: Int, featuresOutsideMicroGrids: Int, coverageFaultsAccepted: Int = 0) {
        self.villages = villages
        self.grids = grids
        self.microGrids = microGrids
        self.features = features
        self.residents = residents
        self.teamMembers = teamMembers
        self.featuresOutsideMicroGrids = featuresOutsideMicroGrids
        self.coverageFaultsAccepted = coverageFaultsAccepted
    }
}

/// Counts of what a store holds, for the whole town and per grid.
public struct TownSummary: Sendable, Hashable {
    /// Counts within one grid (features by their stored micro-grid).
    public struct GridCounts: Sendable, Hashable {
        public var microGrids: Int
        public var features: Int
        public var residents: Int

        public init(microGrids: Int, features: Int, residents: Int) {
            self.microGrids = microGrids
            self.features = features
            self.residents = residents
        }
    }

    public var townCode: String
    public var villages: Int
    public var grids: Int
    public var microGrids: Int
    public var featuresByKind: [FeatureKind: Int]
    public var residents: Int
    /// A resident with several categories counts once in each.
    public var residentsByCategory: [ResidentCategory: Int]
    public var teamMembers: Int
    /// Every grid, including those with nothing in them.
    public var byGrid: [GridCode: GridCounts]

    public init(townCode: String, villages: Int, grids: Int, microGrids: Int,
                featuresByKind: [FeatureKind: Int], residents: Int,
                residentsByCategory: [ResidentCategory: Int], teamMembers: Int,
                byGrid: [GridCode: GridCounts]) {
        self.townCode = townCode
        self.villages = villages
        self.grids = grids
        self.microGrids = microGrids
        self.featuresByKind = featuresByKind
        self.residents = residents
        self.residentsByCategory = residentsByCategory
        self.teamMembers = teamMembers
        self.byGrid = byGrid
    }
}
