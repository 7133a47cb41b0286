import GRDB

/// The store's schema as GRDB migrations. A migration, once released, never changes: a new
/// column or table is a new migration appended here, so that every older file upgrades in order.
///
/// Geometry columns hold 2D little-endian WKB in WGS84; the `min_x … max_y` columns hold the
/// geometry's box so that area queries prefilter in SQL. Codes are text (`DC-017-2`). Rows are
/// read back in `rowid` order, which is the order they were imported in.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: town, grids, features, residents, team, imports") { db in
            try db.execute(sql: version1)
        }
        migrator.registerMigration("v2: coverage faults accepted at import") { db in
            try db.execute(sql: version2)
        }
        migrator.registerMigration("v3: events, inspections and activities, append-only") { db in
            try db.execute(sql: StoredEvent.schema)
        }
        // A cache of the histories (``StoredEventState``), a column per field; it was filled from
        // the histories here until v10 replaced it, which fills it now (the filling always wrote
        // the state as the current code does, so it has to come after the last change of layout).
        migrator.registerMigration("v4: event state, derived from the histories") { db in
            try db.execute(sql: StoredEventState.schemaV4)
        }
        migrator.registerMigration("v5: accounts, sessions and the audit log") { db in
            try db.execute(sql: SQLiteAccountBook.schema)
        }
        // Contents once per SHA-256 and the files later entries bring (``StoredAttachment``).
        migrator.registerMigration("v6: event attachments") { db in
            try db.execute(sql: StoredAttachment.schema)
        }
        // The town folder manifest's members GridMap does not read (``Town/manifestMembers``).
        migrator.registerMigration("v7: the town's other manifest members") { db in
            try db.execute(sql: "ALTER TABLE town ADD COLUMN manifest_members TEXT NOT NULL DEFAULT '{}'")
        }
        // The register's history, append-only (``RegisterLog``, docs/LEDGERS.md).
        migrator.registerMigration("v8: the register's changes, append-only") { db in
            try db.execute(sql: SQLiteTownStore.registerSchema)
        }
        // The door-to-door survey's campaigns and visits, append-only (``SurveyLog``, docs/LEDGERS.md).
        migrator.registerMigration("v9: survey campaigns and visits, append-only") { db in
            try db.execute(sql: SQLiteTownStore.surveySchema)
        }
        // The event state as one blob per event beside the columns SQL filters on (a million rows
        // read in a sixth of the time), filled from the histories.
        migrator.registerMigration("v10: event state packed, derived from the histories") { db in
            try db.execute(sql: "DROP TABLE event_state")
            try db.execute(sql: StoredEventState.schema)
            try StoredEventState.rebuild(catalogue: .standard, db)
        }
        return migrator
    }

    private static let version1 = """
        CREATE TABLE town (
            code TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            latin_name TEXT NOT NULL,
            working_crs TEXT NOT NULL,
            boundary_wkb BLOB NOT NULL
        );
        CREATE TABLE villages (
            code TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL
        );
        CREATE TABLE grids (
            code TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            village_code TEXT NOT NULL REFERENCES villages(code),
            wkb BLOB NOT NULL,
            min_x REAL NOT NULL, min_y REAL NOT NULL, max_x REAL NOT NULL, max_y REAL NOT NULL
        );
        CREATE INDEX grids_village ON grids(village_code);
        CREATE TABLE micro_grids (
            code TEXT PRIMARY KEY NOT NULL,
            grid_code TEXT NOT NULL REFERENCES grids(code),
            name TEXT NOT NULL,
            wkb BLOB NOT NULL,
            min_x REAL NOT NULL, min_y REAL NOT NULL, max_x REAL NOT NULL, max_y REAL NOT NULL
        );
        CREATE INDEX micro_grids_grid ON micro_grids(grid_code);
        CREATE TABLE features (
            id TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            geometry_type TEXT NOT NULL,
            wkb BLOB NOT NULL,
            min_x REAL, min_y REAL, max_x REAL, max_y REAL,
            properties TEXT NOT NULL,
            point_x REAL, point_y REAL,
            micro_grid_code TEXT REFERENCES micro_grids(code)
        );
        CREATE INDEX features_kind ON features(kind);
        CREATE INDEX features_micro_grid ON features(micro_grid_code);
        CREATE TABLE residents (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            home_id TEXT NOT NULL REFERENCES features(id),
            phone TEXT,
            birth_year INTEGER
        );
        CREATE INDEX residents_home ON residents(home_id);
        CREATE TABLE resident_categories (
            resident_id TEXT NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
            category TEXT NOT NULL,
            PRIMARY KEY (resident_id, category)
        );
        CREATE INDEX resident_categories_category ON resident_categories(category);
        CREATE TABLE team (
            id INTEGER PRIMARY KEY,
            grid_code TEXT NOT NULL REFERENCES grids(code),
            role TEXT NOT NULL,
            name TEXT NOT NULL,
            unit TEXT,
            phone TEXT
        );
        CREATE INDEX team_grid ON team(grid_code);
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            imported_at TEXT NOT NULL,
            source TEXT NOT NULL,
            town_code TEXT NOT NULL,
            villages INTEGER NOT NULL,
            grids INTEGER NOT NULL,
            micro_grids INTEGER NOT NULL,
            features INTEGER NOT NULL,
            residents INTEGER NOT NULL,
            team_members INTEGER NOT NULL
        );
        """

    /// The coverage faults an import was allowed to keep (``AcceptedCoverageFault``), by import
    /// and position; `codes` are space-separated. Rows of older imports stay with their log line.
    private static let version2 = """
        CREATE TABLE coverage_faults_accepted (
            import_id INTEGER NOT NULL REFERENCES imports(id),
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            severity TEXT NOT NULL,
            codes TEXT NOT NULL,
            feature_id TEXT,
            area_m2 REAL NOT NULL,
            lon REAL NOT NULL,
            lat REAL NOT NULL,
            message TEXT NOT NULL,
            PRIMARY KEY (import_id, position)
        );
        """

    /// Triggers that refuse any UPDATE or DELETE of `table`, saying "`what` are append-only".
    static func appendOnly(_ table: String, _ what: String) -> String {
        ["UPDATE": "no_update", "DELETE": "no_delete"].sorted { $0.key > $1.key }.map { statement, suffix in
            "CREATE TRIGGER \(table)_\(suffix) BEFORE \(statement) ON \(table) BEGIN SELECT RAISE(ABORT, '\(what) are append-only'); END;\n"
        }.joined()
    }

    /// Tables whose rows an import replaces, children before parents (the order to delete in).
    static let townTables = ["resident_categories", "residents", "team", "features", "micro_grids",
                             "grids", "villages", "town"]

    /// The indexes created on the town tables (not the automatic ones of primary keys, which SQLite
    /// owns), each with the SQL that creates it: an import drops and rebuilds them. Read from the
    /// file rather than listed here, so that an index a later migration adds is included.
    static func secondaryIndexes(_ db: Database) throws -> [(name: String, sql: String)] {
        let tables = townTables.map { "'\($0)'" }.joined(separator: ", ")
        return try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master
            WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (\(tables)) ORDER BY name
            """).map { (name: $0["name"], sql: $0["sql"]) }
    }
}
