import Foundation
import GRDB
import GridMapCore

/// The event log in SQLite: every action is one IMMEDIATE transaction that reads the event's
/// history, lets ``EventCase`` check the action against it, and appends; so two writers on one
/// event — threads or processes — take turns, and the second acts on what the first left.
/// Triggers refuse any UPDATE or DELETE of the history (``StoredEvent/schema``).
extension SQLiteTownStore {
    public func perform(_ operations: [EventLogOperation], catalogue: EventCatalogue) throws(EventLogError) -> [EventLogResult] {
        let what = operations.count == 1 ? operations.first.map(Self.describe) ?? "" : "\(operations.count) operations"
        return try writeEvents("recording \(what)") { db throws in
            let batch = EventBatch(db)
            return try BatchIDs.run(operations) { operation, ids in try Self.perform(operation, ids: ids, catalogue: catalogue, batch) }
        }
    }

    private static func describe(_ operation: EventLogOperation) -> String {
        switch operation {
        case .raise: "a new event"
        case .record(let reference, let entry): "\(entry.action.name) on \(reference)"
        case .planInspection: "an inspection's plan"
        case .finding: "an inspection's finding"
        case .activity: "an activity"
        }
    }

    /// Inserts the event `entry` raises, numbered after the last one.
    static func raise(_ entry: EventEntry, catalogue: EventCatalogue, _ batch: EventBatch) throws -> EventCase {
        let number = try batch.nextEventNumber()
        let event = try refusing { () throws(EventFlowError) in try EventCase(id: RecordID.event.text(number), raised: entry, catalogue: catalogue) }
        try StoredEvent.insertRaise(event, number: number, batch.db)
        batch.cases[number] = event
        return event
    }

    /// Appends a person's `entry` (after the escalations due before it) to event `id`'s history.
    static func record(_ entry: EventEntry, on id: String, catalogue: EventCatalogue, _ batch: EventBatch) throws -> EventCase {
        guard let number = RecordID.event.number(id),
              var event = try batch.cases[number] ?? Self.event(number, catalogue: catalogue, batch.db) else {
            throw EventLogError.unknownEvent(id)
        }
        let start = event.history.count
        let appended = try refusing { () throws(EventFlowError) in try event.record(entry, catalogue: catalogue) }
        for (offset, item) in appended.enumerated() { try StoredEvent.insert(item, number: number, seq: start + offset, batch.db) }
        batch.cases[number] = event
        return event
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

    public func escalateOverdue(before time: Date, catalogue: EventCatalogue) throws(EventLogError) -> [(event: String, entry: EventEntry)] {
        try writeEvents("escalating overdue steps") { db throws in
            var escalated: [(event: String, entry: EventEntry)] = []
            var open: [EventCase] = []
            try Self.forEachEvent(EventFilter(), catalogue: catalogue, db) { if $0.isOpen { open.append($0) } }
            for var event in open {
                guard let number = RecordID.event.number(event.id) else { continue }
                for entry in event.escalations(before: time) {
                    let seq = event.history.count
                    try refusing { () throws(EventFlowError) in try event.apply(entry, catalogue: catalogue) }
                    try StoredEvent.insert(entry, number: number, seq: seq, db)
                    escalated.append((event.id, entry))
                }
            }
            return escalated.sorted { $0.entry.at < $1.entry.at }
        }
    }

    // MARK: - Reading histories

    /// One batch's transaction, with the events it has read or written so far: an event raised and
    /// acted on in one batch (a journal, the bench) is replayed from memory, not read back each time.
    final class EventBatch {
        let db: Database
        var cases: [Int64: EventCase] = [:]
        private var lastEventNumber: Int64?

        init(_ db: Database) { self.db = db }

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
        return try rebuild(number, report: report, entries: entries, catalogue: catalogue)
    }

    /// The events `filter` selects, with their histories, read in two ordered passes (events,
    /// then all their entries) and merged as they go, instead of one query per event.
    static func forEachEvent(_ filter: EventFilter, catalogue: EventCatalogue, _ db: Database,
                             _ body: (EventCase) throws -> Void) throws {
        var conditions: [String] = [], arguments: StatementArguments = []
        if let grid = filter.grid { conditions.append("grid_code = ?"); arguments += [grid.description] }
        if let category = filter.category { conditions.append("category = ?"); arguments += [category] }
        if let from = filter.raisedFrom { conditions.append("raised_at >= ?"); arguments += [from.timeIntervalSince1970] }
        if let before = filter.raisedBefore { conditions.append("raised_at < ?"); arguments += [before.timeIntervalSince1970] }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try Row.fetchCursor(db, sql: "SELECT \(StoredEvent.eventColumns) FROM events \(whereClause) ORDER BY id", arguments: arguments)
        let entrySQL = conditions.isEmpty
            ? "SELECT \(StoredEvent.entryColumns) FROM event_entries ORDER BY event_id, seq"
            : "SELECT \(StoredEvent.entryColumns) FROM event_entries WHERE event_id IN (SELECT id FROM events \(whereClause)) ORDER BY event_id, seq"
        let entries = try Row.fetchCursor(db, sql: entrySQL, arguments: arguments)
        var pending: Row? = try entries.next()
        while let row = try rows.next() {
            let number: Int64 = row[0]
            var own: [Row] = []
            while let entry = pending, (entry[0] as Int64) <= number {
                if (entry[0] as Int64) == number { own.append(entry.copy()) }
                pending = try entries.next()
            }
            try body(try rebuild(number, report: try StoredEvent.report(row), entries: own, catalogue: catalogue))
        }
    }

    /// Replays a stored history through the flow: a history the flow refuses was changed behind
    /// the store's back.
    private static func rebuild(_ number: Int64, report: EventReport, entries: [Row], catalogue: EventCatalogue) throws -> EventCase {
        let history = try entries.map { try StoredEvent.entry($0, report: report) }
        do {
            return try EventCase(id: RecordID.event.text(number), history: history, catalogue: catalogue)
        } catch {
            throw StoreError.corrupt("event_entries, event \(RecordID.event.text(number)): the stored history does not follow the flow (\(error.message))")
        }
    }

    // MARK: - Transactions

    func writeEvents<T>(_ operation: String, _ body: (Database) throws -> T) throws(EventLogError) -> T {
        do {
            var result: T?
            try database.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
            }
            guard let result else { throw StoreError.database(operation: operation, reason: "the transaction returned nothing") }
            return result
        } catch let error as EventLogError {
            throw error
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .store(.database(operation: "\(operation) in \(location)", reason: "\(error)"))
        }
    }

    func readEvents<T>(_ operation: String, _ body: (Database) throws -> T) throws(EventLogError) -> T {
        do {
            return try database.read(body)
        } catch let error as EventLogError {
            throw error
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .store(.database(operation: "\(operation) from \(location)", reason: "\(error)"))
        }
    }
}
