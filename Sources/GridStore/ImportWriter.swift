import Foundation
import GRDB

/// Writes an ``ImportPlan`` into an open write transaction: deletes the town's rows, inserts the
/// plan's, and appends one line to the import log. The caller's transaction makes it all or
/// nothing; any SQL failure (a constraint violation) throws and so rolls everything back.
enum ImportWriter {
    static func write(_ plan: ImportPlan, source: String, into db: Database) throws {
        for table in StoreSchema.townTables { try db.execute(sql: "DELETE FROM \(table)") }
        try insertTown(plan.town, into: db)
        let village = try db.cachedStatement(sql: "INSERT INTO villages (code, name) VALUES (?, ?)")
        for row in plan.villages { try village.execute(arguments: [row.code, row.name]) }
        let grid = try db.cachedStatement(sql: """
            INSERT INTO grids (code, name, village_code, wkb, min_x, min_y, max_x, max_y)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for row in plan.grids {
            try grid.execute(arguments: [row.grid.code.description, row.grid.name, row.grid.villageCode]
                + envelopeArguments(row.geometry))
        }
        let microGrid = try db.cachedStatement(sql: """
            INSERT INTO micro_grids (code, grid_code, name, wkb, min_x, min_y, max_x, max_y)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for row in plan.microGrids {
            let value = row.microGrid
            try microGrid.execute(arguments: [value.code.description, value.gridCode.description, value.name]
                + envelopeArguments(row.geometry))
        }
        try insertFeatures(plan.features, into: db)
        try insertResidents(plan, into: db)
        let member = try db.cachedStatement(sql: """
            INSERT INTO team (grid_code, role, name, unit, phone) VALUES (?, ?, ?, ?, ?)
            """)
        for row in plan.team {
            try member.execute(arguments: [row.gridCode.description, row.role.rawValue, row.name, row.unit, row.phone])
        }
        try logImport(plan, source: source, into: db)
    }

    private static func insertTown(_ town: ImportPlan.TownRow, into db: Database) throws {
        try db.execute(
            sql: "INSERT INTO town (code, name, latin_name, working_crs, boundary_wkb) VALUES (?, ?, ?, ?, ?)",
            arguments: [town.code, town.name, town.latinName, town.workingCRS, Data(town.boundary.wkb)])
    }

    private static func insertFeatures(_ features: [ImportPlan.FeatureRow], into db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO features (id, kind, name, geometry_type, wkb, min_x, min_y, max_x, max_y,
                                  properties, point_x, point_y, micro_grid_code)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for row in features {
            let feature = row.feature
            var arguments: StatementArguments = [feature.id, feature.kind.rawValue, feature.name, row.geometry.typeName]
            arguments += envelopeArguments(row.geometry)
            arguments += [row.propertiesText, row.representativePoint?.x, row.representativePoint?.y,
                          row.microGrid?.description]
            try statement.execute(arguments: arguments)
        }
    }

    private static func insertResidents(_ plan: ImportPlan, into db: Database) throws {
        let resident = try db.cachedStatement(sql: """
            INSERT INTO residents (id, name, home_id, phone, birth_year) VALUES (?, ?, ?, ?, ?)
            """)
        let category = try db.cachedStatement(sql: """
            INSERT INTO resident_categories (resident_id, category) VALUES (?, ?)
            """)
        for row in plan.residents {
            try resident.execute(arguments: [row.id, row.name, row.homeID, row.phone, row.birthYear])
            for value in row.categories { try category.execute(arguments: [row.id, value.rawValue]) }
        }
    }

    private static func logImport(_ plan: ImportPlan, source: String, into db: Database) throws {
        let summary = plan.summary
        try db.execute(sql: """
            INSERT INTO imports (imported_at, source, town_code, villages, grids, micro_grids, features,
                                 residents, team_members)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            arguments: [Date().ISO8601Format(), source, plan.town.code, summary.villages, summary.grids,
                        summary.microGrids, summary.features, summary.residents, summary.teamMembers])
    }

    /// The WKB and the four envelope columns (NULL for an empty geometry).
    private static func envelopeArguments(_ geometry: StoredGeometry) -> StatementArguments {
        let box = geometry.envelope
        return [Data(geometry.wkb), box?.minX, box?.minY, box?.maxX, box?.maxY]
    }
}
