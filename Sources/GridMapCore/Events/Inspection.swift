import Foundation
import GeoJSON

/// A joint inspection (联合检查): several departments go through a list of sites — every school
/// and kindergarten, say — each checking its own items (flood defence, drowning, security, fire,
/// gas, food, hygiene, traffic, buildings). Each finding becomes an event at its site, whistled to
/// the department of the item with a rectification deadline, so it runs through the same flow and
/// rates as every other event.
public struct Inspection: Hashable, Sendable {
    /// `IN-000001`, …
    public var id: String
    public var title: String
    /// When the inspection starts.
    public var date: Date
    /// The town office or grid that organises it.
    public var organiser: EventActor
    public var sites: [InspectionSite]
    public var items: [InspectionItem]

    public init(id: String, title: String, date: Date, organiser: EventActor, sites: [InspectionSite], items: [InspectionItem]) {
        self.id = id
        self.title = title
        self.date = date
        self.organiser = organiser
        self.sites = sites
        self.items = items
    }

    /// Checks the plan against the catalogue: sites and items, no repeats, known departments.
    public func check(catalogue: EventCatalogue) throws(EventFlowError) {
        var problems: [String] = []
        if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append("the title is empty") }
        if sites.isEmpty { problems.append("no sites to inspect") }
        if items.isEmpty { problems.append("no check items") }
        for item in items where catalogue.department(item.department) == nil {
            problems.append("item \(item.name) belongs to department \(item.department), which the catalogue does not have")
        }
        if Set(sites.map(\.featureID)).count != sites.count { problems.append("a site is listed twice") }
        if Set(items.map(\.name)).count != items.count { problems.append("an item is listed twice") }
        guard problems.isEmpty else { throw EventFlowError(event: id, "cannot plan the inspection: " + problems.joined(separator: "; ")) }
    }

    /// The item called `name`.
    public func item(_ name: String) -> InspectionItem? { items.first { $0.name == name } }
    /// The site with feature id `id`.
    public func site(_ id: String) -> InspectionSite? { sites.first { $0.featureID == id } }
}

/// A place an inspection visits: a feature of the town (a school, a kindergarten).
public struct InspectionSite: Hashable, Sendable {
    public var featureID: String
    public var name: String
    public var location: Position

    public init(featureID: String, name: String, location: Position) {
        self.featureID = featureID
        self.name = name
        self.location = location
    }
}

/// One thing checked at every site, and the department that checks it.
public struct InspectionItem: Hashable, Sendable {
    /// E.g. 防汛 (flood defence), 消防 (fire), 食品安全 (food).
    public var name: String
    public var department: String

    public init(name: String, department: String) {
        self.name = name
        self.department = department
    }
}

/// A problem an inspection found at a site, and the event that follows it.
public struct InspectionFinding: Hashable, Sendable {
    public var inspection: String
    public var site: String
    public var item: String
    /// The event raised for it.
    public var event: String

    public init(inspection: String, site: String, item: String, event: String) {
        self.inspection = inspection
        self.site = site
        self.item = item
        self.event = event
    }
}

/// An activity at a service centre or a volunteer service (haircuts, free clinics, legal aid,
/// shows) that a town counts per grid.
public struct Activity: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// An activity organised at a party-masses service centre or station (活动).
        case activity
        /// A volunteer service (志愿服务).
        case volunteerService = "volunteer-service"
    }

    /// `AC-000001`, …
    public var id: String
    public var kind: Kind
    public var title: String
    /// What kind of service, free text kept short: haircut, clinic, legal-aid, show, …
    public var service: String
    public var date: Date
    /// Where it took place, and the micro-grid, grid and village found for it.
    public var location: Position
    public var microGrid: GridCode
    public var villageCode: String
    public var organiser: String
    /// People who took part or were served.
    public var attendance: Int

    public var grid: GridCode { microGrid.gridCode }

    public init(id: String, kind: Kind, title: String, service: String, date: Date, location: Position, microGrid: GridCode,
                villageCode: String, organiser: String, attendance: Int) {
        (self.id, self.kind, self.title, self.service, self.date) = (id, kind, title, service, date)
        (self.location, self.microGrid, self.villageCode, self.organiser, self.attendance) = (location, microGrid, villageCode, organiser, attendance)
    }
}
