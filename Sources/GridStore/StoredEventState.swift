import Foundation
import GRDB
import GRDBSQLite
import GridMapCore

/// The derived state of each event (``EventSummary``), one compact row per event in
/// `event_state`, so that the rates read one row per event instead of replaying every entry.
///
/// It is a cache of the history, not a second truth: every row is what ``EventCase/summary``
/// gives for the event's stored history, written in the same transaction as the entries it
/// derives from (so a reader never sees one without the other), and the whole table can be
/// dropped and rebuilt from the history alone (``rebuild(catalogue:_:)``; migration "v4" does so
/// for a store written before it). Unlike the history it is replaced in place as an event moves
/// on. `entries` is the length of the history the row derives from.
///
/// Small enumerations are stored as integers (their position in the lists below, which only
/// ever grow at the end); a department's parts as one blob (``packParts(_:)``).
enum StoredEventState {
    static let schema = """
        CREATE TABLE event_state (
            event_id INTEGER PRIMARY KEY REFERENCES events(id),
            entries INTEGER NOT NULL,
            raised_at REAL NOT NULL,
            category TEXT NOT NULL,
            urgency INTEGER NOT NULL,
            micro_grid_code TEXT NOT NULL,
            grid_code TEXT NOT NULL,
            village_code TEXT NOT NULL,
            phase INTEGER NOT NULL,
            parts BLOB NOT NULL,
            dispatched_at REAL, taken_at REAL, grid_resolved_at REAL, first_resolved_at REAL, first_verified_at REAL,
            verified_at REAL, closed_at REAL,
            satisfaction INTEGER,
            sent_back INTEGER NOT NULL,
            resolved_late INTEGER NOT NULL,
            next_deadline REAL,
            escalations INTEGER NOT NULL
        );
        """

    /// Stored codes: the position in each list.
    static let phases: [EventPhase] = [.raised, .handledByGrid, .whistled, .awaitingVerification, .verified, .closed]
    static let urgencies: [Urgency] = [.normal, .urgent]
    static let ratings: [Satisfaction] = [.satisfied, .basicallySatisfied, .dissatisfied]

    static var insertSQL: String {
        "INSERT OR REPLACE INTO event_state (\(columns)) VALUES (\(Array(repeating: "?", count: 22).joined(separator: ", ")))"
    }

    private static let columns = """
        event_id, entries, raised_at, category, urgency, micro_grid_code, grid_code, village_code, phase, parts,
        dispatched_at, taken_at, grid_resolved_at, first_resolved_at, first_verified_at, verified_at, closed_at,
        satisfaction, sent_back, resolved_late, next_deadline, escalations
        """

    /// Writes (or replaces) the state of `event`, event number `number`.
    static func write(_ event: EventCase, number: Int64, _ batch: SQLiteTownStore.EventBatch) throws {
        let state = event.summary
        var row = batch.stateRow
        row.bind(Int(number))
        row.bind(event.history.count)
        row.bind(state.raisedAt.timeIntervalSince1970)
        row.bind(state.category)
        row.bind(urgencies.firstIndex(of: state.urgency))
        row.bind(state.microGrid.description)
        row.bind(state.grid.description)
        row.bind(state.villageCode)
        row.bind(phases.firstIndex(of: state.phase))
        row.bind(packParts(state.parts))
        let milestones = state.milestones
        for time in [milestones.dispatchedAt, milestones.takenAt, milestones.gridResolvedAt, milestones.resolvedAt,
                     milestones.verifiedAt, state.verifiedAt, state.closedAt] {
            row.bind(time?.timeIntervalSince1970)
        }
        row.bind(state.satisfaction.flatMap { ratings.firstIndex(of: $0) })
        row.bind(state.sentBack)
        row.bind(state.resolvedLate ? 1 : 0)
        row.bind(state.nextDeadline?.timeIntervalSince1970)
        row.bind(state.escalations)
        try row.insert()
    }

    /// Replaces every row by the state replayed from the history (the migration that adds the
    /// table, and a store whose cache is in doubt).
    static func rebuild(catalogue: EventCatalogue, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM event_state")
        let batch = try SQLiteTownStore.EventBatch(db)
        try SQLiteTownStore.forEachEvent(EventFilter(), catalogue: catalogue, withFiles: false, db) { event in
            guard let number = RecordID.event.number(event.id) else { return }
            try write(event, number: number, batch)
        }
    }

    // MARK: - Reading

    /// Hands the state of each event `filter` selects to `body`, in raising order. Read with the
    /// SQLite C API column by column: a million rows go through here for a town's rates.
    static func forEach(_ filter: EventFilter, _ db: Database, _ body: (EventSummary) throws -> Void) throws {
        let (whereClause, arguments) = filter.sql
        let statement = try db.makeStatement(sql: "SELECT \(columns) FROM event_state \(whereClause) ORDER BY event_id")
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        var reader = Reader(handle: handle)
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: statement.sql)
            }
            try body(try reader.summary())
        }
    }

    /// Decodes the current row of the SELECT above.
    private struct Reader {
        let handle: SQLiteStatement
        /// Codes seen so far: parsing a code per row cost more than reading the row.
        var codes: [String: (microGrid: GridCode, grid: GridCode)] = [:]

        mutating func summary() throws -> EventSummary {
            let number = sqlite3_column_int64(handle, 0)
            func corrupt(_ detail: String) -> StoreError { .corrupt("event_state, event \(number): \(detail)") }
            let microText = text(5)
            let place: (microGrid: GridCode, grid: GridCode)
            if let known = codes[microText] {
                place = known
            } else {
                guard let code = GridCode(microText), code.isMicroGrid else { throw corrupt("micro_grid_code \"\(microText)\"") }
                place = (code, code.gridCode)
                codes[microText] = place
            }
            guard let urgency = StoredEventState.urgencies.element(Int(sqlite3_column_int64(handle, 4))),
                  let phase = StoredEventState.phases.element(Int(sqlite3_column_int64(handle, 8))) else {
                throw corrupt("urgency or phase out of range")
            }
            var satisfaction: Satisfaction?
            if sqlite3_column_type(handle, 17) != SQLITE_NULL {
                guard let rating = StoredEventState.ratings.element(Int(sqlite3_column_int64(handle, 17))) else { throw corrupt("satisfaction out of range") }
                satisfaction = rating
            }
            let blob = sqlite3_column_blob(handle, 9)
            let blobBytes = UnsafeRawBufferPointer(start: blob, count: Int(sqlite3_column_bytes(handle, 9)))
            guard let parts = StoredEventState.unpackParts(blobBytes) else { throw corrupt("parts do not decode") }
            return EventSummary(
                id: RecordID.event.text(number), raisedAt: Date(timeIntervalSince1970: sqlite3_column_double(handle, 2)),
                category: text(3), urgency: urgency, microGrid: place.microGrid, grid: place.grid, villageCode: text(7),
                phase: phase, parts: parts,
                milestones: EventMilestones(dispatchedAt: time(10), takenAt: time(11), gridResolvedAt: time(12), resolvedAt: time(13),
                                            verifiedAt: time(14)),
                verifiedAt: time(15), closedAt: time(16), satisfaction: satisfaction,
                sentBack: Int(sqlite3_column_int64(handle, 18)), resolvedLate: sqlite3_column_int64(handle, 19) != 0,
                nextDeadline: time(20), escalations: Int(sqlite3_column_int64(handle, 21)))
        }

        private func text(_ column: Int32) -> String {
            guard let bytes = sqlite3_column_text(handle, column) else { return "" }
            return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
        }

        private func time(_ column: Int32) -> Date? {
            sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : Date(timeIntervalSince1970: sqlite3_column_double(handle, column))
        }
    }

    // MARK: - Parts as a blob

    /// Each part as: the department code's length (one byte) and UTF-8 bytes, then four
    /// little-endian doubles — whistled, report-in deadline, reported in, first resolved (NaN
    /// for none).
    static func packParts(_ parts: [EventSummary.Part]) -> [UInt8] {
        var bytes: [UInt8] = []
        for part in parts {
            let code = Array(part.department.utf8.prefix(255))
            bytes.append(UInt8(code.count))
            bytes += code
            for time in [part.whistledAt, part.reportInDeadline, part.reportedInAt, part.firstResolvedAt] {
                withUnsafeBytes(of: (time?.timeIntervalSince1970 ?? .nan).bitPattern.littleEndian) { bytes += $0 }
            }
        }
        return bytes
    }

    /// The parts ``packParts(_:)`` packed; nil when the bytes are not such a packing.
    static func unpackParts(_ bytes: UnsafeRawBufferPointer) -> [EventSummary.Part]? {
        var parts: [EventSummary.Part] = []
        var offset = 0
        func time() -> Date? {
            let bits = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
            let seconds = Double(bitPattern: bits)
            return seconds.isNaN ? nil : Date(timeIntervalSince1970: seconds)
        }
        while offset < bytes.count {
            let length = Int(bytes[offset])
            guard offset + 1 + length + 32 <= bytes.count else { return nil }
            let department = String(decoding: bytes[(offset + 1)..<(offset + 1 + length)], as: UTF8.self)
            offset += 1 + length
            guard let whistled = time(), let reportInDeadline = time() else { return nil }
            let reported = time(), resolved = time()
            parts.append(EventSummary.Part(department: department, whistledAt: whistled, reportInDeadline: reportInDeadline,
                                           reportedInAt: reported, firstResolvedAt: resolved))
        }
        return parts
    }
}

extension Array {
    /// The element at `index`, nil when out of range.
    fileprivate func element(_ index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
