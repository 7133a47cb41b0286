import Foundation
import GEOS
import GRDB
import GeoJSON
import GridMapCore
import PROJ

/// Turns stored rows back into domain values. Holds a GEOS context for decoding WKB, so it is
/// made inside a database read and used on that thread only. A value that does not decode is
/// ``StoreError/corrupt(_:)`` naming the table, the row's key and the column.
struct StoredRowDecoder {
    private let context = GEOSContext()

    func town(_ row: Row) throws(StoreError) -> Town {
        let code: String = row["code"]
        return Town(code: code, name: row["name"], latinName: row["latin_name"], workingCRS: CRSDefinition(row["working_crs"] as String),
                    boundary: try geometry(row, "boundary_wkb", place: "town \(code)"),
                    manifestMembers: try PropertiesText.decode(row["manifest_members"], place: "town \(code)", column: "manifest_members"))
    }

    func village(_ row: Row) -> Village {
        Village(code: row["code"], name: row["name"])
    }

    func grid(_ row: Row) throws(StoreError) -> Grid {
        let code = try code(row, "code", place: "grids")
        return Grid(code: code, name: row["name"], villageCode: row["village_code"],
                    geometry: try geometry(row, "wkb", place: "grids \(code)"))
    }

    func microGrid(_ row: Row) throws(StoreError) -> MicroGrid {
        let code = try code(row, "code", place: "micro_grids")
        return MicroGrid(code: code, name: row["name"], geometry: try geometry(row, "wkb", place: "micro_grids \(code)"))
    }

    func feature(_ row: Row) throws(StoreError) -> MapFeature {
        let id: String = row["id"]
        let kindText: String = row["kind"]
        guard let kind = FeatureKind(rawValue: kindText) else {
            throw .corrupt("features \(id), column kind: \"\(kindText)\" is not a feature kind")
        }
        return MapFeature(id: id, kind: kind, name: row["name"], geometry: try geometry(row, "wkb", place: "features \(id)"),
                          properties: try PropertiesText.decode(row["properties"], place: "features \(id)"))
    }

    /// A resident from a row that starts with the `residents` table's five columns in table order
    /// (`SELECT *` or `SELECT r.*, …`), read by position: looking each of 56,000 rows' columns up
    /// by name showed in an export's profile. `categories` come from `resident_categories`, in
    /// stored order.
    func resident(_ row: Row, categories: [String]) throws(StoreError) -> Resident {
        var resident = Resident(id: row[0], name: row[1], homeID: row[2], phone: row[3], birthYear: row[4])
        var parsed: [ResidentCategory] = []
        for text in categories {
            guard let category = ResidentCategory(rawValue: text) else {
                throw .corrupt("resident_categories of \(resident.id): \"\(text)\" is not a category")
            }
            parsed.append(category)
        }
        resident.categories = parsed
        return resident
    }

    func teamMember(_ row: Row) throws(StoreError) -> TeamMember {
        let id: Int64 = row["id"]
        let roleText: String = row["role"]
        guard let role = TeamRole(rawValue: roleText) else {
            throw .corrupt("team \(id), column role: \"\(roleText)\" is not a team role")
        }
        return TeamMember(gridCode: try code(row, "grid_code", place: "team \(id)"), role: role, name: row["name"],
                          unit: row["unit"], phone: row["phone"])
    }

    /// The grid or micro-grid code in `column`, or nil when the column is NULL.
    func optionalCode(_ row: Row, _ column: String, place: String) throws(StoreError) -> GridCode? {
        guard let text: String = row[column] else { return nil }
        guard let code = GridCode(text) else { throw .corrupt("\(place), column \(column): \"\(text)\" is not a grid code") }
        return code
    }

    func code(_ row: Row, _ column: String, place: String) throws(StoreError) -> GridCode {
        guard let code = try optionalCode(row, column, place: place) else { throw .corrupt("\(place), column \(column) is NULL") }
        return code
    }

    func geometry(_ row: Row, _ column: String, place: String) throws(StoreError) -> Geometry {
        let data: Data = row[column]
        do {
            return try StoredGeometry.decode(Array(data), in: context)
        } catch {
            throw .corrupt("\(place), column \(column): \(error)")
        }
    }
}
