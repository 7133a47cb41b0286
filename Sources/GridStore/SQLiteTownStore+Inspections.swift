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
            var row = try RowInserter("INSERT INTO inspections (\(StoredRecord.inspectionColumns)) VALUES (?, ?, ?, ?, ?, ?)", in: db)
            try StoredRecord.bind(planned, number: number, to: &row)
            try row.insert()
            return .made(.inspection(planned))
        case .finding(let reference, let site, let item, let raise, let whistle):
            let id = try ids.id(reference)
            guard let number = RecordID.inspection.number(id),
                  let row = try Row.fetchOne(db, sql: "SELECT \(StoredRecord.inspectionColumns) FROM inspections WHERE id = ?", arguments: [number]) else {
                throw EventLogError.unknownInspection(id)
            }
            try StoredRecord.inspection(row).checkFinding(site: site, item: item)
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
            var row = try RowInserter("INSERT INTO activities (\(StoredRecord.activityColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", in: db)
            StoredRecord.bind(recorded, number: number, to: &row)
            try row.insert()
            return .made(.activity(recorded))
        }
    }

    public func inspections() throws(EventLogError) -> [Inspection] {
        try readEvents("reading inspections") { db in
            try Row.fetchAll(db, sql: "SELECT \(StoredRecord.inspectionColumns) FROM inspections ORDER BY id").map(StoredRecord.inspection)
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
            try Row.fetchAll(db, sql: "SELECT \(StoredRecord.activityColumns) FROM activities ORDER BY id").compactMap { row -> Activity? in
                let activity = try StoredRecord.activity(row)
                return filter.selects(grid: activity.grid, at: activity.date) ? activity : nil
            }
        }
    }
}

/// Inspections and activities as rows, and the small JSON values of inspections, whichever
/// database they are in: rows are read by position, in the order of the column lists.
enum StoredRecord {
    static let inspectionColumns = "id, title, date, organiser, sites, items"
    static let activityColumns = "id, kind, title, service, at, lon, lat, micro_grid_code, grid_code, village_code, organiser, attendance"

    static func bind<Sink: StoredRowSink>(_ inspection: Inspection, number: Int64, to row: inout Sink) throws {
        row.bind(Int(number))
        row.bind(inspection.title)
        row.bind(inspection.date.timeIntervalSince1970)
        row.bind(try json(Actor(inspection.organiser)))
        row.bind(try json(inspection.sites.map(Site.init)))
        row.bind(try json(inspection.items.map(Item.init)))
    }

    static func bind<Sink: StoredRowSink>(_ activity: Activity, number: Int64, to row: inout Sink) {
        row.bind(Int(number))
        for text in [activity.kind.rawValue, activity.title, activity.service] { row.bind(text) }
        row.bind(activity.date.timeIntervalSince1970)
        row.bind(activity.location.x)
        row.bind(activity.location.y)
        for text in [activity.microGrid.description, activity.grid.description, activity.villageCode, activity.organiser] { row.bind(text) }
        row.bind(activity.attendance)
    }

    /// An inspection from a row of ``inspectionColumns``.
    static func inspection<Columns: StoredColumns>(_ row: Columns) throws -> Inspection {
        let number = try row.integerColumn(0) ?? 0
        guard let title = try row.textColumn(1), let date = try row.realColumn(2), let organiser = try row.textColumn(3),
              let sites = try row.textColumn(4), let items = try row.textColumn(5) else {
            throw StoreError.corrupt("inspections, row \(number): a NULL column")
        }
        return Inspection(id: RecordID.inspection.text(number), title: title, date: Date(timeIntervalSince1970: date),
                          organiser: try decode(Actor.self, organiser).actor(),
                          sites: try decode([Site].self, sites).map(\.site), items: try decode([Item].self, items).map(\.item))
    }

    /// An activity from a row of ``activityColumns``.
    static func activity<Columns: StoredColumns>(_ row: Columns) throws -> Activity {
        let number = try row.integerColumn(0) ?? 0
        guard let kindText = try row.textColumn(1), let title = try row.textColumn(2), let service = try row.textColumn(3),
              let at = try row.realColumn(4), let lon = try row.realColumn(5), let lat = try row.realColumn(6),
              let microText = try row.textColumn(7), let village = try row.textColumn(9), let organiser = try row.textColumn(10),
              let attendance = try row.integerColumn(11) else {
            throw StoreError.corrupt("activities, row \(number): a NULL column")
        }
        guard let kind = Activity.Kind(rawValue: kindText), let microGrid = GridCode(microText) else {
            throw StoreError.corrupt("activities, row \(number): kind \"\(kindText)\" or micro-grid \"\(microText)\"")
        }
        return Activity(id: RecordID.activity.text(number), kind: kind, title: title, service: service,
                        date: Date(timeIntervalSince1970: at), location: Position(x: lon, y: lat), microGrid: microGrid,
                        villageCode: village, organiser: organiser, attendance: Int(attendance))
    }

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
