import Foundation
import GEOS
import GeoJSON
import GridMapCore
import GridStore

/// Joint inspections and activities at the event desk.
extension EventDesk {
    /// Plans a joint inspection of every feature of `siteKinds` (e.g. schools and kindergartens)
    /// plus the features `siteIDs`, checking `items` (each with its department).
    public func planInspection(title: String, date: Date, organiser: EventActor, siteKinds: [FeatureKind], siteIDs: [String],
                               items: [InspectionItem]) throws(JobError) -> Inspection {
        let plan = try inspectionPlan(title: title, date: date, organiser: organiser, siteKinds: siteKinds, siteIDs: siteIDs, items: items)
        return try logged { () throws(EventLogError) in try store.planInspection(plan, catalogue: catalogue) }
    }

    /// The plan, its sites read from the town, not yet stored.
    func inspectionPlan(title: String, date: Date, organiser: EventActor, siteKinds: [FeatureKind], siteIDs: [String],
                        items: [InspectionItem]) throws(JobError) -> Inspection {
        var sites: [InspectionSite] = []
        for kind in siteKinds {
            let features = try asJobError { try store.features(of: kind) }
            if features.isEmpty { throw .invalidRequest("The town has no \(kind.rawValue) to inspect.") }
            sites += try features.map(site)
        }
        if !siteIDs.isEmpty {
            var byID: [String: MapFeature] = [:]
            let kinds = try asJobError { try store.featureKinds() }
            for kind in kinds {
                let features = try asJobError { try store.features(of: kind) }
                for feature in features where siteIDs.contains(feature.id) { byID[feature.id] = feature }
            }
            for id in siteIDs {
                guard let feature = byID[id] else { throw .invalidRequest("The town has no feature \(id).") }
                if !sites.contains(where: { $0.featureID == id }) { sites.append(try site(feature)) }
            }
        }
        return Inspection(id: "", title: title, date: date, organiser: organiser, sites: sites, items: items)
    }

    public func inspections() throws(JobError) -> [Inspection] {
        try logged { () throws(EventLogError) in try store.inspections() }
    }

    /// Every inspection with how many findings it has and how many of their events are closed:
    /// three reads, whatever the number of inspections.
    public func inspectionProgress() throws(JobError) -> [(inspection: Inspection, findings: Int, closed: Int)] {
        let findings = try logged { () throws(EventLogError) in try store.findings(of: nil) }
        let closed = Set(try events(EventQuery(phase: .closed)).map(\.id))
        return try inspections().map { inspection in
            let own = findings.filter { $0.inspection == inspection.id }
            return (inspection, own.count, own.count { closed.contains($0.event) })
        }
    }

    /// The inspection `id` with its findings.
    public func inspection(_ id: String) throws(JobError) -> (inspection: Inspection, findings: [InspectionFinding]) {
        guard let inspection = try inspections().first(where: { $0.id == id }) else { throw .invalidRequest("There is no inspection \(id).") }
        return (inspection, try logged { () throws(EventLogError) in try store.findings(of: id) })
    }

    /// Records a finding: an event at the site, in `category`, whistled by `actor` to the item's
    /// department with the rectification `deadline`.
    public func recordFinding(inspection id: String, site: String, item: String, description: String, category: String = "school-safety",
                              urgency: Urgency = .normal, deadline: Date, by actor: EventActor, at time: Date) throws(JobError)
        -> (finding: InspectionFinding, event: EventCase) {
        let (inspection, _) = try inspection(id)
        let (raise, whistle) = try findingEntries(of: inspection, site: site, item: item, description: description, category: category,
                                                  urgency: urgency, deadline: deadline, by: actor, at: time)
        return try logged { () throws(EventLogError) in
            try store.recordFinding(inspection: id, site: site, item: item, raise: raise, whistle: whistle, catalogue: catalogue)
        }
    }

    /// The two entries of a finding: raising the event at the site, and the whistle to the item's
    /// department with the rectification deadline.
    func findingEntries(of inspection: Inspection, site: String, item: String, description: String, category: String,
                        urgency: Urgency, deadline: Date, by actor: EventActor, at time: Date) throws(JobError) -> (raise: EventEntry, whistle: EventEntry) {
        let name = inspection.id.isEmpty ? inspection.title : inspection.id
        guard let place = inspection.site(site) else {
            throw .invalidRequest("Inspection \(name) does not visit \(site); its sites: \(inspection.sites.map(\.featureID).joined(separator: ", ")).")
        }
        guard let check = inspection.item(item) else {
            throw .invalidRequest("Inspection \(name) has no item \(item); its items: \(inspection.items.map(\.name).joined(separator: ", ")).")
        }
        let report = try report(RaiseRequest(category: category, urgency: urgency, description: "\(inspection.title) · \(place.name) · \(item): \(description)",
                                             location: place.location))
        return (EventEntry(at: time, actor: actor, action: .raise(report), note: "finding of \(name)"),
                EventEntry(at: time, actor: actor, action: .whistle(departments: [check.department], resolutionDeadline: deadline),
                           note: "rectify by the deadline"))
    }

    /// Records an activity or a volunteer service at `point`.
    public func recordActivity(kind: Activity.Kind, title: String, service: String, at point: Position, date: Date,
                               organiser: String, attendance: Int) throws(JobError) -> Activity {
        let activity = try self.activity(kind: kind, title: title, service: service, at: point, date: date, organiser: organiser, attendance: attendance)
        return try logged { () throws(EventLogError) in try store.recordActivity(activity, catalogue: catalogue) }
    }

    /// The activity placed in its micro-grid, not yet stored.
    func activity(kind: Activity.Kind, title: String, service: String, at point: Position, date: Date,
                  organiser: String, attendance: Int) throws(JobError) -> Activity {
        let (microGrid, village) = try place(point, what: "an activity")
        return Activity(id: "", kind: kind, title: title, service: service, date: date, location: point, microGrid: microGrid,
                        villageCode: village, organiser: organiser, attendance: attendance)
    }

    public func activities(_ query: EventQuery) throws(JobError) -> [Activity] {
        let filter = EventFilter(grid: query.grid, raisedFrom: query.from, raisedBefore: query.before)
        return try logged { () throws(EventLogError) in try store.activities(filter) }.filter { query.village == nil || $0.villageCode == query.village }
    }

    /// An inspection site at `feature`: its point, or a point on its surface.
    private func site(_ feature: MapFeature) throws(JobError) -> InspectionSite {
        if case .point(let position) = feature.geometry {
            return InspectionSite(featureID: feature.id, name: feature.name, location: position)
        }
        let point = try asJobError(.invalidRequest, "feature \(feature.id)") { () throws -> Coordinate in
            let context = GEOSContext()
            return try feature.geometry.geosGeometry(in: context).pointOnSurface().pointCoordinate()
        }
        return InspectionSite(featureID: feature.id, name: feature.name, location: Position(x: point.x, y: point.y))
    }
}

/// Activities and volunteer services counted per group: what a town reports beside its events.
public struct ActivityTally: Hashable, Sendable {
    public var activities = 0
    public var services = 0
    public var attendance = 0

    /// Counts per grid, village or month (Asia/Shanghai) of `activities`, with the town's total.
    public static func table(_ activities: [Activity], by grouping: EventGrouping) -> (rows: [(group: String, tally: ActivityTally)], total: ActivityTally) {
        var groups: [String: ActivityTally] = [:], total = ActivityTally()
        for activity in activities {
            let key: String = switch grouping {
            case .town, .department: "town"
            case .grid: activity.grid.description
            case .village: activity.villageCode
            case .month: EventClock.month(of: activity.date)
            }
            groups[key, default: .init()].add(activity)
            total.add(activity)
        }
        return (groups.sorted { $0.key < $1.key }.map { (group: $0.key, tally: $0.value) }, total)
    }

    mutating func add(_ activity: Activity) {
        switch activity.kind {
        case .activity: activities += 1
        case .volunteerService: services += 1
        }
        attendance += activity.attendance
    }
}
