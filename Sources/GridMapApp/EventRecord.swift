import Foundation
import GridMapCore

/// An event as one viewer may see it, ready to be written as JSON (the events API) or mapped to
/// another shape (Open311): the one place where an event's personal parts are kept or left out,
/// by ``Disclosure``.
///
/// Rules kept, all from ``Disclosure/disclose(_:)``: the concerned residents (who reported it, whom
/// it is about) appear only for a viewer who sees the event's residents, else only their number;
/// its free text (description, notes, send-back reasons) likewise (``Disclosure/seesText(of:)``);
/// the exact point only where ``Disclosure/seesLocation(of:)`` allows it (else the micro-grid
/// alone); a team member's name in the history only where ``Disclosure/sees(_:)`` allows it (else
/// the grid and role).
/// ``personalData`` says what personal data the record carries, for the audit log.
public struct EventRecord: Sendable, Encodable {
    public struct Part: Sendable, Encodable {
        public var department: String
        public var name: String
        public var state: String
        public var whistledAt: Date
        public var reportInDue: Date
        public var reportedInAt: Date?
        public var resolutionDue: Date
        public var resolvedAt: Date?
        public var sentBack: Int
    }

    public struct Step: Sendable, Encodable {
        public var kind: String
        /// nil: the grid's own handling.
        public var department: String?
        public var due: Date
        public var escalated: Bool
    }

    public struct Entry: Sendable, Encodable {
        public var at: Date
        public var action: String
        public var by: String
        /// The departments a whistle or send-back names, or the department reporting in or resolving.
        public var departments: [String]?
        public var satisfaction: String?
        public var note: String?
    }

    public var id: String
    public var category: String
    public var categoryName: String
    public var urgency: String
    public var state: String
    /// nil where the viewer may not see the event's free text.
    public var description: String?
    public var grid: String
    public var microGrid: String
    public var village: String
    /// WGS84; nil where the viewer may not see the exact point.
    public var lon: Double?
    public var lat: Double?
    public var raisedAt: Date
    public var raisedBy: String
    /// When the last entry was made.
    public var updatedAt: Date
    public var departments: [Part]
    /// The grid's own resolution deadline while it handles the event itself.
    public var gridDue: Date?
    public var resolvedAt: Date?
    public var verifiedAt: Date?
    public var closedAt: Date?
    public var satisfaction: String?
    public var sentBack: Int
    /// The steps past their deadline at the time the record was made.
    public var overdue: [Step]
    /// The register ids of the resident who reported it and of those it concerns; nil where the
    /// viewer may not see them.
    public var reportedByResident: String?
    public var residents: [String]?
    /// How many residents the event concerns (reporter included), shown to every viewer.
    public var residentCount: Int
    public var history: [Entry]
    /// What personal data the record carries ("" when none): for the audit log, not written out.
    public var personalData: String { personal.joined(separator: ", ") }
    private var personal: [String] = []

    private enum CodingKeys: String, CodingKey {
        case id, category, categoryName, urgency, state, description, grid, microGrid, village, lon, lat, raisedAt, raisedBy,
             updatedAt, departments, gridDue, resolvedAt, verifiedAt, closedAt, satisfaction, sentBack, overdue,
             reportedByResident, residents, residentCount, history
    }

    /// `event` as `viewer` may see it, with names from `desk`'s catalogue and team, overdue steps at `now`.
    public init(_ event: EventCase, for viewer: Viewer, desk: EventDesk, now: Date) {
        let disclosure = viewer.disclosure
        let shown = disclosure.disclose(event)
        let report = event.report
        let catalogue = desk.catalogue
        id = event.id
        category = report.category
        categoryName = catalogue.category(report.category)?.name ?? ""
        urgency = report.urgency.rawValue
        state = event.phase.rawValue
        description = shown.description
        grid = report.grid.description
        microGrid = report.microGrid.description
        village = report.villageCode
        (lon, lat) = (shown.location?.x, shown.location?.y)
        raisedAt = event.raisedAt
        updatedAt = event.history.last?.at ?? event.raisedAt
        departments = event.parts.map { part in
            Part(department: part.department, name: catalogue.department(part.department)?.name ?? "", state: part.state.rawValue,
                 whistledAt: part.whistledAt, reportInDue: part.reportInDeadline, reportedInAt: part.reportedInAt,
                 resolutionDue: part.resolutionDeadline, resolvedAt: part.resolvedAt, sentBack: part.sentBack)
        }
        gridDue = event.phase == .handledByGrid ? event.gridDeadline : nil
        (resolvedAt, verifiedAt, closedAt) = (event.resolvedAt, event.verifiedAt, event.closedAt)
        satisfaction = event.satisfaction?.rawValue
        sentBack = event.sentBack
        overdue = event.overdueSteps(at: now).map {
            Step(kind: $0.kind.rawValue, department: $0.department, due: $0.deadline, escalated: event.escalated.contains($0))
        }
        residentCount = shown.residentCount
        if let residents = shown.residents, residentCount > 0 {
            (reportedByResident, self.residents) = (shown.reportedBy, residents)
            personal.append("residents of event \(event.id): \(residentCount)")
        }
        raisedBy = ""
        history = []
        var namedMembers = Set<String>()
        let name = { (actor: EventActor) -> String in
            let (text, member) = Self.name(actor, team: desk.town.team, disclosure: disclosure)
            if let member { namedMembers.insert(member) }
            return text
        }
        raisedBy = name(event.raisedBy)
        history = shown.history.map { entry in
            var record = Entry(at: entry.at, action: entry.action.name, by: name(entry.actor), note: entry.note.isEmpty ? nil : entry.note)
            switch entry.action {
            case .whistle(let codes, _): record.departments = codes.isEmpty ? nil : codes
            case .sendBack(let codes, let reason):
                record.departments = codes.isEmpty ? nil : codes
                record.note = [reason, entry.note].filter { !$0.isEmpty }.joined(separator: " — ")
            case .reportIn(let code), .resolve(let code?): record.departments = [code]
            case .close(let rating): record.satisfaction = rating.rawValue
            default: break
            }
            return record
        }
        if !namedMembers.isEmpty {
            personal.append("team members named in event \(event.id): \(namedMembers.count)")
        }
    }

    /// How an actor is named to a viewer: a team member by grid, role and name when the viewer
    /// sees that member (the member is returned when that is beyond the public's view, for the
    /// audit log), else by grid and role alone.
    static func name(_ actor: EventActor, team: [TeamMember], disclosure: Disclosure) -> (String, String?) {
        switch actor {
        case .teamMember(let grid, let role, let name):
            let member = team.first { $0.gridCode == grid && $0.role == role && $0.name == name }
                ?? TeamMember(gridCode: grid, role: role, name: name)
            guard disclosure.sees(member) else { return ("\(grid) \(role.rawValue)", nil) }
            let beyondPublic = !Disclosure.publicTeamRoles.contains(role)
            return ("\(grid) \(role.rawValue) \(name)", beyondPublic ? "\(grid)/\(name)" : nil)
        case .department(let code, let person): return ("department \(code)" + (person.isEmpty ? "" : " \(person)"), nil)
        case .office(let person): return ("town office" + (person.isEmpty ? "" : " \(person)"), nil)
        case .system: return ("GridMap", nil)
        }
    }
}
