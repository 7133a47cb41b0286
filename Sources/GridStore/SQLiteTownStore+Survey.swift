import Foundation
import GRDB
import GridMapCore

/// The survey's records in SQLite (migration "v9"): `survey_campaigns` and `survey_visits`,
/// append-only by trigger and kept across imports (homes are named by id, as events name
/// theirs). A survey's batch — campaigns started, visits — is one IMMEDIATE transaction that records its changes through the
/// register's own path (``recordInTransaction(_:at:_:)``) and then the visit.
extension SQLiteTownStore {
    static let surveySchema = """
        CREATE TABLE survey_campaigns (
            name TEXT PRIMARY KEY NOT NULL,
            grids TEXT NOT NULL,
            start TEXT NOT NULL,
            started_by TEXT NOT NULL,
            started_at TEXT NOT NULL
        );
        CREATE TABLE survey_visits (
            sequence INTEGER PRIMARY KEY,
            campaign TEXT NOT NULL REFERENCES survey_campaigns(name),
            home TEXT NOT NULL,
            grid TEXT NOT NULL,
            visitor TEXT NOT NULL,
            day TEXT NOT NULL,
            finding TEXT NOT NULL,
            note TEXT NOT NULL,
            changes TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX survey_visits_campaign ON survey_visits(campaign, home);
        """ + StoreSchema.appendOnly("survey_campaigns", "survey campaigns") + StoreSchema.appendOnly("survey_visits", "survey visits")

    public func surveyCampaigns() throws(SurveyError) -> [SurveyCampaign] {
        try SurveyError.wrapping("reading the survey campaigns of \(location)") {
            try database.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM survey_campaigns ORDER BY rowid").map { row in
                    let name: String = row["name"]
                    let place = "survey_campaigns '\(name)'"
                    guard let start = RegisterDay(row["start"] as String),
                          let startedAt = try? Date(row["started_at"] as String, strategy: .iso8601) else {
                        throw StoreError.corrupt("\(place): its start day or time does not read")
                    }
                    return SurveyCampaign(name: name, grids: try Self.codes(row["grids"], place: place), start: start,
                                          startedBy: row["started_by"], startedAt: startedAt)
                }
            }
        }
    }

    public func recordSurvey(starting started: [SurveyCampaign], visits batch: [(visit: SurveyVisit, changes: [RegisterChangeRequest])])
        throws(SurveyError) -> [(visit: SurveyVisit, changes: [RegisterChange])] {
        try checkWritable()
        return try SurveyError.wrapping("recording a survey in \(location)") {
            try database.writeWithoutTransaction { db in
                var kept: [(visit: SurveyVisit, changes: [RegisterChange])] = []
                try db.inTransaction(.immediate) {
                    var campaigns = Set(try String.fetchAll(db, sql: "SELECT name FROM survey_campaigns"))
                    for campaign in started {
                        guard campaigns.insert(campaign.name).inserted else { throw SurveyError.duplicateCampaign(campaign.name) }
                        try db.execute(sql: "INSERT INTO survey_campaigns (name, grids, start, started_by, started_at) VALUES (?, ?, ?, ?, ?)",
                                       arguments: [campaign.name, campaign.grids.map(\.description).joined(separator: " "),
                                                   campaign.start.description, campaign.startedBy, campaign.startedAt.ISO8601Format()])
                    }
                    var sequence = try Int.fetchOne(db, sql: "SELECT max(sequence) FROM survey_visits") ?? 0
                    for (visit, requests) in batch {
                        guard campaigns.contains(visit.campaign) else { throw SurveyError.unknownCampaign(visit.campaign) }
                        let changes = requests.isEmpty ? [] : try Self.recordInTransaction(requests, at: visit.recordedAt, db)
                        sequence += 1
                        var visit = visit
                        visit.changes = changes.map(\.sequence)
                        visit.sequence = sequence
                        try db.cachedStatement(sql: """
                            INSERT INTO survey_visits (sequence, campaign, home, grid, visitor, day, finding, note, changes, recorded_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """).execute(arguments: [visit.sequence, visit.campaign, visit.home, visit.grid.description, visit.visitor,
                                                     visit.day.description, visit.finding.rawValue, visit.note,
                                                     visit.changes.map(String.init).joined(separator: " "), visit.recordedAt.ISO8601Format()])
                        kept.append((visit, changes))
                    }
                    return .commit
                }
                return kept
            }
        }
    }

    public func surveyVisits(campaign name: String) throws(SurveyError) -> [SurveyVisit] {
        try SurveyError.wrapping("reading the survey visits of \(location)") {
            try database.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM survey_visits WHERE campaign = ? ORDER BY sequence", arguments: [name]).map { row in
                    let sequence: Int = row["sequence"]
                    let place = "survey_visits \(sequence)"
                    guard let grid = GridCode(row["grid"] as String), let day = RegisterDay(row["day"] as String),
                          let finding = SurveyFinding(rawValue: row["finding"]),
                          let recordedAt = try? Date(row["recorded_at"] as String, strategy: .iso8601) else {
                        throw StoreError.corrupt("\(place): its grid, day, finding or recording time does not read")
                    }
                    let changes = try (row["changes"] as String).split(separator: " ").map { text in
                        guard let number = Int(text) else { throw StoreError.corrupt("\(place): '\(text)' is not a change's number") }
                        return number
                    }
                    return SurveyVisit(sequence: sequence, campaign: row["campaign"], home: row["home"], grid: grid, visitor: row["visitor"],
                                       day: day, finding: finding, note: row["note"], changes: changes, recordedAt: recordedAt)
                }
            }
        }
    }

    private func checkWritable() throws(SurveyError) {
        if access == .readOnly { throw .store(.importRefused("the store \(location) is open read-only")) }
    }

    private static func codes(_ text: String, place: String) throws -> [GridCode] {
        try text.split(separator: " ").map { part in
            guard let code = GridCode(String(part)) else { throw StoreError.corrupt("\(place): '\(part)' is not a grid code") }
            return code
        }
    }
}
