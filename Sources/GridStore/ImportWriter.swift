import Foundation
import GRDB
import GridMapCore

/// Writes an ``ImportPlan`` into an open write transaction: deletes the town's rows, inserts the
/// plan's, and appends one line to the import log, with the coverage faults the import accepted. The caller's transaction makes it all or
/// nothing; any SQL failure (a constraint violation) throws and so rolls everything back.
///
/// Foreign keys stay enforced row by row: the planner has checked every reference, and this is
/// the second line of defence. The secondary indexes are dropped for the bulk insert and built
/// again at the end, which sorts each once instead of growing it row by row (about a third of
/// the write's time on the bundled town); being schema changes inside the same transaction,
/// they come back untouched when the import fails.
enum ImportWriter {
    /// Returns what was written.
    static func write(_ plan: ImportPlan, source: String, into db: Database) throws -> ImportSummary {
        // Room for most of a town's pages until the commit (16 MiB at most, taken as pages are
        // touched): with SQLite's default 2 MB, dirty pages spill to the WAL mid-transaction.
        // Not more: the cache and the index sorts it bounds sit beside the whole town in memory,
        // and 64 MiB cost a million wells 60 MB more at the peak for no time saved (Dacun: 0.58 s
        // either way). The connection's own size comes back afterwards, so that a long-lived store keeps it.
        let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        try db.execute(sql: "PRAGMA cache_size = -16384")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
        let indexes = try StoreSchema.secondaryIndexes(db)
        for index in indexes { try db.execute(sql: "DROP INDEX \(index.name.quotedDatabaseIdentifier)") }
        for table in StoreSchema.townTables { try db.execute(sql: "DELETE FROM \(table)") }
        try insertTown(plan.town, into: db)
        var village = try RowInserter("INSERT INTO villages (code, name) VALUES (?, ?)", in: db)
        for row in plan.villages {
            village.bind(row.code)
            village.bind(row.name)
            try village.insert()
        }
        var grid = try RowInserter("""
            INSERT INTO grids (code, name, village_code, wkb, min_x, min_y, max_x, max_y)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, in: db)
        for row in plan.grids {
            grid.bind(row.grid.code.description)
            grid.bind(row.grid.name)
            grid.bind(row.grid.villageCode)
            grid.bind(row.geometry)
            try grid.insert()
        }
        var microGrid = try RowInserter("""
            INSERT INTO micro_grids (code, grid_code, name, wkb, min_x, min_y, max_x, max_y)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, in: db)
        for row in plan.microGrids {
            microGrid.bind(row.microGrid.code.description)
            microGrid.bind(row.microGrid.gridCode.description)
            microGrid.bind(row.microGrid.name)
            microGrid.bind(row.geometry)
            try microGrid.insert()
        }
        let outside = try insertFeatures(of: plan, into: db)
        try insertResidents(plan.residents, into: db)
        var member = try RowInserter("INSERT INTO team (grid_code, role, name, unit, phone) VALUES (?, ?, ?, ?, ?)", in: db)
        for row in plan.team {
            member.bind(row.gridCode.description)
            member.bind(row.role.rawValue)
            member.bind(row.name)
            member.bind(row.unit)
            member.bind(row.phone)
            try member.insert()
        }
        for index in indexes { try db.execute(sql: index.sql) }
        let summary = plan.summary(featuresOutsideMicroGrids: outside)
        try logImport(plan, summary, source: source, into: db)
        return summary
    }

    private static func insertTown(_ town: ImportPlan.TownRow, into db: Database) throws {
        var statement = try RowInserter(
            "INSERT INTO town (code, name, latin_name, working_crs, boundary_wkb, manifest_members) VALUES (?, ?, ?, ?, ?, ?)", in: db)
        statement.bind(town.code)
        statement.bind(town.name)
        statement.bind(town.latinName)
        statement.bind(town.workingCRS)
        statement.bind(town.boundary.wkb)
        statement.bind(town.manifestMembers)
        try statement.insert()
    }

    /// Inserts the features' rows as the plan makes them, a chunk at a time; returns how many
    /// lie outside every micro-grid.
    private static func insertFeatures(of plan: ImportPlan, into db: Database) throws -> Int {
        var statement = try RowInserter("""
            INSERT INTO features (id, kind, name, geometry_type, wkb, min_x, min_y, max_x, max_y,
                                  properties, point_x, point_y, micro_grid_code)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, in: db)
        return try plan.writeFeatureRows { rows in try insert(rows, with: &statement) }
    }

    private static func insert(_ rows: [ImportPlan.FeatureRow], with statement: inout RowInserter) throws {
        for row in rows {
            statement.bind(row.feature.id)
            statement.bind(row.feature.kind.rawValue)
            statement.bind(row.feature.name)
            statement.bind(row.geometry.typeName)
            statement.bind(row.geometry)
            statement.bind(row.propertiesText)
            statement.bind(row.representativePoint?.x)
            statement.bind(row.representativePoint?.y)
            statement.bind(row.microGrid?.description)
            try statement.insert()
        }
    }

    private static func insertResidents(_ residents: [Resident], into db: Database) throws {
        var resident = try RowInserter(
            "INSERT INTO residents (id, name, home_id, phone, birth_year) VALUES (?, ?, ?, ?, ?)", in: db)
        var category = try RowInserter("INSERT INTO resident_categories (resident_id, category) VALUES (?, ?)", in: db)
        for row in residents {
            resident.bind(row.id)
            resident.bind(row.name)
            resident.bind(row.homeID)
            resident.bind(row.phone)
            resident.bind(row.birthYear)
            try resident.insert()
            for value in row.categories {
                category.bind(row.id)
                category.bind(value.rawValue)
                try category.insert()
            }
        }
    }

    private static func logImport(_ plan: ImportPlan, _ summary: ImportSummary, source: String, into db: Database) throws {
        try db.execute(sql: """
            INSERT INTO imports (imported_at, source, town_code, villages, grids, micro_grids, features,
                                 residents, team_members)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            arguments: [Date().ISO8601Format(), source, plan.town.code, summary.villages, summary.grids,
                        summary.microGrids, summary.features, summary.residents, summary.teamMembers])
        let importID = db.lastInsertedRowID
        for (position, fault) in plan.coverageFaults.enumerated() {
            try db.execute(sql: """
                INSERT INTO coverage_faults_accepted (import_id, position, kind, severity, codes, feature_id, area_m2, lon, lat, message)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                arguments: [importID, position, fault.kind, fault.severity, fault.codes.joined(separator: " "), fault.featureID,
                            fault.areaSquareMetres, fault.longitude, fault.latitude, fault.message])
        }
    }
}

private extension RowInserter {
    /// The WKB and the four envelope columns (NULL for an empty geometry).
    mutating func bind(_ geometry: StoredGeometry) {
        let box = geometry.envelope
        bind(geometry.wkb)
        bind(box?.minX)
        bind(box?.minY)
        bind(box?.maxX)
        bind(box?.maxY)
    }
}
