import Foundation
import GRDB
import GridMapCore
import Synchronization

/// The event log in SQLite: every action is one IMMEDIATE transaction that reads the event's
/// history, lets ``EventCase`` check the action against it, and appends; so two writers on one
/// event — threads or processes — take turns, and the second acts on what the first left.
/// Triggers refuse any UPDATE or DELETE of the history (``StoredEvent/schema``).
extension SQLiteTownStore {
    public func perform(_ operations: [EventLogOperation], uploads: [AttachmentUpload],
                        catalogue: EventCatalogue) throws(EventLogError) -> [EventLogResult] {
        try perform(operations, uploads: uploads, catalogue: catalogue, results: true)
    }

    public func append(_ operations: [EventLogOperation], uploads: [AttachmentUpload], catalogue: EventCatalogue) throws(EventLogError) {
        _ = try perform(operations, uploads: uploads, catalogue: catalogue, results: false)
    }

    private func perform(_ operations: [EventLogOperation], uploads: [AttachmentUpload], catalogue: EventCatalogue,
                         results: Bool) throws(EventLogError) -> [EventLogResult] {
        return try writeEvents("recording \(EventLogOperation.describe(operations))") { db throws in
            let batch = try EventBatch(db)
            try StoredAttachment.keep(uploads, db)
            let made = try BatchIDs.run(operations, results: results, final: batch.event) { operation, ids in
                try Self.perform(operation, ids: ids, catalogue: catalogue, batch)
            }
            try BatchAttachments.check(operations, uploads: uploads) { sha256 in try StoredAttachment.kept(sha256, db) }
            try batch.writeStates()
            return made
        }
    }

    public func attachmentBytes(_ sha256: String, from offset: Int, count: Int) throws(EventLogError) -> Data? {
        try readEvents("reading attachment \(sha256)") { db in try StoredAttachment.bytes(sha256, from: offset, count: count, db) }
    }

    public func attachmentHashes() throws(EventLogError) -> [String] {
        try readEvents("reading the attachments' hashes") { db in try StoredAttachment.hashes(db) }
    }

    /// Inserts the event `entry` raises, numbered after the last one.
    static func raise(_ entry: EventEntry, catalogue: EventCatalogue, _ batch: EventBatch) throws -> EventCase {
        let number = try batch.nextEventNumber()
        let event = try refusing { () throws(EventFlowError) in try EventCase(id: RecordID.event.text(number), raised: entry, catalogue: catalogue) }
        try StoredEvent.insertRaise(event, number: number, batch)
        batch.cases[number] = event
        return event
    }

    /// Appends a person's `entry` (after the escalations due before it) to event `id`'s history,
    /// kept in `batch` (``EventBatch/event(_:)`` reads it).
    static func record(_ entry: EventEntry, on id: String, catalogue: EventCatalogue, _ batch: EventBatch) throws {
        guard let number = RecordID.event.number(id) else { throw EventLogError.unknownEvent(id) }
        if batch.cases[number] == nil {
            guard let stored = try Self.event(number, catalogue: catalogue, batch.db) else { throw EventLogError.unknownEvent(id) }
            batch.cases[number] = stored
        }
        // Recorded in place (`record` leaves the case as it was when it refuses): a copy of the
        // case per entry showed in the profile of appending.
        var start = 0, appended: [EventEntry] = []
        try refusing { () throws(EventFlowError) in
            try batch.withCase(number) { event throws(EventFlowError) in
                start = event.history.count
                appended = try event.record(entry, catalogue: catalogue)
            }
        }
        for (offset, item) in appended.enumerated() { try StoredEvent.insert(item, number: number, seq: start + offset, batch) }
    }

    public func event(_ id: String, catalogue: EventCatalogue) throws(EventLogError) -> EventCase? {
        guard let number = RecordID.event.number(id) else { return nil }
        return try readEvents("reading \(id)") { db in try Self.event(number, catalogue: catalogue, db) }
    }

    public func forEachEvent(_ filter: EventFilter, catalogue: EventCatalogue,
                             _ body: (EventCase) throws(EventLogError) -> Void) throws(EventLogError) {
        try readEvents("reading events") { db in
            try Self.forEachEvent(filter, catalogue: catalogue, db) { event in
                do { try body(event) } catch { throw error }
            }
        }
    }

    public func forEachSummary(_ filter: EventFilter, _ body: (EventSummary) throws(EventLogError) -> Void) throws(EventLogError) {
        try readEvents("reading the events' state") { db in
            try StoredEventState.forEach(filter, db) { summary in
                do { try body(summary) } catch { throw error }
            }
        }
    }

    /// The runs are ranges of event numbers. A file written through a pool reads them at once,
    /// each on its own reader connection; every reader starts its transaction while this one
    /// holds the write lock (an IMMEDIATE transaction that writes nothing), so that all of them
    /// see the same committed state, whichever thread or process writes meanwhile, and the lock
    /// is let go as soon as they have. Other stores (in memory, opened read-only) read the runs
    /// one after the other in one transaction.
    public func foldSummaries<Value: Sendable>(_ filter: EventFilter, parts: Int, start: @escaping @Sendable () -> Value,
                                               add: @escaping @Sendable (inout Value, EventSummary) -> Void) throws(EventLogError) -> [Value] {
        let operation = "reading the events' state"
        guard parts > 1, let pool = database as? DatabasePool else {
            return try readEvents(operation) { db in
                try StoredEventState.numberRanges(parts, db).map { numbers in
                    var value = start()
                    try StoredEventState.forEach(filter, numbers: numbers, db) { add(&value, $0) }
                    return value
                }
            }
        }
        let runs = try writeEvents(operation) { db in
            let runs = ConcurrentRuns<Value>(try StoredEventState.numberRanges(parts, db)) { numbers, begun in
                try pool.read { db in
                    // A transaction takes its snapshot at its first read.
                    try db.execute(sql: "PRAGMA schema_version")
                    begun()
                    var value = start()
                    try StoredEventState.forEach(filter, numbers: numbers, db) { add(&value, $0) }
                    return value
                }
            }
            runs.waitUntilBegun()
            return runs
        }
        return try eventErrors(operation, in: "from") { try runs.values() }
    }

    /// Replaces the derived state of every event (``StoredEventState``) by the state replayed
    /// from its history: the cache rebuilt from the one truth.
    public func rebuildEventStates(catalogue: EventCatalogue) throws(EventLogError) {
        try writeEvents("rebuilding the events' state") { db throws in try StoredEventState.rebuild(catalogue: catalogue, db) }
    }

    public func escalateOverdue(before time: Date, catalogue: EventCatalogue) throws(EventLogError) -> [(event: String, entry: EventEntry)] {
        try writeEvents("escalating overdue steps") { db throws in
            var escalated: [(event: String, entry: EventEntry)] = []
            // Only events with a step due before `time` can have escalations due: the state says which.
            let due = try Int64.fetchAll(db, sql: "SELECT event_id FROM event_state WHERE next_deadline < ? ORDER BY event_id",
                                         arguments: [time.timeIntervalSince1970])
            let batch = try EventBatch(db)
            for number in due {
                guard var event = try Self.event(number, catalogue: catalogue, db) else { continue }
                let entries = event.escalations(before: time)
                for entry in entries {
                    let seq = event.history.count
                    try refusing { () throws(EventFlowError) in try event.apply(entry, catalogue: catalogue) }
                    try StoredEvent.insert(entry, number: number, seq: seq, batch)
                    escalated.append((event.id, entry))
                }
                if !entries.isEmpty { try StoredEventState.write(event, number: number, batch) }
            }
            return escalated.sorted { $0.entry.at < $1.entry.at }
        }
    }

    // MARK: - Reading histories

    /// One batch's transaction, with the events it has read or written so far: an event raised and
    /// acted on in one batch (a journal, the bench) is replayed from memory, not read back each time.
    final class EventBatch {
        let db: Database
        /// Every event the batch raised or acted on, as it now is.
        var cases: [Int64: EventCase] = [:]
        private var lastEventNumber: Int64?

        /// The batch's INSERTs, prepared once.
        let eventRow: RowInserter, entryRow: RowInserter, stateRow: RowInserter

        init(_ db: Database) throws {
            self.db = db
            eventRow = try RowInserter(StoredEvent.insertEventSQL, in: db)
            entryRow = try RowInserter(StoredEvent.insertEntrySQL, in: db)
            stateRow = try RowInserter(StoredEventState.insertSQL, in: db)
        }

        /// Runs `body` on event `number`'s case, moved out of ``cases`` and back so that it is
        /// changed in place; nothing when the batch does not hold it.
        func withCase(_ number: Int64, _ body: (inout EventCase) throws(EventFlowError) -> Void) throws(EventFlowError) {
            guard var event = cases.removeValue(forKey: number) else { return }
            defer { cases[number] = event }
            try body(&event)
        }

        /// Writes the derived state of every event the batch changed, once each, in the batch's
        /// transaction.
        func writeStates() throws {
            for (number, event) in cases { try StoredEventState.write(event, number: number, self) }
        }

        /// Event `id` as the batch has left it so far.
        func event(_ id: String) throws -> EventCase {
            guard let number = RecordID.event.number(id), let event = cases[number] else { throw EventLogError.unknownEvent(id) }
            return event
        }

        func nextEventNumber() throws -> Int64 {
            let last = try lastEventNumber ?? (Int64.fetchOne(db, sql: "SELECT max(id) FROM events") ?? 0)
            lastEventNumber = last + 1
            return last + 1
        }
    }

    private static func event(_ number: Int64, catalogue: EventCatalogue, _ db: Database) throws -> EventCase? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(StoredEvent.eventColumns) FROM events WHERE id = ?"), arguments: [number]) else { return nil }
        let report = try StoredEvent.report(row)
        let entries = try Row.fetchAll(db.cachedStatement(sql: "SELECT \(StoredEvent.entryColumns) FROM event_entries WHERE event_id = ? ORDER BY seq"), arguments: [number])
        let files = try Row.fetchAll(db.cachedStatement(sql: "SELECT \(StoredAttachment.columns) FROM event_attachments WHERE event_id = ? ORDER BY seq, position"),
                                     arguments: [number])
        return try StoredEvent.rebuild(number, report: report, entries: entries, files: files, catalogue: catalogue)
    }

    /// The events `filter` selects, with their histories, read in ordered passes (events, then
    /// all their entries, then the files later entries brought) merged as they go, instead of
    /// queries per event. `withFiles: false` leaves the later entries' files out: the derived
    /// state needs none.
    static func forEachEvent(_ filter: EventFilter, catalogue: EventCatalogue, withFiles: Bool = true, _ db: Database,
                             _ body: (EventCase) throws -> Void) throws {
        let (whereClause, arguments) = filter.sql
        let rows = try Row.fetchCursor(db, sql: "SELECT \(StoredEvent.eventColumns) FROM events \(whereClause) ORDER BY id", arguments: arguments)
        var entries = try EventRows(db, table: "event_entries", columns: StoredEvent.entryColumns, order: "seq", whereClause, arguments)
        var files = withFiles ? try EventRows(db, table: "event_attachments", columns: StoredAttachment.columns, order: "seq, position", whereClause, arguments) : nil
        while let row = try rows.next() {
            let number: Int64 = row[0]
            let own = try entries.take(number), ownFiles = try files?.take(number) ?? []
            try body(try StoredEvent.rebuild(number, report: try StoredEvent.report(row), entries: own, files: ownFiles, catalogue: catalogue))
        }
    }

    /// The rows of a table keyed by event (its first column), read in event order alongside the
    /// events and handed out one event at a time.
    private struct EventRows {
        let cursor: RowCursor
        var pending: Row?

        init(_ db: Database, table: String, columns: String, order: String, _ whereClause: String, _ arguments: StatementArguments) throws {
            let sql = whereClause.isEmpty
                ? "SELECT \(columns) FROM \(table) ORDER BY event_id, \(order)"
                : "SELECT \(columns) FROM \(table) WHERE event_id IN (SELECT id FROM events \(whereClause)) ORDER BY event_id, \(order)"
            cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            pending = try cursor.next()
        }

        /// Event `number`'s rows; those of events before it (which the filter left out) are skipped.
        mutating func take(_ number: Int64) throws -> [Row] {
            var own: [Row] = []
            while let row = pending, (row[0] as Int64) <= number {
                if (row[0] as Int64) == number { own.append(row.copy()) }
                pending = try cursor.next()
            }
            return own
        }
    }

    // MARK: - Transactions

    func writeEvents<T>(_ operation: String, _ body: (Database) throws -> T) throws(EventLogError) -> T {
        try eventErrors(operation, in: "in") { try database.inImmediateTransaction(operation, body) }
    }

    func readEvents<T>(_ operation: String, _ body: (Database) throws -> T) throws(EventLogError) -> T {
        try eventErrors(operation, in: "from") { try database.read(body) }
    }

    /// Runs `body`, its errors as the event log's: the database's own name `operation` and the
    /// store (`preposition` its location).
    private func eventErrors<T>(_ operation: String, in preposition: String, _ body: () throws -> T) throws(EventLogError) -> T {
        try EventLogError.wrapping("\(operation) \(preposition) \(location)", body)
    }
}

extension DatabaseWriter {
    /// Runs `body` in one IMMEDIATE transaction (the write lock taken at its start, so two writers
    /// queue instead of failing half-way) and gives its result; the event log and the account book
    /// both write through it, each wording the errors its own way.
    func inImmediateTransaction<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        var result: T?
        try writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
        }
        guard let result else { throw StoreError.database(operation: operation, reason: "the transaction returned nothing") }
        return result
    }
}

extension EventFilter {
    /// The filter as an SQL WHERE clause (empty when it selects everything) over the columns
    /// `events` and `event_state` share (grid_code, category, raised_at), and its arguments.
    var sql: (whereClause: String, arguments: StatementArguments) {
        var conditions: [String] = [], arguments: StatementArguments = []
        if let grid { conditions.append("grid_code = ?"); arguments += [grid.description] }
        if let category { conditions.append("category = ?"); arguments += [category] }
        if let raisedFrom { conditions.append("raised_at >= ?"); arguments += [raisedFrom.timeIntervalSince1970] }
        if let raisedBefore { conditions.append("raised_at < ?"); arguments += [raisedBefore.timeIntervalSince1970] }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), arguments)
    }
}
