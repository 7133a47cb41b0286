import ArgumentParser
import Foundation
import GeoJSON
import GridMapApp
import GridMapCore


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

            The folder is written beside --out and swapped in whole, so a failed export leaves \
            the old folder as it was. An existing --out must be empty or an earlier export that \
            is not the whole town; a full town folder (such as the folder the store was imported \
            from) is replaced only with --replace, and a folder of other files never.

            --grid or --micro-grid keeps what lies in that area. People follow --role \
            (docs/PRIVACY.md): `office` sees everything; `grid-worker:DC-017` the residents and \
            team of grid DC-017 in full (another grid's residents are refused); the public (the \
            default) no resident (the residents layer is refused, --all writes residents.csv \
            without rows) and of the team only each grid's chief and liaison. An export that \
            withholds anyone says so in its manifest and cannot be imported.

            Examples:
              gridmap export --layer grids > grids.geojson
              gridmap export --layer homes --grid DC-017
              gridmap export --all --out out/layers
              gridmap export --all --out town-copy --role office
              gridmap export --layer residents --role grid-worker:DC-017 --grid DC-017
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The layer to write to standard output.", valueName: "name"))
    var layer: String?

    @Flag(help: "Export every layer into the folder given by --out.")
    var all = false

    @Option(help: ArgumentHelp("With --all: the town folder to write (created if missing; an empty folder or an earlier export that is not the whole town is replaced).", valueName: "dir"))
    var out: String?

    @Flag(help: "With --all: replace --out even when it is a full town folder (names and phones unmasked), such as the folder the store was imported from.")
    var replace = false

    @Option(help: ArgumentHelp("Keep only what lies in this grid, e.g. DC-017.", valueName: "code"))
    var grid: String?

    @Option(name: .customLong("micro-grid"), help: ArgumentHelp("Keep only what lies in this micro-grid, e.g. DC-017-2.", valueName: "code"))
    var microGrid: String?

    @OptionGroup var reader: RoleOptions

    @OptionGroup var asOf: AsOfOptions

    @Option(help: ArgumentHelp("Decimals for coordinates (7 ≈ 1 cm).", valueName: "n"))
    var precision: Int = 7

    func validate() throws {
        if all == (layer != nil) { throw ValidationError("Give either --layer NAME or --all --out DIR.") }
        if all, out == nil { throw ValidationError("--all needs --out DIR, the folder for the layer files.") }
        if !all, out != nil { throw ValidationError("--out goes with --all; a single --layer goes to standard output.") }
        if !all, replace { throw ValidationError("--replace goes with --all --out DIR.") }
        if grid != nil, microGrid != nil { throw ValidationError("Give --grid or --micro-grid, not both.") }
        if let layer { _ = try validating { () throws(JobError) in try TownTransfer.layer(named: layer) } }
        _ = try validating { () throws(JobError) in try RequestParsing.area(grid: grid, microGrid: microGrid) }
        if !(0...15).contains(precision) { throw ValidationError("--precision must be between 0 and 15.") }
    }

    func run() throws {
        let store = try store.stores.openWithTown(asOf: asOf.day)
        let area = try RequestParsing.area(grid: grid, microGrid: microGrid)
        let role = try reader.parsed
        if let layer {
            let count = try TownTransfer.exportLayer(named: layer, from: store, in: area, as: role, to: FileSink.standardOutput(), precision: precision)
            StandardError.write("gridmap export: \(count) features in layer \(layer)")
            return
        }
        let (data, masked) = try TownTransfer.exportFolder(from: store, in: area, as: role, to: URL(fileURLWithPath: out!), precision: precision, replace: replace)
        StandardError.write("gridmap export: \(out!): \(data.grids.count) grids, \(data.microGrids.count) micro-grids, "
            + "\(data.features.count) features, \(data.residents.count) residents"
            + (masked ? " (personal data withheld for --role \(role); use --role office for an importable export)" : ""))
    }
}
