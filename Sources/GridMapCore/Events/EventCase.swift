import Foundation

/// Where an event stands, derived from its history.
public enum EventPhase: String, Hashable, Sendable, CaseIterable {
    /// In the list, not yet taken by the grid nor whistled.
    case raised
    /// Handled within the grid's own team.
    case handledByGrid = "handled-by-grid"
    /// Whistled: at least one department's part is not resolved yet.
    case whistled
    /// Every handler says it is fixed; the grid has to check on the spot.
    case awaitingVerification = "awaiting-verification"
    /// The grid checked it; the resident's word closes it.
    case verified
    case closed
}

/// One department's part in a whistled event.
public struct DepartmentPart: Hashable, Sendable {
    public enum State: String, Hashable, Sendable {
        /// Whistled, not acknowledged yet.
        case awaitingReportIn = "awaiting-report-in"
        case handling
        case resolved
    }

    public var department: String
    public var state: State
    public var whistledAt: Date
    public var reportInDeadline: Date
    public var reportedInAt: Date?
    public var resolutionDeadline: Date
    public var resolvedAt: Date?
    /// When the part was first resolved (kept through send-backs, for the stage times).
    public var firstResolvedAt: Date?
    /// How often the grid sent this part back.
    public var sentBack: Int
}

/// The first time an event reached each point of the flow: send-backs do not move them.
public struct EventMilestones: Hashable, Sendable {
    /// Taken by the grid or whistled, whichever came first.
    public var dispatchedAt: Date?
    /// Taken by the grid.
    public var takenAt: Date?
    /// Resolved by the grid itself.
    public var gridResolvedAt: Date?
    /// Resolved as a whole (by the grid, or by its last department).
    public var resolvedAt: Date?
    /// Verified on the spot.
    public var verifiedAt: Date?

    public init(dispatchedAt: Date? = nil, takenAt: Date? = nil, gridResolvedAt: Date? = nil, resolvedAt: Date? = nil, verifiedAt: Date? = nil) {
        (self.dispatchedAt, self.takenAt, self.gridResolvedAt) = (dispatchedAt, takenAt, gridResolvedAt)
        (self.resolvedAt, self.verifiedAt) = (resolvedAt, verifiedAt)
    }
}

/// An event and everything that happened to it: the current state is a function of the history,
/// which only grows.
///
/// Rules kept (every action is checked by ``apply(_:catalogue:)`` and refused with the rule it
/// breaks, leaving the case unchanged): the first entry raises the event and no other does;
/// entries come in time order; only the event's grid team (or the town office) takes, whistles,
/// verifies, sends back and closes — whistles, verification and closing by the grid's chief or
/// liaison; only a whistled department reports in and resolves its own part; a deadline given
/// by hand lies after the entry that sets it.
public struct EventCase: Sendable {
    public let id: String
    public private(set) var history: [EventEntry] = []
    public private(set) var phase: EventPhase = .raised
    /// The raise record (set by the first entry).
    public private(set) var report: EventReport
    public private(set) var parts: [DepartmentPart] = []
    /// The grid's own resolution deadline while it handles the event itself.
    public private(set) var gridDeadline: Date?
    /// When the grid (or, for a whistled event, the last department) resolved it; cleared by a
    /// send-back.
    public private(set) var resolvedAt: Date?
    public private(set) var verifiedAt: Date?
    public private(set) var closedAt: Date?
    public private(set) var satisfaction: Satisfaction?
    public private(set) var sentBack = 0
    /// The steps already escalated, so that each missed deadline is escalated once.
    public private(set) var escalated: Set<EventStep> = []
    public private(set) var milestones = EventMilestones()
    /// The steps done after their deadline, in the order they were done.
    public private(set) var lateSteps: [EventStep] = []
    /// The grid whose team answers for the event (the report's), worked out once.
    private let grid: GridCode

    /// Raises an event: the first entry of its history.
    public init(id: String, raised entry: EventEntry, catalogue: EventCatalogue) throws(EventFlowError) {
        guard case .raise(let report) = entry.action else {
            throw EventFlowError(event: id, "an event's history starts with its raising, not with \(entry.action.name)")
        }
        self.id = id
        self.report = report
        grid = report.grid
        try Self.check(report, of: id, by: entry.actor, catalogue: catalogue)
        guard entry.attachments.isEmpty else {
            throw EventFlowError(event: id, "cannot raise: a raise brings its attachments in its report, not as the entry's")
        }
        history = [entry]
    }

    /// The case rebuilt from a stored history (the first entry raises it).
    public init(id: String, history: [EventEntry], catalogue: EventCatalogue) throws(EventFlowError) {
        guard let first = history.first else { throw EventFlowError(event: id, "an event without history") }
        try self.init(id: id, raised: first, catalogue: catalogue)
        for entry in history.dropFirst() { try apply(entry, catalogue: catalogue) }
    }

    public var raisedAt: Date { history[0].at }
    public var raisedBy: EventActor { history[0].actor }
    public var isOpen: Bool { phase != .closed }

    /// Every file of the event, in the order its entries brought them: attachment 1 is the
    /// raise's first. The same content named twice is listed twice (and stored once).
    public var attachments: [EventAttachment] { history.flatMap(\.files) }

    /// The attachment `which` names: its number in ``attachments`` (from 1), or its SHA-256 (the
    /// first with it); nil when the event has none such.
    public func attachment(_ which: String) -> EventAttachment? {
        let all = attachments
        if let number = Int(which), number >= 1 { return number <= all.count ? all[number - 1] : nil }
        return all.first { $0.sha256 == which.lowercased() }
    }

    /// Records a person's `entry` as the flow goes on: first the escalations of deadlines that
    /// passed before it, then the entry itself. Returns what was appended, oldest first; throws and
    /// leaves the case as it was if the flow refuses the entry.
    @discardableResult
    public mutating func record(_ entry: EventEntry, catalogue: EventCatalogue) throws(EventFlowError) -> [EventEntry] {
        guard entry.actor != .system else { throw refusal(entry, "escalations are GridMap's own entries") }
        let escalations = escalations(before: entry.at)
        // Nothing escalated (most entries): `apply` alone leaves the case as it was on refusal,
        // and a copy of the case here would share the history's storage and so copy the whole
        // history when the entry is appended (a tenth of appending events, in the profile).
        if escalations.isEmpty {
            try apply(entry, catalogue: catalogue)
            return [entry]
        }
        var next = self
        let appended = escalations + [entry]
        for item in appended { try next.apply(item, catalogue: catalogue) }
        self = consume next
        return appended
    }

    /// Appends `entry` if the flow allows it; otherwise throws and leaves the case as it was.
    /// Rebuilding a stored history and sweeping escalations use this; people's actions go through
    /// ``record(_:catalogue:)``, which escalates missed deadlines first.
    public mutating func apply(_ entry: EventEntry, catalogue: EventCatalogue) throws(EventFlowError) {
        var next = self
        try next.transition(entry, catalogue: catalogue)
        // The copy replaces the case before the entry is appended, so that the history's storage
        // is no longer shared and grows in place instead of being copied for every entry.
        self = consume next
        history.append(entry)
    }

    /// The steps whose deadline has passed at `time` and that are still undone, each with its
    /// deadline (which may already be escalated).
    public func overdueSteps(at time: Date) -> [EventStep] {
        pendingSteps.filter { $0.deadline < time }
    }

    /// The escalations due before `time`: one entry per overdue step not escalated yet, dated at
    /// the moment its deadline passed, in time order. Appending them (``apply(_:catalogue:)``)
    /// before any later entry keeps the history in time order.
    public func escalations(before time: Date) -> [EventEntry] {
        overdueSteps(at: time).filter { !escalated.contains($0) }
            .sorted { ($0.deadline, $0.department ?? "") < ($1.deadline, $1.department ?? "") }
            .map { EventEntry(at: max($0.deadline, history.last?.at ?? $0.deadline), actor: .system, action: .escalate($0),
                              note: "\($0) was due \($0.deadline.formatted(.iso8601)); escalated to the town office") }
    }

    /// The steps with a deadline not done yet.
    public var pendingSteps: [EventStep] {
        var steps: [EventStep] = []
        if phase == .handledByGrid, let gridDeadline {
            steps.append(EventStep(kind: .resolution, department: nil, deadline: gridDeadline))
        }
        for part in parts {
            switch part.state {
            case .awaitingReportIn:
                steps.append(EventStep(kind: .reportIn, department: part.department, deadline: part.reportInDeadline))
                steps.append(EventStep(kind: .resolution, department: part.department, deadline: part.resolutionDeadline))
            case .handling:
                steps.append(EventStep(kind: .resolution, department: part.department, deadline: part.resolutionDeadline))
            case .resolved: break
            }
        }
        return steps
    }

    // MARK: - The transitions

    private mutating func transition(_ entry: EventEntry, catalogue: EventCatalogue) throws(EventFlowError) {
        let time = entry.at
        if let last = history.last, time < last.at {
            var error = refusal(entry, "it is dated \(time.formatted(.iso8601)), before the last entry (\(last.at.formatted(.iso8601))); history only grows")
            error.outOfOrder = true
            throw error
        }
        if !entry.attachments.isEmpty {
            try require(entry.actor != .system, entry, "GridMap's own entries bring no attachments")
            if let problem = catalogue.attachmentLimits.problem(with: entry.attachments) { throw refusal(entry, problem) }
        }
        switch entry.action {
        case .raise:
            throw refusal(entry, "the event was raised already")

        case .take(let deadline):
            try require(phase == .raised, entry, "the grid can take an event only while it is raised")
            try require(entry.actor.speaksFor(grid: grid), entry, "only \(grid)'s team or the town office takes its events")
            let rule = try catalogue.rule(report.category, report.urgency)
            gridDeadline = try chosenDeadline(deadline, default: time.addingTimeInterval(rule.resolutionHours * 3600), entry)
            phase = .handledByGrid
            milestones.dispatchedAt = milestones.dispatchedAt ?? time
            milestones.takenAt = time

        case .whistle(let requested, let deadline):
            try require(phase == .raised || phase == .handledByGrid || phase == .whistled, entry,
                        "the grid whistles while an event is raised, handled by the grid or already whistled")
            try require(entry.actor.coordinates(grid: grid), entry, "only \(grid)'s chief or liaison, or the town office, blows the whistle")
            guard let category = catalogue.category(report.category) else { throw refusal(entry, "the category \(report.category) is not in the catalogue") }
            let departments = requested.isEmpty ? category.defaultDepartments : requested
            try require(!departments.isEmpty, entry, "category \(category.code) has no default departments; name them")
            for code in departments {
                try require(catalogue.department(code) != nil, entry, "department \(code) is not in the catalogue")
                try require(!parts.contains { $0.department == code }, entry, "department \(code) was whistled already")
            }
            try require(Set(departments).count == departments.count, entry, "a department is named twice")
            let rule = try catalogue.rule(report.category, report.urgency)
            let resolution = try chosenDeadline(deadline, default: time.addingTimeInterval(rule.resolutionHours * 3600), entry)
            let reportIn = min(time.addingTimeInterval(rule.reportInHours * 3600), resolution)
            parts += departments.map {
                DepartmentPart(department: $0, state: .awaitingReportIn, whistledAt: time, reportInDeadline: reportIn,
                               resolutionDeadline: resolution, sentBack: 0)
            }
            gridDeadline = nil
            phase = .whistled
            milestones.dispatchedAt = milestones.dispatchedAt ?? time

        case .reportIn(let code):
            let index = try part(code, acting: entry)
            try require(parts[index].state == .awaitingReportIn, entry, "department \(code) reported in already")
            noteLateness(.reportIn, code, parts[index].reportInDeadline, time)
            parts[index].state = .handling
            parts[index].reportedInAt = time

        case .resolve(let code?):
            let index = try part(code, acting: entry)
            try require(parts[index].state == .handling, entry,
                        parts[index].state == .resolved ? "department \(code) resolved its part already" : "department \(code) has to report in first")
            noteLateness(.resolution, code, parts[index].resolutionDeadline, time)
            parts[index].state = .resolved
            parts[index].resolvedAt = time
            parts[index].firstResolvedAt = parts[index].firstResolvedAt ?? time
            if parts.allSatisfy({ $0.state == .resolved }) {
                phase = .awaitingVerification
                resolvedAt = time
                milestones.resolvedAt = milestones.resolvedAt ?? time
            }

        case .resolve(nil):
            try require(phase == .handledByGrid, entry, "the grid resolves only an event it took itself; a department resolves its part")
            try require(entry.actor.speaksFor(grid: grid), entry, "only \(grid)'s team or the town office resolves its events")
            if let gridDeadline { noteLateness(.resolution, nil, gridDeadline, time) }
            phase = .awaitingVerification
            resolvedAt = time
            gridDeadline = nil
            milestones.gridResolvedAt = milestones.gridResolvedAt ?? time
            milestones.resolvedAt = milestones.resolvedAt ?? time

        case .verify:
            try require(phase == .awaitingVerification, entry, "only a resolved event is verified (it is \(phase.rawValue))")
            try require(entry.actor.coordinates(grid: grid), entry, "only \(grid)'s chief or liaison, or the town office, verifies")
            phase = .verified
            verifiedAt = time
            milestones.verifiedAt = milestones.verifiedAt ?? time

        case .sendBack(let requested, _):
            try require(phase == .awaitingVerification || phase == .verified, entry,
                        "only a resolved or verified event is sent back (it is \(phase.rawValue))")
            try require(entry.actor.coordinates(grid: grid), entry, "only \(grid)'s chief or liaison, or the town office, sends an event back")
            let rule = try catalogue.rule(report.category, report.urgency)
            let again = time.addingTimeInterval(rule.resolutionHours * 3600)
            if parts.isEmpty {
                try require(requested.isEmpty, entry, "the grid handled this event itself; no department to send it back to")
                gridDeadline = again
                phase = .handledByGrid
            } else {
                let codes = requested.isEmpty ? parts.map(\.department) : requested
                for code in codes {
                    guard let index = parts.firstIndex(where: { $0.department == code }) else {
                        throw refusal(entry, "department \(code) was not whistled for this event")
                    }
                    parts[index].state = .handling
                    parts[index].resolvedAt = nil
                    parts[index].resolutionDeadline = again
                    parts[index].sentBack += 1
                }
                phase = .whistled
            }
            sentBack += 1
            resolvedAt = nil
            verifiedAt = nil

        case .close(let rating):
            try require(phase == .verified, entry, "only a verified event is closed (it is \(phase.rawValue))")
            try require(entry.actor.coordinates(grid: grid), entry, "only \(grid)'s chief or liaison, or the town office, closes an event")
            phase = .closed
            closedAt = time
            satisfaction = rating

        case .escalate(let step):
            try require(entry.actor == .system, entry, "escalations are GridMap's own entries")
            try require(pendingSteps.contains(step), entry, "\(step) due \(step.deadline.formatted(.iso8601)) is not pending")
            try require(step.deadline <= time, entry, "\(step) is not due until \(step.deadline.formatted(.iso8601))")
            try require(escalated.insert(step).inserted, entry, "\(step) was escalated already")
        }
    }

    private mutating func noteLateness(_ kind: EventStep.Kind, _ department: String?, _ deadline: Date, _ time: Date) {
        if time > deadline { lateSteps.append(EventStep(kind: kind, department: department, deadline: deadline)) }
    }

    /// The index of `code`'s part, checking that `entry`'s actor is that department.
    private func part(_ code: String, acting entry: EventEntry) throws(EventFlowError) -> Int {
        guard let index = parts.firstIndex(where: { $0.department == code }) else {
            throw refusal(entry, "department \(code) was not whistled for this event")
        }
        guard case .department(let actor, _) = entry.actor, actor == code else {
            throw refusal(entry, "only department \(code) acts on its own part")
        }
        return index
    }

    /// A deadline given by hand (which must lie after the entry), else the catalogue's.
    private func chosenDeadline(_ given: Date?, default fallback: Date, _ entry: EventEntry) throws(EventFlowError) -> Date {
        guard let given else { return fallback }
        try require(given > entry.at, entry, "the deadline \(given.formatted(.iso8601)) is not after \(entry.at.formatted(.iso8601))")
        return given
    }

    private func require(_ condition: Bool, _ entry: EventEntry, _ rule: @autoclosure () -> String) throws(EventFlowError) {
        if !condition { throw refusal(entry, rule()) }
    }

    private func refusal(_ entry: EventEntry, _ rule: String) -> EventFlowError {
        EventFlowError(event: id, "cannot \(entry.action.name): \(rule)")
    }

    /// The raise record's own rules: a known category, a plain description, attachments in limits.
    private static func check(_ report: EventReport, of id: String, by actor: EventActor, catalogue: EventCatalogue) throws(EventFlowError) {
        func fail(_ rule: String) -> EventFlowError { EventFlowError(event: id, "cannot raise: \(rule)") }
        guard catalogue.category(report.category) != nil else {
            throw fail("category \(report.category) is not in the catalogue (\(catalogue.categories.map(\.code).joined(separator: ", ")))")
        }
        switch actor {
        case .teamMember, .office: break
        case .department, .system: throw fail("an event is raised by a grid's team member or the town office")
        }
        guard report.description.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else { throw fail("the description is empty") }
        if let problem = catalogue.attachmentLimits.problem(with: report.attachments) { throw fail(problem) }
    }
}

extension EventAction {
    /// The action's name as the command line spells it.
    public var name: String {
        switch self {
        case .raise: "raise"
        case .take: "take"
        case .whistle: "whistle"
        case .reportIn: "report-in"
        case .resolve: "resolve"
        case .verify: "verify"
        case .sendBack: "send-back"
        case .close: "close"
        case .escalate: "escalate"
        }
    }
}

/// An action the flow refuses, naming the event and the rule.
public struct EventFlowError: Error, Hashable, Sendable, CustomStringConvertible {
    public var event: String?
    public var message: String
    /// Refused only because the entry is dated before the event's last entry, whatever its
    /// action: a shell taking live requests may date anew one that lost the race to the store
    /// (the server does).
    public var outOfOrder = false

    public init(event: String?, _ message: String) {
        self.event = event
        self.message = message
    }

    static func badCatalogue(_ problems: [String]) -> EventFlowError {
        EventFlowError(event: nil, "the event catalogue is not usable: " + problems.joined(separator: "; "))
    }

    static func unknownCategory(_ code: String) -> EventFlowError {
        EventFlowError(event: nil, "category \(code) is not in the catalogue")
    }

    public var description: String { event.map { "event \($0): \(message)" } ?? message }
}
