import ArgumentParser
import CSV
import Foundation
import GeoJSON
import GridMapApp
import GridMapCore


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
            Residents are listed only for a reader who may see them: --role office sees \
            everyone, --role grid-worker:CODE the residents of that grid (a town-wide request \
            gives that grid; another grid is refused). The public (the default) sees no \
            resident and is pointed to --counts. An empty selection is not an error: it says so \
            on standard error.

            --counts writes the whole town's table instead: one row per grid, one column per \
            category (the built-in ones and any other the register uses, or those given with \
            --category), a total column counting each resident in any of those categories once, \
            and a final town row (which also counts homes outside every grid). For grids the \
            reader does not see, counts below 5 are shown as <5, and where a column would have \
            one such cell alone the next smallest is shown as <5 too, so that no cell can be \
            worked out from the town row (docs/PRIVACY.md); the office's table is exact.

            Examples:
              gridmap select --category veteran,disabled --grid DC-017 --role grid-worker:DC-017
              gridmap select --category elderly-living-alone --around 119.805,35.902 --radius 500 --format geojson --role office
              gridmap select --category party-member --within flood-zone.geojson --role office
              gridmap select --counts > counts.csv
              gridmap select --counts --role office > counts.csv
              gridmap select --counts --as-of 2026-06-30 --role office
              gridmap select --counts --monthly 2026 --role office > monthly.csv
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, geojson
    }

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Categories, comma-separated, e.g. veteran,disabled.", valueName: "cat,..."))
    var category: String?

    @OptionGroup var residentArea: ResidentAreaOptions
    private var grid: String? { residentArea.grid.first }
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

    @OptionGroup var reader: RoleOptions

    @Flag(help: "Write the category × grid counts of the whole town instead of residents.")
    var counts = false

    @OptionGroup var asOf: AsOfOptions

    @Option(help: ArgumentHelp("With --counts: the table at the end of every month of this year, one block per month (a month_end column first).", valueName: "year"))
    var monthly: Int?

    func validate() throws {
        let areas = residentArea.grid + [microGrid, village, within, around].compactMap { $0 }
        if areas.count > 1 { throw ValidationError("Give one area: --grid, --micro-grid, --village, --within or --around.") }
        if (around == nil) != (radius == nil) { throw ValidationError("--around LON,LAT and --radius M go together.") }
        if let radius, !(radius >= 0 && radius.isFinite) { throw ValidationError("--radius must be a distance in metres ≥ 0.") }
        if counts, !areas.isEmpty { throw ValidationError("--counts covers the whole town; it takes no area.") }
        if monthly != nil, !counts || asOf.asOf != nil { throw ValidationError("--monthly YEAR goes with --counts, without --as-of.") }
        _ = try center()
        _ = try validating { () throws(JobError) in try RequestParsing.area(grid: grid, microGrid: microGrid) }
    }

    func run() throws {
        if let monthly {
            let store = try store.stores.openWithTown()
            let categories = try ResidentSelection(store: store).categories(category)
            try StandardOutput.write(MonthlyCounts.csv(try MonthlyCounts.tables(of: store, year: monthly, categories: categories, as: reader.parsed)))
            return
        }
        if counts, let day = asOf.day {
            // The table of a past day from today's counts and what changed since, not the day's whole register.
            let table = try RegisterAsOfCounts(store.stores.openWithTown(), asOf: day)
            try StandardOutput.write(try table.counts(of: try table.categories(category), as: reader.parsed).csv)
            return
        }
        let selection = try ResidentSelection(store: store.stores.openWithTown(asOf: asOf.day))
        let categories = try selection.categories(category)
        if counts {
            try StandardOutput.write(try selection.counts(of: categories, as: reader.parsed).csv)
            return
        }
        let rows = try selection.residents(of: categories, in: try area(), as: reader.parsed)
        if rows.isEmpty { StandardError.write("gridmap select: no residents match") }
        switch format {
        case .csv: try StandardOutput.write(ResidentSelection.csv(rows))
        case .geojson:
            do {
                let writer = GeoJSONWriter(sink: FileSink.standardOutput())
                try writer.beginCollection()
                for row in rows { try writer.write(ResidentSelection.feature(row)) }
                try writer.finish()
            } catch {
                throw JobError(.cannotStart, "\(error)")  // standard output could not be written
            }
        }
        if !rows.isEmpty {
            StandardError.write("gridmap select: \(rows.count) residents")
        }
    }

    /// The area the options name; a --within file is read here.
    private func area() throws -> ResidentArea {
        if let code = try RequestParsing.area(grid: grid, microGrid: microGrid) { return .code(code) }
        if let village { return .village(village) }
        if let within {
            do {
                return .within(try GeoJSONReader.read(contentsOfFile: within).features.compactMap(\.geometry), source: within)
            } catch {
                throw JobError.invalidRequest("Cannot read --within \(within): \(error)")
            }
        }
        if let center = try center(), let radius { return .around(center, radius: radius) }
        return .town
    }

    /// The `--around` point, parsed.
    private func center() throws -> Position? {
        guard let around else { return nil }
        let parts = around.split(separator: ",").compactMap { CSVNumber.parse($0) }
        guard parts.count == 2 else { throw ValidationError("--around wants LON,LAT in degrees, e.g. 119.805,35.902, not '\(around)'.") }
        return Position(x: parts[0], y: parts[1])
    }
}
