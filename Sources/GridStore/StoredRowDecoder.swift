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
        let boundary: Data = row["boundary_wkb"]
        return try town(code: row["code"], name: row["name"], latinName: row["latin_name"], workingCRS: row["working_crs"],
                        boundaryWKB: Array(boundary), manifestMembers: row["manifest_members"])
    }

    func village(_ row: Row) -> Village {
        Village(code: row["code"], name: row["name"])
    }

    func grid(_ row: Row) throws(StoreError) -> Grid {
        let wkb: Data = row["wkb"]
        return try grid(code: row["code"], name: row["name"], villageCode: row["village_code"], wkb: Array(wkb))
    }

    func microGrid(_ row: Row) throws(StoreError) -> MicroGrid {
        let wkb: Data = row["wkb"]
        return try microGrid(code: row["code"], name: row["name"], wkb: Array(wkb))
    }

    func feature(_ row: Row) throws(StoreError) -> MapFeature {
        let wkb: Data = row["wkb"]
        return try feature(id: row["id"], kind: row["kind"], name: row["name"], wkb: Array(wkb), properties: row["properties"])
    }

    /// A resident from a row that starts with the `residents` table's five columns in table order
    /// (`SELECT *` or `SELECT r.*, …`), read by position: looking each of 56,000 rows' columns up
    /// by name showed in an export's profile. `categories` come from `resident_categories`, in
    /// stored order.
    func resident(_ row: Row, categories: [String]) throws(StoreError) -> Resident {
        try resident(Resident(id: row[0], name: row[1], homeID: row[2], phone: row[3], birthYear: row[4]), categories: categories)
    }

    // MARK: From column values, whichever database they were read from

    func town(code: String, name: String, latinName: String, workingCRS: String, boundaryWKB: [UInt8],
              manifestMembers: String) throws(StoreError) -> Town {
        Town(code: code, name: name, latinName: latinName, workingCRS: CRSDefinition(workingCRS),
             boundary: try geometry(boundaryWKB, "boundary_wkb", place: "town \(code)"),
             manifestMembers: try PropertiesText.decode(manifestMembers, place: "town \(code)", column: "manifest_members"))
    }

    func grid(code text: String, name: String, villageCode: String, wkb: [UInt8]) throws(StoreError) -> Grid {
        let code = try code(text, "code", place: "grids")
        return Grid(code: code, name: name, villageCode: villageCode, geometry: try geometry(wkb, "wkb", place: "grids \(code)"))
    }

    func microGrid(code text: String, name: String, wkb: [UInt8]) throws(StoreError) -> MicroGrid {
        let code = try code(text, "code", place: "micro_grids")
        return MicroGrid(code: code, name: name, geometry: try geometry(wkb, "wkb", place: "micro_grids \(code)"))
    }

    func feature(id: String, kind kindText: String, name: String, wkb: [UInt8], properties: String) throws(StoreError) -> MapFeature {
        guard let kind = FeatureKind(rawValue: kindText) else {
            throw .corrupt("features \(id), column kind: \"\(kindText)\" is not a feature kind")
        }
        return MapFeature(id: id, kind: kind, name: name, geometry: try geometry(wkb, "wkb", place: "features \(id)"),
                          properties: try PropertiesText.decode(properties, place: "features \(id)"))
    }

    /// `resident` with `categories` (as stored, in order) parsed.
    func resident(_ resident: Resident, categories: [String]) throws(StoreError) -> Resident {
        var resident = resident
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

    func teamMember(id: Int64, gridCode: String, role roleText: String, name: String, unit: String?,
                    phone: String?) throws(StoreError) -> TeamMember {
        guard let role = TeamRole(rawValue: roleText) else {
            throw .corrupt("team \(id), column role: \"\(roleText)\" is not a team role")
        }
        return TeamMember(gridCode: try code(gridCode, "grid_code", place: "team \(id)"), role: role, name: name,
                          unit: unit, phone: phone)
    }

    /// The grid or micro-grid code `text` read from `column`.
    func code(_ text: String, _ column: String, place: String) throws(StoreError) -> GridCode {
        guard let code = GridCode(text) else { throw .corrupt("\(place), column \(column): \"\(text)\" is not a grid code") }
        return code
    }

    func geometry(_ wkb: [UInt8], _ column: String, place: String) throws(StoreError) -> Geometry {
        do {
            return try StoredGeometry.decode(wkb, in: context)
        } catch {
            throw .corrupt("\(place), column \(column): \(error)")
        }
    }

    // MARK: Codes and geometries from GRDB's rows, by column name

    func teamMember(_ row: Row) throws(StoreError) -> TeamMember {
        try teamMember(id: row["id"], gridCode: row["grid_code"], role: row["role"], name: row["name"], unit: row["unit"], phone: row["phone"])
    }

    /// The grid or micro-grid code in `column`, or nil when the column is NULL.
    func optionalCode(_ row: Row, _ column: String, place: String) throws(StoreError) -> GridCode? {
        guard let text: String = row[column] else { return nil }
        return try code(text, column, place: place)
    }

    func code(_ row: Row, _ column: String, place: String) throws(StoreError) -> GridCode {
        guard let code = try optionalCode(row, column, place: place) else { throw .corrupt("\(place), column \(column) is NULL") }
        return code
    }

    func geometry(_ row: Row, _ column: String, place: String) throws(StoreError) -> Geometry {
        let data: Data = row[column]
        return try geometry(Array(data), column, place: place)
    }
}

/// A ``ResidentTally`` read from a store's rows — a micro-grid's code, the categories of one
/// combination joined by commas, how many residents — each code and combination parsed once.
struct TallyReading {
    private(set) var tally = ResidentTally()
    private var microGrids: [String: GridCode] = [:]
    private var combinations: [String: [ResidentCategory]] = [:]
    private var lists: [String: String] = [:]
    private let decoder = StoredRowDecoder()

    /// Counts `count` residents in the micro-grid `text` names holding the comma-separated
    /// categories `joined`; `places` name the tables the two were read from, for an error.
    mutating func add(microGrid text: String?, categories joined: String, count: Int,
                      places: (microGrid: String, categories: String) = ("features", "resident_categories")) throws(StoreError) {
        var microGrid: GridCode?
        if let text {
            if let parsed = microGrids[text] {
                microGrid = parsed
            } else {
                let parsed = try decoder.code(text, "micro_grid_code", place: places.microGrid)
                microGrids[text] = parsed
                microGrid = parsed
            }
        }
        var categories = combinations[joined]
        if categories == nil {
            var parsed: [ResidentCategory] = []
            for name in joined.split(separator: ",") {
                guard let category = ResidentCategory(rawValue: String(name)) else {
                    throw .corrupt("\(places.categories): \"\(name)\" is not a category")
                }
                parsed.append(category)
            }
            combinations[joined] = parsed
            categories = parsed
        }
        tally.add(ResidentTally.Key(microGrid: microGrid, categories: categories ?? []), count: count)
    }

    /// ``add(microGrid:categories:count:places:)`` of categories listed as a JSON array of
    /// names (`["disabled","veteran"]`), as the register's entries hold them; each list's text
    /// is parsed once.
    mutating func add(microGrid text: String?, categoryList json: String, count: Int, place: String) throws(StoreError) {
        var joined = lists[json]
        if joined == nil {
            guard let names = try? JSONDecoder().decode([String].self, from: Data(json.utf8)) else {
                throw .corrupt("\(place): \(json) is not a list of categories")
            }
            joined = names.joined(separator: ",")
            lists[json] = joined
        }
        try add(microGrid: text, categories: joined ?? "", count: count, places: (place, place))
    }
}
