import Foundation
import GEOS
import GeoJSON
import GridMapCore
import GridStore

/// The town as the collections of OGC API – Features (Part 1, Core): what exists, what each
/// viewer may read of it, and paged, filtered reads — the application side of the server's
/// FeaturesAPI, which only parses requests and writes answers.
///
/// The collections: `grids`, `micro-grids`, `villages`, one per stored feature kind under its layer
/// name (`homes`, `wells`, `roads`, …), `residents`, `events` and `activities`.
///
/// Rules it keeps:
/// - Order: items come in the store's import order (events and activities in the order they were
///   recorded), so `offset`/`limit` pages are stable and add up to the whole.
/// - `bbox` keeps the items whose geometry shares a point with the box, exactly (not only their
///   envelope); an item without geometry never matches a box.
/// - A property filter keeps the items whose property has that value (for a list, such as a
///   resident's `categories`, contains it); each collection lists its ``Queryable``s and any other
///   name is refused, naming it.
/// - People: what a viewer sees is the viewer's ``Disclosure``. The public gets no resident
///   collection (it is not listed, and asking for it is refused as forbidden); a grid worker reads
///   the residents of their own grid only, a filter or box elsewhere finds nothing. Events are
///   shown as ``Disclosure/seesResidents(of:)`` and ``Disclosure/seesLocation(of:)`` say: without
///   the point, an event has no geometry (so no box finds it) and without its residents it carries
///   only their number.
///
/// The town's layers are read once, when the collections are made, and indexed (``BoxIndex``), so
/// that a request costs no store read; residents, events and activities are read from the store
/// per request, narrowed in the store's own query where it can.
public struct FeatureCollections: Sendable {
    public let service: TownService
    /// The layers read once: grids, micro-grids, villages, then the feature kinds by name.
    let layers: [String: IndexedLayer]
    /// Every collection in the order the landing page lists them.
    let descriptions: [CollectionDescription]
    /// Each grid's village, for the `village` property.
    let villageOfGrid: [GridCode: String]
    /// The town's extent, for collections whose items come and go (events, activities, residents).
    let townExtent: Envelope?

    /// The most items one page holds; a larger `limit` is served as this one (OGC API – Features
    /// §7.15.4: the server uses its maximum instead, with no error).
    public static let maximumLimit = 10_000
    /// Items per page when the request names no `limit`.
    public static let defaultLimit = 10

    /// Reads and indexes the town's layers from `service` (its store, once).
    public init(service: TownService) throws(JobError) {
        self.service = service
        let data = service.town.data
        let villages = Dictionary(data.grids.map { ($0.code, $0.villageCode) }, uniquingKeysWith: { first, _ in first })
        villageOfGrid = villages
        let townExtent = BoxIntersection.envelope(of: data.town.boundary)
        self.townExtent = townExtent

        var layers: [String: IndexedLayer] = [:]
        var descriptions: [CollectionDescription] = []
        func add(_ description: CollectionDescription, _ features: [Feature]) {
            let layer = IndexedLayer(features)
            var described = description
            described.extent = layer.extent
            layers[description.id] = layer
            descriptions.append(described)
        }
        add(.grids, data.grids.map { grid in
            LayerEncoder.feature(for: grid)
        })
        add(.microGrids, data.microGrids.map { microGrid in
            var feature = LayerEncoder.feature(for: microGrid)
            feature.properties?["village"] = villages[microGrid.gridCode].map(JSONValue.string)
            return feature
        })
        add(.villages, data.villages.map(LayerEncoder.feature(for:)))
        let kinds = try asJobError { try service.store.featureKinds() }
        for kind in kinds {
            let located = try asJobError { try service.store.locatedFeatures(of: kind, in: nil, page: .all) }
            let id = CollectionDescription.reservedIDs.contains(kind.layerName) ? "feature-" + kind.layerName : kind.layerName
            add(.features(kind, id: id), located.map { item in
                var feature = LayerEncoder.feature(for: item.feature, microGrid: item.microGrid)
                if let grid = item.microGrid?.gridCode, let village = villages[grid] { feature.properties?["village"] = .string(village) }
                return feature
            })
        }
        descriptions += [CollectionDescription.residents, .events, .activities].map { description in
            var described = description
            described.extent = townExtent
            return described
        }
        self.layers = layers
        self.descriptions = descriptions
    }

    // MARK: - What exists

    /// Every collection, whoever asks (for the API's definition, which describes them all).
    public var allCollections: [CollectionDescription] { descriptions }

    /// The collections `viewer` may read, in order: residents only for a viewer who sees some.
    public func collections(for viewer: Viewer) -> [CollectionDescription] {
        descriptions.filter { !$0.holdsResidents || Self.seesSomeResidents(viewer.disclosure) }
    }

    /// The collection `id`; unknown is ``JobError/Kind/notFound``, residents for a viewer who sees
    /// none ``JobError/Kind/forbidden``.
    public func collection(_ id: String, for viewer: Viewer) throws(JobError) -> CollectionDescription {
        guard let description = descriptions.first(where: { $0.id == id }) else {
            throw .notFound("There is no collection '\(id)'; the collections are \(descriptions.map(\.id).joined(separator: ", ")).")
        }
        if description.holdsResidents, !Self.seesSomeResidents(viewer.disclosure) {
            throw .forbidden("The public sees no resident: the residents collection is for the town office and each grid's worker, signed in. The public may read the counts of residents per grid instead.")
        }
        return description
    }

    /// Whether `disclosure` sees any resident at all (the public sees none), as the policy's
    /// resident read says.
    static func seesSomeResidents(_ disclosure: Disclosure) -> Bool {
        do {
            _ = try disclosure.residentArea(nil, instead: "")
            return true
        } catch {
            return false
        }
    }

    // MARK: - Items

    /// One page of the items of collection `id` that `query` selects, as `viewer` may see them.
    public func items(_ id: String, _ query: ItemQuery, for viewer: Viewer) throws(JobError) -> ItemPage {
        let description = try collection(id, for: viewer)
        try description.check(query)
        switch description.source {
        case .layer:
            guard let layer = layers[id] else { throw .notFound("There is no collection '\(id)'.") }
            return ItemSelection.page(of: layer.features, index: layer.index, query: query) { description.matches($0, query.properties) }
        case .residents: return try residents(query, for: viewer)
        case .events: return try events(query, for: viewer)
        case .activities: return try activities(query)
        }
    }

    /// The item `featureID` of collection `id`, as `viewer` may see it; unknown is
    /// ``JobError/Kind/notFound``.
    public func item(_ id: String, featureID: String, for viewer: Viewer) throws(JobError) -> FoundItem {
        let description = try collection(id, for: viewer)
        let found: FoundItem?
        switch description.source {
        case .layer: found = layers[id]?.item(featureID).map { FoundItem(feature: $0, personalData: nil) }
        case .residents: found = try resident(featureID, for: viewer)
        case .events: found = try event(featureID, for: viewer)
        case .activities: found = try activity(featureID)
        }
        guard let found else { throw .notFound("Collection '\(id)' has no item '\(featureID)'.") }
        return found
    }
}

// MARK: - Values

/// What a request for items asks: a box, a time interval, property filters and a page.
public struct ItemQuery: Sendable, Hashable {
    public var bbox: LonLatBox?
    public var datetime: DateRange?
    /// Property name → value, each name once.
    public var properties: [String: String]
    public var offset: Int
    public var limit: Int

    public init(bbox: LonLatBox? = nil, datetime: DateRange? = nil, properties: [String: String] = [:],
                offset: Int = 0, limit: Int = FeatureCollections.defaultLimit) {
        (self.bbox, self.datetime, self.properties) = (bbox, datetime, properties)
        self.offset = max(0, offset)
        self.limit = min(max(0, limit), FeatureCollections.maximumLimit)
    }

    var page: ResultPage { ResultPage(offset: offset, limit: limit) }
}

/// A time or an interval of times, both ends included, either end open (nil).
public struct DateRange: Sendable, Hashable {
    public var start: Date?
    public var end: Date?

    /// Refuses an interval whose start is after its end.
    public init(start: Date?, end: Date?) throws(JobError) {
        if let start, let end, start > end { throw .invalidRequest("datetime: the interval starts after it ends") }
        (self.start, self.end) = (start, end)
    }

    public func contains(_ date: Date) -> Bool {
        (start.map { date >= $0 } ?? true) && (end.map { date <= $0 } ?? true)
    }
}

/// One page of items: the features, how many match over all pages, and what personal data the
/// page carries (for the audit log; nil when none).
public struct ItemPage: Sendable {
    public var features: [Feature]
    public var numberMatched: Int
    public var personalData: String?

    public init(features: [Feature], numberMatched: Int, personalData: String? = nil) {
        (self.features, self.numberMatched, self.personalData) = (features, numberMatched, personalData)
    }
}

/// One item, and what personal data it carries (nil when none).
public struct FoundItem: Sendable {
    public var feature: Feature
    public var personalData: String?
}

/// A property a collection's items may be filtered by (`?grid=DC-017`).
public struct Queryable: Sendable, Hashable {
    /// The parameter's name.
    public var name: String
    /// The item property it matches (e.g. `category` matches a resident's `categories`).
    public var property: String
    public var title: String
    /// Whether the property is a list that must contain the value.
    public var isList: Bool

    init(_ name: String, _ title: String, property: String? = nil, isList: Bool = false) {
        (self.name, self.title, self.property, self.isList) = (name, title, property ?? name, isList)
    }

    static let grid = Queryable("grid", "grid code, e.g. DC-017")
    static let microGrid = Queryable("micro_grid", "micro-grid code, e.g. DC-017-2")
    static let village = Queryable("village", "administrative village code, e.g. DC-V07")
}

/// A collection: its id, titles, what it may be filtered by, and its extent.
public struct CollectionDescription: Sendable, Hashable {
    enum Source: Sendable, Hashable { case layer, residents, events, activities }

    public var id: String
    public var title: String
    public var description: String
    public var queryables: [Queryable]
    /// Whether items have a time (`datetime` applies to it): events by their raise time,
    /// activities by their date.
    public var hasTime: Bool
    /// The envelope of its items (for events, activities and residents the town's).
    var extent: Envelope?
    let source: Source

    /// Its extent as west, south, east, north (CRS84); nil when no item has a geometry.
    public var bbox: [Double]? { extent.map { [$0.minX, $0.minY, $0.maxX, $0.maxY] } }

    /// Whether its items are people (names, phones): read only by those who see residents.
    public var holdsResidents: Bool { source == .residents }

    /// Collection ids that a feature kind's layer may not take (it is served as `feature-NAME`).
    static let reservedIDs: Set<String> = ["grids", "micro-grids", "villages", "residents", "events", "activities"]

    static let grids = CollectionDescription(id: "grids", title: "网格 Grids", description: "The town's grids (in Dacun one natural village each), tiling the town.",
                                             queryables: [.village], hasTime: false, source: .layer)
    static let microGrids = CollectionDescription(id: "micro-grids", title: "微网格 Micro-grids", description: "The micro-grids, tiling their grids: every point of the town lies in exactly one.",
                                                  queryables: [.grid, .village], hasTime: false, source: .layer)
    static let villages = CollectionDescription(id: "villages", title: "行政村 Villages", description: "The administrative villages (no geometry: each is the grids that name it).",
                                                queryables: [], hasTime: false, source: .layer)
    static func features(_ kind: FeatureKind, id: String) -> CollectionDescription {
        CollectionDescription(id: id, title: kind.layerName, description: "Features of kind \(kind.rawValue), each with the micro-grid, grid and village of its representative point.",
                              queryables: [.grid, .microGrid, .village], hasTime: false, source: .layer)
    }
    static let residents = CollectionDescription(
        id: "residents", title: "居民 Residents", description: "Residents at their homes, for the town office and each grid's worker (its own grid): personal data, every read is audited.",
        queryables: [.grid, .microGrid, .village, Queryable("category", "resident category, e.g. disabled", property: "categories", isList: true), Queryable("home", "home id")],
        hasTime: false, source: .residents)
    static let events = CollectionDescription(
        id: "events", title: "事件 Events", description: "Problems raised on the grid and their state; datetime selects by the time raised. The point and the residents of an event about residents are shown only to those who see that grid's residents.",
        queryables: [.grid, .microGrid, .village, Queryable("category", "event category"), Queryable("state", "the event's state, e.g. whistled"),
                     Queryable("urgency", "normal or urgent"), Queryable("department", "a department that has a part in it", property: "departments", isList: true)],
        hasTime: true, source: .events)
    static let activities = CollectionDescription(
        id: "activities", title: "活动 Activities", description: "Activities and volunteer services held in the grids; datetime selects by their date.",
        queryables: [.grid, .microGrid, .village, Queryable("kind", "activity or volunteer-service"), Queryable("service", "the kind of service")],
        hasTime: true, source: .activities)

    /// Refuses what this collection cannot be asked: a property it has no filter for, a time on
    /// a collection without times.
    func check(_ query: ItemQuery) throws(JobError) {
        if query.datetime != nil, !hasTime {
            throw .invalidRequest("datetime: collection '\(id)' has no time; only events and activities do.")
        }
        for name in query.properties.keys.sorted() where !queryables.contains(where: { $0.name == name }) {
            let known = queryables.map(\.name)
            throw .invalidRequest("\(name): collection '\(id)' cannot be filtered by '\(name)'; "
                + (known.isEmpty ? "it has no property filters." : "its filters are \(known.joined(separator: ", ")), with bbox, limit, offset\(hasTime ? ", datetime" : "") and f."))
        }
    }

    /// Whether `feature` has every property value `filters` asks for.
    func matches(_ feature: Feature, _ filters: [String: String]) -> Bool {
        for (name, wanted) in filters {
            guard let queryable = queryables.first(where: { $0.name == name }) else { return false }
            guard let value = feature.properties?[queryable.property], Self.value(value, matches: wanted) else { return false }
        }
        return true
    }

    private static func value(_ value: JSONValue, matches wanted: String) -> Bool {
        switch value {
        case .string(let text): text == wanted
        case .number(let number): number.text == wanted
        case .bool(let flag): String(flag) == wanted
        case .array(let values): values.contains { self.value($0, matches: wanted) }
        case .object, .null: false
        }
    }
}

/// A layer read once: its features (as they are served), their envelopes in a ``BoxIndex``, and
/// each id's position.
struct IndexedLayer: Sendable {
    let features: [Feature]
    let index: BoxIndex
    let positionOfID: [String: Int]

    init(_ features: [Feature]) {
        self.features = features
        index = BoxIndex(envelopes: features.map { $0.geometry.flatMap(BoxIntersection.envelope(of:)) })
        var positions: [String: Int] = [:]
        for (position, feature) in features.enumerated() {
            if case .string(let id)? = feature.id, positions[id] == nil { positions[id] = position }
        }
        positionOfID = positions
    }

    var extent: Envelope? {
        index.envelopes.compactMap { $0 }.reduce(nil as Envelope?) { box, next in
            guard let box else { return next }
            return Envelope(minX: min(box.minX, next.minX), minY: min(box.minY, next.minY), maxX: max(box.maxX, next.maxX), maxY: max(box.maxY, next.maxY))
        }
    }

    func item(_ id: String) -> Feature? { positionOfID[id].map { features[$0] } }
}

/// Selecting a page of items: candidates by box, then the exact box test, filters, and the window.
enum ItemSelection {
    /// The page of `features` (in order) that `query`'s box and `matches` keep. With an index, the
    /// box's candidates come from it; without, every feature is tested.
    static func page(of features: [Feature], index: BoxIndex? = nil, query: ItemQuery, matches: (Feature) -> Bool) -> ItemPage {
        let boxes = query.bbox?.envelopes
        let candidates: [Int]
        if let boxes, let index {
            candidates = index.candidates(meeting: boxes)
        } else {
            candidates = Array(features.indices)
        }
        var matched = 0
        var page: [Feature] = []
        for position in candidates {
            let feature = features[position]
            if let boxes {
                guard let geometry = feature.geometry, boxes.contains(where: { BoxIntersection.intersects(geometry, $0) }) else { continue }
            }
            guard matches(feature) else { continue }
            if matched >= query.offset, page.count < query.limit { page.append(feature) }
            matched += 1
        }
        return ItemPage(features: page, numberMatched: matched)
    }
}
