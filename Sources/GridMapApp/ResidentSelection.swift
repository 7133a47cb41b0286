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

/// Residents of some categories in an area, as the reader's role may see them
/// (``Disclosure``): the list for targeted outreach, and the category × grid table a town
/// office reports upward.
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

    /// What the public is told to ask for instead of resident rows.
    public static let publicInstead = "use --counts for counts by category and grid, or --role office / grid-worker:CODE"

    /// Residents in at least one of `categories` (any when empty) whose home lies in `area`,
    /// in the store's order, if `role` may see them: the public is refused, a grid worker gets
    /// the residents of their own grid (refused for an area in another grid).
    public func residents(of categories: [ResidentCategory], in area: ResidentArea, as role: ResidentRole) throws(JobError) -> [LocatedResident] {
        let filter: AreaFilter? = if case .code(let code) = area { code } else { nil }
        let village: String? = if case .village(let code) = area { code } else { nil }
        try RequestParsing.checkArea(filter, village: village, in: data)
        try RequestParsing.checkRole(role, grids: data.grids.map(\.code))
        let disclosure = Disclosure(role)
        let readable = try disclosure.residentArea(filter, instead: Self.publicInstead)
        var rows = try asJobError { try store.locatedResidents(in: readable, categories: Set(categories), page: .all) }
            .filter(disclosure.people.keepsResident)
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
    public static func feature(_ row: LocatedResident) -> Feature { LayerEncoder.feature(for: row) }

    /// Residents as CSV, one line each, categories joined by ";".
    public static func csv(_ rows: [LocatedResident]) -> String {
        var text = "id,name,home,categories,phone,birthYear,microgrid,grid,lon,lat\n"
        for row in rows {
            let resident = row.resident
            let categories: String = resident.categories.map(\.rawValue).joined(separator: ";")
            let birthYear: String = resident.birthYear.map { String($0) } ?? ""
            let longitude: String = row.location.map { "\($0.x)" } ?? ""
            let latitude: String = row.location.map { "\($0.y)" } ?? ""
            let fields: [String] = [resident.id, resident.name, resident.homeID, categories, resident.phone ?? "", birthYear,
                                    row.microGrid?.description ?? "", row.grid?.description ?? "", longitude, latitude]
            text += fields.map(CSVField.escaped).joined(separator: ",") + "\n"
        }
        return text
    }

    /// The whole town's category × grid table over `categories` (all the town knows when
    /// empty), as `role` may see it (``Disclosure/disclose(_:town:grids:)``).
    public func counts(of categories: [ResidentCategory], as role: ResidentRole) throws(JobError) -> CategoryCounts {
        try RequestParsing.checkRole(role, grids: data.grids.map(\.code))
        let rows = try asJobError { try store.locatedResidents(in: nil, categories: Set(categories), page: .all) }
        let columns = categories.isEmpty ? RequestParsing.allCategories(in: data) : categories
        return CategoryCounts(rows: rows, grids: data.grids.map(\.code).sorted(), categories: columns, as: Disclosure(role))
    }

    /// The rows whose home lies in (or on the edge of) the polygons, tested against one
    /// prepared GEOS geometry.
    static func rows(_ rows: [LocatedResident], inside geometries: [Geometry], source: String) throws(JobError) -> [LocatedResident] {
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
    static func rows(_ rows: [LocatedResident], within radius: Double, of center: Position, workingCRS: CRSDefinition) throws(JobError) -> [LocatedResident] {
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
/// which also counts homes outside every grid. Every column is disclosed for the reader by
/// ``Disclosure/disclose(_:town:grids:)``: exact for the office, small counts suppressed for
/// grids the reader does not see.
public struct CategoryCounts: Sendable {
    public let grids: [GridCode]
    public let categories: [ResidentCategory]
    /// Per grid (in ``grids``' order): one cell per category, then the total.
    public let byGrid: [[DisclosedCount]]
    /// The town row: one cell per category, then the total.
    public let town: [DisclosedCount]

    /// Counts `rows` (residents with where they live) and discloses each column for `disclosure`.
    public init(rows: [LocatedResident], grids: [GridCode], categories: [ResidentCategory], as disclosure: Disclosure) {
        self.init(counting: rows.lazy.map { ($0.resident.categories, $0.grid, 1) }, grids: grids, categories: categories, as: disclosure)
    }

    /// Counts the residents `tally` counts, as ``init(rows:grids:categories:as:)`` counts them.
    public init(tally: ResidentTally, grids: [GridCode], categories: [ResidentCategory], as disclosure: Disclosure) {
        self.init(counting: tally.counts.lazy.map { ($0.key.categories, $0.key.microGrid?.gridCode, $0.value) },
                  grids: grids, categories: categories, as: disclosure)
    }

    /// Counts `residents` — each the categories some residents hold, the grid they live in and
    /// how many they are — and discloses each column for `disclosure`.
    private init(counting residents: some Sequence<([ResidentCategory], GridCode?, Int)>, grids: [GridCode],
                 categories: [ResidentCategory], as disclosure: Disclosure) {
        self.grids = grids
        self.categories = categories
        let index = Dictionary(uniqueKeysWithValues: grids.enumerated().map { ($1, $0) })
        // The columns of each category (a list may name one twice). A resident holds a few
        // categories of the many a town counts: look up what they hold, not every column.
        var columnsOf: [ResidentCategory: [Int]] = [:]
        for (column, category) in categories.enumerated() { columnsOf[category, default: []].append(column) }
        // counts[column][grid]: one column per category, then the total.
        var counts = Array(repeating: Array(repeating: 0, count: grids.count), count: categories.count + 1)
        var town = Array(repeating: 0, count: categories.count + 1)
        for (held, grid, count) in residents {
            if held.isEmpty { continue }
            let slot = grid.flatMap { index[$0] }
            var counted = false
            for (position, category) in held.enumerated() {
                guard let columns = columnsOf[category], !held[..<position].contains(category) else { continue }
                for column in columns {
                    town[column] += count
                    if let slot { counts[column][slot] += count }
                }
                counted = true
            }
            if counted {
                town[categories.count] += count
                if let slot { counts[categories.count][slot] += count }
            }
        }
        let columns = counts.indices.map { disclosure.disclose(counts[$0], town: town[$0], grids: grids) }
        byGrid = grids.indices.map { slot in columns.map { $0.grids[slot] } }
        self.town = columns.map(\.town)
    }

    /// The table as CSV: `grid,<categories>,total`, one line per grid, then `town`; a
    /// suppressed count is written as ``Disclosure/suppressedMark``.
    public var csv: String {
        var text = "grid," + categories.map(\.rawValue).joined(separator: ",") + ",total\n"
        for (grid, cells) in zip(grids, byGrid) { text += line(grid.description, cells) }
        return text + line("town", town)
    }

    private func line(_ label: String, _ cells: [DisclosedCount]) -> String {
        ([label] + cells.map(\.description)).joined(separator: ",") + "\n"
    }
}
