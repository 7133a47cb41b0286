import GEOS
import GRDB
import GeoJSON
import GridMapCore

/// Reading the town back: the whole of it, or the parts a command needs.
extension SQLiteTownStore {
    public func loadTown() throws -> TownData? {
        try loadTown(.all)
    }

    /// The town with only `parts` of its features and residents: the town, villages, grids,
    /// micro-grids and team always come, the rest only when asked for. A query that needs no
    /// residents (locate, nearest) skips decoding 56,000 of them, most of its start-up time.
    public func loadTown(_ parts: TownParts) throws -> TownData? {
        try database.read { db in
            let decoder = StoredRowDecoder()
            guard let townRow = try Row.fetchOne(db, sql: "SELECT * FROM town") else { return nil }
            var data = TownData(
                town: try decoder.town(townRow),
                villages: try Row.fetchAll(db, sql: "SELECT * FROM villages ORDER BY rowid").map(decoder.village),
                grids: try Row.fetchAll(db, sql: "SELECT * FROM grids ORDER BY rowid").map(decoder.grid),
                microGrids: try Row.fetchAll(db, sql: "SELECT * FROM micro_grids ORDER BY rowid").map(decoder.microGrid),
                team: try Row.fetchAll(db, sql: "SELECT * FROM team ORDER BY id").map(decoder.teamMember))
            if parts.contains(.features) {
                // A cursor: 21,000 rows are decoded as they are stepped, not copied first.
                data.features = try Array(Row.fetchCursor(db, sql: "SELECT * FROM features ORDER BY rowid").map(decoder.feature))
            }
            if parts.contains(.residents) {
                let categories = try Self.categoriesByResident(db)
                data.residents = try Array(Row.fetchCursor(db, sql: "SELECT * FROM residents ORDER BY rowid").map {
                    try decoder.resident($0, categories: categories[$0[0], default: []])
                })
            }
            return data
        }
    }

    public func grids() throws -> [Grid] {
        try database.read { db in
            let decoder = StoredRowDecoder()
            return try Row.fetchAll(db, sql: "SELECT * FROM grids ORDER BY rowid").map(decoder.grid)
        }
    }

    public func microGrids(of grid: GridCode?) throws -> [MicroGrid] {
        try database.read { db in
            let decoder = StoredRowDecoder()
            let rows = if let grid {
                try Row.fetchAll(db, sql: "SELECT * FROM micro_grids WHERE grid_code = ? ORDER BY rowid",
                                 arguments: [grid.gridCode.description])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM micro_grids ORDER BY rowid")
            }
            return try rows.map(decoder.microGrid)
        }
    }

    public func features(of kind: FeatureKind, in area: AreaFilter?) throws -> [MapFeature] {
        try database.read { db in try Self.locatedFeatures(of: kind, in: area, db).map(\.feature) }
    }

    public func residents(in area: AreaFilter?, categories: Set<ResidentCategory>) throws -> [Resident] {
        try database.read { db in try Self.locatedResidents(in: area, categories: categories, db).map(\.resident) }
    }

    public func residentRows(as role: ResidentRole, in area: AreaFilter?,
                             categories: Set<ResidentCategory>) throws -> [ResidentRow] {
        try database.read { db in
            try Self.locatedResidents(in: area, categories: categories, db).map {
                ResidentRow($0.resident, microGrid: $0.microGrid, location: $0.location, as: role)
            }
        }
    }

    public func team(of grid: GridCode) throws -> [TeamMember] {
        try database.read { db in
            let decoder = StoredRowDecoder()
            return try Row.fetchAll(db, sql: "SELECT * FROM team WHERE grid_code = ? ORDER BY id",
                                    arguments: [grid.gridCode.description]).map(decoder.teamMember)
        }
    }

    public func summary() throws -> TownSummary {
        try database.read { db in
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
                byGrid[try decoder.code(row, "code")] = TownSummary.GridCounts(
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

    // MARK: Shared by reads and exports

    /// A feature with the micro-grid stored for it at import.
    struct LocatedFeature {
        var feature: MapFeature
        var microGrid: GridCode?
    }

    /// A resident with their home's micro-grid and representative point.
    struct LocatedResident {
        var resident: Resident
        var microGrid: GridCode?
        var location: Position?
    }

    /// Features of `kind` (all kinds when nil) in `area`, by the rule of ``AreaFilter``: points
    /// and homes by their stored micro-grid; other geometries by an envelope prefilter in SQL,
    /// then `GEOSPreparedIntersects_r` against the area's polygon.
    static func locatedFeatures(of kind: FeatureKind?, in area: AreaFilter?, _ db: Database) throws -> [LocatedFeature] {
        let decoder = StoredRowDecoder()
        var sql = "SELECT * FROM features WHERE 1"
        var arguments: StatementArguments = []
        if let kind {
            sql += " AND kind = ?"
            arguments += [kind.rawValue]
        }
        var prepared: PreparedGeometry?
        if let area {
            let resolved = try ResolvedArea(area, db)
            let box = resolved.envelope
            sql += """
                 AND ((\(locatedByPoint) AND \(resolved.membership(of: "micro_grid_code")))
                   OR (NOT \(locatedByPoint) AND max_x >= ? AND min_x <= ? AND max_y >= ? AND min_y <= ?))
                """
            arguments += resolved.arguments
            arguments += [box.minX, box.maxX, box.minY, box.maxY]
            prepared = try PreparedGeometry(decoder.geosGeometry(resolved.row, "wkb"))
        }
        sql += " ORDER BY rowid"
        var located: [LocatedFeature] = []
        for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
            let byPoint = row["geometry_type"] == "Point" || row["kind"] == FeatureKind.home.rawValue
            if let prepared, !byPoint, !(try prepared.intersects(decoder.geosGeometry(row, "wkb"))) { continue }
            located.append(LocatedFeature(feature: try decoder.feature(row),
                                          microGrid: try decoder.optionalCode(row, "micro_grid_code")))
        }
        return located
    }

    /// Which features belong to an area by their stored micro-grid rather than by geometry.
    private static let locatedByPoint = "(geometry_type = 'Point' OR kind = 'home')"

    /// Residents whose home is in `area`, with any of `categories` (all when empty).
    static func locatedResidents(in area: AreaFilter?, categories: Set<ResidentCategory>,
                                 _ db: Database) throws -> [LocatedResident] {
        var sql = """
            SELECT r.*, h.point_x, h.point_y, h.micro_grid_code FROM residents r
            JOIN features h ON h.id = r.home_id WHERE 1
            """
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
        sql += " ORDER BY r.rowid"
        let decoder = StoredRowDecoder()
        let allCategories = try categoriesByResident(db)
        // A town has a few hundred micro-grids and tens of thousands of residents: parse each code once.
        var microGrids: [String: GridCode] = [:]
        // Read through a cursor and by position (r.* is 0…4): no copy of each row, no name lookups.
        return try Array(Row.fetchCursor(db, sql: sql, arguments: arguments).map { row in
            let x: Double? = row[5]
            let y: Double? = row[6]
            var microGrid: GridCode?
            if let text: String = row[7] {
                microGrid = try microGrids[text] ?? decoder.optionalCode(row, "micro_grid_code")
                microGrids[text] = microGrid
            }
            return LocatedResident(
                resident: try decoder.resident(row, categories: allCategories[row[0], default: []]),
                microGrid: microGrid,
                location: x.flatMap { x in y.map { Position(x: x, y: $0) } })
        })
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

/// The optional parts of a town read by ``SQLiteTownStore/loadTown(_:)``.
public struct TownParts: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let features = TownParts(rawValue: 1 << 0)
    public static let residents = TownParts(rawValue: 1 << 1)
    public static let all: TownParts = [.features, .residents]
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
