import Foundation
import GridMapCore
import GridStore

/// What a person asks of an event through a shell that knows who they are (the server): the
/// action by name and its particulars, as the command line's options give them.
public struct EventActionRequest: Sendable, Hashable {
    /// take, whistle, report-in, resolve, verify, send-back or close.
    public var action: String
    /// whistle: the departments (the category's defaults when empty); send-back: those sent back
    /// (every resolved one when empty).
    public var departments: [String] = []
    public var note: String = ""
    /// send-back: why.
    public var reason: String?
    /// close: satisfied, basically-satisfied or dissatisfied.
    public var satisfaction: String?
    /// take and whistle: a deadline instead of the catalogue's.
    public var deadline: Date?

    /// The actions a person takes, as they are spelt in URLs and on the command line.
    public static let actions = ["take", "whistle", "report-in", "resolve", "verify", "send-back", "close"]

    public init(action: String) { self.action = action }

    /// The flow's action this request names, taken by `actor` (a department reports in and
    /// resolves its own part; anyone else resolves the grid's own handling).
    public func eventAction(by actor: EventActor) throws(JobError) -> EventAction {
        switch action {
        case "take": return .take(deadline: deadline)
        case "whistle": return .whistle(departments: departments, resolutionDeadline: deadline)
        case "report-in":
            guard case .department(let code, _) = actor else { throw .forbidden("Only a department reports in, for its own part.") }
            return .reportIn(department: code)
        case "resolve":
            if case .department(let code, _) = actor { return .resolve(department: code) }
            return .resolve(department: nil)
        case "verify": return .verify
        case "send-back":
            guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw .invalidRequest("send-back needs a reason: what is not fixed, or why the resident is not satisfied.")
            }
            return .sendBack(departments: departments, reason: reason)
        case "close":
            guard let text = satisfaction, let rating = Satisfaction(rawValue: text) else {
                throw .invalidRequest("close needs the resident's satisfaction: "
                    + Satisfaction.allCases.map(\.rawValue).joined(separator: ", ") + (satisfaction.map { ", not '\($0)'" } ?? ""))
            }
            return .close(rating)
        default:
            throw .notFound("No event action '\(action)': the actions are \(Self.actions.joined(separator: ", ")).")
        }
    }
}

/// One department's part in its queue: an event whistled to it and not resolved yet.
public struct QueueItem: Sendable, Encodable {
    public var event: EventRecord
    public var state: String
    public var reportInDue: Date
    public var resolutionDue: Date
    /// The deadline of the part's next step (report-in while awaited, else resolution).
    public var nextDue: Date
    /// Whether that deadline has passed.
    public var overdue: Bool
}

/// The event desk as a shell with accounts uses it: acting as the viewer's own actor, and refusing
/// with 403 (``JobError/Kind/forbidden``) a viewer who may not take the step at all, with 409
/// (``JobError/Kind/conflict``) a step the event's state does not allow, with 404 an unknown event.
extension EventDesk {
    /// The viewer's actor; a viewer without one takes no step of the flow.
    func actor(of viewer: Viewer) throws(JobError) -> EventActor {
        guard let actor = viewer.actor else {
            throw .forbidden("Only a grid's team member, a department or the town office acts on events; this account has no such part (the public reports problems through Open311).")
        }
        return actor
    }

    /// Raises `request` as the viewer's actor (a grid's team member or the town office).
    public func raise(_ request: RaiseRequest, as viewer: Viewer, at time: Date) throws(JobError) -> EventCase {
        let actor = try actor(of: viewer)
        switch actor {
        case .teamMember, .office: break
        case .department, .system: throw .forbidden("An event is raised by a grid's team member or the town office, not by a department.")
        }
        return try raise(request, by: actor, at: time)
    }

    /// Takes the step `request` names on event `id` as the viewer's actor, a request that came in
    /// at `time`.
    ///
    /// It is recorded when the store takes it: at `time`, or, when another request on the same
    /// event came in after it but reached the store first, at that request's time. A history's
    /// times only grow, so dating it `time` would refuse it for the order two requests happened to
    /// reach the store in (found under load: two departments of a joint whistle reporting in at
    /// once), not for anything the flow forbids. What the flow refuses is refused as before.
    public func act(_ request: EventActionRequest, on id: String, as viewer: Viewer, at time: Date) throws(JobError) -> EventCase {
        let actor = try actor(of: viewer)
        let action = try request.eventAction(by: actor)
        var event = try self.event(id)
        try checkMayTake(action, on: event, by: actor)
        var attempt = 1
        while true {
            let entry = EventEntry(at: max(time, event.history.last?.at ?? time), actor: actor, action: action, note: request.note)
            do throws(EventLogError) {
                let results = try store.perform([.record(.id(id), entry)], catalogue: catalogue)
                guard case .event(let recorded)? = results.first else { throw EventLogError.unexpectedResult }
                return recorded
            } catch .refused(let refusal) where refusal.outOfOrder && attempt < Self.inOrderAttempts {
                // Another request's entry came in between the read above and the store's turn.
                attempt += 1
                event = try self.event(id)
            } catch {
                let failure = Self.jobError(error)
                // Who may act was checked above: what the flow refuses now is the event's state.
                guard failure.kind == .rejected else { throw failure }
                throw JobError(.conflict, failure.message, details: failure.details)
            }
        }
    }

    /// How many times a request is dated anew after entries of other requests came in before it
    /// reached the store: each such attempt means another request on the same event was taken in
    /// between, so a few suffice, and a bound keeps a pathological stream from holding one forever.
    static let inOrderAttempts = 5

    /// Refuses (403) an actor who may never take `action` on `event`, whatever its state: the
    /// flow's rules on who acts (``EventCase``), asked before the state is.
    func checkMayTake(_ action: EventAction, on event: EventCase, by actor: EventActor) throws(JobError) {
        let grid = event.report.grid
        switch action {
        case .take, .resolve(nil):
            guard actor.speaksFor(grid: grid) else { throw .forbidden("Only \(grid)'s team or the town office may \(action.name) event \(event.id).") }
        case .whistle, .verify, .sendBack, .close:
            guard actor.coordinates(grid: grid) else {
                throw .forbidden("Only \(grid)'s chief or liaison, or the town office, may \(action.name) event \(event.id).")
            }
        case .reportIn(let code), .resolve(let code?):
            guard event.parts.contains(where: { $0.department == code }) else {
                throw .forbidden("Event \(event.id) was not whistled to department \(code); it cannot \(action.name) it.")
            }
        case .raise, .escalate:
            throw .forbidden("\(action.name) is not a step a person takes on an existing event.")
        }
    }

    /// The queue of department `code` at `now`: its parts not resolved yet, the earliest next
    /// deadline first.
    public func queue(of code: String, for viewer: Viewer, now: Date) throws(JobError) -> [QueueItem] {
        guard catalogue.department(code) != nil else {
            throw .notFound("No department \(code); departments: \(catalogue.departments.map(\.code).joined(separator: ", ")).")
        }
        var items: [QueueItem] = []
        for event in try events(EventQuery(department: code)) {
            guard let part = event.parts.first(where: { $0.department == code }), part.state != .resolved else { continue }
            let next = part.state == .awaitingReportIn ? part.reportInDeadline : part.resolutionDeadline
            items.append(QueueItem(event: EventRecord(event, for: viewer, desk: self, now: now), state: part.state.rawValue,
                                   reportInDue: part.reportInDeadline, resolutionDue: part.resolutionDeadline, nextDue: next, overdue: next < now))
        }
        return items.sorted { ($0.nextDue, $0.event.id) < ($1.nextDue, $1.event.id) }
    }
}
