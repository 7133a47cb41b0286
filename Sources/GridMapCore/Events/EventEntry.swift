import Foundation
import GeoJSON

/// Who acts on an event.
public enum EventActor: Hashable, Sendable {
    /// A member of a grid's "1+1+N+X" team, by grid, role and name.
    case teamMember(grid: GridCode, role: TeamRole, name: String)
    /// A department, by its catalogue code, and the person at its desk.
    case department(code: String, person: String)
    /// The town's grid office (网格化服务管理中心), by the person acting.
    case office(person: String)
    /// GridMap itself: escalations of missed deadlines.
    case system

    /// Whether this actor speaks for the event's grid: its own team, or the town office.
    public func speaksFor(grid: GridCode) -> Bool {
        switch self {
        case .teamMember(let own, _, _): own == grid
        case .office: true
        case .department, .system: false
        }
    }

    /// Whether this actor coordinates for the grid (whistles, verifies, closes): the grid chief or
    /// the full-time grid worker (liaison) of the event's grid, or the town office. Part-time
    /// members find and report problems; professional members handle what the grid takes itself.
    public func coordinates(grid: GridCode) -> Bool {
        switch self {
        case .teamMember(let own, let role, _): own == grid && (role == .chief || role == .liaison)
        case .office: true
        case .department, .system: false
        }
    }
}

/// What the resident said at closing (群众满意度).
public enum Satisfaction: String, Hashable, Sendable, CaseIterable {
    case satisfied
    case basicallySatisfied = "basically-satisfied"
    case dissatisfied
}

/// What an event is about and where, as raised.
public struct EventReport: Hashable, Sendable {
    /// The category's catalogue code.
    public var category: String
    public var urgency: Urgency
    public var description: String
    /// Where the problem is, WGS84.
    public var location: Position
    /// The micro-grid the location lies in (found by the Atlas when the event is raised); its grid's
    /// team is responsible.
    public var microGrid: GridCode
    /// The administrative village of that grid.
    public var villageCode: String
    /// The resident who brought the problem to the grid worker, by register id, when there is one.
    public var reportedByResident: String?
    /// Residents the event concerns, by register id (personal data: shown by role like the register).
    public var residents: [String]
    /// The files raised with the event (a photo of the blocked ditch): the raise entry's files.
    public var attachments: [EventAttachment]

    /// The grid whose team answers for the event.
    public var grid: GridCode { microGrid.gridCode }

    public init(category: String, urgency: Urgency, description: String, location: Position, microGrid: GridCode,
                villageCode: String, reportedByResident: String? = nil, residents: [String] = [], attachments: [EventAttachment] = []) {
        self.category = category
        self.urgency = urgency
        self.description = description
        self.location = location
        self.microGrid = microGrid
        self.villageCode = villageCode
        self.reportedByResident = reportedByResident
        self.residents = residents
        self.attachments = attachments
    }
}

/// A step of the flow, as one history entry records it.
public enum EventAction: Hashable, Sendable {
    /// The event enters the list (民生事件清单).
    case raise(EventReport)
    /// The grid handles the event within its own team; `deadline` overrides the catalogue's.
    case take(deadline: Date?)
    /// The grid blows the whistle to `departments` (the category's defaults when empty); a
    /// `resolutionDeadline` overrides the catalogue's (an inspection's rectification deadline).
    case whistle(departments: [String], resolutionDeadline: Date?)
    /// A department acknowledges the whistle and takes the case (报到).
    case reportIn(department: String)
    /// The handler says the problem is fixed: a department (for its part), or the grid's team.
    case resolve(department: String?)
    /// The grid checks on the spot that the problem is fixed.
    case verify
    /// Not fixed, or the resident is not satisfied: back to the handlers named (every resolved
    /// department when empty, or the grid's team when the grid took the event).
    case sendBack(departments: [String], reason: String)
    /// The case ends, with the resident's satisfaction.
    case close(Satisfaction)
    /// A deadline passed with its step undone: reported to the town office. Appended by
    /// ``EventCase/escalations(before:)``, never by a person.
    case escalate(EventStep)
}

/// A step with a deadline, of the whole event or of one department's part in it.
public struct EventStep: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case reportIn = "report-in"
        case resolution
    }

    public var kind: Kind
    /// The department whose step it is; nil for the grid's own handling.
    public var department: String?
    /// When the step was due.
    public var deadline: Date

    public init(kind: Kind, department: String?, deadline: Date) {
        self.kind = kind
        self.department = department
        self.deadline = deadline
    }

    public var description: String {
        "\(kind.rawValue) by \(department ?? "the grid")"
    }
}

/// One entry of an event's append-only history: who did what, when, with a note.
public struct EventEntry: Hashable, Sendable {
    /// When it happened (UTC; shown in Asia/Shanghai).
    public var at: Date
    public var actor: EventActor
    public var action: EventAction
    /// Free text: what was found, what was done, why it was sent back.
    public var note: String
    /// The files a later entry brings (a photo of the repaired well). A raise brings its files
    /// in its report (``EventReport/attachments``) and none here; ``files`` gives either.
    public var attachments: [EventAttachment]

    public init(at: Date, actor: EventActor, action: EventAction, note: String = "", attachments: [EventAttachment] = []) {
        self.at = at
        self.actor = actor
        self.action = action
        self.note = note
        self.attachments = attachments
    }

    /// The files this entry brings: for a raise its report's, for any other entry its own.
    public var files: [EventAttachment] {
        if case .raise(let report) = action { return report.attachments }
        return attachments
    }
}
