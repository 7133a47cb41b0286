import Foundation
import GeoJSON
import GridMapCore
import GridStore

/// A kind of problem the public can report (Open311's "service"): a category of the event
/// catalogue, with its name in Chinese and English and the departments a whistle of it goes to.
public struct PublicService: Sendable, Hashable {
    public var code: String
    /// The catalogue's name, e.g. 道路水利.
    public var name: String
    /// e.g. "Roads and water".
    public var englishName: String
    /// The category's default departments.
    public var departments: [Department]
}

/// A problem reported by the public at a point (an Open311 POST).
public struct PublicReport: Sendable, Hashable {
    public var serviceCode: String
    public var description: String
    /// WGS84 longitude and latitude.
    public var location: Position

    public init(serviceCode: String, description: String, location: Position) {
        (self.serviceCode, self.description, self.location) = (serviceCode, description, location)
    }
}

/// What the public is told after reporting: the event and who will handle it.
public struct PublicReportReceipt: Sendable {
    public var event: EventCase
    /// The team member (or the town office) the event was raised by, on the public's behalf.
    public var raisedBy: EventActor
    /// The grid team's members everyone may see (chief and liaison, with their phones).
    public var team: [TeamMember]
}

/// Which reports a public listing covers (Open311's `requests` filters and GridMap's extensions).
public struct PublicRequestQuery: Sendable, Hashable {
    public enum Status: String, Sendable, CaseIterable { case open, closed }

    /// Requests by id; when given, the other filters do not apply (as Open311 says).
    public var ids: [String] = []
    /// Any of these categories (none: all).
    public var serviceCodes: [String] = []
    public var from: Date?
    public var before: Date?
    public var status: Status?
    public var grid: GridCode?
    public var microGrid: GridCode?
    public var state: EventPhase?
    /// The most requests answered, the latest raised first.
    public var limit = PublicRequestQuery.maximumLimit

    public static let maximumLimit = 1000

    public init() {}
}

/// The public's way in to the event desk (Open311 GeoReport v2): the catalogue as services, a
/// report at a point raised on the public's behalf, and the reports as requests.
///
/// A resident of the town does not raise events: they tell their grid worker, who raises it. A
/// report from the public is therefore raised by the grid's liaison (民情联络员) — the grid's
/// chief when it has no liaison, the town office when it has neither — and the receipt names the
/// grid's public team so that the reporter knows whom to call. A viewer who is a member of that
/// grid's team, or the office, raises it as themselves.
extension EventDesk {
    /// English names of the standard catalogue's categories; a town's own category is named by its code.
    static let englishNames = [
        "environment": "Environment and sanitation", "safety-hazard": "Safety hazard", "roads-and-water": "Roads and water",
        "dispute-mediation": "Dispute mediation", "welfare-assistance": "Welfare and assistance", "public-order": "Public order",
        "land-and-buildings": "Land and buildings", "farming": "Farming", "food-and-market": "Food and markets",
        "health": "Health", "school-safety": "School safety", "traffic": "Traffic safety",
    ]

    /// Every category as a service, in the catalogue's order.
    public var publicServices: [PublicService] {
        catalogue.categories.map { category in
            PublicService(code: category.code, name: category.name,
                          englishName: Self.englishNames[category.code] ?? category.code.replacingOccurrences(of: "-", with: " "),
                          departments: category.defaultDepartments.compactMap { catalogue.department($0) })
        }
    }

    /// The service `code`, or ``JobError/Kind/notFound``.
    public func publicService(_ code: String) throws(JobError) -> PublicService {
        guard let service = publicServices.first(where: { $0.code == code }) else {
            throw .notFound("No service \(code); services: \(catalogue.categories.map(\.code).joined(separator: ", ")).")
        }
        return service
    }

    /// Raises `report` at `time` on the public's behalf (see the type's rule).
    public func report(_ report: PublicReport, as viewer: Viewer, at time: Date) throws(JobError) -> PublicReportReceipt {
        guard catalogue.category(report.serviceCode) != nil else {
            throw .invalidRequest("No service_code \(report.serviceCode); services: \(catalogue.categories.map(\.code).joined(separator: ", ")).")
        }
        let (microGrid, _) = try place(report.location, what: "a report")
        let grid = microGrid.gridCode
        let team = town.team.filter { $0.gridCode == grid }
        let actor: EventActor
        if let own = viewer.actor, own.speaksFor(grid: grid) {
            actor = own
        } else if let member = team.first(where: { $0.role == .liaison }) ?? team.first(where: { $0.role == .chief }) {
            actor = .teamMember(grid: grid, role: member.role, name: member.name)
        } else {
            actor = .office(person: "")
        }
        let request = RaiseRequest(category: report.serviceCode, description: report.description, location: report.location)
        let event = try raise(request, by: actor, at: time)
        return PublicReportReceipt(event: event, raisedBy: actor,
                                   team: team.filter { Disclosure.publicTeamRoles.contains($0.role) })
    }

    /// The events `query` selects, the latest raised first, at most `query.limit`.
    public func publicRequests(_ query: PublicRequestQuery) throws(JobError) -> [EventCase] {
        guard (1...PublicRequestQuery.maximumLimit).contains(query.limit) else {
            throw .invalidRequest("limit must be 1 to \(PublicRequestQuery.maximumLimit), not \(query.limit).")
        }
        if !query.ids.isEmpty {
            var found: [EventCase] = []
            for id in query.ids.prefix(query.limit) {
                if let event = try logged({ () throws(EventLogError) in try store.event(id, catalogue: catalogue) }) { found.append(event) }
            }
            return found
        }
        for code in query.serviceCodes where catalogue.category(code) == nil {
            throw .invalidRequest("No service_code \(code); services: \(catalogue.categories.map(\.code).joined(separator: ", ")).")
        }
        if let microGrid = query.microGrid, !atlas.microGrids.contains(where: { $0.code == microGrid }) {
            throw .invalidRequest("The town has no micro-grid \(microGrid).")
        }
        let codes = Set(query.serviceCodes)
        var selected: [EventCase] = []
        try forEachEvent(EventQuery(grid: query.grid ?? query.microGrid?.gridCode, phase: query.state, category: codes.count == 1 ? codes.first : nil,
                                    from: query.from, before: query.before)) { event in
            guard codes.isEmpty || codes.contains(event.report.category),
                  query.microGrid == nil || event.report.microGrid == query.microGrid,
                  query.status == nil || (query.status == .closed) == (event.phase == .closed) else { return }
            selected.append(event)
        }
        return Array(selected.reversed().prefix(query.limit))
    }
}
