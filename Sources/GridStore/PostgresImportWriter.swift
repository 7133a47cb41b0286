import Foundation
import GridMapCore
import Postgres

/// Writes an ``ImportPlan`` into an open PostgreSQL transaction: deletes the town's rows, loads
/// the plan's with binary COPY (each table in import order, numbered in `ord`), and appends one
/// line to the import log with the coverage faults the import accepted. The caller's
/// transaction makes it all or nothing: a constraint the COPY breaks (the planner's checks are
/// the first line, the foreign keys the second) rolls everything back.
///
/// An advisory transaction lock serialises imports into one database: a second waits for the
/// first to commit, then replaces its town whole, as SQLite's write lock does.
enum PostgresImportWriter {
    static func write(_ plan: ImportPlan, source: String, into db: PostgresConnection) throws -> ImportSummary {
        try db.query(PostgresSchema.lock("pg_advisory_xact_lock", PostgresSchema.importLock))
        for table in PostgresSchema.townTables { try db.script("DELETE FROM \(table)") }
        try db.copy("COPY town (code, name, latin_name, working_crs, boundary_wkb, manifest_members) FROM STDIN (FORMAT binary)") { rows in
            try rows.beginRow(columns: 6)
            rows.add(plan.town.code)
            rows.add(plan.town.name)
            rows.add(plan.town.latinName)
            rows.add(plan.town.workingCRS)
            rows.add(bytes: plan.town.boundary.wkb)
            rows.add(plan.town.manifestMembers)
        }
        try db.copy("COPY villages (ord, code, name) FROM STDIN (FORMAT binary)") { rows in
            for (ord, village) in plan.villages.enumerated() {
                try rows.beginRow(columns: 3)
                rows.add(ord)
                rows.add(village.code)
                rows.add(village.name)
            }
        }
        try db.copy("COPY grids (ord, code, name, village_code, wkb) FROM STDIN (FORMAT binary)") { rows in
            for (ord, row) in plan.grids.enumerated() {
                try rows.beginRow(columns: 5)
                rows.add(ord)
                rows.add(row.grid.code.description)
                rows.add(row.grid.name)
                rows.add(row.grid.villageCode)
                rows.add(bytes: row.geometry.wkb)
            }
        }
        try db.copy("COPY micro_grids (ord, code, grid_code, name, wkb) FROM STDIN (FORMAT binary)") { rows in
            for (ord, row) in plan.microGrids.enumerated() {
                try rows.beginRow(columns: 5)
                rows.add(ord)
                rows.add(row.microGrid.code.description)
                rows.add(row.microGrid.gridCode.description)
                rows.add(row.microGrid.name)
                rows.add(bytes: row.geometry.wkb)
            }
        }
        var ord = 0
        let outside = try plan.writeFeatureRows { chunk in
            try db.copy("""
                COPY features (ord, id, kind, name, geometry_type, wkb, properties, point_x, point_y, micro_grid_code)
                FROM STDIN (FORMAT binary)
                """) { rows in
                for row in chunk {
                    try rows.beginRow(columns: 10)
                    rows.add(ord)
                    rows.add(row.feature.id)
                    rows.add(row.feature.kind.rawValue)
                    rows.add(row.feature.name)
                    rows.add(row.geometry.typeName)
                    rows.add(bytes: row.geometry.wkb)
                    rows.add(row.propertiesText)
                    rows.add(row.representativePoint?.x)
                    rows.add(row.representativePoint?.y)
                    rows.add(row.microGrid?.description)
                    ord += 1
                }
            }
        }
        try insertResidents(plan.residents, into: db)
        try db.copy("COPY team (id, grid_code, role, name, unit, phone) FROM STDIN (FORMAT binary)") { rows in
            // Numbered from 1, as SQLite numbers an emptied table's rows.
            for (index, member) in plan.team.enumerated() {
                try rows.beginRow(columns: 6)
                rows.add(index + 1)
                rows.add(member.gridCode.description)
                rows.add(member.role.rawValue)
                rows.add(member.name)
                rows.add(member.unit)
                rows.add(member.phone)
            }
        }
        let summary = plan.summary(featuresOutsideMicroGrids: outside)
        try logImport(plan, summary, source: source, into: db)
        return summary
    }

    private static func insertResidents(_ residents: [Resident], into db: PostgresConnection) throws {
        try db.copy("COPY residents (ord, id, name, home_id, phone, birth_year) FROM STDIN (FORMAT binary)") { rows in
            for (ord, resident) in residents.enumerated() {
                try rows.beginRow(columns: 6)
                rows.add(ord)
                rows.add(resident.id)
                rows.add(resident.name)
                rows.add(resident.homeID)
                rows.add(resident.phone)
                rows.add(resident.birthYear)
            }
        }
        try db.copy("COPY resident_categories (ord, resident_id, category) FROM STDIN (FORMAT binary)") { rows in
            var ord = 0
            for resident in residents {
                for category in resident.categories {
                    try rows.beginRow(columns: 3)
                    rows.add(ord)
                    rows.add(resident.id)
                    rows.add(category.rawValue)
                    ord += 1
                }
            }
        }
    }

    private static func logImport(_ plan: ImportPlan, _ summary: ImportSummary, source: String, into db: PostgresConnection) throws {
        let logged = try db.query("""
            INSERT INTO imports (imported_at, source, town_code, villages, grids, micro_grids, features, residents, team_members)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
            """,
            [Date().ISO8601Format(), source, plan.town.code, summary.villages, summary.grids,
             summary.microGrids, summary.features, summary.residents, summary.teamMembers])[0]
        let importID = try logged.required(0, logged.integer)
        for (position, fault) in plan.coverageFaults.enumerated() {
            try db.query("""
                INSERT INTO coverage_faults_accepted (import_id, position, kind, severity, codes, feature_id, area_m2, lon, lat, message)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                """,
                [importID, position, fault.kind, fault.severity, fault.codes.joined(separator: " "), fault.featureID,
                 fault.areaSquareMetres, fault.longitude, fault.latitude, fault.message])
        }
    }
}
