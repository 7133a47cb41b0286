import ArgumentParser
import CSV
import Foundation
import GEOS
import GeoJSON
import GridMapCore
import GridStore
import PROJ

/// `gridmap select`: residents of some categories in an area, for targeted outreach; or the
/// category × grid counts a town office reports upward.
struct Select: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Select residents by category and area, or count them by category per grid.",
        discussion: """
            Residents are selected where their home is: in a grid, a micro-grid, a village, \
            inside a GeoJSON polygon (--within; on its edge counts as inside), or within a \
            radius in metres of a point (--around LON,LAT --radius M, measured in the town's \
            working CRS). With no area, the whole town. --category keeps residents in at least \
            one of the listed categories (all residents when absent).

            Output (standard output) is CSV — id,name,home,categories,phone,birthYear,\
            microgrid,grid,lon,lat — or a GeoJSON FeatureCollection of points at the homes. \
            Names and phones are masked unless --role says the reader may see them (public, \
            office, grid-worker:CODE, as for export). An empty selection is not an error: it \
            says so on standard error.

            --counts writes the whole town's table instead: one row per grid, one column per \
            category (the built-in ones and any other the register uses, or those given with \
            --category), a total column counting each resident in any of those categories once, \
            and a final town row (which also counts homes outside every grid).

            Examples:
              gridmap select --category veteran,disabled --grid DC-017
              gridmap select --category elderly-living-alone --around 119.805,35.902 --radius 500 --format geojson
              gridmap select --category party-member --within flood-zone.geojson --role office
              gridmap select --counts > counts.csv
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, geojson
    }

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Categories, comma-separated, e.g. veteran,disabled.", valueName: "cat,..."))
    var category: String?

    @OptionGroup var residentArea: ResidentAreaOptions
    private var grid: String? { residentArea.grid }
    private var microGrid: String? { residentArea.microGrid }
    private var village: String? { residentArea.village }

    @Option(help: ArgumentHelp("Residents inside the (multi)polygons of this GeoJSON file (WGS84).", valueName: "file"))
    var within: String?

    @Option(help: ArgumentHelp("With --radius: residents around this point (WGS84).", valueName: "lon,lat"))
    var around: String?

    @Option(help: ArgumentHelp("With --around: the radius in metres.", valueName: "m"))
    var radius: Double?

    @Option(help: ArgumentHelp("csv (default) or geojson.", valueName: "format"))
    var format: Format = .csv

    @Option(help: ArgumentHelp("Who reads the list: public (default; names and phones masked), office, or grid-worker:CODE.", valueName: "role"))
    var role: String = "public"

    @Flag(help: "Write the category × grid counts of the whole town instead of residents.")
    var counts = false

    func validate() throws {
        let areas = [grid, microGrid, village, within, around].compactMap { $0 }
        if areas.count > 1 { throw ValidationError("Give one area: --grid, --micro-grid, --village, --within or --around.") }
        if (around == nil) != (radius == nil) { throw ValidationError("--around LON,LAT and --radius M go together.") }
        if let radius, !(radius >= 0 && radius.isFinite) { throw ValidationError("--radius must be a distance in metres ≥ 0.") }
        if counts, !areas.isEmpty { throw ValidationError("--counts covers the whole town; it takes no area.") }
        _ = try center()
        _ = try AreaRoleParsing.area(grid: grid, microGrid: microGrid)
        _ = try AreaRoleParsing.role(role)
    }

    func run() throws {
        let (store, data) = try TownAtlas.load(self.store)
        let categories = try selectedCategories(in: data)
        if counts {
            let rows = try store.residentRows(as: .public, in: nil, categories: Set(categories))
            let columns = categories.isEmpty ? Self.allCategories(in: data) : categories
            print(CategoryCounts(rows: rows, grids: data.grids.map(\.code).sorted(), categories: columns).csv, terminator: "")
            return
        }
        let area = try AreaRoleParsing.area(grid: grid, microGrid: microGrid)
        try checkAreaExists(area, in: data)
        var rows = try store.residentRows(as: try AreaRoleParsing.role(role), in: area, categories: Set(categories))
        if let village {
            let grids = Set(data.grids.filter { $0.villageCode == village }.map(\.code))
            rows = rows.filter { $0.grid.map(grids.contains) ?? false }
        }
        if let within { rows = try Self.rows(rows, inside: within) }
        if let center = try center(), let radius {
            rows = try Self.rows(rows, within: radius, of: center, workingCRS: data.town.workingCRS)
        }
        if rows.isEmpty { StandardError.write("gridmap select: no residents match") }
        switch format {
        case .csv: print(Self.csv(rows), terminator: "")
        case .geojson:
            let writer = GeoJSONWriter(sink: FileSink.standardOutput())
            try writer.beginCollection()
            for row in rows { try writer.write(LayerEncoder.feature(for: row)) }
            try writer.finish()
        }
        if !rows.isEmpty {
            StandardError.write("gridmap select: \(rows.count) residents" + (rows.contains(where: \.isMasked) ? " (names and phones masked)" : ""))
        }
    }

    /// The `--category` list, each checked against the categories the town knows.
    private func selectedCategories(in data: TownData) throws -> [ResidentCategory] {
        guard let category else { return [] }
        return try Self.categories(category, in: data)
    }

    /// A comma-separated category list, checked against the categories the town knows (also
    /// `gridmap route`'s).
    static func categories(_ list: String, in data: TownData) throws -> [ResidentCategory] {
        let known = allCategories(in: data)
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw ValidationError("--category needs at least one category.") }
        return try names.map { name in
            guard let value = ResidentCategory(rawValue: name), known.contains(value) else {
                throw ValidationError("Unknown category '\(name)': use \(known.map(\.rawValue).joined(separator: ", ")).")
            }
            return value
        }
    }

    /// The built-in categories in their declared order, then any other the register uses.
    static func allCategories(in data: TownData) -> [ResidentCategory] {
        let extra = Set(data.residents.flatMap(\.categories)).subtracting(ResidentCategory.builtIn).sorted()
        return ResidentCategory.builtIn + extra
    }

    private func checkAreaExists(_ area: AreaFilter?, in data: TownData) throws {
        try Self.checkArea(area, village: village, in: data)
    }

    /// Refuses a grid, micro-grid or village the town does not have, naming those it has (also
    /// `gridmap route`'s).
    static func checkArea(_ area: AreaFilter?, village: String?, in data: TownData) throws {
        switch area {
        case .grid(let code)? where !data.grids.contains(where: { $0.code == code }):
            throw ValidationError("Unknown grid \(code): the town has \(listing(data.grids.map(\.code.description))).")
        case .microGrid(let code)? where !data.microGrids.contains(where: { $0.code == code }):
            let siblings = data.microGrids.filter { $0.gridCode == code.gridCode }.map(\.code.description).sorted()
            throw ValidationError("Unknown micro-grid \(code)" + (siblings.isEmpty ? "." : ": grid \(code.gridCode) has \(siblings.joined(separator: ", "))."))
        default: break
        }
        if let village, !data.villages.contains(where: { $0.code == village }) {
            throw ValidationError("Unknown village \(village): the town has \(listing(data.villages.map(\.code))).")
        }
    }

    /// Codes for a message: all of them when few, else the first and last of the sorted codes
    /// and how many (115 grid codes in a row help nobody).
    static func listing(_ codes: [String]) -> String {
        let sorted = codes.sorted()
        guard sorted.count > 12 else { return sorted.joined(separator: ", ") }
        return "\(sorted.count) codes, \(sorted[0]) to \(sorted[sorted.count - 1])"
    }

    /// The `--around` point, parsed.
    private func center() throws -> Position? {
        guard let around else { return nil }
        let parts = around.split(separator: ",").compactMap { CSVNumber.parse($0) }
        guard parts.count == 2 else { throw ValidationError("--around wants LON,LAT in degrees, e.g. 119.805,35.902, not '\(around)'.") }
        return Position(x: parts[0], y: parts[1])
    }

    /// The rows whose home lies in (or on the edge of) the polygons of a GeoJSON file, tested
    /// against one prepared GEOS geometry.
    static func rows(_ rows: [ResidentRow], inside path: String) throws -> [ResidentRow] {
        let document: GeoJSONDocument
        do {
            document = try GeoJSONReader.read(contentsOfFile: path)
        } catch {
            throw ValidationError("Cannot read --within \(path): \(error)")
        }
        var polygons: [[[Position]]] = []
        for geometry in document.features.compactMap(\.geometry) {
            switch geometry {
            case .polygon(let rings): polygons.append(rings)
            case .multiPolygon(let parts): polygons += parts
            default: break
            }
        }
        guard !polygons.isEmpty else { throw ValidationError("--within \(path) holds no Polygon or MultiPolygon.") }
        let context = GEOSContext()
        let area = try PreparedGeometry(GeoJSON.Geometry.multiPolygon(polygons).geosGeometry(in: context))
        return try rows.filter { row in
            guard let location = row.location else { return false }
            return try area.covers(.point(x: location.x, y: location.y, context: context))
        }
    }

    /// The rows whose home lies within `radius` metres of `center`, measured in the working CRS
    /// (every home projected in one batch).
    static func rows(_ rows: [ResidentRow], within radius: Double, of center: Position, workingCRS: CRSDefinition) throws -> [ResidentRow] {
        let located = rows.filter { $0.location != nil }
        var xs = [center.x] + located.map { $0.location!.x }
        var ys = [center.y] + located.map { $0.location!.y }
        let projection = try Projection(workingCRS: workingCRS)
        let failed = Set(try projection.transform(x: &xs, y: &ys))
        if failed.contains(0) { throw ValidationError("--around \(center.x),\(center.y) cannot be placed in \(workingCRS).") }
        return located.indices.filter { index in
            guard !failed.contains(index + 1) else { return false }
            let dx: Double = xs[index + 1] - xs[0], dy: Double = ys[index + 1] - ys[0]
            return (dx * dx + dy * dy).squareRoot() <= radius
        }.map { located[$0] }
    }

    /// Residents as CSV, one line each, categories joined by ";".
    static func csv(_ rows: [ResidentRow]) -> String {
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
}

/// The category × grid table: per grid, how many residents are in each category (a resident
/// with several categories counts in each) and in total (each resident once); then the town.
struct CategoryCounts {
    let rows: [ResidentRow]
    let grids: [GridCode]
    let categories: [ResidentCategory]

    var csv: String {
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
