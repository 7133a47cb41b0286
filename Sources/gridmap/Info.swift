import ArgumentParser
import Foundation
import GEOS
import GeoJSON
import GridMapCore
import GridStore
import PROJ

/// `gridmap info`: what the store holds — the town summary a grid office reports upward.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise the town: grids, micro-grids, features, residents by category, teams.",
        discussion: """
            Prints the town's counts, its features by kind and its residents by category \
            (a resident in several categories counts once in each), then one line per grid \
            with its micro-grids, features and residents (--grids), or one grid in detail \
            with its "1+1+N+X" team (--grid CODE).

            Examples:
              gridmap info
              gridmap info --grids
              gridmap info --grid DC-017 --db town.sqlite
            """)

    @OptionGroup var store: StoreOptions

    @Flag(help: "Add one line per grid.")
    var grids = false

    @Option(help: ArgumentHelp("Describe one grid and its team, e.g. DC-017.", valueName: "code"))
    var grid: String?

    func validate() throws {
        if let grid, GridCode(grid)?.isMicroGrid != false {
            throw ValidationError("--grid wants a grid code like DC-017, not '\(grid)'.")
        }
    }

    func run() throws {
        let store = try store.openTownStore()
        let summary = try store.summary()
        if let grid, let code = GridCode(grid) {
            try printGrid(code, store: store, summary: summary)
            return
        }
        print(try TownReport(store: store, summary: summary).text(perGrid: grids))
    }

    private func printGrid(_ code: GridCode, store: SQLiteTownStore, summary: TownSummary) throws {
        guard let grid = try store.grids().first(where: { $0.code == code }), let counts = summary.byGrid[code] else {
            throw ValidationError("No grid \(code) in this town.")
        }
        print("\(grid.code) \(grid.name) (village \(grid.villageCode))")
        print("  micro-grids: \(try store.microGrids(of: code).map(\.code.description).joined(separator: ", "))")
        print("  features: \(counts.features), residents: \(counts.residents)")
        for category in ResidentCategory.builtIn {
            let count = try store.residents(in: .grid(code), categories: [category]).count
            print("  \(category.rawValue): \(count)")
        }
        print("  team:")
        for member in try store.team(of: code) {
            let unit = member.unit.map { " (\($0))" } ?? ""
            print("    \(member.role.rawValue): \(member.name)\(unit)")
        }
    }
}

/// The town summary as text: the lines `gridmap info` prints and the main job shows.
struct TownReport {
    var store: SQLiteTownStore
    var summary: TownSummary

    func text(perGrid: Bool) throws -> String {
        var lines: [String] = []
        let town = try store.layerFeatures(.town, in: nil, as: .office).first
        let name = town?.properties?["name"]?.stringValue ?? summary.townCode
        let latin = town?.properties?["latin_name"]?.stringValue ?? ""
        let crs = town?.properties?["working_crs"]?.stringValue ?? "?"
        let areas = try GridAreas(store: store, boundary: town?.geometry, workingCRS: crs)
        lines.append("\(name) \(latin) (\(summary.townCode)), working CRS \(crs)")
        lines.append("  area \(Self.squareKilometres(areas.town)) km²")
        lines.append("  \(summary.villages) villages, \(summary.grids) grids, \(summary.microGrids) micro-grids, \(summary.teamMembers) team members")
        lines.append("Features by kind:")
        for (kind, count) in summary.featuresByKind.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(kind.layerName.padding(toLength: 30, withPad: " ", startingAt: 0))\(Self.format(count))")
        }
        lines.append("Residents: \(Self.format(summary.residents))")
        for (category, count) in summary.residentsByCategory.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(category.rawValue.padding(toLength: 30, withPad: " ", startingAt: 0))\(Self.format(count))")
        }
        if perGrid {
            lines.append("Grids:")
            lines.append("  code       micro-grids  features  residents  area km²")
            for (code, counts) in summary.byGrid.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(code.description.padding(toLength: 11, withPad: " ", startingAt: 0))"
                    + "\(String(counts.microGrids).leftPadded(11))\(String(counts.features).leftPadded(10))\(String(counts.residents).leftPadded(11))"
                    + Self.squareKilometres(areas.grids[code] ?? 0).leftPadded(10))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Square metres as square kilometres with two decimals.
    static func squareKilometres(_ squareMetres: Double) -> String {
        String(format: "%.2f", squareMetres / 1_000_000)
    }

    /// Thousands separated by commas, as a town office writes them.
    static func format(_ count: Int) -> String {
        let digits = String(count)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// The town's and each grid's area in m², measured in the town's working CRS. The town's is its
/// boundary's own area, not the sum of its grids, which differ when the coverage has faults.
struct GridAreas {
    var town: Double
    var grids: [GridCode: Double] = [:]

    init(store: SQLiteTownStore, boundary: GeoJSON.Geometry?, workingCRS: String) throws {
        let transformer = try Projection(workingCRS: CRSDefinition(workingCRS))
        let context = GEOSContext()
        town = try boundary.map { try transformer.area(of: $0, context: context) } ?? 0
        for grid in try store.grids() {
            grids[grid.code] = try transformer.area(of: grid.geometry, context: context)
        }
    }
}
