import Foundation
import GeoJSON
import GridMapCore
import Postgres

/// The register's history and the survey in PostgreSQL (schema version 4): the SQLite store's
/// tables and values (``SQLiteTownStore/registerSchema``, ``SQLiteTownStore/surveySchema``),
/// append-only by triggers. A batch of changes (or of visits) is one transaction under the
/// import lock (``PostgresSchema/importLock``), so that it never meets an import half-way and two
/// batches take turns; it checks every change by ``RegisterRules`` against the tables as they
/// are, appends the entries and applies them to `residents`, `features` and `team` (new rows
/// ordered after the last, as the SQLite store's rowids are).
extension PostgresTownStore {
    static let registerSchema = """
        CREATE TABLE register_changes (
            sequence int8 PRIMARY KEY,
            import_id int8 NOT NULL REFERENCES imports(id),
            subject_kind text NOT NULL,
            subject_key text NOT NULL,
            action text NOT NULL,
            effective text NOT NULL,
            recorded_at text NOT NULL,
            recorded_by text NOT NULL,
            reason text NOT NULL,
            before text,
            after text
        );
        CREATE INDEX register_changes_subject ON register_changes(import_id, subject_kind, subject_key);
        CREATE INDEX register_changes_effective ON register_changes(import_id, effective);
        CREATE TABLE survey_campaigns (
            ord int8 GENERATED ALWAYS AS IDENTITY UNIQUE,
            name text PRIMARY KEY,
            grids text NOT NULL,
            start text NOT NULL,
            started_by text NOT NULL,
            started_at text NOT NULL
        );
        CREATE TABLE survey_visits (
            sequence int8 PRIMARY KEY,
            campaign text NOT NULL REFERENCES survey_campaigns(name),
            home text NOT NULL,
            grid text NOT NULL,
            visitor text NOT NULL,
            day text NOT NULL,
            finding text NOT NULL,
            note text NOT NULL,
            changes text NOT NULL,
            recorded_at text NOT NULL
        );
        CREATE INDEX survey_visits_campaign ON survey_visits(campaign, home);
        \(PostgresEventSchema.appendOnly("register_changes", change: "register changes are append-only", go: "register changes are append-only"))
        \(PostgresEventSchema.appendOnly("survey_campaigns", change: "survey campaigns are append-only", go: "survey campaigns are append-only"))
        \(PostgresEventSchema.appendOnly("survey_visits", change: "survey visits are append-only", go: "survey visits are append-only"))
        """

    // MARK: RegisterLog

    public func registerStart() throws(RegisterError) -> RegisterDay? {
        try RegisterError.wrapping("reading the register's start from \(location)") {
            try readRegister { db in try Self.currentImport(db)?.start }
        }
    }

    public func recordChanges(_ requests: [RegisterChangeRequest], at time: Date) throws(RegisterError) -> [RegisterChange] {
        if access == .readOnly { throw .store(.importRefused("the store \(location) is open read-only")) }
        return try RegisterError.wrapping("recording register changes in \(location)") {
            try writeRegister { db in try Self.record(requests, at: time, db) }
        }
    }

    public func registerChanges(_ filter: RegisterFilter) throws(RegisterError) -> [RegisterChange] {
        try RegisterError.wrapping("reading the register's history from \(location)") {
            try readRegister { db in
                guard let current = try Self.currentImport(db) else { return [] }
                var sql = "SELECT \(Self.changeColumns) FROM register_changes WHERE import_id = $1"
                var parameters: [(any PostgresParameter)?] = [current.id]
                func add(_ condition: String, _ value: String) {
                    parameters.append(value)
                    sql += " AND \(condition) $\(parameters.count)"
                }
                if let subject = filter.subject {
                    add("subject_kind =", subject.kind.rawValue)
                    add("subject_key =", subject.key)
                }
                if let from = filter.from { add("effective >=", from.description) }
                if let through = filter.through { add("effective <=", through.description) }
                return try db.query(sql + " ORDER BY sequence", parameters).rows.map(Self.change).filter(filter.selects)
            }
        }
    }

    /// One query over the changes effective after `day`: the first of each subject, its `before`.
    public func registerPast(asOf day: RegisterDay) throws(RegisterError) -> RegisterPast {
        try RegisterError.wrapping("reading the register as of \(day) from \(location)") {
            try readRegister { db in
                guard let current = try Self.currentImport(db) else { return RegisterPast(day: day, values: []) }
                let rows = try db.query("""
                    SELECT c.sequence, c.subject_kind, c.subject_key, c.before FROM register_changes c
                    JOIN (SELECT min(sequence) AS first FROM register_changes
                          WHERE import_id = $1 AND effective > $2 GROUP BY subject_kind, subject_key) f ON c.sequence = f.first
                    ORDER BY c.sequence
                    """, [current.id, day.description])
                let values = try rows.rows.map { row in
                    let place = "register_changes \(try row.required(0, row.integer))"
                    return (try RegisterRecordText.subject(kind: try row.required(1, row.string), key: try row.required(2, row.string), place: place),
                            try RegisterRecordText.decode(try row.string(3), place: place))
                }
                return RegisterPast(day: day, values: values)
            }
        }
    }

    /// Both parts in one snapshot (``TownStore/residentTally(asOf:)``), read where the town's
    /// reads go (a standby when there is one): today's residents no change after the day
    /// touched, counted as ``residentTally()`` counts them, then the others as the first change
    /// after the day found them, their categories (a JSON list, grouped by its value) and home read
    /// out of the entry as JSON.
    public func residentTally(asOf day: RegisterDay) throws(RegisterError) -> ResidentTally {
        do {
            return try read("counting the register as of \(day)") { db in
                guard let current = try Self.currentImport(db) else { return ResidentTally() }
                let arguments: [(any PostgresParameter)?] = [current.id, day.description]
                var tally = TallyReading()
                for row in try db.query("""
                    SELECT micro_grid, held, count(*) FROM (
                        SELECT h.micro_grid_code AS micro_grid, string_agg(c.category, ',' ORDER BY c.category) AS held
                        FROM resident_categories c JOIN residents r ON r.id = c.resident_id JOIN features h ON h.id = r.home_id
                        WHERE NOT EXISTS (SELECT 1 FROM register_changes rc WHERE rc.import_id = $1 AND rc.subject_kind = 'resident'
                                          AND rc.subject_key = c.resident_id AND rc.effective > $2)
                        GROUP BY c.resident_id, h.micro_grid_code) per_resident
                    GROUP BY micro_grid, held
                    """, arguments).rows {
                    try tally.add(microGrid: try row.string(0), categories: try row.required(1, row.string), count: try row.required(2, row.integer))
                }
                // The home a changed resident had then: where it is today, or, pulled down
                // since, where its own first change after the day says it was (RegisterPlaces).
                for row in try db.query("""
                    SELECT micro_grid, held::text, count(*) FROM (
                        SELECT CASE WHEN h.id IS NOT NULL THEN h.micro_grid_code
                                    ELSE (SELECT hc.before::jsonb -> 'home' ->> 'microGrid' FROM register_changes hc
                                          WHERE hc.import_id = $1 AND hc.subject_kind = 'home' AND hc.subject_key = p.home AND hc.effective > $2
                                          ORDER BY hc.sequence LIMIT 1) END AS micro_grid,
                               p.held AS held
                        FROM (SELECT c.before::jsonb -> 'resident' ->> 'home' AS home,
                                     c.before::jsonb -> 'resident' -> 'categories' AS held
                              FROM (SELECT min(sequence) AS first FROM register_changes
                                    WHERE import_id = $1 AND subject_kind = 'resident' AND effective > $2 GROUP BY subject_key) f
                              JOIN register_changes c ON c.sequence = f.first
                              WHERE c.before IS NOT NULL) p
                        LEFT JOIN features h ON h.id = p.home AND h.kind = 'home'
                        WHERE p.held <> '[]'::jsonb) then_counted
                    GROUP BY micro_grid, held
                    """, arguments).rows {
                    try tally.add(microGrid: try row.string(0), categoryList: try row.required(1, row.string), count: try row.required(2, row.integer),
                                  place: "register_changes after \(day)")
                }
                return tally.tally
            }
        } catch {
            throw .store(error)
        }
    }

    // MARK: SurveyLog

    public func surveyCampaigns() throws(SurveyError) -> [SurveyCampaign] {
        try SurveyError.wrapping("reading the survey campaigns of \(location)") {
            try readRegister { db in
                try db.query("SELECT name, grids, start, started_by, started_at FROM survey_campaigns ORDER BY ord").rows.map { row in
                    let name = try row.required(0, row.string)
                    let place = "survey_campaigns '\(name)'"
                    guard let start = RegisterDay(try row.required(2, row.string)),
                          let startedAt = try? Date(try row.required(4, row.string), strategy: .iso8601) else {
                        throw StoreError.corrupt("\(place): its start day or time does not read")
                    }
                    let grids = try row.required(1, row.string).split(separator: " ").map { part in
                        guard let code = GridCode(String(part)) else { throw StoreError.corrupt("\(place): '\(part)' is not a grid code") }
                        return code
                    }
                    return SurveyCampaign(name: name, grids: grids, start: start, startedBy: try row.required(3, row.string), startedAt: startedAt)
                }
            }
        }
    }

    public func recordSurvey(starting started: [SurveyCampaign], visits batch: [(visit: SurveyVisit, changes: [RegisterChangeRequest])])
        throws(SurveyError) -> [(visit: SurveyVisit, changes: [RegisterChange])] {
        try checkSurveyWritable()
        return try SurveyError.wrapping("recording a survey in \(location)") {
            try writeRegister { db in
                var campaigns = Set(try db.query("SELECT name FROM survey_campaigns").rows.map { try $0.required(0, $0.string) })
                for campaign in started {
                    guard campaigns.insert(campaign.name).inserted else { throw SurveyError.duplicateCampaign(campaign.name) }
                    try db.query("INSERT INTO survey_campaigns (name, grids, start, started_by, started_at) VALUES ($1, $2, $3, $4, $5)",
                                 [campaign.name, campaign.grids.map(\.description).joined(separator: " "), campaign.start.description,
                                  campaign.startedBy, campaign.startedAt.ISO8601Format()])
                }
                let last = try db.query("SELECT coalesce(max(sequence), 0) FROM survey_visits")[0]
                var sequence = try last.required(0, last.integer)
                var kept: [(visit: SurveyVisit, changes: [RegisterChange])] = []
                for (visit, requests) in batch {
                    guard campaigns.contains(visit.campaign) else { throw SurveyError.unknownCampaign(visit.campaign) }
                    let changes = requests.isEmpty ? [] : try Self.record(requests, at: visit.recordedAt, db)
                    sequence += 1
                    var visit = visit
                    visit.changes = changes.map(\.sequence)
                    visit.sequence = sequence
                    try db.query("""
                        INSERT INTO survey_visits (sequence, campaign, home, grid, visitor, day, finding, note, changes, recorded_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                        """, [visit.sequence, visit.campaign, visit.home, visit.grid.description, visit.visitor, visit.day.description,
                              visit.finding.rawValue, visit.note, visit.changes.map(String.init).joined(separator: " "),
                              visit.recordedAt.ISO8601Format()])
                    kept.append((visit, changes))
                }
                return kept
            }
        }
    }

    public func surveyVisits(campaign name: String) throws(SurveyError) -> [SurveyVisit] {
        try SurveyError.wrapping("reading the survey visits of \(location)") {
            try readRegister { db in
                try db.query("""
                    SELECT sequence, campaign, home, grid, visitor, day, finding, note, changes, recorded_at FROM survey_visits
                    WHERE campaign = $1 ORDER BY sequence
                    """, [name]).rows.map { row in
                    let sequence = try row.required(0, row.integer)
                    let place = "survey_visits \(sequence)"
                    guard let grid = GridCode(try row.required(3, row.string)), let day = RegisterDay(try row.required(5, row.string)),
                          let finding = SurveyFinding(rawValue: try row.required(6, row.string)),
                          let recordedAt = try? Date(try row.required(9, row.string), strategy: .iso8601) else {
                        throw StoreError.corrupt("\(place): its grid, day, finding or recording time does not read")
                    }
                    let changes = try row.required(8, row.string).split(separator: " ").map { text in
                        guard let number = Int(text) else { throw StoreError.corrupt("\(place): '\(text)' is not a change's number") }
                        return number
                    }
                    return SurveyVisit(sequence: sequence, campaign: try row.required(1, row.string), home: try row.required(2, row.string),
                                       grid: grid, visitor: try row.required(4, row.string), day: day, finding: finding,
                                       note: try row.required(7, row.string), changes: changes, recordedAt: recordedAt)
                }
            }
        }
    }

    private func checkSurveyWritable() throws(SurveyError) {
        if access == .readOnly { throw .store(.importRefused("the store \(location) is open read-only")) }
    }

    // MARK: - Transactions and rows

    private func readRegister<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try pool.withConnection { db in try db.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { try body(db) } }
    }

    /// One transaction under the import lock: batches take turns, and never meet an import.
    private func writeRegister<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try pool.withConnection { db in
            try db.transaction {
                try db.query(PostgresSchema.lock("pg_advisory_xact_lock", PostgresSchema.importLock))
                return try body(db)
            }
        }
    }

    /// Checks, appends and applies `requests` inside the caller's transaction.
    private static func record(_ requests: [RegisterChangeRequest], at time: Date, _ db: PostgresConnection) throws -> [RegisterChange] {
        guard let current = try currentImport(db) else { throw RegisterError.noTown }
        let last = try db.query("SELECT coalesce(max(sequence), 0) FROM register_changes")[0]
        let state = PostgresRegisterState(db: db, importID: current.id, start: current.start)
        let changes = try RegisterRules.plan(requests, recordedAt: time, firstSequence: try last.required(0, last.integer) + 1, state: state)
        for change in changes {
            try db.query("""
                INSERT INTO register_changes (\(changeColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                """, [change.sequence, current.id, change.subject.kind.rawValue, change.subject.key, change.action.rawValue,
                      change.effective.description, change.recordedAt.ISO8601Format(), change.recordedBy, change.reason,
                      try RegisterRecordText.encode(change.before), try RegisterRecordText.encode(change.after)])
            try apply(change, state, db)
        }
        return changes
    }

    private static let changeColumns = "sequence, import_id, subject_kind, subject_key, action, effective, recorded_at, recorded_by, reason, before, after"

    private static func change(_ row: PostgresRow) throws -> RegisterChange {
        let sequence = try row.required(0, row.integer)
        let place = "register_changes \(sequence)"
        guard let action = RegisterAction(rawValue: try row.required(4, row.string)), let effective = RegisterDay(try row.required(5, row.string)),
              let recordedAt = try? Date(try row.required(6, row.string), strategy: .iso8601) else {
            throw StoreError.corrupt("\(place): its action, effective day or recording time does not read")
        }
        return RegisterChange(
            sequence: sequence, subject: try RegisterRecordText.subject(kind: try row.required(2, row.string), key: try row.required(3, row.string), place: place),
            action: action, effective: effective, recordedAt: recordedAt, recordedBy: try row.required(7, row.string),
            reason: try row.required(8, row.string),
            before: try RegisterRecordText.decode(try row.string(9), place: place), after: try RegisterRecordText.decode(try row.string(10), place: place))
    }

    /// The latest import's id and the day its register begins.
    private static func currentImport(_ db: PostgresConnection) throws -> (id: Int64, start: RegisterDay)? {
        let rows = try db.query("SELECT id, imported_at FROM imports ORDER BY id DESC LIMIT 1")
        guard rows.count == 1, let town = try town(db, StoredRowDecoder()) else { return nil }
        let text = try rows[0].required(1, rows[0].string)
        guard let importedAt = try? Date(text, strategy: .iso8601) else {
            throw StoreError.corrupt("imports, column imported_at: \"\(text)\" is not an ISO 8601 time")
        }
        return (Int64(try rows[0].required(0, rows[0].integer)), RegisterError.startDay(importedAt: importedAt, town: town))
    }

    /// Makes the register's tables hold `change.after` for its subject.
    private static func apply(_ change: RegisterChange, _ state: PostgresRegisterState, _ db: PostgresConnection) throws {
        switch (change.subject, change.after) {
        case (.resident(let id), let after):
            try db.query("DELETE FROM resident_categories WHERE resident_id = $1", [id])
            guard case .resident(let resident)? = after else {
                try db.query("DELETE FROM residents WHERE id = $1", [id])
                return
            }
            if change.before == nil {
                try db.query("""
                    INSERT INTO residents (ord, id, name, home_id, phone, birth_year)
                    VALUES ((SELECT coalesce(max(ord), 0) + 1 FROM residents), $1, $2, $3, $4, $5)
                    """, [id, resident.name, resident.homeID, resident.phone, resident.birthYear])
            } else {
                try db.query("UPDATE residents SET name = $1, home_id = $2, phone = $3, birth_year = $4 WHERE id = $5",
                             [resident.name, resident.homeID, resident.phone, resident.birthYear, id])
            }
            for category in resident.categories {
                try db.query("""
                    INSERT INTO resident_categories (ord, resident_id, category)
                    VALUES ((SELECT coalesce(max(ord), 0) + 1 FROM resident_categories), $1, $2)
                    """, [id, category.rawValue])
            }
        case (.home(let id), let after):
            guard case .home(let home)? = after else {
                try db.query("DELETE FROM features WHERE id = $1", [id])
                return
            }
            let row = try state.featureRows.row(of: home.feature)
            let values: [(any PostgresParameter)?] = [home.feature.name, row.geometry.typeName, row.geometry.wkb, row.propertiesText,
                                                     home.point?.x, home.point?.y, home.microGrid?.description, id]
            if change.before == nil {
                try db.query("""
                    INSERT INTO features (ord, kind, name, geometry_type, wkb, properties, point_x, point_y, micro_grid_code, id)
                    VALUES ((SELECT coalesce(max(ord), 0) + 1 FROM features), 'home', $1, $2, $3, $4, $5, $6, $7, $8)
                    """, values)
            } else {
                try db.query("""
                    UPDATE features SET name = $1, geometry_type = $2, wkb = $3, properties = $4, point_x = $5, point_y = $6,
                                        micro_grid_code = $7
                    WHERE id = $8
                    """, values)
            }
        case (.teamMember(let grid, let name), let after):
            let found = try db.query("SELECT id FROM team WHERE grid_code = $1 AND name = $2 ORDER BY id LIMIT 1", [grid.description, name])
            let existing = found.count == 1 ? try found[0].integer(0) : nil
            guard case .teamMember(let member)? = after else {
                if let existing { try db.query("DELETE FROM team WHERE id = $1", [existing]) }
                return
            }
            if let existing {
                try db.query("UPDATE team SET role = $1, unit = $2, phone = $3 WHERE id = $4",
                             [member.role.rawValue, member.unit, member.phone, existing])
            } else {
                try db.query("""
                    INSERT INTO team (id, grid_code, role, name, unit, phone)
                    VALUES ((SELECT coalesce(max(id), 0) + 1 FROM team), $1, $2, $3, $4, $5)
                    """, [grid.description, member.role.rawValue, name, member.unit, member.phone])
            }
        }
    }
}

/// The register as the PostgreSQL tables hold it, asked inside a batch's transaction
/// (``StoredRegisterState``'s twin).
final class PostgresRegisterState: RegisterState {
    let db: PostgresConnection
    let importID: Int64
    let start: RegisterDay
    private let decoder = StoredRowDecoder()
    let featureRows: RegisterFeatureRows

    init(db: PostgresConnection, importID: Int64, start: RegisterDay) {
        self.db = db
        self.importID = importID
        self.start = start
        let decoder = decoder
        featureRows = RegisterFeatureRows {
            try db.query("SELECT code, name, wkb FROM micro_grids ORDER BY ord").rows.map { row in
                try decoder.microGrid(code: try row.required(0, row.string), name: try row.required(1, row.string), wkb: try row.required(2, row.bytes))
            }
        }
    }

    func record(of subject: RegisterSubject) throws -> RegisterRecord? {
        switch subject {
        case .resident(let id):
            let rows = try db.query("SELECT \(PostgresTownStore.residentColumns("")) FROM residents WHERE id = $1", [id])
            guard rows.count == 1 else { return nil }
            let categories = try db.query("SELECT category FROM resident_categories WHERE resident_id = $1 ORDER BY ord", [id])
                .rows.map { try $0.required(0, $0.string) }
            return .resident(try PostgresTownStore.resident(rows[0], [id: categories], decoder))
        case .home(let id):
            let rows = try db.query("SELECT \(PostgresTownStore.featureColumns), point_x, point_y, micro_grid_code FROM features WHERE id = $1 AND kind = 'home'", [id])
            guard rows.count == 1 else { return nil }
            let row = rows[0]
            let point: Position? = if let x = try row.double(6), let y = try row.double(7) { Position(x: x, y: y) } else { nil }
            let microGrid = try row.string(8).map { text throws(StoreError) in try decoder.code(text, "micro_grid_code", place: "features \(id)") }
            return .home(HomeRecord(feature: try PostgresTownStore.feature(row, decoder), microGrid: microGrid, point: point))
        case .teamMember(let grid, let name):
            let rows = try db.query("SELECT id, grid_code, role, name, unit, phone FROM team WHERE grid_code = $1 AND name = $2 ORDER BY id LIMIT 1",
                                    [grid.description, name])
            guard rows.count == 1 else { return nil }
            let row = rows[0]
            return .teamMember(try decoder.teamMember(id: Int64(try row.required(0, row.integer)), gridCode: try row.required(1, row.string),
                                                      role: try row.required(2, row.string), name: try row.required(3, row.string),
                                                      unit: try row.string(4), phone: try row.string(5)))
        }
    }

    func lastEffective(of subject: RegisterSubject) throws -> RegisterDay? {
        try day("SELECT effective FROM register_changes WHERE import_id = $1 AND subject_kind = $2 AND subject_key = $3 ORDER BY sequence DESC LIMIT 1",
                subject)
    }

    func addedOn(_ subject: RegisterSubject) throws -> RegisterDay? {
        try day("SELECT effective FROM register_changes WHERE import_id = $1 AND subject_kind = $2 AND subject_key = $3 AND action = 'add' ORDER BY sequence DESC LIMIT 1",
                subject)
    }

    private func day(_ sql: String, _ subject: RegisterSubject) throws -> RegisterDay? {
        let rows = try db.query(sql, [importID, subject.kind.rawValue, subject.key])
        return rows.count == 1 ? try rows[0].string(0).flatMap { RegisterDay($0) } : nil
    }

    func residents(livingIn home: String) throws -> [String] {
        try db.query("SELECT id FROM residents WHERE home_id = $1 ORDER BY ord", [home]).rows.map { try $0.required(0, $0.string) }
    }

    func residents(recordedIn home: String, from day: RegisterDay) throws -> [String] {
        let rows = try db.query("""
            SELECT sequence, subject_key, before, after FROM register_changes
            WHERE import_id = $1 AND subject_kind = 'resident' AND effective >= $2 AND (strpos(before, $3) > 0 OR strpos(after, $3) > 0)
            """, [importID, day.description, home])
        var found: Set<String> = []
        for row in rows.rows {
            let place = "register_changes \(try row.required(0, row.integer))"
            for column in [2, 3] {
                if case .resident(let resident)? = try RegisterRecordText.decode(try row.string(column), place: place), resident.homeID == home {
                    found.insert(try row.required(1, row.string))
                }
            }
        }
        return found.sorted()
    }

    func hasGrid(_ code: GridCode) throws -> Bool {
        try db.query("SELECT EXISTS (SELECT 1 FROM grids WHERE code = $1)", [code.description])[0].boolean(0) ?? false
    }

    func hasFeature(_ id: String) throws -> Bool {
        try db.query("SELECT EXISTS (SELECT 1 FROM features WHERE id = $1)", [id])[0].boolean(0) ?? false
    }

    func place(of home: MapFeature) throws -> (microGrid: GridCode?, point: Position?) { try featureRows.place(of: home) }
}
