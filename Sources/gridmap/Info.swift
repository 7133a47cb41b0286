import ArgumentParser
import Foundation
import GridMapApp
import GridMapCore

/// `gridmap info`: what the store holds — the town summary a grid office reports upward.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise the town: grids, micro-grids, features, residents by category, teams.",
        discussion: """
            Prints the town's counts, its features by kind and its residents by category \
            (a resident in several categories counts once in each), then one line per grid \
            with its micro-grids, features and residents (--grids), or one grid in detail \
            with its "1+1+N+X" team (--grid CODE).

            Town totals are exact. Per grid, counts of residents follow --role \
            (docs/PRIVACY.md): for grids the reader does not see, counts below 5 are shown as \
            <5 (and a second one where a column would have one alone); of the team, the public \
            sees each grid's chief and liaison only, a grid worker their own grid's whole team, \
            the office everyone.

            In a district (--db naming one, without --town), one line per town with its \
            division code, counts and area, and the district's totals.

            Examples:
              gridmap info
              gridmap info --grids
              gridmap info --db district/
              gridmap info --db district/ --town DL --grids
              gridmap info --grid DC-017 --role grid-worker:DC-017 --db town.sqlite
            """)

    @OptionGroup var store: StoreOptions

    @Flag(help: "Add one line per grid.")
    var grids = false

    @Option(help: ArgumentHelp("Describe one grid and its team, e.g. DC-017.", valueName: "code"))
    var grid: String?

    @OptionGroup var reader: RoleOptions

    @OptionGroup var asOf: AsOfOptions

    func validate() throws {
        if let grid, GridCode(grid)?.isMicroGrid != false {
            throw ValidationError("--grid wants a grid code like DC-017, not '\(grid)'.")
        }
    }

    func run() throws {
        if let district = try store.districtWide() {
            if grids || grid != nil || asOf.day != nil {
                throw ValidationError("\(grid != nil ? "--grid" : grids ? "--grids" : "--as-of") works on one town: add --town CODE.")
            }
            try StandardOutput.write(lines: [Self.text(try DistrictOverview(district: district))])
            return
        }
        let store = try store.stores.openWithTown(asOf: asOf.day)
        if let grid, let code = GridCode(grid) {
            let detail = try TownOverview.grid(code, in: store, as: reader.parsed)
            var lines = ["\(detail.grid.code) \(detail.grid.name) (village \(detail.grid.villageCode))",
                         "  micro-grids: \(detail.microGrids.map(\.description).joined(separator: ", "))",
                         "  features: \(detail.features), residents: \(detail.residents)"]
            lines += detail.residentsByCategory.map { "  \($0.category.rawValue): \($0.count)" }
            lines.append("  team:")
            lines += detail.team.map { member in "    \(member.role.rawValue): \(member.name)" + (member.unit.map { " (\($0))" } ?? "") }
            try StandardOutput.write(lines: lines)
            return
        }
        try StandardOutput.write(lines: [Self.text(try TownOverview(store: store, as: reader.parsed), perGrid: grids)])
    }

    /// The town summary as text: the lines `gridmap info` prints and the main job shows.
    static func text(_ town: TownOverview, perGrid: Bool) -> String {
        let summary = town.summary
        var lines: [String] = []
        lines.append("\(town.name) \(town.latinName) (\(town.townCode)), working CRS \(town.workingCRS)")
        lines.append("  area \(squareKilometres(town.area)) km²")
        lines.append("  \(summary.villages) villages, \(summary.grids) grids, \(summary.microGrids) micro-grids, \(summary.teamMembers) team members")
        if town.acceptedCoverageFaults > 0 {
            let count = town.acceptedCoverageFaults
            lines.append("  coverage: \(count) fault\(count == 1 ? "" : "s") accepted at import, see gridmap validate")
        }
        lines.append("Features by kind:")
        for (kind, count) in summary.featuresByKind.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(kind.layerName.padding(toLength: 30, withPad: " ", startingAt: 0))\(format(count))")
        }
        lines.append("Residents: \(format(summary.residents))")
        for (category, count) in summary.residentsByCategory.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(category.rawValue.padding(toLength: 30, withPad: " ", startingAt: 0))\(format(count))")
        }
        if perGrid {
            lines.append("Grids:")
            lines.append("  code       micro-grids  features  residents  area km²")
            for (code, counts) in summary.byGrid.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(code.description.padding(toLength: 11, withPad: " ", startingAt: 0))"
                    + "\(String(counts.microGrids).leftPadded(11))\(String(counts.features).leftPadded(10))\((town.gridResidents[code]?.description ?? "").leftPadded(11))"
                    + squareKilometres(town.gridAreas[code] ?? 0).leftPadded(10))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The district summary as text: a line per town, then the totals.
    static func text(_ district: DistrictOverview) -> String {
        let details = district.details
        var lines = [[details.name, details.latinName, details.divisionCode.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")]
        if lines[0].isEmpty { lines[0] = "district" }
        lines[0] += ": \(district.rows.count) town\(district.rows.count == 1 ? "" : "s") in \(district.location)"
        lines.append("  code  division    name          grids  micro-grids   features  residents  team  events  area km²")
        var totals = (grids: 0, microGrids: 0, features: 0, residents: 0, team: 0, events: 0, area: 0.0)
        for row in district.rows {
            let summary = row.summary
            let features = summary.featuresByKind.values.reduce(0, +)
            totals.grids += summary.grids
            totals.microGrids += summary.microGrids
            totals.features += features
            totals.residents += summary.residents
            totals.team += summary.teamMembers
            let events = row.counts.eventsByCategory.values.reduce(0, +)
            totals.events += events
            totals.area += row.area
            lines.append("  \(row.town.code.padding(toLength: 6, withPad: " ", startingAt: 0))"
                + "\((row.town.divisionCode ?? "-").padding(toLength: 12, withPad: " ", startingAt: 0))"
                + "\(row.town.name)\(String(repeating: " ", count: max(1, 14 - 2 * row.town.name.count)))"
                + "\(String(summary.grids).leftPadded(5))\(String(summary.microGrids).leftPadded(13))\(format(features).leftPadded(11))"
                + "\(format(summary.residents).leftPadded(11))\(String(summary.teamMembers).leftPadded(6))\(format(events).leftPadded(8))"
                + squareKilometres(row.area).leftPadded(10))
        }
        lines.append("  total                           \(String(totals.grids).leftPadded(5))\(String(totals.microGrids).leftPadded(13))"
            + "\(format(totals.features).leftPadded(11))\(format(totals.residents).leftPadded(11))\(String(totals.team).leftPadded(6))"
            + "\(format(totals.events).leftPadded(8))\(squareKilometres(totals.area).leftPadded(10))")
        lines.append("Residents by category:")
        for row in district.rows {
            let categories = row.counts.residentsByCategory.sorted { $0.key < $1.key }.map { "\($0.key) \(format($0.value))" }
            lines.append("  \(row.town.code.padding(toLength: 6, withPad: " ", startingAt: 0))\(categories.isEmpty ? "none" : categories.joined(separator: ", "))")
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
