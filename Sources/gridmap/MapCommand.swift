import ArgumentParser
import Foundation
import GridMapApp
import GridMapCore

/// `gridmap map`: the grid map of the town or of one grid, for printing.
struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Draw the grid map of the town or of one grid as SVG (and PNG), to print on A3.",
        discussion: """
            Draws grids, micro-grids, roads, rivers, forests, fields, wells, homes and service \
            points with labels, a legend, a scale bar and a north arrow, in the town's working \
            CRS at a standard scale. With --grid, the map shows that grid and its micro-grids, \
            its neighbours faded — the sheet a grid worker carries.

            The SVG is written to --out; a PNG beside it (same name, .png) when rsvg-convert \
            (Debian: librsvg2-bin) is installed.

            Examples:
              gridmap map --out out/dacun.svg
              gridmap map --grid DC-017 --out out/DC-017.svg --page a4
              gridmap map --layers roads,wells,homes --out roads.svg
              gridmap map --lang en --out dacun-en.svg
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The SVG file to write.", valueName: "file"))
    var out: String = "map.svg"

    @Option(help: ArgumentHelp("Draw one grid, e.g. DC-017.", valueName: "code"))
    var grid: String?

    @Option(help: ArgumentHelp("Page: \(TownMap.pageNames.joined(separator: ", ")).", valueName: "size"))
    var page: String = "a3"

    @Option(help: ArgumentHelp("Feature layers to draw, comma-separated (default: all), e.g. roads,wells.", valueName: "layers"))
    var layers: String?

    @Option(help: ArgumentHelp("Title in the title block (default: the town's or grid's name).", valueName: "text"))
    var title: String?

    @Option(help: ArgumentHelp("The map's language: zh (Chinese) or en (English); default: the manifest's language, else Chinese for a town in China and English elsewhere.", valueName: "zh|en"))
    var lang: String?

    @Option(help: ArgumentHelp("PNG resolution in dots per inch.", valueName: "dpi"))
    var dpi: Int = 150

    @Flag(help: "Write the SVG only.")
    var noPNG = false

    func validate() throws {
        if let grid, GridCode(grid)?.isMicroGrid != false {
            throw ValidationError("--grid wants a grid code like DC-017, not '\(grid)'.")
        }
        try validating { () throws(JobError) in try request.check() }
        if !(36...600).contains(dpi) { throw ValidationError("--dpi must be between 36 and 600.") }
        if !out.hasSuffix(".svg") { throw ValidationError("--out names an .svg file, not '\(out)'.") }
    }

    private var request: TownMap {
        TownMap(page: page, grid: grid.flatMap(GridCode.init), layers: layers.map { $0.split(separator: ",").map(String.init) },
                title: title, language: lang)
    }

    func run() throws {
        let map = try request.render(from: store.stores.openWithTown())
        let svg = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: svg.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(to: svg) { file in try Data(map.svg.utf8).write(to: file) }
        StandardError.write("gridmap map: \(out) at 1:\(map.scaleDenominator)"
            + (map.skippedLabels > 0 ? " (\(map.skippedLabels) labels left out for lack of room)" : ""))
        guard !noPNG else { return }
        switch try TownMap.writePNG(ofSVG: svg, dpi: dpi) {
        case .written(let file): StandardError.write("gridmap map: \(file.path) at \(dpi) dpi")
        case .skipped(let reason): StandardError.write("gridmap map: no PNG: \(reason)")
        }
    }
}
