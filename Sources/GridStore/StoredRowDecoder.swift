import Foundation
import GEOS
import GRDB
import GeoJSON
import GridMapCore
import PROJ

/// Turns stored rows back into domain values. Holds a GEOS context for decoding WKB, so it is
/// made inside a database read and used on that thread only.
struct StoredRowDecoder {
    private let context = GEOSContext()

    func town(_ row: Row) throws -> Town {
        Town(code: row["code"], name: row["name"], latinName: row["latin_name"],
             workingCRS: CRSDefinition(row["working_crs"] as String), boundary: try geometry(row, "boundary_wkb"))
    }

    func village(_ row: Row) -> Village {
        Village(code: row["code"], name: row["name"])
    }

    func grid(_ row: Row) throws -> Grid {
        Grid(code: try code(row, "code"), name: row["name"], villageCode: row["village_code"],
             geometry: try geometry(row, "wkb"))
    }

    func microGrid(_ row: Row) throws -> MicroGrid {
        MicroGrid(code: try code(row, "code"), name: row["name"], geometry: try geometry(row, "wkb"))
    }

    func feature(_ row: Row) throws -> MapFeature {
        let kindText: String = row["kind"]
        guard let kind = FeatureKind(rawValue: kindText) else { throw StoreError.corrupt("feature kind \(kindText)") }
        return MapFeature(id: row["id"], kind: kind, name: row["name"], geometry: try geometry(row, "wkb"),
                          properties: try PropertiesText.decode(row["properties"]))
    }

    /// A resident from a row that starts with the `residents` table's five columns in table order
    /// (`SELECT *` or `SELECT r.*, …`), read by position: looking each of 56,000 rows' columns up
    /// by name showed in an export's profile. `categories` come from `resident_categories`, in
    /// stored order.
    func resident(_ row: Row, categories: [String]) throws -> Resident {
        var resident = Resident(id: row[0], name: row[1], homeID: row[2], phone: row[3], birthYear: row[4])
        resident.categories = try categories.map { text in
            guard let category = ResidentCategory(rawValue: text) else { throw StoreError.corrupt("category \(text)") }
            return category
        }
        return resident
    }

    func teamMember(_ row: Row) throws -> TeamMember {
        let roleText: String = row["role"]
        guard let role = TeamRole(rawValue: roleText) else { throw StoreError.corrupt("team role \(roleText)") }
        return TeamMember(gridCode: try code(row, "grid_code"), role: role, name: row["name"],
                          unit: row["unit"], phone: row["phone"])
    }

    /// The grid or micro-grid code in `column`, or nil when the column is NULL.
    func optionalCode(_ row: Row, _ column: String) throws -> GridCode? {
        guard let text: String = row[column] else { return nil }
        guard let code = GridCode(text) else { throw StoreError.corrupt("\(column) \(text)") }
        return code
    }

    func code(_ row: Row, _ column: String) throws -> GridCode {
        guard let code = try optionalCode(row, column) else { throw StoreError.corrupt("\(column) is NULL") }
        return code
    }

    func geometry(_ row: Row, _ column: String) throws -> GeoJSON.Geometry {
        let data: Data = row[column]
        return try StoredGeometry.decode(Array(data), in: context)
    }

    /// A GEOS geometry from the WKB in `column`, for area tests.
    func geosGeometry(_ row: Row, _ column: String) throws -> GEOS.Geometry {
        let data: Data = row[column]
        return try GEOS.Geometry(wkb: Array(data), context: context)
    }
}
