import Foundation
import GEOS
import GRDB
import GRDBSQLite
import GeoJSON
import GridMapCore

/// Reading the town back: the whole of it, or the parts a command needs. Every read is one read
/// transaction; rows come back in `rowid` order, which is import order.
extension SQLiteTownStore {
    public func loadTown(_ parts: TownParts) throws(StoreError) -> TownData? {
        try read("loading the town") { db in
            let decoder = StoredRowDecoder()
            guard let townRow = try Row.fetchOne(db, sql: "SELECT * FROM town") else { return nil }
            var data = TownData(
                town: try decoder.town(townRow),
                villages: try Self.villages(db),
                grids: try Self.grids(db, decoder),
                microGrids: try Self.microGrids(of: nil, db, decoder),
                team: try Self.team(of: nil, db, decoder))
            if parts.contains(.features) {
                // A cursor: 21,000 rows are decoded as they are stepped, not copied first.
                data.features = try Array(Row.fetchCursor(db, sql: "SELECT * FROM features ORDER BY rowid").map(decoder.feature))
            }
            if parts.contains(.residents) {
                let categories = try Self.categoriesByResident(db)
                data.residents = try Array(Row.fetchCursor(db, sql: "SELECT \(Self.residentColumns("")) FROM residents ORDER BY rowid").map {
                    try decoder.resident($0, categories: categories[$0[0], default: []])
                })
            }
            return data
        }
    }

    public func town() throws(StoreError) -> Town? {
        try read("reading the town") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM town").map(StoredRowDecoder().town)
        }
    }

    public func villages() throws(StoreError) -> [Village] {
        try read("reading villages") { db in try Self.villages(db) }
    }

    public func grids() throws(StoreError) -> [Grid] {
        try read("reading grids") { db in try Self.grids(db, StoredRowDecoder()) }
    }

    public func microGrids(of grid: GridCode?) throws(StoreError) -> [MicroGrid] {
        try read("reading micro-grids") { db in try Self.microGrids(of: grid, db, StoredRowDecoder()) }
    }

    public func team(of grid: GridCode?) throws(StoreError) -> [TeamMember] {
        try read("reading the team") { db in try Self.team(of: grid, db, StoredRowDecoder()) }
    }

    public func featureKinds() throws(StoreError) -> [FeatureKind] {
        try read("reading feature kinds") { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT kind FROM features").compactMap(FeatureKind.init(rawValue:)).sorted()
        }
    }

    /// Points and homes by their stored micro-grid in SQL; other geometries by an envelope
    /// prefilter in SQL, then ``AreaMatcher`` (`GEOSPreparedIntersects_r`). The page is counted
    /// over the rows that pass both, and only those inside it are decoded.
    public func locatedFeatures(of kind: FeatureKind, in area: AreaFilter?,
                                page: ResultPage) throws(StoreError) -> [LocatedFeature] {
        try read("reading \(kind.layerName)") { db in
            let decoder = StoredRowDecoder()
            var sql = "SELECT * FROM features WHERE kind = ?"
            var arguments: StatementArguments = [kind.rawValue]
            var matcher: AreaMatcher?
            if let area {
                let resolved = try ResolvedArea(area, db)
                let box = resolved.envelope
                sql += """
                     AND ((\(Self.locatedByPoint) AND \(resolved.membership(of: "micro_grid_code")))
                       OR (NOT \(Self.locatedByPoint) AND max_x >= ? AND min_x <= ? AND max_y >= ? AND min_y <= ?))
                    """
                arguments += resolved.arguments
                arguments += [box.minX, box.maxX, box.minY, box.maxY]
                matcher = try AreaMatcher(area, wkb: Array(resolved.row["wkb"] as Data), envelope: box)
            }
            sql += " ORDER BY rowid"
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            return try page.collect(next: rows.next, accepts: { row in
                guard let matcher, !AreaMatcher.isLocatedByPoint(kind: kind, geometryType: row["geometry_type"]) else { return true }
                return try matcher.intersects(wkb: Array(row["wkb"] as Data), id: row["id"])
            }, make: { row in
                LocatedFeature(feature: try decoder.feature(row),
                               microGrid: try decoder.optionalCode(row, "micro_grid_code", place: "features \(row["id"] as String)"))
            })
        }
    }

    /// A point from `point_x`/`point_y`, which hold the point itself (its representative point);
    /// anything else, or an empty point, from its WKB.
    public func bareFeatures(of kind: FeatureKind) throws(StoreError) -> [MapFeature] {
        try read("reading \(kind.layerName)") { db in
            let decoder = StoredRowDecoder()
            let rows = try Row.fetchCursor(db, sql: "SELECT id, name, geometry_type, point_x, point_y, wkb FROM features WHERE kind = ? ORDER BY rowid",
                                           arguments: [kind.rawValue])
            var features: [MapFeature] = []
            while let row = try rows.next() {
                let id: String = row[0]
                let geometry: Geometry
                if row[2] as String == "Point", let x: Double = row[3], let y: Double = row[4] {
                    geometry = .point(Position(x: x, y: y))
                } else {
                    geometry = try decoder.geometry(row, "wkb", place: "features \(id)")
                }
                features.append(MapFeature(id: id, kind: kind, name: row[1], geometry: geometry))
            }
            return features
        }
    }

    public func homePlaces() throws(StoreError) -> [String: HomePlace] {
        try read("reading the homes' places") { db in
            let decoder = StoredRowDecoder()
            var microGrids: [String: GridCode] = [:]  // a few hundred codes for thousands of homes: parse each once
            var places: [String: HomePlace] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, point_x, point_y, micro_grid_code FROM features WHERE kind = 'home'")
            while let row = try rows.next() {
                let id: String = row[0]
                var microGrid: GridCode?
                if let text: String = row[3] {
                    microGrid = try microGrids[text] ?? decoder.code(text, "micro_grid_code", place: "features \(id)")
                    microGrids[text] = microGrid
                }
                let x: Double? = row[1], y: Double? = row[2]
                places[id] = HomePlace(microGrid: microGrid, point: x.flatMap { x in y.map { Position(x: x, y: $0) } })
            }
            return places
        }
    }

    /// Which features belong to an area by their stored micro-grid rather than by geometry
    /// (``AreaMatcher/isLocatedByPoint(kind:geometryType:)`` in SQL).
    private static let locatedByPoint = "(geometry_type = 'Point' OR kind = 'home')"

    public func locatedResidents(in area: AreaFilter?, categories: Set<ResidentCategory>,
                                 page: ResultPage) throws(StoreError) -> [LocatedResident] {
        try read("reading residents") { db in
            var (sql, arguments) = try Self.residentQuery(
                "SELECT \(Self.residentColumns("r.")), h.point_x, h.point_y, h.micro_grid_code", in: area, categories: categories, db)
            sql += " ORDER BY r.rowid"
            if page != .all {
                sql += " LIMIT ? OFFSET ?"
                arguments += [page.limit ?? -1, page.offset]
            }
            return try Self.locatedResidents(sql, arguments, categories: try Self.categoriesByResident(db), db)
        }
    }

    public func locatedResidents(ids: Set<String>) throws(StoreError) -> [LocatedResident] {
        guard !ids.isEmpty else { return [] }
        return try read("reading residents by id") { db in
            // The ids as one JSON array, whatever their number (a statement's variables are limited).
            let list: StatementArguments = [String(decoding: try JSONEncoder().encode(ids.sorted()), as: UTF8.self)]
            var categories: [String: [String]] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT resident_id, category FROM resident_categories WHERE resident_id IN (SELECT value FROM json_each(?)) ORDER BY rowid
                """, arguments: list)
            while let row = try rows.next() { categories[row[0], default: []].append(row[1]) }
            return try Self.locatedResidents("""
                SELECT \(Self.residentColumns("r.")), h.point_x, h.point_y, h.micro_grid_code
                FROM residents r JOIN features h ON h.id = r.home_id WHERE r.id IN (SELECT value FROM json_each(?)) ORDER BY r.rowid
                """, list, categories: categories, db)
        }
    }

    /// The residents `sql` selects (``residentColumns(_:)``, then their home's point and
    /// micro-grid), each with its categories from `allCategories`.
    private static func locatedResidents(_ sql: String, _ arguments: StatementArguments, categories allCategories: [String: [String]],
                                         _ db: Database) throws -> [LocatedResident] {
        let decoder = StoredRowDecoder()
        // A town has a few hundred micro-grids, a few categories and tens of thousands of
        // residents: parse each code and each category once.
        var microGrids: [String: GridCode] = [:]
        var parsedCategories: [[String]: [ResidentCategory]] = [[]: []]
        // Read with SQLite's own column functions, as the events' state is: a town office
        // asks for every resident at once (the category table, the register as of a day),
        // and GRDB's row values cost more than the rest of the read.
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        func text(_ column: Int32) -> String? {
            guard sqlite3_column_type(handle, column) != SQLITE_NULL, let bytes = sqlite3_column_text(handle, column) else { return nil }
            return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
        }
        func real(_ column: Int32) -> Double? {
            sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_double(handle, column)
        }
        var rows: [LocatedResident] = []
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return rows }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: statement.sql)
            }
            let id = text(0) ?? "", home = text(2) ?? ""
            var microGrid: GridCode?
            if let codeText = text(7) {
                microGrid = try microGrids[codeText] ?? decoder.code(codeText, "micro_grid_code", place: "features \(home)")
                microGrids[codeText] = microGrid
            }
            let held = allCategories[id, default: []]
            var resident = Resident(id: id, name: text(1) ?? "", homeID: home, phone: text(3),
                                    birthYear: sqlite3_column_type(handle, 4) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(handle, 4)))
            if let parsed = parsedCategories[held] {
                resident.categories = parsed
            } else {
                resident = try decoder.resident(resident, categories: held)
                parsedCategories[held] = resident.categories
            }
            let x = real(5), y = real(6)
            rows.append(LocatedResident(resident: resident, microGrid: microGrid, location: x.flatMap { x in y.map { Position(x: x, y: $0) } }))
        }
    }

    public func residentTally() throws(StoreError) -> ResidentTally {
        try read("counting residents by micro-grid and category") { db in
            // One group per resident holding a category (as locatedResidents places them: their
            // home's micro-grid), then one row per micro-grid and combination of categories.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT micro_grid, held, count(*) FROM (
                    SELECT h.micro_grid_code AS micro_grid, group_concat(c.category, ',') AS held
                    FROM resident_categories c JOIN residents r ON r.id = c.resident_id JOIN features h ON h.id = r.home_id
                    GROUP BY c.resident_id)
                GROUP BY micro_grid, held
                """)
            var tally = TallyReading()
            while let row = try rows.next() { try tally.add(microGrid: row[0], categories: row[1], count: row[2]) }
            return tally.tally
        }
    }

    public func residentCount(in area: AreaFilter?, categories: Set<ResidentCategory>) throws(StoreError) -> Int {
        try read("counting residents") { db in
            let (sql, arguments) = try Self.residentQuery("SELECT count(*)", in: area, categories: categories, db)
            return try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
        }
    }

    public func summary() throws(StoreError) -> TownSummary {
        try read("counting the town") { db in
            let count = { (sql: String) throws -> Int in try Int.fetchOne(db, sql: sql) ?? 0 }
            var byKind: [FeatureKind: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT kind, count(*) AS n FROM features GROUP BY kind") {
                if let kind = FeatureKind(rawValue: row["kind"]) { byKind[kind] = row["n"] }
            }
            var byCategory: [ResidentCategory: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT category, count(*) AS n FROM resident_categories GROUP BY category") {
                if let category = ResidentCategory(rawValue: row["category"]) { byCategory[category] = row["n"] }
            }
            let perGrid = try Row.fetchAll(db, sql: """
                SELECT g.code,
                       (SELECT count(*) FROM micro_grids m WHERE m.grid_code = g.code) AS micro_grids,
                       (SELECT count(*) FROM features f JOIN micro_grids m ON m.code = f.micro_grid_code
                         WHERE m.grid_code = g.code) AS features,
                       (SELECT count(*) FROM residents r JOIN features h ON h.id = r.home_id
                         JOIN micro_grids m ON m.code = h.micro_grid_code WHERE m.grid_code = g.code) AS residents
                FROM grids g
                """)
            let decoder = StoredRowDecoder()
            var byGrid: [GridCode: TownSummary.GridCounts] = [:]
            for row in perGrid {
                byGrid[try decoder.code(row, "code", place: "grids")] = TownSummary.GridCounts(
                    microGrids: row["micro_grids"], features: row["features"], residents: row["residents"])
            }
            return TownSummary(
                townCode: try String.fetchOne(db, sql: "SELECT code FROM town") ?? "",
                villages: try count("SELECT count(*) FROM villages"),
                grids: try count("SELECT count(*) FROM grids"),
                microGrids: try count("SELECT count(*) FROM micro_grids"),
                featuresByKind: byKind,
                residents: try count("SELECT count(*) FROM residents"),
                residentsByCategory: byCategory,
                teamMembers: try count("SELECT count(*) FROM team"),
                byGrid: byGrid)
        }
    }

    // MARK: Queries shared by the reads

    private static func villages(_ db: Database) throws -> [Village] {
        let decoder = StoredRowDecoder()
        return try Row.fetchAll(db, sql: "SELECT * FROM villages ORDER BY rowid").map(decoder.village)
    }

    private static func grids(_ db: Database, _ decoder: StoredRowDecoder) throws -> [Grid] {
        try Row.fetchAll(db, sql: "SELECT * FROM grids ORDER BY rowid").map(decoder.grid)
    }

    private static func microGrids(of grid: GridCode?, _ db: Database, _ decoder: StoredRowDecoder) throws -> [MicroGrid] {
        let rows = if let grid {
            try Row.fetchAll(db, sql: "SELECT * FROM micro_grids WHERE grid_code = ? ORDER BY rowid",
                             arguments: [grid.gridCode.description])
        } else {
            try Row.fetchAll(db, sql: "SELECT * FROM micro_grids ORDER BY rowid")
        }
        return try rows.map(decoder.microGrid)
    }

    private static func team(of grid: GridCode?, _ db: Database, _ decoder: StoredRowDecoder) throws -> [TeamMember] {
        let rows = if let grid {
            try Row.fetchAll(db, sql: "SELECT * FROM team WHERE grid_code = ? ORDER BY id", arguments: [grid.gridCode.description])
        } else {
            try Row.fetchAll(db, sql: "SELECT * FROM team ORDER BY id")
        }
        return try rows.map(decoder.teamMember)
    }

    /// The residents table's columns that ``StoredRowDecoder/resident(_:categories:)`` reads by
    /// position, each after `prefix` (a table alias): named rather than `*`, so that a column
    /// added to the file outside GridMap cannot shift them.
    static func residentColumns(_ prefix: String) -> String {
        ["id", "name", "home_id", "phone", "birth_year"].map { prefix + $0 }.joined(separator: ", ")
    }

    /// `select` over residents `r` joined to their homes `h`, limited to `area` and to residents
    /// with any of `categories` (all when empty).
    private static func residentQuery(_ select: String, in area: AreaFilter?, categories: Set<ResidentCategory>,
                                      _ db: Database) throws -> (sql: String, arguments: StatementArguments) {
        var sql = select + " FROM residents r JOIN features h ON h.id = r.home_id WHERE 1"
        var arguments: StatementArguments = []
        if let area {
            let resolved = try ResolvedArea(area, db)
            sql += " AND " + resolved.membership(of: "h.micro_grid_code")
            arguments += resolved.arguments
        }
        if !categories.isEmpty {
            let placeholders = Array(repeating: "?", count: categories.count).joined(separator: ", ")
            sql += """
                 AND EXISTS (SELECT 1 FROM resident_categories c
                             WHERE c.resident_id = r.id AND c.category IN (\(placeholders)))
                """
            arguments += StatementArguments(categories.map(\.rawValue).sorted())
        }
        return (sql, arguments)
    }

    /// Every resident's categories, in stored order.
    static func categoriesByResident(_ db: Database) throws -> [String: [String]] {
        var categories: [String: [String]] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT resident_id, category FROM resident_categories ORDER BY rowid")
        while let row = try rows.next() {
            categories[row[0], default: []].append(row[1])
        }
        return categories
    }
}

/// An ``AreaFilter`` looked up in the database: the area's row (for its polygon and box) and
/// the SQL that says whether a micro-grid code lies in it.
struct ResolvedArea {
    let area: AreaFilter
    let row: Row
    let envelope: Envelope

    init(_ area: AreaFilter, _ db: Database) throws {
        let (table, code) = switch area {
        case .grid(let code): ("grids", code.gridCode)
        case .microGrid(let code): ("micro_grids", code)
        }
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM \(table) WHERE code = ?", arguments: [code.description])
        else { throw StoreError.notFound(area.description) }
        self.area = area
        self.row = row
        envelope = Envelope(minX: row["min_x"], minY: row["min_y"], maxX: row["max_x"], maxY: row["max_y"])
    }

    /// SQL true when the micro-grid code in `column` lies in the area (bind ``arguments``).
    func membership(of column: String) -> String {
        switch area {
        case .grid: "\(column) IN (SELECT code FROM micro_grids WHERE grid_code = ?)"
        case .microGrid: "\(column) = ?"
        }
    }

    var arguments: StatementArguments {
        switch area {
        case .grid(let code): [code.gridCode.description]
        case .microGrid(let code): [code.description]
        }
    }
}
