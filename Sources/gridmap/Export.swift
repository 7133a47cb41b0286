import ArgumentParser
import Foundation
import GeoJSON
import GridMapCore
import GridStore

/// `gridmap export`: layers out of the store as RFC 7946 GeoJSON.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export layers of the town as GeoJSON (WGS84, RFC 7946).",
        discussion: """
            One layer goes to standard output (--layer NAME), or every layer to a folder, one \
            file per layer named after it (--all --out DIR: grids.geojson, microgrids.geojson, \
            roads.geojson, homes.geojson, residents.geojson, …). Layers: town, villages, grids, \
            microgrids, residents, team, and one per feature kind (fields, forests, roads, rivers, \
            ditches, lakes, wells, homes, squares, clinics, schools, kindergartens, \
            citizen-service-stations, party-masses-service-centres, or your own kinds).

            --grid or --micro-grid keeps what lies in that area. Residents' names and phone \
            numbers are masked unless --role says the reader may see them: `office` sees \
            everything, `grid-worker:DC-017` sees the residents of grid DC-017 in full.

            Examples:
              gridmap export --layer grids > grids.geojson
              gridmap export --layer homes --grid DC-017
              gridmap export --all --out out/layers
              gridmap export --layer residents --role grid-worker:DC-017 --grid DC-017
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The layer to write to standard output.", valueName: "name"))
    var layer: String?

    @Flag(help: "Export every layer into the folder given by --out.")
    var all = false

    @Option(help: ArgumentHelp("With --all: the folder to write the layer files into (created if missing).", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Keep only what lies in this grid, e.g. DC-017.", valueName: "code"))
    var grid: String?

    @Option(name: .customLong("micro-grid"), help: ArgumentHelp("Keep only what lies in this micro-grid, e.g. DC-017-2.", valueName: "code"))
    var microGrid: String?

    @Option(help: ArgumentHelp("Who reads the export: public (default; names and phones masked), office, or grid-worker:CODE.", valueName: "role"))
    var role: String = "public"

    @Option(help: ArgumentHelp("Decimals for coordinates (7 ≈ 1 cm).", valueName: "n"))
    var precision: Int = 7

    func validate() throws {
        if all == (layer != nil) { throw ValidationError("Give either --layer NAME or --all --out DIR.") }
        if all, out == nil { throw ValidationError("--all needs --out DIR, the folder for the layer files.") }
        if !all, out != nil { throw ValidationError("--out goes with --all; a single --layer goes to standard output.") }
        if grid != nil, microGrid != nil { throw ValidationError("Give --grid or --micro-grid, not both.") }
        if let layer, StoreLayer(name: layer) == nil { throw ValidationError("Unknown layer '\(layer)'. \(Self.layerHint)") }
        _ = try area()
        _ = try readerRole()
        if !(0...15).contains(precision) { throw ValidationError("--precision must be between 0 and 15.") }
    }

    func run() throws {
        let store = try store.openTownStore()
        let area = try area()
        let role = try readerRole()
        let options = GeoJSONWriterOptions(coordinatePrecision: precision)
        if let layer, let storeLayer = StoreLayer(name: layer) {
            let count = try store.exportLayer(storeLayer, in: area, as: role, to: FileSink.standardOutput(), options: options)
            StandardError.write("gridmap export: \(count) features in layer \(layer)")
            return
        }
        let folder = URL(fileURLWithPath: out!)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for storeLayer in try store.layers() {
            let file = folder.appendingPathComponent("\(storeLayer.name).geojson")
            let count = try AtomicFile.write(to: file) { temporary in
                try store.exportLayer(storeLayer, in: area, as: role, to: try FileSink(path: temporary.path), options: options)
            }
            StandardError.write("gridmap export: \(file.path): \(count) features")
        }
    }

    private func area() throws -> AreaFilter? {
        if let grid {
            guard let code = GridCode(grid), !code.isMicroGrid else {
                throw ValidationError("--grid wants a grid code like DC-017, not '\(grid)'.")
            }
            return .grid(code)
        }
        if let microGrid {
            guard let code = GridCode(microGrid), code.isMicroGrid else {
                throw ValidationError("--micro-grid wants a micro-grid code like DC-017-2, not '\(microGrid)'.")
            }
            return .microGrid(code)
        }
        return nil
    }

    private func readerRole() throws -> ResidentRole {
        switch role {
        case "public": return .public
        case "office": return .office
        case let text where text.hasPrefix("grid-worker:"):
            guard let code = GridCode(String(text.dropFirst("grid-worker:".count))) else {
                throw ValidationError("--role grid-worker:CODE wants a grid code, e.g. grid-worker:DC-017.")
            }
            return .gridWorker(code.gridCode)
        default:
            throw ValidationError("Unknown role '\(role)': use public, office or grid-worker:CODE.")
        }
    }

    private static let layerHint = "Layers: town, villages, grids, microgrids, residents, team, or a feature layer such as roads, wells, homes."
}

/// Writes a file through a temporary sibling renamed into place, so that a failure half-way
/// leaves the old file (or none), never a truncated one.
enum AtomicFile {
    static func write<T>(to file: URL, _ body: (URL) throws -> T) throws -> T {
        let temporary = file.deletingLastPathComponent()
            .appendingPathComponent(".\(file.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            let result = try body(temporary)
            if FileManager.default.fileExists(atPath: file.path) {
                _ = try FileManager.default.replaceItemAt(file, withItemAt: temporary)
            } else {
                try FileManager.default.moveItem(at: temporary, to: file)
            }
            return result
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
