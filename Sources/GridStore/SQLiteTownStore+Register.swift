import Foundation
import GEOS
import GRDB
import GeoJSON
import GridMapCore

/// The register's history in SQLite (migration "v8"): `register_changes`, append-only by
/// trigger, one row per entry with the subject's whole value before and after as JSON text
/// (``RegisterRecordText``), tied to the import whose register it changes. A batch is one
/// IMMEDIATE transaction that checks every change by ``RegisterRules`` against the tables as
/// they are, appends the entries and applies them to `residents`, `features` and `team`.
extension SQLiteTownStore {
    static let registerSchema = """
        CREATE TABLE register_changes (
            sequence INTEGER PRIMARY KEY,
            import_id INTEGER NOT NULL REFERENCES imports(id),
            subject_kind TEXT NOT NULL,
            subject_key TEXT NOT NULL,
            action TEXT NOT NULL,
            effective TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            reason TEXT NOT NULL,
            before TEXT,
            after TEXT
        );
        CREATE INDEX register_changes_subject ON register_changes(import_id, subject_kind, subject_key);
        CREATE INDEX register_changes_effective ON register_changes(import_id, effective);
        CREATE TRIGGER register_changes_no_update BEFORE UPDATE ON register_changes
        BEGIN SELECT RAISE(ABORT, 'register changes are append-only'); END;
        CREATE TRIGGER register_changes_no_delete BEFORE DELETE ON register_changes
        BEGIN SELECT RAISE(ABORT, 'register changes are append-only'); END;
        """

    public func registerStart() throws(RegisterError) -> RegisterDay? {
        try RegisterError.wrapping("reading the register's start") {
            try database.read { db in try Self.currentImport(db)?.start }
        }
    }

    public func recordChanges(_ requests: [RegisterChangeRequest], at time: Date) throws(RegisterError) -> [RegisterChange] {
        if access == .readOnly { throw .store(.importRefused("the store \(location) is open read-only")) }
        return try RegisterError.wrapping("recording register changes in \(location)") {
            try database.writeWithoutTransaction { db in try record(requests, at: time, db) }
        }
    }

    private func record(_ requests: [RegisterChangeRequest], at time: Date, _ db: Database) throws -> [RegisterChange] {
        var changes: [RegisterChange] = []
        try db.inTransaction(.immediate) {
            changes = try Self.recordInTransaction(requests, at: time, db)
            return .commit
        }
        return changes
    }

    /// Checks, appends and applies `requests` inside the caller's transaction (a batch, or a
    /// survey visit that records its changes with it).
    static func recordInTransaction(_ requests: [RegisterChangeRequest], at time: Date, _ db: Database) throws -> [RegisterChange] {
        guard let current = try currentImport(db) else { throw RegisterError.noTown }
        let first = (try Int.fetchOne(db, sql: "SELECT max(sequence) FROM register_changes") ?? 0) + 1
        let state = StoredRegisterState(db: db, importID: current.id, start: current.start)
        let changes = try RegisterRules.plan(requests, recordedAt: time, firstSequence: first, state: state)
        for change in changes {
            try append(change, importID: current.id, db)
            try apply(change, state, db)
        }
        return changes
    }

    public func registerChanges(_ filter: RegisterFilter) throws(RegisterError) -> [RegisterChange] {
        try RegisterError.wrapping("reading the register's history from \(location)") {
            try database.read { db in
                guard let current = try Self.currentImport(db) else { return [] }
                var sql = "SELECT * FROM register_changes WHERE import_id = ?"
                var arguments: StatementArguments = [current.id]
                if let subject = filter.subject {
                    sql += " AND subject_kind = ? AND subject_key = ?"
                    arguments += [subject.kind.rawValue, subject.key]
                }
                if let from = filter.from { sql += " AND effective >= ?"; arguments += [from.description] }
                if let through = filter.through { sql += " AND effective <= ?"; arguments += [through.description] }
                let rows = try Row.fetchCursor(db, sql: sql + " ORDER BY sequence", arguments: arguments)
                var changes: [RegisterChange] = []
                while let row = try rows.next() {
                    let change = try Self.change(row)
                    if filter.selects(change) { changes.append(change) }
                }
                return changes
            }
        }
    }

    /// One query over the changes effective after `day`: the first of each subject, its `before`.
    public func registerPast(asOf day: RegisterDay) throws(RegisterError) -> RegisterPast {
        try RegisterError.wrapping("reading the register as of \(day) from \(location)") {
            try database.read { db in
                guard let current = try Self.currentImport(db) else { return RegisterPast(day: day, values: []) }
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT c.sequence, c.subject_kind, c.subject_key, c.before FROM register_changes c
                    JOIN (SELECT min(sequence) AS first FROM register_changes
                          WHERE import_id = ? AND effective > ? GROUP BY subject_kind, subject_key) f ON c.sequence = f.first
                    ORDER BY c.sequence
                    """, arguments: [current.id, day.description])
                var values: [(subject: RegisterSubject, value: RegisterRecord?)] = []
                while let row = try rows.next() {
                    let place = "register_changes \(row[0] as Int)"
                    values.append((try RegisterRecordText.subject(kind: row[1], key: row[2], place: place),
                                   try RegisterRecordText.decode(row[3], place: place)))
                }
                return RegisterPast(day: day, values: values)
            }
        }
    }

    /// Both parts in one read (``TownStore/residentTally(asOf:)``): today's residents no change
    /// after the day touched, counted as ``residentTally()`` counts them, then the others as
    /// the first change after the day found them, with SQLite's JSON functions reading only
    /// their categories (a JSON list, grouped by its text) and home out of the entry.
    public func residentTally(asOf day: RegisterDay) throws(RegisterError) -> ResidentTally {
        try RegisterError.wrapping("counting the register as of \(day) in \(location)") {
            try database.read { db in
                guard let current = try Self.currentImport(db) else { return ResidentTally() }
                var tally = TallyReading()
                let unchanged = try Row.fetchCursor(db, sql: """
                    SELECT micro_grid, held, count(*) FROM (
                        SELECT h.micro_grid_code AS micro_grid, group_concat(c.category, ',') AS held
                        FROM resident_categories c JOIN residents r ON r.id = c.resident_id JOIN features h ON h.id = r.home_id
                        WHERE c.resident_id NOT IN (SELECT subject_key FROM register_changes
                                                    WHERE import_id = ?1 AND subject_kind = 'resident' AND effective > ?2)
                        GROUP BY c.resident_id)
                    GROUP BY micro_grid, held
                    """, arguments: [current.id, day.description])
                while let row = try unchanged.next() { try tally.add(microGrid: row[0], categories: row[1], count: row[2]) }
                // The home a changed resident had then: where it is today, or, pulled down
                // since, where its own first change after the day says it was (RegisterPlaces).
                let then = try Row.fetchCursor(db, sql: """
                    SELECT micro_grid, held, count(*) FROM (
                        SELECT CASE WHEN h.id IS NOT NULL THEN h.micro_grid_code
                                    ELSE (SELECT CAST(json_extract(hc.before, '$.home.microGrid') AS TEXT) FROM register_changes hc
                                          WHERE hc.import_id = ?1 AND hc.subject_kind = 'home' AND hc.subject_key = p.home AND hc.effective > ?2
                                          ORDER BY hc.sequence LIMIT 1) END AS micro_grid,
                               p.held AS held
                        FROM (SELECT json_extract(c.before, '$.resident.home') AS home,
                                     json_extract(c.before, '$.resident.categories') AS held
                              FROM (SELECT min(sequence) AS first FROM register_changes
                                    WHERE import_id = ?1 AND subject_kind = 'resident' AND effective > ?2 GROUP BY subject_key) f
                              JOIN register_changes c ON c.sequence = f.first
                              WHERE c.before IS NOT NULL) p
                        LEFT JOIN features h ON h.id = p.home AND h.kind = 'home'
                        WHERE p.held <> '[]')
                    GROUP BY micro_grid, held
                    """, arguments: [current.id, day.description])
                while let row = try then.next() {
                    try tally.add(microGrid: row[0], categoryList: row[1], count: row[2], place: "register_changes after \(day)")
                }
                return tally.tally
            }
        }
    }

    /// The latest import's id and the day its register begins.
    private static func currentImport(_ db: Database) throws -> (id: Int64, start: RegisterDay)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT id, imported_at FROM imports ORDER BY id DESC LIMIT 1"),
              let townRow = try Row.fetchOne(db, sql: "SELECT * FROM town") else { return nil }
        let text: String = row["imported_at"]
        guard let importedAt = try? Date(text, strategy: .iso8601) else {
            throw StoreError.corrupt("imports, column imported_at: \"\(text)\" is not an ISO 8601 time")
        }
        return (row["id"], RegisterError.startDay(importedAt: importedAt, town: try StoredRowDecoder().town(townRow)))
    }

    private static func change(_ row: Row) throws -> RegisterChange {
        let sequence: Int = row["sequence"]
        let place = "register_changes \(sequence)"
        guard let action = RegisterAction(rawValue: row["action"]), let effective = RegisterDay(row["effective"] as String),
              let recordedAt = try? Date(row["recorded_at"] as String, strategy: .iso8601) else {
            throw StoreError.corrupt("\(place): its action, effective day or recording time does not read")
        }
        return RegisterChange(
            sequence: sequence, subject: try RegisterRecordText.subject(kind: row["subject_kind"], key: row["subject_key"], place: place),
            action: action, effective: effective, recordedAt: recordedAt, recordedBy: row["recorded_by"], reason: row["reason"],
            before: try RegisterRecordText.decode(row["before"], place: place), after: try RegisterRecordText.decode(row["after"], place: place))
    }

    private static func append(_ change: RegisterChange, importID: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO register_changes (sequence, import_id, subject_kind, subject_key, action, effective, recorded_at,
                                          recorded_by, reason, before, after)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                change.sequence, importID, change.subject.kind.rawValue, change.subject.key, change.action.rawValue,
                change.effective.description, change.recordedAt.ISO8601Format(), change.recordedBy, change.reason,
                try RegisterRecordText.encode(change.before), try RegisterRecordText.encode(change.after),
            ])
    }

    /// Makes the register's tables hold `change.after` for its subject.
    private static func apply(_ change: RegisterChange, _ state: StoredRegisterState, _ db: Database) throws {
        switch (change.subject, change.after) {
        case (.resident(let id), let after):
            try db.execute(sql: "DELETE FROM resident_categories WHERE resident_id = ?", arguments: [id])
            guard case .resident(let resident)? = after else {
                try db.execute(sql: "DELETE FROM residents WHERE id = ?", arguments: [id])
                return
            }
            if change.before == nil {
                try db.execute(sql: "INSERT INTO residents (id, name, home_id, phone, birth_year) VALUES (?, ?, ?, ?, ?)",
                               arguments: [id, resident.name, resident.homeID, resident.phone, resident.birthYear])
            } else {
                try db.execute(sql: "UPDATE residents SET name = ?, home_id = ?, phone = ?, birth_year = ? WHERE id = ?",
                               arguments: [resident.name, resident.homeID, resident.phone, resident.birthYear, id])
            }
            for category in resident.categories {
                try db.cachedStatement(sql: "INSERT INTO resident_categories (resident_id, category) VALUES (?, ?)")
                    .execute(arguments: [id, category.rawValue])
            }
        case (.home(let id), let after):
            guard case .home(let home)? = after else {
                try db.execute(sql: "DELETE FROM features WHERE id = ?", arguments: [id])
                return
            }
            let row = try state.row(of: home.feature)
            let box = row.geometry.envelope
            let values: StatementArguments = [
                home.feature.name, row.geometry.typeName, Data(row.geometry.wkb), box?.minX, box?.minY, box?.maxX, box?.maxY,
                row.propertiesText, home.point?.x, home.point?.y, home.microGrid?.description, id,
            ]
            if change.before == nil {
                try db.execute(sql: """
                    INSERT INTO features (kind, name, geometry_type, wkb, min_x, min_y, max_x, max_y, properties, point_x, point_y,
                                          micro_grid_code, id)
                    VALUES ('home', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: values)
            } else {
                try db.execute(sql: """
                    UPDATE features SET name = ?, geometry_type = ?, wkb = ?, min_x = ?, min_y = ?, max_x = ?, max_y = ?,
                                        properties = ?, point_x = ?, point_y = ?, micro_grid_code = ?
                    WHERE id = ?
                    """, arguments: values)
            }
        case (.teamMember(let grid, let name), let after):
            let existing = try Int64.fetchOne(db, sql: "SELECT id FROM team WHERE grid_code = ? AND name = ? ORDER BY id LIMIT 1",
                                              arguments: [grid.description, name])
            guard case .teamMember(let member)? = after else {
                try db.execute(sql: "DELETE FROM team WHERE id = ?", arguments: [existing])
                return
            }
            if let existing {
                try db.execute(sql: "UPDATE team SET role = ?, unit = ?, phone = ? WHERE id = ?",
                               arguments: [member.role.rawValue, member.unit, member.phone, existing])
            } else {
                try db.execute(sql: "INSERT INTO team (grid_code, role, name, unit, phone) VALUES (?, ?, ?, ?, ?)",
                               arguments: [grid.description, member.role.rawValue, name, member.unit, member.phone])
            }
        }
    }
}

/// The register as the SQLite tables hold it, asked inside a batch's transaction.
final class StoredRegisterState: RegisterState {
    let db: Database
    let importID: Int64
    let start: RegisterDay
    private let decoder = StoredRowDecoder()
    private let featureRows: RegisterFeatureRows

    init(db: Database, importID: Int64, start: RegisterDay) {
        self.db = db
        self.importID = importID
        self.start = start
        let decoder = decoder
        featureRows = RegisterFeatureRows { try Row.fetchAll(db, sql: "SELECT * FROM micro_grids ORDER BY rowid").map(decoder.microGrid) }
    }

    func record(of subject: RegisterSubject) throws -> RegisterRecord? {
        switch subject {
        case .resident(let id):
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(SQLiteTownStore.residentColumns("")) FROM residents WHERE id = ?"),
                                             arguments: [id]) else { return nil }
            let categories = try String.fetchAll(db.cachedStatement(sql: "SELECT category FROM resident_categories WHERE resident_id = ? ORDER BY rowid"),
                                                 arguments: [id])
            return .resident(try decoder.resident(row, categories: categories))
        case .home(let id):
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM features WHERE id = ? AND kind = 'home'"),
                                             arguments: [id]) else { return nil }
            let point: Position? = if let x: Double = row["point_x"], let y: Double = row["point_y"] { Position(x: x, y: y) } else { nil }
            return .home(HomeRecord(feature: try decoder.feature(row),
                                    microGrid: try decoder.optionalCode(row, "micro_grid_code", place: "features \(id)"), point: point))
        case .teamMember(let grid, let name):
            return try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM team WHERE grid_code = ? AND name = ? ORDER BY id LIMIT 1"),
                                    arguments: [grid.description, name]).map { .teamMember(try decoder.teamMember($0)) }
        }
    }

    func lastEffective(of subject: RegisterSubject) throws -> RegisterDay? {
        try day("SELECT effective FROM register_changes WHERE import_id = ? AND subject_kind = ? AND subject_key = ? ORDER BY sequence DESC LIMIT 1",
                subject)
    }

    func addedOn(_ subject: RegisterSubject) throws -> RegisterDay? {
        try day("SELECT effective FROM register_changes WHERE import_id = ? AND subject_kind = ? AND subject_key = ? AND action = 'add' ORDER BY sequence DESC LIMIT 1",
                subject)
    }

    private func day(_ sql: String, _ subject: RegisterSubject) throws -> RegisterDay? {
        try String.fetchOne(db.cachedStatement(sql: sql), arguments: [importID, subject.kind.rawValue, subject.key]).flatMap { RegisterDay($0) }
    }

    func residents(livingIn home: String) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM residents WHERE home_id = ?"), arguments: [home])
    }

    func residents(recordedIn home: String, from day: RegisterDay) throws -> [String] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT sequence, subject_key, before, after FROM register_changes
            WHERE import_id = ? AND subject_kind = 'resident' AND effective >= ? AND (before LIKE ? OR after LIKE ?)
            """), arguments: [importID, day.description, "%" + home + "%", "%" + home + "%"])
        var found: Set<String> = []
        for row in rows {
            let place = "register_changes \(row["sequence"] as Int)"
            for column in ["before", "after"] {
                if case .resident(let resident)? = try RegisterRecordText.decode(row[column], place: place), resident.homeID == home {
                    found.insert(row["subject_key"])
                }
            }
        }
        return found.sorted()
    }

    func hasGrid(_ code: GridCode) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM grids WHERE code = ?)"), arguments: [code.description]) ?? false
    }

    func hasFeature(_ id: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM features WHERE id = ?)"), arguments: [id]) ?? false
    }

    func place(of home: MapFeature) throws -> (microGrid: GridCode?, point: Position?) { try featureRows.place(of: home) }

    /// The feature's row as an import makes it.
    func row(of feature: MapFeature) throws -> ImportPlan.FeatureRow { try featureRows.row(of: feature) }
}

/// The feature rows a register batch makes, as an import makes them (WKB, properties text, point,
/// micro-grid), the micro-grids read once, on first use; shared by both stores' register states.
final class RegisterFeatureRows {
    private let context = GEOSContext()
    private var maker: FeatureRowMaker?
    private let microGrids: () throws -> [MicroGrid]

    init(microGrids: @escaping () throws -> [MicroGrid]) { self.microGrids = microGrids }

    func place(of home: MapFeature) throws -> (microGrid: GridCode?, point: Position?) {
        let row = try row(of: home)
        return (row.microGrid, row.representativePoint.map { Position(x: $0.x, y: $0.y) })
    }

    func row(of feature: MapFeature) throws -> ImportPlan.FeatureRow {
        if maker == nil { maker = FeatureRowMaker(locator: try MicroGridLocator(try microGrids())) }
        guard let maker else { throw StoreError.corrupt("micro-grids") }
        do {
            return try maker.row(feature, try feature.geometry.geosGeometry(in: context))
        } catch let refusal as TownValidator.RowRefusal {
            throw RegisterRefusal(problems: [RegisterProblem(index: 0, subject: .home(feature.id), message: refusal.message)])
        }
    }
}
