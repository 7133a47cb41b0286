import Foundation
import GEOS
import GridMapCore
import Postgres

/// A district in a PostgreSQL + PostGIS database: the catalogue (`district_details`,
/// `district_towns`, the boundaries also as PostGIS geometries with a GiST index) in the schema
/// the connection string works in, and each town an ordinary ``PostgresTownStore`` in a schema
/// of its own: `town_dc` for town DC of a district in `public`, else `SCHEMA_town_dc`. A town's
/// store is opened with its schema first in the search path, then the district's (where PostGIS
/// is found), so its tables, migrations and advisory locks are its own: an import into one town
/// never waits for another's.
public final class PostgresDistrict: DistrictStore {
    let uri: String
    private let pool: PostgresPool
    public let access: SQLiteTownStore.Access
    public let location: String
    /// The district's search path (`current_schemas(false)`), the first being its own schema.
    private let schemas: [String]

    /// Whether the database at `uri` holds a district catalogue in the schema it works in.
    public static func isDistrict(_ uri: String) throws(StoreError) -> Bool {
        let location = PostgresTownStore.redacted(uri)
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection(uri)
        } catch {
            throw .cannotOpen(path: location, reason: error.description)
        }
        return try StoreError.wrapping("looking for a district catalogue in \(location)") {
            try connection.query("SELECT to_regclass('district_towns') IS NOT NULL")[0].boolean(0) == true
        }
    }

    /// Opens the district at `uri`; with `creating`, makes its catalogue when missing (in a
    /// schema that holds no town yet).
    public init(uri: String, access: SQLiteTownStore.Access = .readWrite, creating: Bool = false) throws(StoreError) {
        self.uri = uri
        self.access = access
        location = PostgresTownStore.redacted(uri)
        let location = self.location
        do {
            pool = try PostgresPool(uri)
            schemas = try pool.withConnection { db in
                let path = try db.query("SELECT unnest(current_schemas(false))").rows.map { try $0.required(0, $0.string) }
                guard let own = path.first else {
                    throw StoreError.cannotOpen(path: location, reason: "its search path names no schema that exists to hold the district")
                }
                if let odd = path.first(where: { !$0.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" } }) {
                    throw StoreError.cannotOpen(path: location, reason: "schema \"\(odd)\" in its search path is not a plain lower-case name, which a district's towns need")
                }
                if try db.query("SELECT to_regclass('district_towns') IS NOT NULL")[0].boolean(0) != true {
                    guard creating, access == .readWrite else {
                        throw StoreError.cannotOpen(path: location, reason: "it holds no district (no district_towns table in schema \(own))")
                    }
                    if try db.query("SELECT to_regclass('town') IS NOT NULL")[0].boolean(0) == true {
                        throw StoreError.importRefused("schema \(own) of \(location) holds a town store; a district needs a database or schema of its own")
                    }
                    try PostgresSchema.ensurePostGIS(db)
                    try db.transaction {
                        try db.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock), hashtext(current_schema()))")
                        try db.script("""
                            CREATE TABLE IF NOT EXISTS district_details (key text PRIMARY KEY, value text NOT NULL);
                            CREATE TABLE IF NOT EXISTS district_towns (
                                code text PRIMARY KEY, division_code text, name text NOT NULL, latin_name text NOT NULL,
                                working_crs text NOT NULL, boundary_wkb bytea NOT NULL,
                                boundary geometry(Geometry, 4326) GENERATED ALWAYS AS (ST_GeomFromWKB(boundary_wkb, 4326)) STORED,
                                town_schema text NOT NULL UNIQUE, recorded_at text NOT NULL);
                            CREATE INDEX IF NOT EXISTS district_towns_boundary ON district_towns USING gist (boundary);
                            """)
                    }
                }
                return path
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .cannotOpen(path: location, reason: "\(error)")
        }
    }

    public func details() throws(StoreError) -> DistrictDetails {
        try StoreError.wrapping("reading the district's details from \(location)") {
            let rows = try pool.withConnection { db in try db.query("SELECT key, value FROM district_details").rows }
            var values: [String: String] = [:]
            for row in rows { values[try row.required(0, row.string)] = try row.required(1, row.string) }
            return DistrictDetails(name: values["name"], latinName: values["latinName"], divisionCode: values["divisionCode"])
        }
    }

    public func setDetails(_ details: DistrictDetails) throws(StoreError) {
        try StoreError.wrapping("writing the district's details in \(location)") {
            try pool.withConnection { db in
                try db.transaction {
                    for (key, value) in [("name", details.name), ("latinName", details.latinName), ("divisionCode", details.divisionCode)] {
                        guard let value else { continue }
                        try db.query("INSERT INTO district_details (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                     [key, value])
                    }
                }
            }
        }
    }

    public func towns() throws(StoreError) -> [DistrictTown] {
        let rows = try StoreError.wrapping("reading the district's towns from \(location)") {
            try pool.withConnection { db in
                try db.query("SELECT code, division_code, name, latin_name, working_crs, boundary_wkb FROM district_towns ORDER BY code COLLATE \"C\"").rows
            }
        }
        let context = GEOSContext()
        return try rows.map { row throws(StoreError) in
            try StoreError.wrapping("reading the district's towns from \(location)") {
                let code = try row.required(0, row.string)
                return try DistrictCatalogueRows.town(
                    code: code, divisionCode: try row.string(1), name: try row.required(2, row.string), latinName: try row.required(3, row.string),
                    workingCRS: try row.required(4, row.string), boundary: try row.required(5, row.bytes),
                    place: "\(location), district_towns, town \(code)", context: context)
            }
        }
    }

    public func openTown(_ code: String, access: SQLiteTownStore.Access) throws(StoreError) -> any TownStore {
        guard try town(DistrictNames.checked(code)) != nil else { throw .notFound("town \(code) in the district \(location)") }
        return try PostgresTownStore(uri: townURI(code), access: self.access == .readOnly ? .readOnly : access)
    }

    public func storeForImport(of code: String) throws(StoreError) -> any TownStore {
        guard access == .readWrite else { throw .importRefused("the district \(location) is open read-only") }
        let schema = townSchema(try DistrictNames.checked(code))
        try StoreError.wrapping("making schema \(schema) for town \(code) in \(location)") {
            try pool.withConnection { db in try db.script("CREATE SCHEMA IF NOT EXISTS \(schema)") }
        }
        return try PostgresTownStore(uri: townURI(code), access: .readWrite)
    }

    /// The town tables the district reads across towns, each attached to a parent of the
    /// district's `PARTITION BY LIST (town_code)`, as the partition of its town.
    static let partitionedTables = ["residents", "resident_categories", "event_state"]

    public func record(_ town: DistrictTown) throws(StoreError) {
        // The code names a file or schema and is written into SQL: only a plain town code will do.
        _ = try DistrictNames.checked(town.code)
        let wkb = try DistrictCatalogueRows.wkb(of: town)
        let schema = townSchema(town.code)
        try StoreError.wrapping("recording town \(town.code) in the district \(location)") {
            try pool.withConnection { db in
                try db.transaction {
                    // One district change at a time: two towns recorded at once would both make a parent.
                    try db.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock), hashtext(current_schema()))")
                    try attachPartitions(of: town.code, in: schema, db)
                    try db.query("""
                    INSERT INTO district_towns (code, division_code, name, latin_name, working_crs, boundary_wkb, town_schema, recorded_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    ON CONFLICT (code) DO UPDATE SET division_code = excluded.division_code, name = excluded.name,
                        latin_name = excluded.latin_name, working_crs = excluded.working_crs, boundary_wkb = excluded.boundary_wkb,
                        recorded_at = excluded.recorded_at
                    """, [town.code, town.divisionCode, town.name, town.latinName, town.workingCRS.description, wkb,
                          schema, Date().formatted(.iso8601)])
                }
            }
        }
    }

    /// Gives each of the town's ``partitionedTables`` its constant `town_code` column (a default
    /// and a CHECK, so that rows its store writes without naming the column are the town's, and
    /// so that attaching need not scan the table), makes the district's parent the first time,
    /// and attaches the table unless it is attached already (a replaced town's tables are the
    /// same tables, still attached).
    private func attachPartitions(of code: String, in schema: String, _ db: PostgresConnection) throws {
        for table in Self.partitionedTables {
            let qualified = "\(schema).\(table)"
            guard try db.query("SELECT to_regclass($1) IS NOT NULL", [qualified])[0].boolean(0) == true else {
                throw StoreError.notFound("town \(code)'s store in the district \(location): import the town before recording it")
            }
            let columns = try db.query("SELECT 1 FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'town_code' AND NOT attisdropped",
                                       [qualified])
            if columns.count == 0 {
                // (Not ADD COLUMN IF NOT EXISTS: PostgreSQL refuses any ADD COLUMN on a partition.)
                try db.script("""
                    ALTER TABLE \(qualified) ADD COLUMN town_code text NOT NULL DEFAULT '\(code)'
                        CONSTRAINT \(table)_town_code CHECK (town_code = '\(code)')
                    """)
            }
            try db.script("CREATE TABLE IF NOT EXISTS district_\(table) (LIKE \(qualified)) PARTITION BY LIST (town_code)")
            let attached = try db.query("SELECT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = $1::regclass)", [qualified])[0]
            if try attached.boolean(0) != true {
                try db.script("ALTER TABLE district_\(table) ATTACH PARTITION \(qualified) FOR VALUES IN ('\(code)')")
            }
        }
    }

    /// Three queries over the partitioned parents in one snapshot, grouped by `town_code`.
    public func townCounts() throws(StoreError) -> [String: DistrictTownCounts] {
        try StoreError.wrapping("counting the towns' residents and events in \(location)") {
            try pool.withConnection { db in
                try db.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                    var counts: [String: DistrictTownCounts] = [:]
                    guard try db.query("SELECT to_regclass('district_residents') IS NOT NULL")[0].boolean(0) == true else { return counts }
                    for (sql, figure) in DistrictCountsSQL.statements(town: "town_code", prefix: "district_") {
                        for row in try db.query(sql).rows {
                            DistrictCountsSQL.add(figure, town: try row.required(0, row.string), category: try row.string(1),
                                                  count: try row.required(2, row.integer), to: &counts)
                        }
                    }
                    return counts
                }
            }
        }
    }

    /// The schema of town `code`.
    func townSchema(_ code: String) -> String {
        let own = schemas[0]
        return (own == "public" ? "" : own + "_") + "town_" + code.lowercased()
    }

    private func townURI(_ code: String) -> String {
        ConnectionString.searchingSchemas([townSchema(code)] + schemas, in: uri)
    }
}
