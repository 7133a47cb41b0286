import Foundation
import GridMapCore
import Postgres

/// The event log in PostgreSQL (schema version 3, ``PostgresEventSchema``): the SQLite store's
/// pattern, its encoders and decoders. Every write is one transaction that first takes the event
/// log's advisory lock (``PostgresSchema/eventLogLock``) for the rest of the transaction, then
/// reads the histories it acts on, lets ``EventCase`` check each action and appends: two writers
/// — threads, processes or machines — take turns, and the second acts on what the first left
/// (under READ COMMITTED each statement after the lock sees the first one's commit). One lock for
/// the whole log, not a row lock per event, because a batch also numbers new events, inspections
/// and activities after the last ones, which a row lock would not serialise. Reads are one
/// REPEATABLE READ transaction each, so one snapshot. The summaries are read in one run
/// (``EventLog``'s default ``EventLog/foldSummaries(_:parts:start:add:)``).
extension PostgresTownStore {
    public func perform(_ operations: [EventLogOperation], uploads: [AttachmentUpload],
                        catalogue: EventCatalogue) throws(EventLogError) -> [EventLogResult] {
        try perform(operations, uploads: uploads, catalogue: catalogue, results: true)
    }

    public func append(_ operations: [EventLogOperation], uploads: [AttachmentUpload], catalogue: EventCatalogue) throws(EventLogError) {
        _ = try perform(operations, uploads: uploads, catalogue: catalogue, results: false)
    }

    private func perform(_ operations: [EventLogOperation], uploads: [AttachmentUpload], catalogue: EventCatalogue,
                         results: Bool) throws(EventLogError) -> [EventLogResult] {
        try writeEvents("recording \(EventLogOperation.describe(operations))") { db in
            let batch = PostgresEventBatch(db)
            try PostgresAttachments.keep(uploads, db)
            let made = try BatchIDs.run(operations, results: results, final: batch.event) { operation, ids in
                try batch.perform(operation, ids: ids, catalogue: catalogue)
            }
            try BatchAttachments.check(operations, uploads: uploads) { sha256 in try PostgresAttachments.kept(sha256, db) }
            try batch.writeStates()
            return made
        }
    }

    public func attachmentBytes(_ sha256: String, from offset: Int, count: Int) throws(EventLogError) -> Data? {
        try readEvents("reading attachment \(sha256)") { db in try PostgresAttachments.bytes(sha256, from: offset, count: count, db) }
    }

    public func attachmentHashes() throws(EventLogError) -> [String] {
        try readEvents("reading the attachments' hashes") { db in
            try db.query("SELECT sha256 FROM attachment_contents ORDER BY sha256").rows.map { try $0.required(0, $0.string) }
        }
    }

    public func event(_ id: String, catalogue: EventCatalogue) throws(EventLogError) -> EventCase? {
        guard let number = RecordID.event.number(id) else { return nil }
        return try readEvents("reading \(id)") { db in try PostgresEventBatch.event(number, catalogue: catalogue, db) }
    }

    public func forEachEvent(_ filter: EventFilter, catalogue: EventCatalogue,
                             _ body: (EventCase) throws(EventLogError) -> Void) throws(EventLogError) {
        try readEvents("reading events") { db in
            try PostgresEventBatch.forEachEvent(filter, catalogue: catalogue, db) { event in
                do { try body(event) } catch { throw error }
            }
        }
    }

    /// Read a page of rows at a time (libpq hands over a whole result at once), all in one snapshot.
    public func forEachSummary(_ filter: EventFilter, _ body: (EventSummary) throws(EventLogError) -> Void) throws(EventLogError) {
        try readEvents("reading the events' state") { db in
            try Self.summaries(filter, numbers: nil, db) { summary in
                do { try body(summary) } catch { throw error }
            }
        }
    }

    /// The runs read at once, each on a connection of its own, all in the one snapshot that
    /// an exporting transaction took (`pg_export_snapshot()`, then `SET TRANSACTION SNAPSHOT`
    /// in each run): the same committed state whatever is written meanwhile, as the SQLite
    /// store's runs. The exporting transaction stays open until every run has taken it.
    public func foldSummaries<Value: Sendable>(_ filter: EventFilter, parts: Int, start: @escaping @Sendable () -> Value,
                                               add: @escaping @Sendable (inout Value, EventSummary) -> Void) throws(EventLogError) -> [Value] {
        let operation = "reading the events' state"
        guard parts > 1 else {
            var value = start()
            try forEachSummary(filter) { add(&value, $0) }
            return [value]
        }
        let pool = self.pool
        let runs = try readEvents(operation) { db in
            let exported = try db.query("SELECT pg_export_snapshot()")[0]
            let snapshot = try exported.required(0, exported.string)
            let bounds = try db.query("SELECT min(event_id), max(event_id) FROM event_state")[0]
            let ranges = StoredEventState.numberRanges(parts, first: try bounds.integer(0).map(Int64.init), last: try bounds.integer(1).map(Int64.init))
            let runs = ConcurrentRuns<Value>(ranges) { numbers, begun in
                try pool.withConnection { reader in
                    try reader.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                        // Before any query of the transaction: it reads what the exporter saw.
                        try reader.script("SET TRANSACTION SNAPSHOT '\(snapshot)'")
                        begun()
                        var value = start()
                        try Self.summaries(filter, numbers: numbers, reader) { add(&value, $0) }
                        return value
                    }
                }
            }
            runs.waitUntilBegun()
            return runs
        }
        return try EventLogError.wrapping("\(operation) from \(location)") { try runs.values() }
    }

    /// The summaries of the events `filter` selects (among the `numbers` when given), in event order.
    private static func summaries(_ filter: EventFilter, numbers: Range<Int64>?, _ db: PostgresConnection,
                                  _ body: (EventSummary) throws -> Void) throws {
        var codes: [String: (microGrid: GridCode, grid: GridCode)] = [:]
        try pages(filter, table: "event_state", key: "event_id", columns: "event_id, summary", size: 10_000, within: numbers, db) { row in
            let number = try row.required(0, row.integer)
            let bytes = try row.required(1, row.bytes)
            guard let summary = bytes.withUnsafeBytes({ StoredEventState.unpack($0, id: RecordID.event.text(Int64(number)), codes: &codes) }) else {
                throw StoreError.corrupt("event_state, event \(number): the summary does not decode")
            }
            try body(summary)
        }
    }

    public func escalateOverdue(before time: Date, catalogue: EventCatalogue) throws(EventLogError) -> [(event: String, entry: EventEntry)] {
        try writeEvents("escalating overdue steps") { db in
            // Only events with a step due before `time` can have escalations due: the state says which.
            let due = try db.query("SELECT event_id FROM event_state WHERE next_deadline < $1 ORDER BY event_id",
                                   [time.timeIntervalSince1970]).rows.map { try $0.required(0, $0.integer) }
            let batch = PostgresEventBatch(db)
            var escalated: [(event: String, entry: EventEntry)] = []
            for number in due.map(Int64.init) {
                guard var event = try PostgresEventBatch.event(number, catalogue: catalogue, db) else { continue }
                let entries = event.escalations(before: time)
                for entry in entries {
                    let seq = event.history.count
                    try refusing { () throws(EventFlowError) in try event.apply(entry, catalogue: catalogue) }
                    try batch.insert(entry, number: number, seq: seq)
                }
                if !entries.isEmpty {
                    batch.cases[number] = event
                    escalated += entries.map { (event.id, $0) }
                }
            }
            try batch.writeStates()
            return escalated.sorted { $0.entry.at < $1.entry.at }
        }
    }

    public func inspections() throws(EventLogError) -> [Inspection] {
        try readEvents("reading inspections") { db in
            try db.query("SELECT \(StoredRecord.inspectionColumns) FROM inspections ORDER BY id").rows.map(StoredRecord.inspection)
        }
    }

    public func findings(of inspection: String?) throws(EventLogError) -> [InspectionFinding] {
        try readEvents("reading inspection findings") { db in
            var sql = "SELECT inspection_id, site, item, event_id FROM inspection_findings"
            var parameters: [(any PostgresParameter)?] = []
            if let inspection {
                sql += " WHERE inspection_id = $1"
                parameters.append(RecordID.inspection.number(inspection) ?? -1)
            }
            return try db.query(sql + " ORDER BY event_id", parameters).rows.map { row in
                InspectionFinding(inspection: RecordID.inspection.text(Int64(try row.required(0, row.integer))),
                                  site: try row.required(1, row.string), item: try row.required(2, row.string),
                                  event: RecordID.event.text(Int64(try row.required(3, row.integer))))
            }
        }
    }

    public func activities(_ filter: EventFilter) throws(EventLogError) -> [Activity] {
        try readEvents("reading activities") { db in
            try db.query("SELECT \(StoredRecord.activityColumns) FROM activities ORDER BY id").rows.compactMap { row -> Activity? in
                let activity = try StoredRecord.activity(row)
                return filter.selects(grid: activity.grid, at: activity.date) ? activity : nil
            }
        }
    }

    /// Hands each row of `table` that `filter` selects to `body`, in `key` order, reading `size`
    /// rows per query (keyset pagination on `key`).
    static func pages(_ filter: EventFilter, table: String, key: String, columns: String, size: Int, within numbers: Range<Int64>? = nil,
                      _ db: PostgresConnection, _ body: (PostgresRow) throws -> Void) throws {
        var (conditions, parameters) = filter.postgresConditions(from: 2)
        if let numbers {
            parameters.append(numbers.upperBound)
            conditions.append("\(key) < $\(parameters.count + 1)")
        }
        let sql = "SELECT \(columns) FROM \(table) WHERE \(key) > $1\(conditions.map { " AND " + $0 }.joined()) ORDER BY \(key) LIMIT \(size)"
        var last = numbers.map { $0.lowerBound - 1 } ?? Int64.min
        while true {
            let result = try db.query(sql, [last] + parameters)
            for row in result.rows { try body(row) }
            guard result.count == size else { return }
            last = Int64(try result[result.count - 1].required(0, result[result.count - 1].integer))
        }
    }

    // MARK: - Transactions

    /// One read-write transaction under the event log's lock; its errors as the event log's.
    func writeEvents<T>(_ operation: String, _ body: (PostgresConnection) throws -> T) throws(EventLogError) -> T {
        try EventLogError.wrapping("\(operation) in \(location)") {
            try pool.withConnection { db in
                try db.transaction {
                    try db.query(PostgresSchema.lock("pg_advisory_xact_lock", PostgresSchema.eventLogLock))
                    return try body(db)
                }
            }
        }
    }

    func readEvents<T>(_ operation: String, _ body: (PostgresConnection) throws -> T) throws(EventLogError) -> T {
        try EventLogError.wrapping("\(operation) from \(location)") {
            try pool.withConnection { db in
                try db.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { try body(db) }
            }
        }
    }

}

/// One write transaction's events, as ``SQLiteTownStore/EventBatch`` keeps them: every event the
/// batch raised or acted on, replayed from memory, its state written once at the end.
final class PostgresEventBatch {
    let db: PostgresConnection
    var cases: [Int64: EventCase] = [:]
    private var lastEventNumber: Int64?

    init(_ db: PostgresConnection) { self.db = db }

    /// One operation of the batch (``SQLiteTownStore/perform(_:ids:catalogue:_:)``'s twin).
    func perform(_ operation: EventLogOperation, ids: BatchIDs, catalogue: EventCatalogue) throws -> BatchStep {
        switch operation {
        case .raise(let entry):
            return .event(try raise(entry, catalogue: catalogue).id)
        case .record(let reference, let entry):
            let id = try ids.id(reference)
            try record(entry, on: id, catalogue: catalogue)
            return .event(id)
        case .planInspection(let inspection):
            var planned = inspection
            let number = try nextNumber("inspections")
            planned.id = RecordID.inspection.text(number)
            try refusing { () throws(EventFlowError) in try planned.check(catalogue: catalogue) }
            var row = PostgresRowValues()
            try StoredRecord.bind(planned, number: number, to: &row)
            try db.query("INSERT INTO inspections (\(StoredRecord.inspectionColumns)) VALUES ($1, $2, $3, $4, $5, $6)", row.values)
            return .made(.inspection(planned))
        case .finding(let reference, let site, let item, let raise, let whistle):
            let id = try ids.id(reference)
            guard let number = RecordID.inspection.number(id) else { throw EventLogError.unknownInspection(id) }
            let found = try db.query("SELECT \(StoredRecord.inspectionColumns) FROM inspections WHERE id = $1", [number])
            guard found.count == 1 else { throw EventLogError.unknownInspection(id) }
            try StoredRecord.inspection(found[0]).checkFinding(site: site, item: item)
            let raised = try self.raise(raise, catalogue: catalogue).id
            try record(whistle, on: raised, catalogue: catalogue)
            try db.query("INSERT INTO inspection_findings (inspection_id, site, item, event_id) VALUES ($1, $2, $3, $4)",
                         [number, site, item, RecordID.event.number(raised)])
            return .finding(InspectionFinding(inspection: id, site: site, item: item, event: raised))
        case .activity(let activity):
            var recorded = activity
            let number = try nextNumber("activities")
            recorded.id = RecordID.activity.text(number)
            try recorded.check()
            var row = PostgresRowValues()
            StoredRecord.bind(recorded, number: number, to: &row)
            try db.query("INSERT INTO activities (\(StoredRecord.activityColumns)) VALUES (\(Self.placeholders(row.values.count)))", row.values)
            return .made(.activity(recorded))
        }
    }

    /// Inserts the event `entry` raises, numbered after the last one.
    private func raise(_ entry: EventEntry, catalogue: EventCatalogue) throws -> EventCase {
        let number = try lastEventNumber ?? nextNumber("events") - 1
        lastEventNumber = number + 1
        let event = try refusing { () throws(EventFlowError) in
            try EventCase(id: RecordID.event.text(number + 1), raised: entry, catalogue: catalogue)
        }
        var row = PostgresRowValues()
        try StoredEvent.bindRaise(event, number: number + 1, to: &row)
        try db.query("INSERT INTO events (\(StoredEvent.eventColumns)) VALUES (\(Self.placeholders(row.values.count)))", row.values)
        try insert(event.history[0], number: number + 1, seq: 0)
        cases[number + 1] = event
        return event
    }

    /// Appends a person's `entry` (after the escalations due before it) to event `id`'s history.
    private func record(_ entry: EventEntry, on id: String, catalogue: EventCatalogue) throws {
        guard let number = RecordID.event.number(id) else { throw EventLogError.unknownEvent(id) }
        if cases[number] == nil {
            guard let stored = try Self.event(number, catalogue: catalogue, db) else { throw EventLogError.unknownEvent(id) }
            cases[number] = stored
        }
        guard var event = cases.removeValue(forKey: number) else { throw EventLogError.unknownEvent(id) }
        defer { cases[number] = event }
        let start = event.history.count
        // `record` leaves the case as it was when it refuses.
        let appended = try refusing { () throws(EventFlowError) in try event.record(entry, catalogue: catalogue) }
        for (offset, item) in appended.enumerated() { try insert(item, number: number, seq: start + offset) }
    }

    /// Appends one entry of event `number` at position `seq`, with the files it brings.
    func insert(_ entry: EventEntry, number: Int64, seq: Int) throws {
        var row = PostgresRowValues()
        StoredEvent.bindEntry(entry, number: number, seq: seq, to: &row)
        try db.query("INSERT INTO event_entries (\(StoredEvent.entryColumns)) VALUES (\(Self.placeholders(row.values.count)))", row.values)
        for (position, file) in entry.attachments.enumerated() where seq > 0 {
            try db.query("INSERT INTO event_attachments (\(StoredAttachment.columns)) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                         [number, seq, position, file.sha256, file.fileName, file.mediaType, file.byteCount])
        }
    }

    /// Writes the derived state of every event the batch changed, once each.
    func writeStates() throws {
        for (number, event) in cases {
            var row = PostgresRowValues()
            StoredEventState.bind(event, number: number, to: &row)
            try db.query("""
                INSERT INTO event_state (event_id, entries, raised_at, category, grid_code, next_deadline, summary)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (event_id) DO UPDATE SET entries = excluded.entries, raised_at = excluded.raised_at,
                    category = excluded.category, grid_code = excluded.grid_code, next_deadline = excluded.next_deadline,
                    summary = excluded.summary
                """, row.values)
        }
    }

    /// Event `id` as the batch has left it.
    func event(_ id: String) throws -> EventCase {
        guard let number = RecordID.event.number(id), let event = cases[number] else { throw EventLogError.unknownEvent(id) }
        return event
    }

    /// The number after the last row of `table` (the writers' lock keeps it free until commit).
    private func nextNumber(_ table: String) throws -> Int64 {
        let row = try db.query("SELECT coalesce(max(id), 0) FROM \(table)")[0]
        return Int64(try row.required(0, row.integer)) + 1
    }

    private static func placeholders(_ count: Int) -> String {
        (1...count).map { "$\($0)" }.joined(separator: ", ")
    }

    // MARK: - Reading histories

    static func event(_ number: Int64, catalogue: EventCatalogue, _ db: PostgresConnection) throws -> EventCase? {
        let found = try db.query("SELECT \(StoredEvent.eventColumns) FROM events WHERE id = $1", [number])
        guard found.count == 1 else { return nil }
        let entries = try db.query("SELECT \(StoredEvent.entryColumns) FROM event_entries WHERE event_id = $1 ORDER BY seq", [number])
        let files = try db.query("SELECT \(StoredAttachment.columns) FROM event_attachments WHERE event_id = $1 ORDER BY seq, position", [number])
        return try StoredEvent.rebuild(number, report: try StoredEvent.report(found[0]), entries: entries.rows, files: files.rows,
                                       catalogue: catalogue)
    }

    /// The events `filter` selects with their histories, a page of events at a time: each page's
    /// entries and files read in one query each, merged by event.
    static func forEachEvent(_ filter: EventFilter, catalogue: EventCatalogue, _ db: PostgresConnection,
                             _ body: (EventCase) throws -> Void) throws {
        var page: [PostgresRow] = []
        func flush() throws {
            guard let first = page.first, let last = page.last else { return }
            let range = [Int64(try first.required(0, first.integer)), Int64(try last.required(0, last.integer))]
            var entries = grouped(try db.query("""
                SELECT \(StoredEvent.entryColumns) FROM event_entries WHERE event_id BETWEEN $1 AND $2 ORDER BY event_id, seq
                """, range).rows)
            var files = grouped(try db.query("""
                SELECT \(StoredAttachment.columns) FROM event_attachments WHERE event_id BETWEEN $1 AND $2 ORDER BY event_id, seq, position
                """, range).rows)
            for row in page {
                let number = Int64(try row.required(0, row.integer))
                try body(try StoredEvent.rebuild(number, report: try StoredEvent.report(row), entries: entries.removeValue(forKey: number) ?? [],
                                                 files: files.removeValue(forKey: number) ?? [], catalogue: catalogue))
            }
            page.removeAll()
        }
        try PostgresTownStore.pages(filter, table: "events", key: "id", columns: StoredEvent.eventColumns, size: 500, db) { row in
            page.append(row)
            if page.count == 500 { try flush() }
        }
        try flush()
    }

    /// Rows keyed by their first column (an event number).
    private static func grouped(_ rows: [PostgresRow]) -> [Int64: [PostgresRow]] {
        Dictionary(grouping: rows) { row in Int64((try? row.integer(0)).flatMap { $0 } ?? 0) }
    }
}

/// Attachment contents in PostgreSQL: each content once in `attachment_contents`, its bytes as
/// the pieces the upload was read in (`attachment_pieces`, keyed by their offset).
enum PostgresAttachments {
    /// Keeps each upload's content unless one with its hash is kept already, checking it as it is
    /// written (``AttachmentUpload/forEachBlock(_:)``): the caller's transaction is rolled back on
    /// a refusal.
    static func keep(_ uploads: [AttachmentUpload], _ db: PostgresConnection) throws {
        for upload in uploads {
            let file = upload.attachment
            let inserted = try db.query("""
                INSERT INTO attachment_contents (sha256, byte_count, media_type) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING
                """, [file.sha256, file.byteCount, file.mediaType])
            guard inserted.changedRows == 1 else { continue }  // kept already: once per hash
            var offset = 0
            do {
                try upload.forEachBlock { block in
                    // A file that grew is refused by forEachBlock once it has seen one byte too many.
                    guard offset + block.count <= file.byteCount, !block.isEmpty else { return }
                    try db.query("INSERT INTO attachment_pieces (sha256, start, bytes) VALUES ($1, $2, $3)",
                                 [file.sha256, offset, Array(block.bindMemory(to: UInt8.self))])
                    offset += block.count
                }
            } catch let error as AttachmentError {
                throw BatchAttachments.refusal(error.description)
            }
        }
    }

    /// The kept content named `sha256`, as an attachment without a name; nil when there is none.
    static func kept(_ sha256: String, _ db: PostgresConnection) throws -> EventAttachment? {
        let found = try db.query("SELECT byte_count, media_type FROM attachment_contents WHERE sha256 = $1", [sha256])
        guard found.count == 1 else { return nil }
        let row = found[0]
        return EventAttachment(sha256: sha256, byteCount: try row.required(0, row.integer), mediaType: try row.required(1, row.string), fileName: "")
    }

    /// Up to `count` bytes of content `sha256` from `offset`, from the pieces that overlap them; nil when it is not kept.
    static func bytes(_ sha256: String, from offset: Int, count: Int, _ db: PostgresConnection) throws -> Data? {
        guard let content = try kept(sha256, db) else { return nil }
        let start = min(max(0, offset), content.byteCount), length = min(max(0, count), content.byteCount - start)
        guard length > 0 else { return Data() }
        let pieces = try db.query("""
            SELECT start, bytes FROM attachment_pieces WHERE sha256 = $1 AND start < $2 AND start + length(bytes) > $3 ORDER BY start
            """, [sha256, start + length, start])
        var data = Data(capacity: length)
        for row in pieces.rows {
            let pieceStart = try row.required(0, row.integer), bytes = try row.required(1, row.bytes)
            guard pieceStart <= start + data.count else { break }
            let from = start + data.count - pieceStart, to = min(bytes.count, start + length - pieceStart)
            if from < to { data.append(contentsOf: bytes[from..<to]) }
        }
        guard data.count == length else {
            throw StoreError.corrupt("attachment_pieces, content \(sha256): bytes \(start + data.count)… are missing")
        }
        return data
    }
}

extension EventFilter {
    /// The filter as PostgreSQL conditions on the columns `events` and `event_state` share
    /// (grid_code, category, raised_at), their parameters numbered from `$first`.
    func postgresConditions(from first: Int) -> (conditions: [String], parameters: [(any PostgresParameter)?]) {
        var conditions: [String] = [], parameters: [(any PostgresParameter)?] = []
        func add(_ condition: String, _ value: any PostgresParameter) {
            parameters.append(value)
            conditions.append(condition + " $\(first + parameters.count - 1)")
        }
        if let grid { add("grid_code =", grid.description) }
        if let category { add("category =", category) }
        if let raisedFrom { add("raised_at >=", raisedFrom.timeIntervalSince1970) }
        if let raisedBefore { add("raised_at <", raisedBefore.timeIntervalSince1970) }
        return (conditions, parameters)
    }
}
