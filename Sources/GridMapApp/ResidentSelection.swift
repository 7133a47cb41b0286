import CSV
import GEOS
import GeoJSON
import GridMapCore
import GridStore
import PROJ

/// Where the residents a selection wants live.
public enum ResidentArea: Sendable {
    /// The whole town.
    case town
    /// A grid or a micro-grid.
    case code(AreaFilter)
    /// An administrative village, by code (e.g. DC-V07).
    case village(String)
    /// Inside (or on the edge of) the polygons and multipolygons among `geometries`; `source`
    /// names where they came from, for messages.
    case within([Geometry], source: String)
    /// Within `radius` metres of `center` (WGS84), measured in the town's working CRS.
    case around(Position, radius: Double)
}

/// Residents of some categories in an area, masked for the reader's role: the list for
/// targeted outreach, and the category × grid table a town office reports upward.
public struct ResidentSelection {
    public let store: any TownStore
    /// The town without its features: grids, villages and the register's categories.
    public let data: TownData

    public init(store: any TownStore) throws(JobError) {
        self.store = store
        data = try LoadedTown.data(from: store, .residents)
    }

    /// The categories named by a comma-separated `list`; none (meaning any) when nil.
    public func categories(_ list: String?) throws(JobError) -> [ResidentCategory] {
        guard let list else { return [] }
        return try RequestParsing.categories(list, in: data)
    }

    /// Residents in at least one of `categories` (any when empty) whose home lies in `area`,
    /// as `role` may see them, in the store's order.
    public func residents(of categories: [ResidentCategory], in area: ResidentArea, as role: ResidentRole) throws(JobError) -> [ResidentRow] {
        let filter: AreaFilter? = if case .code(let code) = area { code } else { nil }
        let village: String? = if case .village(let code) = area { code } else { nil }
        try RequestParsing.checkArea(filter, village: village, in: data)
        try RequestParsing.checkRole(role, grids: data.grids.map(\.code))
        var rows = try asJobError { try store.residentRows(as: role, in: filter, categories: Set(categories)) }
        switch area {
        case .town, .code: break
        case .village(let code):
            let grids = Set(data.grids.filter { $0.villageCode == code }.map(\.code))
            rows = rows.filter { $0.grid.map(grids.contains) ?? false }
        case .within(let geometries, let source):
            rows = try Self.rows(rows, inside: geometries, source: source)
        case .around(let center, let radius):
            rows = try Self.rows(rows, within: radius, of: center, workingCRS: data.town.workingCRS)
        }
        return rows
    }

    /// A selected resident as a GeoJSON Point at their home, with the row's fields as properties.
    public static func feature(_ row: ResidentRow) -> Feature { LayerEncoder.feature(for: row) }

    /// Residents as CSV, one line each, categories joined by ";".
    public static func csv(_ rows: [ResidentRow]) -> String {
        var text = "id,name,home,categories,phone,birthYear,microgrid,grid,lon,lat\n"
        for row in rows {
            let categories: String = row.categories.map(\.rawValue).joined(separator: ";")
            let birthYear: String = row.birthYear.map { String($0) } ?? ""
            let longitude: String = row.location.map { "\($0.x)" } ?? ""
            let latitude: String = row.location.map { "\($0.y)" } ?? ""
            let fields: [String] = [row.id, row.name, row.homeID, categories, row.phone ?? "", birthYear,
                                    row.microGrid?.description ?? "", row.grid?.description ?? "", longitude, latitude]
            text += fields.map(CSVField.escaped).joined(separator: ",") + "\n"
        }
        return text
    }

    /// The whole town's category × grid table over `categories` (all the town knows when empty),
    /// from the public rows (counting needs no names).
    public func counts(of categories: [ResidentCategory]) throws(JobError) -> CategoryCounts {
        let rows = try asJobError { try store.residentRows(as: .public, in: nil, categories: Set(categories)) }
        let columns = categories.isEmpty ? RequestParsing.allCategories(in: data) : categories
        return CategoryCounts(rows: rows, grids: data.grids.map(\.code).sorted(), categories: columns)
    }

    /// The rows whose home lies in (or on the edge of) the polygons, tested against one
    /// prepared GEOS geometry.
    static func rows(_ rows: [ResidentRow], inside geometries: [Geometry], source: String) throws(JobError) -> [ResidentRow] {
        var polygons: [[[Position]]] = []
        for geometry in geometries {
            switch geometry {
            case .polygon(let rings): polygons.append(rings)
            case .multiPolygon(let parts): polygons += parts
            default: break
            }
        }
        guard !polygons.isEmpty else { throw .invalidRequest("--within \(source) holds no Polygon or MultiPolygon.") }
        return try asJobError(.invalidRequest, "--within \(source)") {
            let context = GEOSContext()
            let area = try PreparedGeometry(Geometry.multiPolygon(polygons).geosGeometry(in: context))
            return try rows.filter { row in
                guard let location = row.location else { return false }
                return try area.covers(.point(x: location.x, y: location.y, context: context))
            }
        }
    }

    /// The rows whose home lies within `radius` metres of `center`, measured in the working CRS
    /// (every home projected in one batch).
    static func rows(_ rows: [ResidentRow], within radius: Double, of center: Position, workingCRS: CRSDefinition) throws(JobError) -> [ResidentRow] {
        let located = rows.filter { $0.location != nil }
        var xs = [center.x] + located.map { $0.location!.x }
        var ys = [center.y] + located.map { $0.location!.y }
        let failed = Set(try asJobError { try Projection(workingCRS: workingCRS).transform(x: &xs, y: &ys) })
        if failed.contains(0) { throw .invalidRequest("--around \(center.x),\(center.y) cannot be placed in \(workingCRS).") }
        return located.indices.filter { index in
            guard !failed.contains(index + 1) else { return false }
            let dx: Double = xs[index + 1] - xs[0], dy: Double = ys[index + 1] - ys[0]
            return (dx * dx + dy * dy).squareRoot() <= radius
        }.map { located[$0] }
    }
}

/// The category × grid table: per grid, how many residents are in each category (a resident
/// with several categories counts in each) and in total (each resident once); then the town,
/// which also counts homes outside every grid.
public struct CategoryCounts: Sendable {
    public let rows: [ResidentRow]
    public let grids: [GridCode]
    public let categories: [ResidentCategory]

    /// The table as CSV: `grid,<categories>,total`, one line per grid, then `town`.
    public var csv: String {
        var byGrid: [GridCode: [ResidentRow]] = [:]
        for row in rows { if let grid = row.grid { byGrid[grid, default: []].append(row) } }
        var text = "grid," + categories.map(\.rawValue).joined(separator: ",") + ",total\n"
        for grid in grids { text += line(grid.description, byGrid[grid] ?? []) }
        text += line("town", rows)
        return text
    }

    /// One table line: per category the residents having it, then those having any listed one.
    private func line(_ label: String, _ rows: [ResidentRow]) -> String {
        let wanted = Set(categories)
        let cells = categories.map { category in rows.count { $0.categories.contains(category) } }
        let total = rows.count { !wanted.isDisjoint(with: $0.categories) }
        return ([label] + cells.map(String.init) + [String(total)]).joined(separator: ",") + "\n"
    }
}
