import Foundation
import GridMapCore

/// Where a town keeps its events: each event's raise record and its append-only history, from
/// which ``EventCase`` derives the current state. Implemented by every store (``SQLiteTownStore``,
/// ``InMemoryTownStore``), beside the town itself.
///
/// Promises (the contract tests check them on every store):
/// - Nothing is updated in place: an action appends entries, and a refused action appends none.
/// - Each call is all or nothing, and two people acting on one event at once are applied one
///   after the other, each against the history the other left (the second may then be refused).
/// - A person's action first appends the escalations of the deadlines that passed before it
///   (``EventCase/record(_:catalogue:)``), so that escalations are dated when the deadline passed.
/// - Events survive a new import of the town: they are kept by code, not by reference.
public protocol EventLog: Sendable {
    /// Adds the event `entry` raises; returns it with its new id (`EV-000001`, …, in raising order).
    func raiseEvent(_ entry: EventEntry, catalogue: EventCatalogue) throws(EventLogError) -> EventCase

    /// Records a person's action on event `id`; returns the event as it now is.
    func recordEvent(_ id: String, _ entry: EventEntry, catalogue: EventCatalogue) throws(EventLogError) -> EventCase

    /// The event `id`, nil when there is none.
    func event(_ id: String, catalogue: EventCatalogue) throws(EventLogError) -> EventCase?

    /// The events `filter` selects, in raising order.
    func events(_ filter: EventFilter, catalogue: EventCatalogue) throws(EventLogError) -> [EventCase]

    /// Appends, to every open event, the escalations of the deadlines that passed before `time`;
    /// returns them with their event's id, in time order.
    func escalateOverdue(before time: Date, catalogue: EventCatalogue) throws(EventLogError) -> [(event: String, entry: EventEntry)]

    /// Records a joint inspection's plan (its `id` is assigned: `IN-000001`, …).
    func planInspection(_ inspection: Inspection, catalogue: EventCatalogue) throws(EventLogError) -> Inspection

    /// All inspections, in planning order.
    func inspections() throws(EventLogError) -> [Inspection]

    /// Records what an inspection found, in one transaction: the event `raise` raises, `whistle`
    /// to the item's department with the rectification deadline, and the link between them.
    func recordFinding(inspection: String, site: String, item: String, raise: EventEntry, whistle: EventEntry,
                       catalogue: EventCatalogue) throws(EventLogError) -> (finding: InspectionFinding, event: EventCase)

    /// The findings of an inspection (every inspection's when nil), in the order they were found.
    func findings(of inspection: String?) throws(EventLogError) -> [InspectionFinding]

    /// Records an activity or a volunteer service (its `id` is assigned: `AC-000001`, …).
    func recordActivity(_ activity: Activity) throws(EventLogError) -> Activity

    /// The activities `filter` selects (by grid and date), in the order they were recorded.
    func activities(_ filter: EventFilter) throws(EventLogError) -> [Activity]
}

/// Which events a read wants; each part narrows in the store's own query.
public struct EventFilter: Sendable, Hashable {
    /// Only events of this grid.
    public var grid: GridCode?
    public var category: String?
    /// Only events raised at or after this time.
    public var raisedFrom: Date?
    /// Only events raised before this time.
    public var raisedBefore: Date?

    public init(grid: GridCode? = nil, category: String? = nil, raisedFrom: Date? = nil, raisedBefore: Date? = nil) {
        self.grid = grid
        self.category = category
        self.raisedFrom = raisedFrom
        self.raisedBefore = raisedBefore
    }

    func selects(_ report: EventReport, raisedAt: Date) -> Bool {
        (category == nil || report.category == category) && selects(grid: report.grid, at: raisedAt)
    }

    /// Whether a record of `grid` at `time` passes the grid and time parts of the filter.
    func selects(grid: GridCode, at time: Date) -> Bool {
        (self.grid == nil || grid == self.grid) && (raisedFrom.map { time >= $0 } ?? true) && (raisedBefore.map { time < $0 } ?? true)
    }
}

/// Why an event log operation failed.
public enum EventLogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The flow refused the action; nothing was appended.
    case refused(EventFlowError)
    /// No event has this id.
    case unknownEvent(String)
    /// No inspection has this id.
    case unknownInspection(String)
    /// The store itself failed; nothing was appended.
    case store(StoreError)

    public var description: String {
        switch self {
        case .refused(let error): error.description
        case .unknownEvent(let id): "there is no event \(id)"
        case .unknownInspection(let id): "there is no inspection \(id)"
        case .store(let error): error.description
        }
    }
}

/// Ids of events (`EV-000001`), inspections (`IN-…`) and activities (`AC-…`): a prefix and the
/// row's number, six digits or more.
struct RecordID {
    let prefix: String

    static let event = RecordID(prefix: "EV-")
    static let inspection = RecordID(prefix: "IN-")
    static let activity = RecordID(prefix: "AC-")

    func text(_ number: Int64) -> String { prefix + String(format: "%06lld", number) }

    func number(_ text: String) -> Int64? {
        guard text.hasPrefix(prefix), let number = Int64(text.dropFirst(prefix.count)), number > 0, self.text(number) == text else { return nil }
        return number
    }
}
