import ArgumentParser
import CSV
import Foundation
import GeoJSON
import GridMapApp
import GridMapCore

/// `gridmap inspection`: joint inspections whose findings become events.
struct InspectionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspection",
        abstract: "Joint inspections: sites × departments × check items; each finding becomes a whistled event with a rectification deadline.",
        discussion: """
            Examples:
              gridmap inspection plan --title "校园安全联合检查" --as office --sites schools,kindergartens \\
                --item 防汛:water --item 防溺水:education --item 消防:fire --item 食品安全:market-supervision
              gridmap inspection find IN-000001 --site school-3 --item 消防 --description "灭火器过期" --deadline 2026-12-20 --as office
              gridmap inspection show IN-000001
            """,
        subcommands: [InspectionPlan.self, InspectionFind.self, InspectionShow.self, InspectionList.self])
}

struct InspectionPlan: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Plan a joint inspection of sites with check items.")
    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("What the inspection is called.", valueName: "text"))
    var title: String
    @Option(name: .customLong("as"), help: ArgumentHelp("Who organises it: office[/PERSON] or GRID/ROLE.", valueName: "who"))
    var actor: String
    @Option(help: ArgumentHelp("Every feature of these layers is a site, e.g. schools,kindergartens.", valueName: "layers"))
    var sites: String?
    @Option(name: .customLong("site"), help: ArgumentHelp("One more site by feature id; repeat for several.", valueName: "id"))
    var siteIDs: [String] = []
    @Option(name: .customLong("item"), help: ArgumentHelp("A check item and its department, NAME:DEPARTMENT; repeat.", valueName: "name:code"))
    var items: [String] = []
    @Option(help: ArgumentHelp("When it starts (default: now).", valueName: "time"))
    var date: String?

    func run() throws {
        let desk = try EventDesk(store: store.stores.openWithTown())
        var checks: [InspectionItem] = []
        for text in items {
            guard let colon = text.lastIndex(of: ":") else { throw ValidationError("--item wants NAME:DEPARTMENT, e.g. 消防:fire; got '\(text)'.") }
            checks.append(InspectionItem(name: String(text[..<colon]), department: String(text[text.index(after: colon)...])))
        }
        let kinds = try (sites ?? "").split(separator: ",").map { layer throws -> FeatureKind in
            guard let kind = FeatureKind(layerName: String(layer)) else { throw ValidationError("--sites: no layer '\(layer)'.") }
            return kind
        }
        let when = try date.map { text throws(JobError) in try EventTimes.parse(text, option: "--date") } ?? Date()
        let inspection = try desk.planInspection(title: title, date: when, organiser: try desk.actor(actor), siteKinds: kinds,
                                                 siteIDs: siteIDs, items: checks)
        try StandardOutput.write(lines: ["\(inspection.id) \(inspection.title): \(inspection.sites.count) sites × \(inspection.items.count) items"])
    }
}

struct InspectionFind: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find", abstract: "Record a finding: an event at the site, whistled to the item's department with a rectification deadline.")
    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The inspection, e.g. IN-000001.", valueName: "id"))
    var id: String
    @Option(help: ArgumentHelp("The site's feature id.", valueName: "id"))
    var site: String
    @Option(help: ArgumentHelp("The check item's name.", valueName: "name"))
    var item: String
    @Option(help: ArgumentHelp("What was found.", valueName: "text"))
    var description: String
    @Option(help: ArgumentHelp("The rectification deadline.", valueName: "time"))
    var deadline: String
    @Option(help: ArgumentHelp("The event's category (default school-safety).", valueName: "code"))
    var category: String = "school-safety"
    @Option(name: .customLong("as"), help: ArgumentHelp("Who records it: office[/PERSON] or GRID/chief, GRID/liaison.", valueName: "who"))
    var actor: String
    @Option(help: ArgumentHelp("When it was found (default: now).", valueName: "time"))
    var time: String?

    func run() throws {
        let now = Date()
        let desk = try EventDesk(store: store.stores.openWithTown())
        let when = try EventTimes.happened(time, now: now, option: "--time")
        let (_, event) = try desk.recordFinding(inspection: id, site: site, item: item, description: description, category: category,
                                                deadline: try EventTimes.parse(deadline, option: "--deadline"), by: try desk.actor(actor), at: when)
        try StandardOutput.write(lines: [EventText.stateLine(event, catalogue: desk.catalogue)])
    }
}

struct InspectionShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "An inspection's sites, items and findings with their events' states.")
    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The inspection, e.g. IN-000001.", valueName: "id"))
    var id: String

    func run() throws {
        let desk = try EventDesk(store: store.stores.openWithTown())
        let (inspection, findings) = try desk.inspection(id)
        var lines = ["\(inspection.id) \(inspection.title), from \(EventTimes.text(inspection.date)) by \(EventText.actor(inspection.organiser))",
                     "  items: " + inspection.items.map { "\($0.name) (\($0.department))" }.joined(separator: ", "),
                     "  sites: \(inspection.sites.count); findings: \(findings.count)"]
        for finding in findings {
            let event = try desk.event(finding.event)
            let due = event.parts.map { EventTimes.text($0.resolutionDeadline) }.first ?? ""
            lines.append("  \(finding.site) \(finding.item): \(event.id) \(event.phase.rawValue), rectify by \(due)")
        }
        try StandardOutput.write(lines: lines)
    }
}

struct InspectionList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Inspections as CSV: id, title, date, sites, items, findings, closed.")
    @OptionGroup var store: StoreOptions

    func run() throws {
        let desk = try EventDesk(store: store.stores.openWithTown())
        var rows = [["id", "title", "date", "sites", "items", "findings", "closed"]]
        for (inspection, findings, closed) in try desk.inspectionProgress() {
            rows.append([inspection.id, inspection.title, EventTimes.text(inspection.date), "\(inspection.sites.count)",
                         "\(inspection.items.count)", "\(findings)", "\(closed)"])
        }
        try StandardOutput.write(String(decoding: CSVField.formatted(rows), as: UTF8.self))
    }
}

/// `gridmap activity`: activities at the service centres and volunteer services, counted per grid.
struct ActivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activity", abstract: "Record activities and volunteer services, and count them per grid, village or month.",
        discussion: """
            Examples:
              gridmap activity record --kind volunteer-service --title "义诊" --service clinic --point 119.81,35.90 --organiser 卫生院 --attendance 60
              gridmap activity stats --by grid
            """,
        subcommands: [ActivityRecord.self, ActivityList.self, ActivityStats.self])
}

struct ActivityRecord: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record", abstract: "Record an activity or a volunteer service at a place.")
    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("activity or volunteer-service.", valueName: "kind"))
    var kind: String
    @Option(help: ArgumentHelp("What it was called.", valueName: "text"))
    var title: String
    @Option(help: ArgumentHelp("The kind of service: haircut, clinic, legal-aid, show, …", valueName: "text"))
    var service: String
    @Option(help: ArgumentHelp("Where: longitude,latitude (WGS84).", valueName: "lon,lat"))
    var point: String
    @Option(help: ArgumentHelp("Who organised it.", valueName: "text"))
    var organiser: String
    @Option(help: ArgumentHelp("People who took part or were served.", valueName: "n"))
    var attendance: Int
    @Option(help: ArgumentHelp("When (default: now).", valueName: "time"))
    var date: String?

    func run() throws {
        guard let kind = Activity.Kind(rawValue: kind) else { throw ValidationError("--kind is activity or volunteer-service; got '\(kind)'.") }
        let location = try EventTimes.point(point, option: "--point")
        let desk = try EventDesk(store: store.stores.openWithTown())
        let when = try date.map { text throws(JobError) in try EventTimes.parse(text, option: "--date") } ?? Date()
        let activity = try desk.recordActivity(kind: kind, title: title, service: service, at: location,
                                               date: when, organiser: organiser, attendance: attendance)
        try StandardOutput.write(lines: ["\(activity.id) \(activity.kind.rawValue) \(activity.title) in \(activity.microGrid)"])
    }
}

struct ActivityList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Activities as CSV.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: EventQueryOptions

    func run() throws {
        let desk = try EventDesk(store: store.stores.openWithTown())
        var rows = [["id", "kind", "title", "service", "date", "grid", "micro_grid", "village", "organiser", "attendance"]]
        for activity in try desk.activities(try filters.query()) {
            rows.append([activity.id, activity.kind.rawValue, activity.title, activity.service, EventTimes.text(activity.date),
                         activity.grid.description, activity.microGrid.description, activity.villageCode, activity.organiser, "\(activity.attendance)"])
        }
        try StandardOutput.write(String(decoding: CSVField.formatted(rows), as: UTF8.self))
    }
}

struct ActivityStats: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Activities, volunteer services and attendance per grid, village or month (CSV).")
    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: EventQueryOptions
    @Option(help: ArgumentHelp("town (default), grid, village or month.", valueName: "group"))
    var by: String = "town"

    func run() throws {
        guard let grouping = EventGrouping(rawValue: by), grouping != .department else {
            throw ValidationError("--by is one of town, grid, village, month; got '\(by)'.")
        }
        let desk = try EventDesk(store: store.stores.openWithTown())
        let table = ActivityTally.table(try desk.activities(try filters.query()), by: grouping)
        var rows = [["group", "activities", "volunteer_services", "attendance"]]
        for (group, tally) in (grouping == .town ? [] : table.rows) + [(group: "town", tally: table.total)] {
            rows.append([group, "\(tally.activities)", "\(tally.services)", "\(tally.attendance)"])
        }
        try StandardOutput.write(String(decoding: CSVField.formatted(rows), as: UTF8.self))
    }
}
