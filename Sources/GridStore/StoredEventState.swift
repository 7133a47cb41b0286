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
/// dropped and rebuilt from the history alone (``rebuild(catalogue:_:)``; migration "v10" does so
/// for a store written before it). Unlike the history it is replaced in place as an event moves
/// on. `entries` is the length of the history the row derives from.
///
/// The summary is one blob (``pack(_:)``), read as one column: SQLite spends about as long
/// handing over each column of a row as stepping to the row, so the 22 columns of schema v4 cost
/// six times what one blob does (0.8 s against 0.14 s for a million rows, measured in C). Only
/// what SQL filters on stays in columns beside it: the filter's raised_at, category and
/// grid_code, and next_deadline for the overdue sweep.
///
/// Small enumerations are stored as integers (their position in the lists below, which only
/// ever grow at the end).
enum StoredEventState {
    static let schema = """
        CREATE TABLE event_state (
            event_id INTEGER PRIMARY KEY REFERENCES events(id),
            entries INTEGER NOT NULL,
            raised_at REAL NOT NULL,
            category TEXT NOT NULL,
            grid_code TEXT NOT NULL,
            next_deadline REAL,
            summary BLOB NOT NULL
        );
        """

    /// The table as migration "v4" made it, a column per field, which "v10" replaces.
    static let schemaV4 = """
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

    static let insertSQL = """
        INSERT OR REPLACE INTO event_state (event_id, entries, raised_at, category, grid_code, next_deadline, summary)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """

    /// Writes (or replaces) the state of `event`, event number `number`.
    static func write(_ event: EventCase, number: Int64, _ batch: SQLiteTownStore.EventBatch) throws {
        var row = batch.stateRow
        bind(event, number: number, to: &row)
        try row.insert()
    }

    /// The state row of `event` (``insertSQL``'s columns, in order), whichever database it goes to.
    static func bind<Sink: StoredRowSink>(_ event: EventCase, number: Int64, to row: inout Sink) {
        let state = event.summary
        row.bind(Int(number))
        row.bind(event.history.count)
        row.bind(state.raisedAt.timeIntervalSince1970)
        row.bind(state.category)
        row.bind(state.grid.description)
        row.bind(state.nextDeadline?.timeIntervalSince1970)
        row.bind(pack(state))
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

    /// Hands the state of each event `filter` selects (numbered within `numbers`, when given) to
    /// `body`, in raising order. Read with the SQLite C API column by column: a million rows go
    /// through here for a town's rates.
    static func forEach(_ filter: EventFilter, numbers: Range<Int64>? = nil, _ db: Database,
                        _ body: (EventSummary) throws -> Void) throws {
        var (whereClause, arguments) = filter.sql
        if let numbers {
            // event_id is the rowid: the range is a seek and a walk along the table's b-tree.
            whereClause += (whereClause.isEmpty ? "WHERE" : " AND") + " event_id >= ? AND event_id < ?"
            arguments += [numbers.lowerBound, numbers.upperBound]
        }
        let statement = try db.makeStatement(sql: "SELECT event_id, summary FROM event_state \(whereClause) ORDER BY event_id")
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

    /// The event numbers cut into `parts` consecutive ranges of (nearly) equal width, covering
    /// every event with a state, in order; ranges past the last event are empty (more parts than
    /// events).
    static func numberRanges(_ parts: Int, _ db: Database) throws -> [Range<Int64>] {
        let row = try Row.fetchOne(db, sql: "SELECT min(event_id), max(event_id) FROM event_state")
        return numberRanges(parts, first: row?[0], last: row?[1])
    }

    /// `parts` ranges as even as can be that together cover `first...last` (empty ones when
    /// there is no event): the runs of ``numberRanges(_:_:)``, for any store.
    static func numberRanges(_ parts: Int, first: Int64?, last: Int64?) -> [Range<Int64>] {
        let parts = Int64(max(parts, 1))
        guard let first, let last else { return Array(repeating: 0..<0, count: Int(parts)) }
        let width = last - first + 1
        // The first `width % parts` ranges are one longer; no product that could overflow.
        func bound(_ index: Int64) -> Int64 { first + (width / parts) * index + min(index, width % parts) }
        return (0..<parts).map { bound($0)..<bound($0 + 1) }
    }

    /// Decodes the current row of the SELECT above.
    private struct Reader {
        let handle: SQLiteStatement
        /// Codes seen so far: parsing a code per row cost more than reading the row.
        var codes: [String: (microGrid: GridCode, grid: GridCode)] = [:]

        mutating func summary() throws -> EventSummary {
            let number = sqlite3_column_int64(handle, 0)
            let bytes = UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, 1), count: Int(sqlite3_column_bytes(handle, 1)))
            guard let summary = StoredEventState.unpack(bytes, id: RecordID.event.text(number), codes: &codes) else {
                throw StoreError.corrupt("event_state, event \(number): the summary does not decode")
            }
            return summary
        }
    }

    // MARK: - The summary as a blob

    /// The summary (all but its id, which is the row's event_id) as bytes: raised at; urgency,
    /// phase, satisfaction (255: none), resolved late (one byte each); sent back and escalations
    /// (four bytes each); dispatched, taken, resolved by the grid, resolved, first verified,
    /// verified, closed and next deadline; category, micro-grid and village codes; then each part
    /// as ``packParts(_:)`` packs it. Times are little-endian doubles of seconds since 1970, NaN
    /// for none; counts little-endian; texts a two-byte length and their UTF-8 bytes.
    static func pack(_ state: EventSummary) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128 + 50 * state.parts.count)
        func time(_ date: Date?) { append((date?.timeIntervalSince1970 ?? .nan).bitPattern, to: &bytes) }
        func text(_ string: String) {
            let utf8 = Array(string.utf8.prefix(Int(UInt16.max)))
            append(UInt16(utf8.count), to: &bytes)
            bytes += utf8
        }
        time(state.raisedAt)
        bytes.append(UInt8(urgencies.firstIndex(of: state.urgency) ?? 255))
        bytes.append(UInt8(phases.firstIndex(of: state.phase) ?? 255))
        bytes.append(state.satisfaction.flatMap { ratings.firstIndex(of: $0) }.map(UInt8.init) ?? 255)
        bytes.append(state.resolvedLate ? 1 : 0)
        append(UInt32(clamping: state.sentBack), to: &bytes)
        append(UInt32(clamping: state.escalations), to: &bytes)
        let milestones = state.milestones
        for date in [milestones.dispatchedAt, milestones.takenAt, milestones.gridResolvedAt, milestones.resolvedAt,
                     milestones.verifiedAt, state.verifiedAt, state.closedAt, state.nextDeadline] {
            time(date)
        }
        text(state.category)
        text(state.microGrid.description)
        text(state.villageCode)
        bytes += packParts(state.parts)
        return bytes
    }

    private static func append<Integer: FixedWidthInteger>(_ value: Integer, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    /// The summary ``pack(_:)`` packed, with `id`; nil when the bytes are not such a packing.
    /// `codes` keeps the micro-grid codes parsed so far.
    static func unpack(_ bytes: UnsafeRawBufferPointer, id: String,
                       codes: inout [String: (microGrid: GridCode, grid: GridCode)]) -> EventSummary? {
        var cursor = ByteCursor(bytes: bytes)
        guard let raisedAt = cursor.time(), let urgencyCode = cursor.byte(), let phaseCode = cursor.byte(),
              let ratingCode = cursor.byte(), let lateCode = cursor.byte(),
              let sentBack = cursor.integer(UInt32.self), let escalations = cursor.integer(UInt32.self),
              let urgency = urgencies.element(Int(urgencyCode)), let phase = phases.element(Int(phaseCode)), lateCode <= 1 else { return nil }
        var satisfaction: Satisfaction?
        if ratingCode != 255 {
            guard let rating = ratings.element(Int(ratingCode)) else { return nil }
            satisfaction = rating
        }
        guard let dispatched = cursor.optionalTime(), let taken = cursor.optionalTime(), let gridResolved = cursor.optionalTime(),
              let resolved = cursor.optionalTime(), let firstVerified = cursor.optionalTime(), let verified = cursor.optionalTime(),
              let closed = cursor.optionalTime(), let nextDeadline = cursor.optionalTime() else { return nil }
        guard let category = cursor.text(), let microText = cursor.text(), let villageCode = cursor.text() else { return nil }
        let place: (microGrid: GridCode, grid: GridCode)
        if let known = codes[microText] {
            place = known
        } else {
            guard let code = GridCode(microText), code.isMicroGrid else { return nil }
            place = (code, code.gridCode)
            codes[microText] = place
        }
        guard let parts = unpackParts(UnsafeRawBufferPointer(rebasing: bytes[cursor.offset...])) else { return nil }
        return EventSummary(
            id: id, raisedAt: raisedAt, category: category, urgency: urgency, microGrid: place.microGrid, grid: place.grid,
            villageCode: villageCode, phase: phase, parts: parts,
            milestones: EventMilestones(dispatchedAt: dispatched, takenAt: taken, gridResolvedAt: gridResolved, resolvedAt: resolved,
                                        verifiedAt: firstVerified),
            verifiedAt: verified, closedAt: closed, satisfaction: satisfaction, sentBack: Int(sentBack),
            resolvedLate: lateCode == 1, nextDeadline: nextDeadline, escalations: Int(escalations))
    }

    /// Reads ``pack(_:)``'s fields in order; each read is nil past the end.
    private struct ByteCursor {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        mutating func integer<Integer: FixedWidthInteger>(_ type: Integer.Type) -> Integer? {
            let size = MemoryLayout<Integer>.size
            guard offset + size <= bytes.count else { return nil }
            defer { offset += size }
            return Integer(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Integer.self))
        }

        mutating func byte() -> UInt8? { integer(UInt8.self) }

        /// A time that must be there.
        mutating func time() -> Date? {
            guard let seconds = integer(UInt64.self).map(Double.init(bitPattern:)), !seconds.isNaN else { return nil }
            return Date(timeIntervalSince1970: seconds)
        }

        /// A time or none (NaN); nil past the end.
        mutating func optionalTime() -> Date?? {
            guard let seconds = integer(UInt64.self).map(Double.init(bitPattern:)) else { return nil }
            return .some(seconds.isNaN ? nil : Date(timeIntervalSince1970: seconds))
        }

        mutating func text() -> String? {
            guard let length = integer(UInt16.self).map(Int.init), offset + length <= bytes.count else { return nil }
            defer { offset += length }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]), as: UTF8.self)
        }
    }

    // MARK: - Parts

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
                append((time?.timeIntervalSince1970 ?? .nan).bitPattern, to: &bytes)
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
