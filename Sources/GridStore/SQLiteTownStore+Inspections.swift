import Foundation
import GRDB
import GeoJSON
import GridMapCore

/// Inspections and activities in SQLite, append-only like the events (``StoredEvent/schema``).
extension SQLiteTownStore {
    /// One operation of a batch, inside the batch's transaction.
    static func perform(_ operation: EventLogOperation, ids: BatchIDs, catalogue: EventCatalogue, _ batch: EventBatch) throws -> BatchStep {
        let db = batch.db
        switch operation {
        case .raise(let entry):
            return .event(try raise(entry, catalogue: catalogue, batch).id)
        case .record(let reference, let entry):
            let id = try ids.id(reference)
            try record(entry, on: id, catalogue: catalogue, batch)
            return .event(id)
        case .planInspection(let inspection):
            var planned = inspection
            let number = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM inspections") ?? 0) + 1
            planned.id = RecordID.inspection.text(number)
            try refusing { () throws(EventFlowError) in try planned.check(catalogue: catalogue) }
            try db.execute(sql: "INSERT INTO inspections (id, title, date, organiser, sites, items) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [number, planned.title, planned.date.timeIntervalSince1970, try StoredRecord.json(StoredRecord.Actor(planned.organiser)),
                                       try StoredRecord.json(planned.sites.map(StoredRecord.Site.init)), try StoredRecord.json(planned.items.map(StoredRecord.Item.init))])
            return .made(.inspection(planned))
        case .finding(let reference, let site, let item, let raise, let whistle):
            let id = try ids.id(reference)
            guard let number = RecordID.inspection.number(id),
                  let row = try Row.fetchOne(db, sql: "SELECT * FROM inspections WHERE id = ?", arguments: [number]) else {
                throw EventLogError.unknownInspection(id)
            }
            try Self.inspection(row).checkFinding(site: site, item: item)
            let raised = try Self.raise(raise, catalogue: catalogue, batch).id
            try Self.record(whistle, on: raised, catalogue: catalogue, batch)
            try db.execute(sql: "INSERT INTO inspection_findings (inspection_id, site, item, event_id) VALUES (?, ?, ?, ?)",
                           arguments: [number, site, item, RecordID.event.number(raised)])
            return .finding(InspectionFinding(inspection: id, site: site, item: item, event: raised))
        case .activity(let activity):
            var recorded = activity
            let number = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM activities") ?? 0) + 1
            recorded.id = RecordID.activity.text(number)
            try recorded.check()
            try db.execute(sql: """
                INSERT INTO activities (id, kind, title, service, at, lon, lat, micro_grid_code, grid_code, village_code, organiser, attendance)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [number, recorded.kind.rawValue, recorded.title, recorded.service, recorded.date.timeIntervalSince1970,
                                 recorded.location.x, recorded.location.y, recorded.microGrid.description, recorded.grid.description,
                                 recorded.villageCode, recorded.organiser, recorded.attendance])
            return .made(.activity(recorded))
        }
    }

    public func inspections() throws(EventLogError) -> [Inspection] {
        try readEvents("reading inspections") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM inspections ORDER BY id").map(Self.inspection)
        }
    }

    public func findings(of inspection: String?) throws(EventLogError) -> [InspectionFinding] {
        try readEvents("reading inspection findings") { db in
            var sql = "SELECT * FROM inspection_findings", arguments: StatementArguments = []
            if let inspection {
                sql += " WHERE inspection_id = ?"
                arguments += [RecordID.inspection.number(inspection) ?? -1]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY event_id", arguments: arguments).map { row in
                InspectionFinding(inspection: RecordID.inspection.text(row["inspection_id"]), site: row["site"], item: row["item"],
                                  event: RecordID.event.text(row["event_id"]))
            }
        }
    }

    public func activities(_ filter: EventFilter) throws(EventLogError) -> [Activity] {
        try readEvents("reading activities") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM activities ORDER BY id").compactMap { row -> Activity? in
                let activity = try Self.activity(row)
                return filter.selects(grid: activity.grid, at: activity.date) ? activity : nil
            }
        }
    }

    private static func inspection(_ row: Row) throws -> Inspection {
        Inspection(id: RecordID.inspection.text(row["id"]), title: row["title"], date: Date(timeIntervalSince1970: row["date"]),
                   organiser: try StoredRecord.decode(StoredRecord.Actor.self, row["organiser"]).actor(),
                   sites: try StoredRecord.decode([StoredRecord.Site].self, row["sites"]).map(\.site),
                   items: try StoredRecord.decode([StoredRecord.Item].self, row["items"]).map(\.item))
    }

    private static func activity(_ row: Row) throws -> Activity {
        let kindText: String = row["kind"], microText: String = row["micro_grid_code"]
        guard let kind = Activity.Kind(rawValue: kindText), let microGrid = GridCode(microText) else {
            throw StoreError.corrupt("activities, row \(row["id"] ?? 0): kind \"\(kindText)\" or micro-grid \"\(microText)\"")
        }
        return Activity(id: RecordID.activity.text(row["id"]), kind: kind, title: row["title"], service: row["service"],
                        date: Date(timeIntervalSince1970: row["at"]), location: Position(x: row["lon"], y: row["lat"]), microGrid: microGrid,
                        villageCode: row["village_code"], organiser: row["organiser"], attendance: row["attendance"])
    }
}

/// The small JSON values of inspections.
enum StoredRecord {
    struct Actor: Codable {
        var kind: String, grid: String?, role: String?, code: String?, name: String?

        init(_ actor: EventActor) {
            switch actor {
            case .teamMember(let grid, let role, let name): (kind, self.grid, self.role, code, self.name) = ("team", grid.description, role.rawValue, nil, name)
            case .department(let code, let person): (kind, grid, role, self.code, name) = ("department", nil, nil, code, person)
            case .office(let person): (kind, grid, role, code, name) = ("office", nil, nil, nil, person)
            case .system: (kind, grid, role, code, name) = ("system", nil, nil, nil, nil)
            }
        }

        func actor() throws -> EventActor {
            switch kind {
            case "team":
                guard let grid = grid.flatMap(GridCode.init), let role = role.flatMap(TeamRole.init(rawValue:)) else {
                    throw StoreError.corrupt("inspections: an organiser without grid or role")
                }
                return .teamMember(grid: grid, role: role, name: name ?? "")
            case "department": return .department(code: code ?? "", person: name ?? "")
            case "office": return .office(person: name ?? "")
            default: return .system
            }
        }
    }

    struct Site: Codable {
        var id: String, name: String, lon: Double, lat: Double
        init(_ site: InspectionSite) { (id, name, lon, lat) = (site.featureID, site.name, site.location.x, site.location.y) }
        var site: InspectionSite { InspectionSite(featureID: id, name: name, location: Position(x: lon, y: lat)) }
    }

    struct Item: Codable {
        var name: String, department: String
        init(_ item: InspectionItem) { (name, department) = (item.name, item.department) }
        var item: InspectionItem { InspectionItem(name: name, department: department) }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
