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
/// - An attachment's content is kept once per SHA-256, however many entries name it, and never
///   changes or goes; every attachment an entry names has its content kept, with the size and
///   media type the entry says.
public protocol EventLog: Sendable {
    /// Performs `operations` in order and keeps the content of `uploads`, all or nothing (one
    /// transaction): a refused or failed operation leaves the log as it was and throws
    /// ``EventLogError/operation(_:_:)`` with its index (or its own error when there is one
    /// operation). Returns one result per operation, each event in it as the whole batch left it.
    /// Ids are assigned in order: `EV-000001`, `IN-000001`, `AC-000001`, …
    ///
    /// Every attachment the operations' entries name must have its content among `uploads` or
    /// kept already, and every upload must be named by an entry; an upload whose content changed
    /// since it was checked is refused (``AttachmentUpload``). Each is an ``EventLogError/refused(_:)``.
    func perform(_ operations: [EventLogOperation], uploads: [AttachmentUpload],
                 catalogue: EventCatalogue) throws(EventLogError) -> [EventLogResult]

    /// Performs `operations` as ``perform(_:uploads:catalogue:)`` does — in order, all or
    /// nothing, with the same checks and errors — but hands no results back: for a journal's or
    /// a bulk load's thousands of operations, whose results nobody reads (making them and letting
    /// them go was a tenth of appending events, in the profile). By default, `perform` with the
    /// results dropped.
    func append(_ operations: [EventLogOperation], uploads: [AttachmentUpload], catalogue: EventCatalogue) throws(EventLogError)

    /// Up to `count` bytes of the attachment content named `sha256`, from `offset` (fewer at its
    /// end, none past it); nil when the store keeps no such content. Read a piece at a time, so
    /// that handing out a 10 MiB photo never holds it whole.
    func attachmentBytes(_ sha256: String, from offset: Int, count: Int) throws(EventLogError) -> Data?

    /// The SHA-256 of every attachment content the store keeps, sorted.
    func attachmentHashes() throws(EventLogError) -> [String]

    /// The event `id`, nil when there is none.
    func event(_ id: String, catalogue: EventCatalogue) throws(EventLogError) -> EventCase?

    /// Hands each event `filter` selects to `body`, in raising order, one at a time: a year of a
    /// district's events is tallied without holding them all.
    func forEachEvent(_ filter: EventFilter, catalogue: EventCatalogue,
                      _ body: (EventCase) throws(EventLogError) -> Void) throws(EventLogError)

    /// Hands the summary (``EventSummary``) of each event `filter` selects to `body`, in raising
    /// order: what the rates need, without the histories. It equals ``EventCase/summary`` of the
    /// event as ``forEachEvent(_:catalogue:_:)`` gives it; a store may keep it as a cache of the
    /// history (``SQLiteTownStore`` does, in the same transaction as each entry).
    func forEachSummary(_ filter: EventFilter, _ body: (EventSummary) throws(EventLogError) -> Void) throws(EventLogError)

    /// The summaries of the events `filter` selects, cut into `parts` runs of consecutive events
    /// (every event of a run raised before those of the next; runs may be empty), each run
    /// folded into a value that `start` makes and `add` adds one summary to, in raising order;
    /// returns the runs' values in order. A store may read the runs at once, each on its own
    /// connection, so that the rates use every core (``SQLiteTownStore`` does for a file it
    /// writes, every run reading the same committed state); the values are the same either way.
    func foldSummaries<Value: Sendable>(_ filter: EventFilter, parts: Int, start: @escaping @Sendable () -> Value,
                                        add: @escaping @Sendable (inout Value, EventSummary) -> Void) throws(EventLogError) -> [Value]

    /// Appends, to every open event, the escalations of the deadlines that passed before `time`;
    /// returns them with their event's id, in time order.
    func escalateOverdue(before time: Date, catalogue: EventCatalogue) throws(EventLogError) -> [(event: String, entry: EventEntry)]

    /// All inspections, in planning order.
    func inspections() throws(EventLogError) -> [Inspection]

    /// The findings of an inspection (every inspection's when nil), in the order they were found.
    func findings(of inspection: String?) throws(EventLogError) -> [InspectionFinding]

    /// The activities `filter` selects (by grid and date), in the order they were recorded.
    func activities(_ filter: EventFilter) throws(EventLogError) -> [Activity]
}

/// One change to the event log.
public enum EventLogOperation: Sendable, Hashable {
    /// Adds the event the entry raises.
    case raise(EventEntry)
    /// Records a person's action on an event (after the escalations due before it).
    case record(EventReference, EventEntry)
    /// Records a joint inspection's plan (its `id` is assigned).
    case planInspection(Inspection)
    /// Records what an inspection found: the event `raise` raises, `whistle` to the item's
    /// department with the rectification deadline, and the link between them.
    case finding(inspection: EventReference, site: String, item: String, raise: EventEntry, whistle: EventEntry)
    /// Records an activity or a volunteer service (its `id` is assigned).
    case activity(Activity)
}

/// An event or an inspection an operation acts on: by id, or as made by an earlier operation of
/// the same batch (by its index), so that a journal can raise an event and act on it at once.
public enum EventReference: Sendable, Hashable {
    case id(String)
    case made(byOperation: Int)
}

/// What an operation made or changed.
public enum EventLogResult: Sendable {
    case event(EventCase)
    case inspection(Inspection)
    case finding(InspectionFinding, EventCase)
    case activity(Activity)

    /// The id of what was made or changed (for a finding, its event's).
    public var id: String {
        switch self {
        case .event(let event), .finding(_, let event): event.id
        case .inspection(let inspection): inspection.id
        case .activity(let activity): activity.id
        }
    }
}

extension EventLog {
    /// One run after the other on the caller's thread: the first run has every event.
    public func foldSummaries<Value: Sendable>(_ filter: EventFilter, parts: Int, start: @escaping @Sendable () -> Value,
                                               add: @escaping @Sendable (inout Value, EventSummary) -> Void) throws(EventLogError) -> [Value] {
        var values = (0..<max(parts, 1)).map { _ in start() }
        try forEachSummary(filter) { add(&values[0], $0) }
        return values
    }

    /// The rates of the events `filter` selects and `keep` keeps, grouped by `grouping`, with
    /// overdue counted at `now`: tallied in `parts` runs (``foldSummaries(_:parts:start:add:)``,
    /// on as many cores) merged in order, which gives the very table one tally of every event
    /// would (``EventRateTable/Tallying/merge(_:)``).
    public func rates(by grouping: EventGrouping, _ filter: EventFilter, now: Date, parts: Int = ParallelChunks.cores,
                      where keep: @escaping @Sendable (EventSummary) -> Bool = { _ in true }) throws(EventLogError) -> EventRateTable {
        let runs = try foldSummaries(filter, parts: parts, start: { EventRateTable.Tallying(by: grouping, now: now) }) { tally, summary in
            if keep(summary) { tally.add(summary) }
        }
        var whole = EventRateTable.Tallying(by: grouping, now: now)
        for run in runs { whole.merge(run) }
        return whole.table
    }

    public func append(_ operations: [EventLogOperation], uploads: [AttachmentUpload], catalogue: EventCatalogue) throws(EventLogError) {
        _ = try perform(operations, uploads: uploads, catalogue: catalogue)
    }

    /// Performs `operations` that name no attachment not kept already (see
    /// ``perform(_:uploads:catalogue:)``).
    public func perform(_ operations: [EventLogOperation], catalogue: EventCatalogue) throws(EventLogError) -> [EventLogResult] {
        try perform(operations, uploads: [], catalogue: catalogue)
    }

    /// The events `filter` selects, in raising order.
    public func events(_ filter: EventFilter, catalogue: EventCatalogue) throws(EventLogError) -> [EventCase] {
        var events: [EventCase] = []
        try forEachEvent(filter, catalogue: catalogue) { events.append($0) }
        return events
    }

    /// Adds the event `entry` raises; returns it with its new id.
    public func raiseEvent(_ entry: EventEntry, catalogue: EventCatalogue) throws(EventLogError) -> EventCase {
        guard case .event(let event) = try performOne(.raise(entry), catalogue: catalogue) else { throw .unexpectedResult }
        return event
    }

    /// Records a person's action on event `id`; returns the event as it now is.
    public func recordEvent(_ id: String, _ entry: EventEntry, catalogue: EventCatalogue) throws(EventLogError) -> EventCase {
        guard case .event(let event) = try performOne(.record(.id(id), entry), catalogue: catalogue) else { throw .unexpectedResult }
        return event
    }

    /// Records a joint inspection's plan.
    public func planInspection(_ inspection: Inspection, catalogue: EventCatalogue) throws(EventLogError) -> Inspection {
        guard case .inspection(let planned) = try performOne(.planInspection(inspection), catalogue: catalogue) else { throw .unexpectedResult }
        return planned
    }

    /// Records what an inspection found (see ``EventLogOperation/finding(inspection:site:item:raise:whistle:)``).
    public func recordFinding(inspection: String, site: String, item: String, raise: EventEntry, whistle: EventEntry,
                              catalogue: EventCatalogue) throws(EventLogError) -> (finding: InspectionFinding, event: EventCase) {
        let operation = EventLogOperation.finding(inspection: .id(inspection), site: site, item: item, raise: raise, whistle: whistle)
        guard case .finding(let finding, let event) = try performOne(operation, catalogue: catalogue) else { throw .unexpectedResult }
        return (finding, event)
    }

    /// Records an activity or a volunteer service.
    public func recordActivity(_ activity: Activity, catalogue: EventCatalogue = .standard) throws(EventLogError) -> Activity {
        guard case .activity(let recorded) = try performOne(.activity(activity), catalogue: catalogue) else { throw .unexpectedResult }
        return recorded
    }

    private func performOne(_ operation: EventLogOperation, catalogue: EventCatalogue) throws(EventLogError) -> EventLogResult {
        let results = try perform([operation], catalogue: catalogue)
        guard let result = results.first else { throw .unexpectedResult }
        return result
    }
}

/// Resolves an ``EventReference`` against the ids a batch has made so far.
struct BatchIDs {
    var made: [String] = []

    func id(_ reference: EventReference) throws(EventLogError) -> String {
        switch reference {
        case .id(let id): return id
        case .made(let index):
            guard made.indices.contains(index) else { throw .badReference(index) }
            return made[index]
        }
    }

    /// Runs every operation through `perform`, naming the failing operation's index when there
    /// are several; then reads each event a step names through `final`, as the batch left it
    /// (no results at all when `results` is false: ``EventLog/append(_:uploads:catalogue:)``).
    static func run(_ operations: [EventLogOperation], results: Bool = true, final: (String) throws -> EventCase,
                    _ perform: (EventLogOperation, BatchIDs) throws -> BatchStep) throws -> [EventLogResult] {
        var ids = BatchIDs(), steps: [BatchStep] = []
        steps.reserveCapacity(operations.count)
        for (index, operation) in operations.enumerated() {
            do {
                let step = try perform(operation, ids)
                steps.append(step)
                ids.made.append(step.id)
            } catch let error as EventLogError where operations.count > 1 {
                throw EventLogError.operation(index, error)
            }
        }
        guard results else { return [] }
        // Consecutive steps on one event (a journal's, the bench's) share one read of it.
        var last: (id: String, event: EventCase)?
        func event(_ id: String) throws -> EventCase {
            if let last, last.id == id { return last.event }
            let event = try final(id)
            last = (id, event)
            return event
        }
        return try steps.map { step in
            switch step {
            case .event(let id): .event(try event(id))
            case .finding(let finding): .finding(finding, try event(finding.event))
            case .made(let result): result
            }
        }
    }
}

/// What one operation of a batch made, as ``BatchIDs/run(_:final:_:)`` collects it: an event by
/// its id only, read once the whole batch is done. A result that held the event while a later
/// operation of the batch acted on it again would make that action copy the event's history
/// (a tenth of the time of appending a journal, in the profile).
enum BatchStep {
    case event(String)
    case finding(InspectionFinding)
    /// An inspection or an activity, whole.
    case made(EventLogResult)

    /// The id a later operation refers to (a finding's event's, as ``EventLogResult/id``).
    var id: String {
        switch self {
        case .event(let id): id
        case .finding(let finding): finding.event
        case .made(let result): result.id
        }
    }
}

extension EventLogOperation {
    /// What a batch of `operations` records, for the store's messages.
    static func describe(_ operations: [EventLogOperation]) -> String {
        guard operations.count == 1, let operation = operations.first else { return "\(operations.count) operations" }
        return switch operation {
        case .raise: "a new event"
        case .record(let reference, let entry): "\(entry.action.name) on \(reference)"
        case .planInspection: "an inspection's plan"
        case .finding: "an inspection's finding"
        case .activity: "an activity"
        }
    }

    /// Whether the operation's entries name any file (``files`` is not empty).
    var bringsFiles: Bool {
        switch self {
        case .raise(let entry), .record(_, let entry): entry.bringsFiles
        case .finding(_, _, _, let raise, let whistle): raise.bringsFiles || whistle.bringsFiles
        case .planInspection, .activity: false
        }
    }

    /// The files the operation's entries name.
    var files: [EventAttachment] {
        switch self {
        case .raise(let entry), .record(_, let entry): entry.files
        case .finding(_, _, _, let raise, let whistle): raise.files + whistle.files
        case .planInspection, .activity: []
        }
    }
}

extension EventEntry {
    /// Whether the entry brings any file (``files`` is not empty), without copying its list.
    fileprivate var bringsFiles: Bool {
        if case .raise(let report) = action { return !report.attachments.isEmpty }
        return !attachments.isEmpty
    }
}

/// The attachment rules of one batch, the same on every store: every file an entry names has
/// its content kept (by the batch's uploads or before) with the size and type the entry says, and
/// every upload is named by an entry (no content is kept for nothing).
enum BatchAttachments {
    /// Checks `operations` against `uploads` and the contents kept, looked up by `kept` (which
    /// sees the batch's uploads as kept).
    static func check(_ operations: [EventLogOperation], uploads: [AttachmentUpload],
                      kept: (String) throws -> EventAttachment?) throws {
        // Most batches bring no file at all: said without gathering every operation's files.
        guard !uploads.isEmpty || operations.contains(where: \.bringsFiles) else { return }
        let named = operations.flatMap(\.files)
        for file in named {
            guard let content = try kept(file.sha256) else {
                throw refusal("attachment \(file.fileName) (SHA-256 \(file.sha256)) has no content in the store; attach the file itself")
            }
            guard content.byteCount == file.byteCount, content.mediaType == file.mediaType else {
                throw refusal("attachment \(file.fileName) says \(file.byteCount) bytes of \(file.mediaType), but its content (SHA-256 \(file.sha256)) "
                    + "is \(content.byteCount) bytes of \(content.mediaType)")
            }
        }
        let hashes = Set(named.map(\.sha256))
        if let unnamed = uploads.first(where: { !hashes.contains($0.attachment.sha256) }) {
            throw refusal("attachment \(unnamed.described) is named by no entry; nothing is kept for no entry")
        }
    }

    static func refusal(_ message: String) -> EventLogError {
        .refused(EventFlowError(event: nil, message))
    }
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
    /// Operation `index` of a batch failed with the error given; nothing of the batch was kept.
    indirect case operation(Int, EventLogError)
    /// A batch refers to the result of an operation that does not come before it.
    case badReference(Int)
    /// A store returned a result of the wrong kind (a bug, not bad input).
    case unexpectedResult
    /// The store itself failed; nothing was appended.
    case store(StoreError)

    public var description: String {
        switch self {
        case .refused(let error): error.description
        case .unknownEvent(let id): "there is no event \(id)"
        case .unknownInspection(let id): "there is no inspection \(id)"
        case .operation(let index, let error): "operation \(index + 1): \(error)"
        case .badReference(let index): "a reference to operation \(index + 1), which does not come before it"
        case .unexpectedResult: "the store returned an unexpected result"
        case .store(let error): error.description
        }
    }
}

extension EventLogError {
    /// Runs `body`, its errors as the event log's: its own and the store's as they are, any other
    /// (the database's) as ``StoreError/database(operation:reason:)`` naming `operation`.
    static func wrapping<T>(_ operation: @autoclosure () -> String, _ body: () throws -> T) throws(EventLogError) -> T {
        do {
            return try body()
        } catch let error as EventLogError {
            throw error
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .store(.database(operation: operation(), reason: "\(error)"))
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

    /// (Written digit by digit into the string's own bytes: `String(format:)` was a twentieth of
    /// appending events, and joining padded pieces a thirtieth of reading the rates' rows.)
    func text(_ number: Int64) -> String {
        guard number >= 0 else { return prefix + String(number) }
        var digitCount = 1, rest = number / 10
        while rest > 0 { digitCount += 1; rest /= 10 }
        let width = max(6, digitCount), prefixBytes = prefix.utf8
        return String(unsafeUninitializedCapacity: prefixBytes.count + width) { buffer in
            var end = buffer.initialize(fromContentsOf: prefixBytes) + width
            let count = end
            var value = number
            for _ in 0..<width {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            return count
        }
    }

    func number(_ text: String) -> Int64? {
        guard text.hasPrefix(prefix) else { return nil }
        let digits = text.utf8.dropFirst(prefix.utf8.count)
        // Six digits or more, no sign, and no zero before a seventh digit: one text per number.
        guard digits.count >= 6, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              digits.count == 6 || digits.first != UInt8(ascii: "0"),
              let number = Int64(Substring(digits)), number > 0 else { return nil }
        return number
    }
}
