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
            One layer goes to standard output as a GeoJSON FeatureCollection (--layer NAME), or \
            the whole town to a folder as a town folder (--all --out DIR): manifest.json, one \
            GeoJSON file per layer named after it (grids.geojson, microgrids.geojson, \
            roads.geojson, homes.geojson, …) and residents.csv and team.csv. An office export of \
            the whole town imports back unchanged (`gridmap import DIR`); a masked one cannot be \
            imported. Layers: town, villages, grids, microgrids, residents (points at their \
            homes), team, and one per feature kind (fields, forests, roads, rivers, ditches, \
            lakes, wells, homes, squares, clinics, schools, kindergartens, \
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

    @Option(help: ArgumentHelp("With --all: the town folder to write (created if missing; an existing one is replaced).", valueName: "dir"))
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
        let (data, masked) = try TownExport.data(from: store, in: area, as: role)
        try TownFolder.write(data, to: URL(fileURLWithPath: out!),
                             options: .init(coordinatePrecision: precision, personalDataMasked: masked))
        StandardError.write("gridmap export: \(out!): \(data.grids.count) grids, \(data.microGrids.count) micro-grids, "
            + "\(data.features.count) features, \(data.residents.count) residents"
            + (masked ? " (names and phones masked; use --role office for an importable export)" : ""))
    }

    private func area() throws -> AreaFilter? {
        try AreaRoleParsing.area(grid: grid, microGrid: microGrid)
    }

    private func readerRole() throws -> ResidentRole {
        try AreaRoleParsing.role(role)
    }

    private static let layerHint = "Layers: town, villages, grids, microgrids, residents, team, or a feature layer such as roads, wells, homes."
}

/// The part of the stored town that an export holds: everything, or what lies in one area, with
/// residents as the reader's role may see them.
enum TownExport {
    static func data(from store: any TownStore, in area: AreaFilter?, as role: ResidentRole) throws -> (TownData, masked: Bool) {
        // The residents come from residentRows, masked for the role; loading them twice was a third
        // of the export. With an area, its features are read by kind below, not the town's.
        guard var data = try store.loadTown(area == nil ? [.features] : []) else { throw ValidationError("The store holds no town.") }
        let rows = try store.residentRows(as: role, in: area, categories: [])
        data.residents = rows.map {
            Resident(id: $0.id, name: $0.name, homeID: $0.homeID, categories: $0.categories, phone: $0.phone, birthYear: $0.birthYear)
        }
        if let area {
            let grid = area.gridCode
            data.grids = data.grids.filter { $0.code == grid }
            data.microGrids = try store.microGrids(of: grid).filter { microGrid in
                if case .microGrid(let code) = area { microGrid.code == code } else { true }
            }
            let villages = Set(data.grids.map(\.villageCode))
            data.villages = data.villages.filter { villages.contains($0.code) }
            data.features = try store.featureKinds().flatMap { try store.features(of: $0, in: area) }
            data.team = data.team.filter { $0.gridCode == grid }
        }
        return (data, rows.contains(where: \.isMasked))
    }
}
