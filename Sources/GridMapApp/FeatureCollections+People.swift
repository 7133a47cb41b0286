import Foundation
import GeoJSON
import GridMapCore
import GridStore

/// Residents, events and activities: read from the store per request, as the viewer may see them.
extension FeatureCollections {
    // MARK: Residents

    /// Which residents a request reads from the store: nothing (its filters name a place the viewer
    /// does not see, or that cannot hold residents), or an area (nil: the town) and categories.
    private enum ResidentRead {
        case nothing
        case read(AreaFilter?, Set<ResidentCategory>)
    }

    /// The store read for `filters`, as the viewer's ``Disclosure`` allows: a grid worker's read is
    /// their grid, whatever is asked; an area elsewhere finds nothing.
    private func residentRead(_ filters: [String: String], _ disclosure: Disclosure) throws(JobError) -> ResidentRead {
        var area = try disclosure.residentArea(nil, instead: "the residents collection is for the office and the grid workers")
        let asked = [filters["micro_grid"], filters["grid"]].compactMap { $0 }
        if let text = asked.first {
            guard let code = GridCode(text), disclosure.seesResidents(inGrid: code.gridCode) else { return .nothing }
            if let grid = filters["grid"], GridCode(grid) != code.gridCode || GridCode(grid)?.isMicroGrid == true { return .nothing }
            if filters["micro_grid"] != nil, !code.isMicroGrid { return .nothing }
            area = AreaFilter(code)
        }
        if let village = filters["village"], let grid = area?.gridCode, villageOfGrid[grid] != village { return .nothing }
        var categories: Set<ResidentCategory> = []
        if let text = filters["category"] {
            guard let category = ResidentCategory(rawValue: text) else { return .nothing }
            categories = [category]
        }
        return .read(area, categories)
    }

    func residents(_ query: ItemQuery, for viewer: Viewer) throws(JobError) -> ItemPage {
        let disclosure = viewer.disclosure
        guard case .read(let area, let categories) = try residentRead(query.properties, disclosure) else {
            return ItemPage(features: [], numberMatched: 0)
        }
        let store = service.store
        let page: ItemPage
        if query.bbox == nil, query.properties["village"] == nil, query.properties["home"] == nil {
            // The store narrows and pages by itself.
            let residents = try asJobError { try store.locatedResidents(in: area, categories: categories, page: query.page) }
            let count = try asJobError { try store.residentCount(in: area, categories: categories) }
            page = ItemPage(features: residents.filter(disclosure.people.keepsResident).map(residentFeature), numberMatched: count)
        } else {
            let residents = try asJobError { try store.locatedResidents(in: area, categories: categories, page: .all) }
            let features = residents.filter(disclosure.people.keepsResident).map(residentFeature)
            page = ItemSelection.page(of: features, query: query) { CollectionDescription.residents.matches($0, query.properties) }
        }
        var answer = page
        if !page.features.isEmpty {
            answer.personalData = "residents (\(area.map(\.description) ?? "the town")): \(page.features.count) of \(page.numberMatched)"
        }
        return answer
    }

    func resident(_ id: String, for viewer: Viewer) throws(JobError) -> FoundItem? {
        let disclosure = viewer.disclosure
        guard case .read(let area, _) = try residentRead([:], disclosure) else { return nil }
        let residents = try asJobError { try service.store.locatedResidents(in: area, categories: [], page: .all) }
        guard let found = residents.first(where: { $0.resident.id == id }), disclosure.people.keepsResident(found) else { return nil }
        return FoundItem(feature: residentFeature(found), personalData: "resident \(id)")
    }

    /// A resident as served: the export's encoding, with the home's village.
    private func residentFeature(_ located: LocatedResident) -> Feature {
        var feature = LayerEncoder.feature(for: located)
        if let grid = located.grid, let village = villageOfGrid[grid] { feature.properties?["village"] = .string(village) }
        return feature
    }

    // MARK: Events

    func events(_ query: ItemQuery, for viewer: Viewer) throws(JobError) -> ItemPage {
        let desk = service.desk
        // The store narrows by time; the exact interval (both ends included) is checked here.
        let range = query.datetime
        let eventQuery = EventQuery(from: range?.start, before: range?.end.map { $0.addingTimeInterval(0.001) })
        let events = try desk.events(eventQuery).filter { range?.contains($0.raisedAt) ?? true }
        var named = 0
        let features = events.map { event in
            let (feature, namesResidents) = eventFeature(event, viewer.disclosure)
            if namesResidents { named += 1 }
            return feature
        }
        var page = ItemSelection.page(of: features, query: query) { CollectionDescription.events.matches($0, query.properties) }
        let namingOnPage = page.features.filter { $0.properties?["residents"] != nil }.count
        if named > 0, namingOnPage > 0 { page.personalData = "residents named in events: \(namingOnPage)" }
        return page
    }

    func event(_ id: String, for viewer: Viewer) throws(JobError) -> FoundItem? {
        let desk = service.desk
        guard let event = try desk.logged({ () throws(EventLogError) in try desk.store.event(id, catalogue: desk.catalogue) }) else { return nil }
        let (feature, namesResidents) = eventFeature(event, viewer.disclosure)
        return FoundItem(feature: feature, personalData: namesResidents ? "residents named in event \(id)" : nil)
    }

    /// An event as `disclosure` may see it, and whether it names residents. Its point only where
    /// ``Disclosure/seesLocation(of:)`` allows (else no geometry: its micro-grid says where), its
    /// residents only where ``Disclosure/seesResidents(of:)`` does (else their number), its
    /// description only where ``Disclosure/seesText(of:)`` does.
    private func eventFeature(_ event: EventCase, _ disclosure: Disclosure) -> (Feature, Bool) {
        let report = event.report
        var properties: JSONObject = [
            "category": .string(report.category),
            "category_name": .string(service.desk.catalogue.category(report.category)?.name ?? ""),
            "urgency": .string(report.urgency.rawValue),
            "state": .string(event.phase.rawValue),
            "raised": .string(Self.timeText(event.raisedAt)),
            "micro_grid": .string(report.microGrid.description),
            "grid": .string(report.grid.description),
            "village": .string(report.villageCode),
            "departments": .array(event.parts.map { .string($0.department) }),
        ]
        if disclosure.seesText(of: event) { properties["description"] = .string(report.description) }
        let concerned = (report.reportedByResident.map { [$0] } ?? []) + report.residents
        var namesResidents = false
        if !concerned.isEmpty {
            if disclosure.seesResidents(of: event) {
                if let reporter = report.reportedByResident { properties["reported_by"] = .string(reporter) }
                properties["residents"] = .array(report.residents.map(JSONValue.string))
                namesResidents = true
            } else {
                properties["residents_count"] = .number(JSONNumber(concerned.count))
            }
        }
        let geometry: Geometry? = disclosure.seesLocation(of: event) ? .point(report.location) : nil
        return (Feature(id: .string(event.id), geometry: geometry, properties: properties), namesResidents)
    }

    // MARK: Activities

    func activities(_ query: ItemQuery) throws(JobError) -> ItemPage {
        let range = query.datetime
        let eventQuery = EventQuery(from: range?.start, before: range?.end.map { $0.addingTimeInterval(0.001) })
        let activities = try service.desk.activities(eventQuery).filter { range?.contains($0.date) ?? true }
        return ItemSelection.page(of: activities.map(Self.activityFeature), query: query) {
            CollectionDescription.activities.matches($0, query.properties)
        }
    }

    func activity(_ id: String) throws(JobError) -> FoundItem? {
        try service.desk.activities(EventQuery()).first { $0.id == id }.map { FoundItem(feature: Self.activityFeature($0), personalData: nil) }
    }

    /// An activity: no one is named in it, so everyone sees it whole.
    private static func activityFeature(_ activity: Activity) -> Feature {
        Feature(id: .string(activity.id), geometry: .point(activity.location), properties: [
            "kind": .string(activity.kind.rawValue), "title": .string(activity.title), "service": .string(activity.service),
            "date": .string(timeText(activity.date)), "organiser": .string(activity.organiser),
            "attendance": .number(JSONNumber(activity.attendance)),
            "micro_grid": .string(activity.microGrid.description), "grid": .string(activity.grid.description),
            "village": .string(activity.villageCode),
        ])
    }

    /// A time as RFC 3339 in UTC, to the second: `2026-06-30T00:30:00Z`.
    static func timeText(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
