import Foundation
import GRDB
import GeoJSON
import GridMapCore

/// How an event and its history sit in SQL: the raise record as one row of `events`, each later
/// entry as one row of `event_entries` with typed columns (no JSON to parse), so that a year of a
/// district's events reads back fast and can be aggregated in SQL too.
enum StoredEvent {
    static let schema = """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            raised_at REAL NOT NULL,
            category TEXT NOT NULL,
            urgency TEXT NOT NULL,
            description TEXT NOT NULL,
            lon REAL NOT NULL, lat REAL NOT NULL,
            micro_grid_code TEXT NOT NULL,
            grid_code TEXT NOT NULL,
            village_code TEXT NOT NULL,
            reported_by_resident TEXT,
            residents TEXT NOT NULL,
            attachments TEXT NOT NULL
        );
        CREATE INDEX events_grid ON events(grid_code, raised_at);
        CREATE INDEX events_raised ON events(raised_at);
        CREATE TABLE event_entries (
            event_id INTEGER NOT NULL REFERENCES events(id),
            seq INTEGER NOT NULL,
            at REAL NOT NULL,
            actor TEXT NOT NULL,
            actor_grid TEXT, actor_role TEXT, actor_code TEXT, actor_name TEXT,
            action TEXT NOT NULL,
            department TEXT,
            departments TEXT,
            deadline REAL,
            step TEXT,
            satisfaction TEXT,
            reason TEXT,
            note TEXT NOT NULL,
            PRIMARY KEY (event_id, seq)
        ) WITHOUT ROWID;
        CREATE TABLE inspections (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            date REAL NOT NULL,
            organiser TEXT NOT NULL,
            sites TEXT NOT NULL,
            items TEXT NOT NULL
        );
        CREATE TABLE inspection_findings (
            inspection_id INTEGER NOT NULL REFERENCES inspections(id),
            site TEXT NOT NULL,
            item TEXT NOT NULL,
            event_id INTEGER NOT NULL REFERENCES events(id),
            PRIMARY KEY (inspection_id, event_id)
        );
        CREATE TABLE activities (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            service TEXT NOT NULL,
            at REAL NOT NULL,
            lon REAL NOT NULL, lat REAL NOT NULL,
            micro_grid_code TEXT NOT NULL,
            grid_code TEXT NOT NULL,
            village_code TEXT NOT NULL,
            organiser TEXT NOT NULL,
            attendance INTEGER NOT NULL
        );
        CREATE INDEX activities_grid ON activities(grid_code, at);
        CREATE TRIGGER events_never_change BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'an event''s raise record never changes'); END;
        CREATE TRIGGER events_never_go BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'events are never deleted'); END;
        CREATE TRIGGER event_entries_never_change BEFORE UPDATE ON event_entries
            BEGIN SELECT RAISE(ABORT, 'an event''s history is append-only'); END;
        CREATE TRIGGER event_entries_never_go BEFORE DELETE ON event_entries
            BEGIN SELECT RAISE(ABORT, 'an event''s history is append-only'); END;
        CREATE TRIGGER inspections_never_change BEFORE UPDATE ON inspections
            BEGIN SELECT RAISE(ABORT, 'an inspection''s plan never changes'); END;
        CREATE TRIGGER inspections_never_go BEFORE DELETE ON inspections
            BEGIN SELECT RAISE(ABORT, 'inspections are never deleted'); END;
        CREATE TRIGGER findings_never_change BEFORE UPDATE ON inspection_findings
            BEGIN SELECT RAISE(ABORT, 'findings are append-only'); END;
        CREATE TRIGGER findings_never_go BEFORE DELETE ON inspection_findings
            BEGIN SELECT RAISE(ABORT, 'findings are append-only'); END;
        CREATE TRIGGER activities_never_change BEFORE UPDATE ON activities
            BEGIN SELECT RAISE(ABORT, 'activities are append-only'); END;
        CREATE TRIGGER activities_never_go BEFORE DELETE ON activities
            BEGIN SELECT RAISE(ABORT, 'activities are append-only'); END;
        """

    /// The columns the reads select, in this order, so that rows are read by position (a lookup by
    /// name per field was a fifth of reading a year's events back).
    static let eventColumns = "id, raised_at, category, urgency, description, lon, lat, micro_grid_code, grid_code, village_code, "
        + "reported_by_resident, residents, attachments"
    static let entryColumns = "event_id, seq, at, actor, actor_grid, actor_role, actor_code, actor_name, action, department, "
        + "departments, deadline, step, satisfaction, reason, note"

    static let insertEventSQL = """
        INSERT INTO events (id, raised_at, category, urgency, description, lon, lat, micro_grid_code, grid_code,
                            village_code, reported_by_resident, residents, attachments)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let insertEntrySQL = """
        INSERT INTO event_entries (event_id, seq, at, actor, actor_grid, actor_role, actor_code, actor_name, action,
                                   department, departments, deadline, step, satisfaction, reason, note)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Inserts the raise record (as event `number`'s row and its entry 0).
    static func insertRaise(_ event: EventCase, number: Int64, _ batch: SQLiteTownStore.EventBatch) throws {
        var row = batch.eventRow
        try bindRaise(event, number: number, to: &row)
        try row.insert()
        try insert(event.history[0], number: number, seq: 0, batch)
    }

    /// Appends one entry of event `number` at position `seq`.
    static func insert(_ entry: EventEntry, number: Int64, seq: Int, _ batch: SQLiteTownStore.EventBatch) throws {
        var row = batch.entryRow
        bindEntry(entry, number: number, seq: seq, to: &row)
        try row.insert()
        if !entry.attachments.isEmpty { try StoredAttachment.insert(entry.attachments, number: number, seq: seq, batch.db) }
    }

    /// The `events` row of `event`'s raise record, bound in ``insertEventSQL``'s order, whichever
    /// database it goes to.
    static func bindRaise<Sink: StoredRowSink>(_ event: EventCase, number: Int64, to row: inout Sink) throws {
        let report = event.report
        row.bind(Int(number))
        row.bind(event.raisedAt.timeIntervalSince1970)
        row.bind(report.category)
        row.bind(report.urgency.rawValue)
        row.bind(report.description)
        row.bind(report.location.x)
        row.bind(report.location.y)
        row.bind(report.microGrid.description)
        row.bind(report.grid.description)
        row.bind(report.villageCode)
        row.bind(report.reportedByResident)
        row.bind(try json(report.residents))
        row.bind(try json(report.attachments.map(AttachmentRecord.init)))
    }

    /// The `event_entries` row of `entry` (event `number`'s entry `seq`), bound in
    /// ``insertEntrySQL``'s order; its files go to `event_attachments` separately.
    static func bindEntry<Sink: StoredRowSink>(_ entry: EventEntry, number: Int64, seq: Int, to row: inout Sink) {
        var actor: (kind: String, grid: String?, role: String?, code: String?, name: String?) = ("system", nil, nil, nil, nil)
        switch entry.actor {
        case .teamMember(let grid, let role, let name): actor = ("team", grid.description, role.rawValue, nil, name)
        case .department(let code, let person): actor = ("department", nil, nil, code, person)
        case .office(let person): actor = ("office", nil, nil, nil, person)
        case .system: break
        }
        var department: String?, departments: String?, deadline: Double?, step: String?, satisfaction: String?
        switch entry.action {
        case .raise: break
        case .take(let given): deadline = given?.timeIntervalSince1970
        case .whistle(let codes, let given): (departments, deadline) = (codes.joined(separator: ","), given?.timeIntervalSince1970)
        case .reportIn(let code): department = code
        case .resolve(let code): department = code
        case .verify: break
        case .sendBack(let codes, _): departments = codes.joined(separator: ",")
        case .close(let rating): satisfaction = rating.rawValue
        case .escalate(let escalated):
            (department, deadline, step) = (escalated.department, escalated.deadline.timeIntervalSince1970, escalated.kind.rawValue)
        }
        let reason: String? = if case .sendBack(_, let reason) = entry.action { reason } else { nil }
        row.bind(Int(number))
        row.bind(seq)
        row.bind(entry.at.timeIntervalSince1970)
        // One call per column, not a loop over an array of them: two arrays per entry showed in
        // the profile of appending.
        row.bind(actor.kind)
        row.bind(actor.grid)
        row.bind(actor.role)
        row.bind(actor.code)
        row.bind(actor.name)
        row.bind(entry.action.name)
        row.bind(department)
        row.bind(departments)
        row.bind(deadline)
        row.bind(step)
        row.bind(satisfaction)
        row.bind(reason)
        row.bind(entry.note)
    }

    /// Replays a stored history through the flow: a history the flow refuses was changed behind
    /// the store's back.
    static func rebuild<Columns: StoredColumns>(_ number: Int64, report: EventReport, entries: [Columns], files: [Columns],
                                                catalogue: EventCatalogue) throws -> EventCase {
        var history = try entries.map { try entry($0, report: report) }
        try StoredAttachment.attach(files, to: &history)
        do {
            return try EventCase(id: RecordID.event.text(number), history: history, catalogue: catalogue)
        } catch {
            throw StoreError.corrupt("event_entries, event \(RecordID.event.text(number)): the stored history does not follow the flow (\(error.message))")
        }
    }

    /// The raise record of an `events` row (``eventColumns``), from either database.
    static func report<Columns: StoredColumns>(_ row: Columns) throws -> EventReport {
        let micro = try text(row, 7, "events")
        guard let microGrid = GridCode(micro) else { throw corrupt("events", row, "micro_grid_code \"\(micro)\" is not a micro-grid code") }
        let urgencyText = try text(row, 3, "events")
        guard let urgency = Urgency(rawValue: urgencyText) else { throw corrupt("events", row, "urgency \"\(urgencyText)\"") }
        return EventReport(
            category: try text(row, 2, "events"), urgency: urgency, description: try text(row, 4, "events"),
            location: Position(x: try real(row, 5, "events"), y: try real(row, 6, "events")), microGrid: microGrid,
            villageCode: try text(row, 9, "events"),
            reportedByResident: try row.textColumn(10),
            residents: try decodeJSON([String].self, try text(row, 11, "events")),
            attachments: try decodeJSON([AttachmentRecord].self, try text(row, 12, "events")).map(\.attachment))
    }

    /// One history entry from an `event_entries` row (``entryColumns``); the raise entry gets `report`.
    static func entry<Columns: StoredColumns>(_ row: Columns, report: EventReport) throws -> EventEntry {
        let table = "event_entries"
        let at = Date(timeIntervalSince1970: try real(row, 2, table))
        let actor: EventActor
        switch try text(row, 3, table) {
        case "team":
            guard let grid = GridCode(try row.textColumn(4) ?? ""), let role = TeamRole(rawValue: try row.textColumn(5) ?? "") else {
                throw corrupt(table, row, "a team member without a grid code or role")
            }
            actor = .teamMember(grid: grid, role: role, name: try row.textColumn(7) ?? "")
        case "department": actor = .department(code: try row.textColumn(6) ?? "", person: try row.textColumn(7) ?? "")
        case "office": actor = .office(person: try row.textColumn(7) ?? "")
        case "system": actor = .system
        case let other: throw corrupt(table, row, "actor \"\(other)\"")
        }
        let department = try row.textColumn(9)
        let departments: [String] = try row.textColumn(10).map { $0.split(separator: ",").map(String.init) } ?? []
        let deadline: Date? = try row.realColumn(11).map(Date.init(timeIntervalSince1970:))
        let note = try text(row, 15, table)
        let action: EventAction
        switch try text(row, 8, table) {
        case "raise": action = .raise(report)
        case "take": action = .take(deadline: deadline)
        case "whistle": action = .whistle(departments: departments, resolutionDeadline: deadline)
        case "report-in": action = .reportIn(department: department ?? "")
        case "resolve": action = .resolve(department: department)
        case "verify": action = .verify
        case "send-back": action = .sendBack(departments: departments, reason: try row.textColumn(14) ?? "")
        case "close":
            guard let rating = Satisfaction(rawValue: try row.textColumn(13) ?? "") else { throw corrupt(table, row, "a closing without a satisfaction") }
            action = .close(rating)
        case "escalate":
            guard let kind = EventStep.Kind(rawValue: try row.textColumn(12) ?? ""), let deadline else { throw corrupt(table, row, "an escalation without its step") }
            action = .escalate(EventStep(kind: kind, department: department, deadline: deadline))
        case let other: throw corrupt(table, row, "action \"\(other)\"")
        }
        return EventEntry(at: at, actor: actor, action: action, note: note)
    }

    /// Column `column`'s text, which may not be NULL.
    private static func text<Columns: StoredColumns>(_ row: Columns, _ column: Int, _ table: String) throws -> String {
        guard let value = try row.textColumn(column) else { throw corrupt(table, row, "column \(column) is NULL") }
        return value
    }

    private static func real<Columns: StoredColumns>(_ row: Columns, _ column: Int, _ table: String) throws -> Double {
        guard let value = try row.realColumn(column) else { throw corrupt(table, row, "column \(column) is NULL") }
        return value
    }

    private static func corrupt<Columns: StoredColumns>(_ table: String, _ row: Columns, _ detail: String) -> StoreError {
        .corrupt("\(table), event \(((try? row.integerColumn(0)) ?? nil) ?? 0): \(detail)")
    }

    /// An empty list is written without an encoder, like it is read (``decodeJSON(_:_:)``).
    private static func json<T: Encodable & Collection>(_ value: T) throws -> String {
        value.isEmpty ? "[]" : String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    /// An empty list is read without a JSON decoder: most events name no resident and carry no
    /// attachment, and a decoder per row was most of the time spent reading a year's events.
    private static func decodeJSON<T: Decodable & ExpressibleByArrayLiteral>(_ type: T.Type, _ text: String) throws -> T {
        if text == "[]" { return [] }
        return try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// An attachment as JSON in `events.attachments`.
private struct AttachmentRecord: Codable {
    var sha256: String, bytes: Int, type: String, name: String

    init(_ attachment: EventAttachment) {
        (sha256, bytes, type, name) = (attachment.sha256, attachment.byteCount, attachment.mediaType, attachment.fileName)
    }

    var attachment: EventAttachment { EventAttachment(sha256: sha256, byteCount: bytes, mediaType: type, fileName: name) }
}
