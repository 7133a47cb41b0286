import Foundation
import Postgres

/// The PostgreSQL store's schema as numbered migrations, recorded in `schema_version` (one row
/// per migration applied, with its name and time). A migration, once released, never changes:
/// a new table or column is a new migration appended to ``migrations``.
///
/// The town tables are the SQLite store's (``StoreSchema``), with an `ord` column for import
/// order (PostgreSQL has no rowid) and, beside each WKB column, a PostGIS geometry generated
/// from it in WGS84 with a GiST index.
enum PostgresSchema {
    /// Keys of the advisory locks the store takes (`pg_advisory_xact_lock`, `pg_try_advisory_lock`):
    /// arbitrary numbers, the same in every GridMap, each paired with the store's schema
    /// (``lock(_:_:)``), so that stores in different schemas of one database never wait for, or
    /// refuse, each other.
    static let migrationLock: Int32 = 0x474D_0001
    static let importLock: Int32 = 0x474D_0002
    /// Held for a whole import's preparation by ``PostgresTownStore/reserveForImport()``.
    static let importClaimLock: Int32 = 0x474D_0003
    /// Held by every write to the event log, for its transaction: writers take turns.
    static let eventLogLock: Int32 = 0x474D_0004

    /// The statement calling the advisory-lock `function` on `key` and the store's schema (the
    /// first of its search path, where its tables are). In `pg_locks` the lock shows with
    /// `classid` = `key`, `objid` = the schema's hash and `objsubid` = 2.
    static func lock(_ function: String, _ key: Int32) -> String {
        "SELECT \(function)(\(key), hashtext(current_schema()))"
    }

    static let migrations: [(name: String, sql: String)] = [
        ("v1: town, grids, features, residents, team, imports, coverage faults accepted", version1),
        ("v2: accounts, sessions and the audit log", PostgresAccountBook.schema),
        ("v3: events, their histories and state, attachments, inspections, activities", PostgresEventSchema.version3),
        ("v4: the register's history and the survey", PostgresTownStore.registerSchema),
    ]

    /// Applies the migrations the database lacks, each in its own transaction under an advisory
    /// lock (so that two processes opening a new database do not both create it). Read-only, a
    /// database that lacks any is refused; one written by a newer GridMap always is.
    static func bringUpToDate(_ pool: PostgresPool, location: String, readOnly: Bool) throws(StoreError) {
        do {
            try pool.withConnection { db in
                let applied = try appliedVersion(db)
                if applied > migrations.count {
                    throw StoreError.newerSchema(path: location, stored: "version \(applied)",
                                                 known: "version \(migrations.count) (\(migrations.last!.name))")
                }
                guard applied < migrations.count else { return }
                guard !readOnly else {
                    throw StoreError.cannotOpen(path: location, reason: applied == 0
                        ? "it is not a GridMap store yet, and a read-only store cannot be made one"
                        : "its schema is at version \(applied) and this GridMap needs \(migrations.count): open it once without --read-only to upgrade it")
                }
                try ensurePostGIS(db)
                try db.transaction {
                    try db.query(lock("pg_advisory_xact_lock", migrationLock))
                    try db.script("CREATE TABLE IF NOT EXISTS schema_version (version int8 PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)")
                    // Another process may have applied some while this one waited for the lock.
                    for (index, migration) in migrations.enumerated() where index + 1 > (try appliedVersion(db)) {
                        try db.script(migration.sql)
                        try db.query("INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
                                     [index + 1, migration.name, Date().ISO8601Format()])
                    }
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .cannotOpen(path: location, reason: "bringing its schema up to date failed: \(error)")
        }
    }

    /// The number of the last migration applied, 0 for a database without the table.
    private static func appliedVersion(_ db: PostgresConnection) throws -> Int {
        let exists = try db.query("SELECT to_regclass('schema_version') IS NOT NULL")[0]
        guard try exists.boolean(0) == true else { return 0 }
        let row = try db.query("SELECT coalesce(max(version), 0) FROM schema_version")[0]
        return try row.required(0, row.integer)
    }

    /// Creates PostGIS when the database lacks it, saying what to do when this role may not.
    static func ensurePostGIS(_ db: PostgresConnection) throws {
        let present = try db.query("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis')")[0]
        guard try present.boolean(0) != true else { return }
        do {
            try db.script("CREATE EXTENSION IF NOT EXISTS postgis")
        } catch {
            throw StoreError.database(operation: "creating the PostGIS extension",
                                      reason: "\(error); ask the database's owner to run CREATE EXTENSION postgis in it")
        }
    }

    /// Tables whose rows an import replaces, children before parents (the order to delete in).
    static let townTables = ["resident_categories", "residents", "team", "features", "micro_grids", "grids", "villages", "town"]

    /// A WKB column's PostGIS twin, generated from it: what the GiST indexes and the area
    /// prefilters work on, never written by the store itself.
    private static func geometry(_ name: String, from wkb: String) -> String {
        "\(name) geometry(Geometry, 4326) GENERATED ALWAYS AS (ST_GeomFromWKB(\(wkb), 4326)) STORED"
    }

    private static let version1 = """
        CREATE TABLE town (
            code text PRIMARY KEY,
            name text NOT NULL,
            latin_name text NOT NULL,
            working_crs text NOT NULL,
            boundary_wkb bytea NOT NULL,
            manifest_members text NOT NULL DEFAULT '{}',
            \(geometry("boundary", from: "boundary_wkb"))
        );
        CREATE TABLE villages (
            ord int8 NOT NULL UNIQUE,
            code text PRIMARY KEY,
            name text NOT NULL
        );
        CREATE TABLE grids (
            ord int8 NOT NULL UNIQUE,
            code text PRIMARY KEY,
            name text NOT NULL,
            village_code text NOT NULL REFERENCES villages(code),
            wkb bytea NOT NULL,
            \(geometry("geom", from: "wkb"))
        );
        CREATE INDEX grids_village ON grids(village_code);
        CREATE INDEX grids_geom ON grids USING gist (geom);
        CREATE TABLE micro_grids (
            ord int8 NOT NULL UNIQUE,
            code text PRIMARY KEY,
            grid_code text NOT NULL REFERENCES grids(code),
            name text NOT NULL,
            wkb bytea NOT NULL,
            \(geometry("geom", from: "wkb"))
        );
        CREATE INDEX micro_grids_grid ON micro_grids(grid_code);
        CREATE INDEX micro_grids_geom ON micro_grids USING gist (geom);
        CREATE TABLE features (
            ord int8 NOT NULL UNIQUE,
            id text PRIMARY KEY,
            kind text NOT NULL,
            name text NOT NULL,
            geometry_type text NOT NULL,
            wkb bytea NOT NULL,
            properties text NOT NULL,
            point_x float8, point_y float8,
            micro_grid_code text REFERENCES micro_grids(code),
            \(geometry("geom", from: "wkb"))
        );
        CREATE INDEX features_kind ON features(kind, ord);
        CREATE INDEX features_micro_grid ON features(micro_grid_code);
        CREATE INDEX features_geom ON features USING gist (geom);
        CREATE TABLE residents (
            ord int8 NOT NULL UNIQUE,
            id text PRIMARY KEY,
            name text NOT NULL,
            home_id text NOT NULL REFERENCES features(id),
            phone text,
            birth_year int8
        );
        CREATE INDEX residents_home ON residents(home_id);
        CREATE TABLE resident_categories (
            ord int8 NOT NULL UNIQUE,
            resident_id text NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
            category text NOT NULL,
            PRIMARY KEY (resident_id, category)
        );
        CREATE INDEX resident_categories_category ON resident_categories(category);
        CREATE TABLE team (
            id int8 PRIMARY KEY,
            grid_code text NOT NULL REFERENCES grids(code),
            role text NOT NULL,
            name text NOT NULL,
            unit text,
            phone text
        );
        CREATE INDEX team_grid ON team(grid_code);
        CREATE TABLE imports (
            id int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            imported_at text NOT NULL,
            source text NOT NULL,
            town_code text NOT NULL,
            villages int8 NOT NULL,
            grids int8 NOT NULL,
            micro_grids int8 NOT NULL,
            features int8 NOT NULL,
            residents int8 NOT NULL,
            team_members int8 NOT NULL
        );
        CREATE TABLE coverage_faults_accepted (
            import_id int8 NOT NULL REFERENCES imports(id),
            position int8 NOT NULL,
            kind text NOT NULL,
            severity text NOT NULL,
            codes text NOT NULL,
            feature_id text,
            area_m2 float8 NOT NULL,
            lon float8 NOT NULL,
            lat float8 NOT NULL,
            message text NOT NULL,
            PRIMARY KEY (import_id, position)
        );
        """
}
