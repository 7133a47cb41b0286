import Foundation
import GEOS
import GeoJSON
import GridMapCore
import Postgres

/// Reading the town back, as ``SQLiteTownStore`` reads it: the same rows, the same order (`ord`,
/// import order), the same decoding (``StoredRowDecoder``) and the same area rule
/// (``AreaMatcher``), with PostGIS's GiST index doing the box prefilter.
extension PostgresTownStore {
    public func loadTown(_ parts: TownParts) throws(StoreError) -> TownData? {
        try read("loading the town") { db in
            let decoder = StoredRowDecoder()
            guard let town = try Self.town(db, decoder) else { return nil }
            var data = TownData(town: town, villages: try Self.villages(db), grids: try Self.grids(db, decoder),
                                microGrids: try Self.microGrids(of: nil, db, decoder), team: try Self.team(of: nil, db, decoder))
            if parts.contains(.features) {
                data.features = try db.query("SELECT \(Self.featureColumns) FROM features ORDER BY ord").rows.map {
                    try Self.feature($0, decoder)
                }
            }
            if parts.contains(.residents) {
                let categories = try Self.categoriesByResident(db)
                data.residents = try db.query("SELECT \(Self.residentColumns("")) FROM residents ORDER BY ord").rows.map {
                    try Self.resident($0, categories, decoder)
                }
            }
            return data
        }
    }

    public func town() throws(StoreError) -> Town? {
        try read("reading the town") { db in try Self.town(db, StoredRowDecoder()) }
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
            try db.query("SELECT DISTINCT kind FROM features").rows.compactMap { row in
                FeatureKind(rawValue: try row.required(0, row.string))
            }.sorted()
        }
    }

    /// Points and homes by their stored micro-grid in SQL; other geometries by PostGIS's box
    /// test against the area's polygon (`&&`, on the GiST index), then ``AreaMatcher``. The
    /// page is counted over the rows that pass both, and only those inside it are decoded.
    public func locatedFeatures(of kind: FeatureKind, in area: AreaFilter?,
                                page: ResultPage) throws(StoreError) -> [LocatedFeature] {
        try read("reading \(kind.layerName)") { db in
            let decoder = StoredRowDecoder()
            var sql = "SELECT \(Self.featureColumns), micro_grid_code FROM features f WHERE kind = $1"
            var parameters: [(any PostgresParameter)?] = [kind.rawValue]
            var matcher: AreaMatcher?
            if let area {
                let resolved = try PostgresArea(area, db)
                sql += """
                     AND ((\(Self.locatedByPoint) AND \(resolved.membership(of: "micro_grid_code", parameter: 2)))
                       OR (NOT \(Self.locatedByPoint) AND f.geom && (SELECT geom FROM \(resolved.table) WHERE code = $2)))
                    """
                parameters.append(resolved.code)
                matcher = try AreaMatcher(area, wkb: resolved.wkb, envelope: resolved.envelope)
            }
            sql += " ORDER BY ord"
            let rows = try db.query(sql, parameters)
            var next = 0
            return try page.collect(next: { () -> PostgresRow? in
                guard next < rows.count else { return nil }
                defer { next += 1 }
                return rows[next]
            }, accepts: { row in
                guard let matcher, !AreaMatcher.isLocatedByPoint(kind: kind, geometryType: try row.required(3, row.string)) else { return true }
                return try matcher.intersects(wkb: try row.required(4, row.bytes), id: try row.required(0, row.string))
            }, make: { row in
                let id = try row.required(0, row.string)
                return LocatedFeature(feature: try Self.feature(row, decoder),
                                      microGrid: try row.string(6).map { text throws(StoreError) in try decoder.code(text, "micro_grid_code", place: "features \(id)") })
            })
        }
    }

    /// A point from `point_x`/`point_y`; anything else, or an empty point, from its WKB.
    public func bareFeatures(of kind: FeatureKind) throws(StoreError) -> [MapFeature] {
        try read("reading \(kind.layerName)") { db in
            let decoder = StoredRowDecoder()
            return try db.query("SELECT id, name, geometry_type, point_x, point_y, wkb FROM features WHERE kind = $1 ORDER BY ord",
                                [kind.rawValue]).rows.map { row in
                let id = try row.required(0, row.string)
                let geometry: Geometry
                if try row.required(2, row.string) == "Point", let x = try row.double(3), let y = try row.double(4) {
                    geometry = .point(Position(x: x, y: y))
                } else {
                    geometry = try decoder.geometry(try row.required(5, row.bytes), "wkb", place: "features \(id)")
                }
                return MapFeature(id: id, kind: kind, name: try row.required(1, row.string), geometry: geometry)
            }
        }
    }

    public func homePlaces() throws(StoreError) -> [String: HomePlace] {
        try read("reading the homes' places") { db in
            let decoder = StoredRowDecoder()
            var places: [String: HomePlace] = [:]
            for row in try db.query("SELECT id, point_x, point_y, micro_grid_code FROM features WHERE kind = 'home'", []).rows {
                let id = try row.required(0, row.string)
                let x = try row.double(1), y = try row.double(2)
                places[id] = HomePlace(
                    microGrid: try row.string(3).map { text throws(StoreError) in try decoder.code(text, "micro_grid_code", place: "features \(id)") },
                    point: x.flatMap { x in y.map { Position(x: x, y: $0) } })
            }
            return places
        }
    }

    public func locatedResidents(in area: AreaFilter?, categories: Set<ResidentCategory>,
                                 page: ResultPage) throws(StoreError) -> [LocatedResident] {
        try read("reading residents") { db in
            var (sql, parameters) = try Self.residentQuery(
                "SELECT \(Self.residentColumns("r.")), h.point_x, h.point_y, h.micro_grid_code", in: area, categories: categories, db)
            sql += " ORDER BY r.ord"
            if page != .all {
                sql += " LIMIT $\(parameters.count + 1) OFFSET $\(parameters.count + 2)"
                parameters += [page.limit, page.offset]
            }
            return try Self.locatedResidents(try db.query(sql, parameters).rows, categories: try Self.categoriesByResident(db))
        }
    }

    public func locatedResidents(ids: Set<String>) throws(StoreError) -> [LocatedResident] {
        guard !ids.isEmpty else { return [] }
        return try read("reading residents by id") { db in
            // The ids as one JSON array, whatever their number.
            let list = String(decoding: try JSONEncoder().encode(ids.sorted()), as: UTF8.self)
            var categories: [String: [String]] = [:]
            for row in try db.query("""
                SELECT resident_id, category FROM resident_categories WHERE resident_id IN (SELECT json_array_elements_text($1::json)) ORDER BY ord
                """, [list]).rows {
                categories[try row.required(0, row.string), default: []].append(try row.required(1, row.string))
            }
            return try Self.locatedResidents(try db.query("""
                SELECT \(Self.residentColumns("r.")), h.point_x, h.point_y, h.micro_grid_code
                FROM residents r JOIN features h ON h.id = r.home_id WHERE r.id IN (SELECT json_array_elements_text($1::json)) ORDER BY r.ord
                """, [list]).rows, categories: categories)
        }
    }

    /// Residents read as ``residentColumns(_:)`` then their home's point and micro-grid, each
    /// with its categories from `allCategories`.
    private static func locatedResidents(_ rows: [PostgresRow], categories allCategories: [String: [String]]) throws -> [LocatedResident] {
        let decoder = StoredRowDecoder()
        var microGrids: [String: GridCode] = [:]
        return try rows.map { row in
            var microGrid: GridCode?
            if let text = try row.string(7) {
                microGrid = try microGrids[text] ?? decoder.code(text, "micro_grid_code", place: "features \(try row.required(2, row.string))")
                microGrids[text] = microGrid
            }
            let x = try row.double(5), y = try row.double(6)
            return LocatedResident(resident: try Self.resident(row, allCategories, decoder), microGrid: microGrid,
                                   location: x.flatMap { x in y.map { Position(x: x, y: $0) } })
        }
    }

    public func residentTally() throws(StoreError) -> ResidentTally {
        try read("counting residents by micro-grid and category") { db in
            // One group per resident holding a category (as locatedResidents places them: their
            // home's micro-grid), then one row per micro-grid and combination of categories.
            var tally = TallyReading()
            for row in try db.query("""
                SELECT micro_grid, held, count(*) FROM (
                    SELECT h.micro_grid_code AS micro_grid, string_agg(c.category, ',' ORDER BY c.category) AS held
                    FROM resident_categories c JOIN residents r ON r.id = c.resident_id JOIN features h ON h.id = r.home_id
                    GROUP BY c.resident_id, h.micro_grid_code) per_resident
                GROUP BY micro_grid, held
                """).rows {
                try tally.add(microGrid: try row.string(0), categories: try row.required(1, row.string), count: try row.required(2, row.integer))
            }
            return tally.tally
        }
    }

    public func residentCount(in area: AreaFilter?, categories: Set<ResidentCategory>) throws(StoreError) -> Int {
        try read("counting residents") { db in
            let (sql, parameters) = try Self.residentQuery("SELECT count(*)", in: area, categories: categories, db)
            let row = try db.query(sql, parameters)[0]
            return try row.required(0, row.integer)
        }
    }

    public func summary() throws(StoreError) -> TownSummary {
        try read("counting the town") { db in
            func count(_ sql: String) throws -> Int {
                let row = try db.query(sql)[0]
                return try row.required(0, row.integer)
            }
            var byKind: [FeatureKind: Int] = [:]
            for row in try db.query("SELECT kind, count(*) FROM features GROUP BY kind").rows {
                if let kind = FeatureKind(rawValue: try row.required(0, row.string)) { byKind[kind] = try row.required(1, row.integer) }
            }
            var byCategory: [ResidentCategory: Int] = [:]
            for row in try db.query("SELECT category, count(*) FROM resident_categories GROUP BY category").rows {
                if let category = ResidentCategory(rawValue: try row.required(0, row.string)) {
                    byCategory[category] = try row.required(1, row.integer)
                }
            }
            let decoder = StoredRowDecoder()
            var byGrid: [GridCode: TownSummary.GridCounts] = [:]
            for row in try db.query("""
                SELECT g.code,
                       (SELECT count(*) FROM micro_grids m WHERE m.grid_code = g.code),
                       (SELECT count(*) FROM features f JOIN micro_grids m ON m.code = f.micro_grid_code
                         WHERE m.grid_code = g.code),
                       (SELECT count(*) FROM residents r JOIN features h ON h.id = r.home_id
                         JOIN micro_grids m ON m.code = h.micro_grid_code WHERE m.grid_code = g.code)
                FROM grids g
                """).rows {
                byGrid[try decoder.code(try row.required(0, row.string), "code", place: "grids")] = TownSummary.GridCounts(
                    microGrids: try row.required(1, row.integer), features: try row.required(2, row.integer),
                    residents: try row.required(3, row.integer))
            }
            let town = try db.query("SELECT code FROM town")
            return TownSummary(
                townCode: town.count > 0 ? try town[0].required(0, town[0].string) : "",
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

    /// Which features belong to an area by their stored micro-grid (as ``AreaMatcher`` says).
    private static let locatedByPoint = "(geometry_type = 'Point' OR kind = 'home')"

    /// The columns ``feature(_:_:)`` reads, by position.
    static let featureColumns = "id, kind, name, geometry_type, wkb, properties"

    static func feature(_ row: PostgresRow, _ decoder: StoredRowDecoder) throws -> MapFeature {
        try decoder.feature(id: try row.required(0, row.string), kind: try row.required(1, row.string), name: try row.required(2, row.string),
                            wkb: try row.required(4, row.bytes), properties: try row.required(5, row.string))
    }

    /// The residents table's columns that ``resident(_:_:_:)`` reads by position, each after `prefix`.
    static func residentColumns(_ prefix: String) -> String {
        ["id", "name", "home_id", "phone", "birth_year"].map { prefix + $0 }.joined(separator: ", ")
    }

    static func resident(_ row: PostgresRow, _ categories: [String: [String]], _ decoder: StoredRowDecoder) throws -> Resident {
        let id = try row.required(0, row.string)
        return try decoder.resident(
            Resident(id: id, name: try row.required(1, row.string), homeID: try row.required(2, row.string),
                     phone: try row.string(3), birthYear: try row.integer(4)),
            categories: categories[id, default: []])
    }

    static func town(_ db: PostgresConnection, _ decoder: StoredRowDecoder) throws -> Town? {
        let rows = try db.query("SELECT code, name, latin_name, working_crs, boundary_wkb, manifest_members FROM town")
        guard rows.count > 0 else { return nil }
        let row = rows[0]
        return try decoder.town(code: try row.required(0, row.string), name: try row.required(1, row.string),
                                latinName: try row.required(2, row.string), workingCRS: try row.required(3, row.string),
                                boundaryWKB: try row.required(4, row.bytes), manifestMembers: try row.required(5, row.string))
    }

    private static func villages(_ db: PostgresConnection) throws -> [Village] {
        try db.query("SELECT code, name FROM villages ORDER BY ord").rows.map { row in
            Village(code: try row.required(0, row.string), name: try row.required(1, row.string))
        }
    }

    private static func grids(_ db: PostgresConnection, _ decoder: StoredRowDecoder) throws -> [Grid] {
        try db.query("SELECT code, name, village_code, wkb FROM grids ORDER BY ord").rows.map { row in
            try decoder.grid(code: try row.required(0, row.string), name: try row.required(1, row.string),
                             villageCode: try row.required(2, row.string), wkb: try row.required(3, row.bytes))
        }
    }

    private static func microGrids(of grid: GridCode?, _ db: PostgresConnection, _ decoder: StoredRowDecoder) throws -> [MicroGrid] {
        let rows = if let grid {
            try db.query("SELECT code, name, wkb FROM micro_grids WHERE grid_code = $1 ORDER BY ord", [grid.gridCode.description])
        } else {
            try db.query("SELECT code, name, wkb FROM micro_grids ORDER BY ord")
        }
        return try rows.rows.map { row in
            try decoder.microGrid(code: try row.required(0, row.string), name: try row.required(1, row.string), wkb: try row.required(2, row.bytes))
        }
    }

    private static func team(of grid: GridCode?, _ db: PostgresConnection, _ decoder: StoredRowDecoder) throws -> [TeamMember] {
        let columns = "id, grid_code, role, name, unit, phone"
        let rows = if let grid {
            try db.query("SELECT \(columns) FROM team WHERE grid_code = $1 ORDER BY id", [grid.gridCode.description])
        } else {
            try db.query("SELECT \(columns) FROM team ORDER BY id")
        }
        return try rows.rows.map { row in
            try decoder.teamMember(id: Int64(try row.required(0, row.integer)), gridCode: try row.required(1, row.string),
                                   role: try row.required(2, row.string), name: try row.required(3, row.string),
                                   unit: try row.string(4), phone: try row.string(5))
        }
    }

    /// `select` over residents `r` joined to their homes `h`, limited to `area` and to residents
    /// with any of `categories` (all when empty).
    private static func residentQuery(_ select: String, in area: AreaFilter?, categories: Set<ResidentCategory>,
                                      _ db: PostgresConnection) throws -> (sql: String, parameters: [(any PostgresParameter)?]) {
        var sql = select + " FROM residents r JOIN features h ON h.id = r.home_id WHERE true"
        var parameters: [(any PostgresParameter)?] = []
        if let area {
            let resolved = try PostgresArea(area, db)
            parameters.append(resolved.code)
            sql += " AND " + resolved.membership(of: "h.micro_grid_code", parameter: parameters.count)
        }
        if !categories.isEmpty {
            // (`-> String`: GRDB's `SQL` is also a string literal, and would be inferred here.)
            let placeholders = categories.map(\.rawValue).sorted().map { category -> String in
                parameters.append(category)
                return "$\(parameters.count)"
            }.joined(separator: ", ")
            sql += " AND EXISTS (SELECT 1 FROM resident_categories c WHERE c.resident_id = r.id AND c.category IN (\(placeholders)))"
        }
        return (sql, parameters)
    }

    /// Every resident's categories, in stored order.
    private static func categoriesByResident(_ db: PostgresConnection) throws -> [String: [String]] {
        var categories: [String: [String]] = [:]
        for row in try db.query("SELECT resident_id, category FROM resident_categories ORDER BY ord").rows {
            categories[try row.required(0, row.string), default: []].append(try row.required(1, row.string))
        }
        return categories
    }
}

/// An ``AreaFilter`` looked up in the database: its table and code, its polygon's WKB and box,
/// and the SQL that says whether a micro-grid code lies in it.
private struct PostgresArea {
    let area: AreaFilter
    let table: String
    let code: String
    let wkb: [UInt8]
    let envelope: Envelope

    init(_ area: AreaFilter, _ db: PostgresConnection) throws {
        (table, code) = switch area {
        case .grid(let code): ("grids", code.gridCode.description)
        case .microGrid(let code): ("micro_grids", code.description)
        }
        let rows = try db.query("SELECT wkb, ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM \(table) WHERE code = $1", [code])
        guard rows.count > 0 else { throw StoreError.notFound(area.description) }
        let row = rows[0]
        self.area = area
        wkb = try row.required(0, row.bytes)
        envelope = Envelope(minX: try row.required(1, row.double), minY: try row.required(2, row.double),
                            maxX: try row.required(3, row.double), maxY: try row.required(4, row.double))
    }

    /// SQL true when the micro-grid code in `column` lies in the area, the code being `$parameter`.
    func membership(of column: String, parameter: Int) -> String {
        switch area {
        case .grid: "\(column) IN (SELECT code FROM micro_grids WHERE grid_code = $\(parameter))"
        case .microGrid: "\(column) = $\(parameter)"
        }
    }
}
