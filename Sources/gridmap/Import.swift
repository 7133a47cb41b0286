import ArgumentParser
import Foundation
import GridMapApp
import GridMapCore

/// `gridmap import`: a town's layers into the store, all or nothing.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a town folder, or any vector source GDAL reads (GeoPackage, Shapefile, OSM, …), into the store, all or nothing.",
        discussion: """
            SOURCE is a town folder, or a file GDAL opens (docs/IMPORT-SOURCES.md): a \
            GeoPackage, a Shapefile, a GeoJSON or GeoJSON-seq file, KML, CSV with coordinates \
            (lon/lat or x/y columns, or WKT), OpenStreetMap PBF or XML (.osm.bz2 too). A file \
            needs --mapping FILE, a JSON file saying which layer and filter is which kind and \
            which attribute is the name, address, house number or road class; OpenStreetMap has \
            a built-in mapping (highway → roads, building → homes, amenity/healthcare/shop/office \
            → services, landuse/natural/waterway → fields, forest, water, rivers, ditches; ids \
            way/123). --code names the town (or the mapping does), --boundary FILE gives its \
            boundary (else the box around the data); one grid and one micro-grid covering it are \
            made, for `gridmap partition` to design. All the problems are listed in one pass, \
            counted by kind first.

            A town folder (docs/TOWN-FORMAT.md; what `gridmap export --all --role \
            office` writes): manifest.json, one GeoJSON file per layer named after it \
            (town.geojson, villages.geojson, grids.geojson, microgrids.geojson, roads.geojson, \
            homes.geojson, …) and residents.csv and team.csv for the people.

            Coordinates are WGS84 longitude/latitude unless a layer names its CRS with a legacy \
            `crs` member (as GDAL writes it), --crs names one (any CRS PROJ knows, e.g. \
            EPSG:4549, or GCJ02 / BD09 for data traced on Chinese online maps), or the \
            manifest's `crs` does — in that order.

            The import is one transaction: if any file has any problem — bad GeoJSON, an invalid \
            polygon, an unknown CRS, a micro-grid whose grid is missing, a resident whose home is \
            missing — nothing changes, and every problem is listed with its file and feature \
            index. Importing the same data again leaves the same store.

            A file that is there but cannot be read (no permission, a directory, a device, a \
            dangling link) is a problem, never an empty layer; so are counts that disagree with \
            the manifest, and coordinates that do not fit the working CRS (outside its area of \
            use, a town that collapses, a CRS that measures distances at the town more than \
            0.1% off such as web mercator, unless --accept-crs-error). A manifest without a \
            workingCRS gets the town's CGCS2000 3-degree Gauss-Kruger zone in China (the "CM" \
            codes EPSG:4534-4554, e.g. EPSG:4549 at 120E) or its WGS 84 UTM zone elsewhere, and \
            the import says which. \
            Coverage faults (what `gridmap validate` reports: gaps, overlaps, micro-grids outside \
            their grid, homes and wells in no micro-grid) refuse the import too, unless \
            --allow-coverage-faults: they are then kept with the import and `gridmap info` shows \
            their number until a clean import.

            Nothing is repaired unless asked: --make-valid mends invalid geometries (GEOS \
            MakeValid; a polygon stays polygonal, collapsed parts are dropped and named) and \
            --snap METRES snaps grids and micro-grids written at 6 decimals back into a tiling; \
            each prints one line per changed item before validation (docs/REPAIR.md).

            A store holds one town. Importing the same town again (the same code) replaces it; \
            importing another town into a store that holds one is refused unless \
            --replace-town, so that a mistyped --db never loses a town.

            A district holds many towns, each in its own store (docs/SCALING.md): a folder for \
            SQLite (--db district/), or a PostgreSQL database or schema. Importing a district \
            folder (one with district.json, as `town-generator district` writes) makes the \
            district and imports every town it lists, one after another, saying each; --district \
            makes a new district from a town folder. Into a district, a town with a new code is \
            added and one with a code the district holds is refused unless --replace-town (its \
            events and history stay). A town whose boundary overlaps another town's, or that \
            leaves land enclosed by towns in none of them, is refused like a grid would be, \
            unless --allow-coverage-faults. Then --town CODE picks the town for every other \
            command.

            Examples:
              gridmap import geodata/dacun --db dacun.sqlite
              gridmap import survey-epsg4549/ --crs EPSG:4549 --db town.sqlite
              gridmap import aguascalientes.osm.pbf --code AG --db ag.sqlite
              gridmap import survey.gpkg --mapping survey-mapping.json --boundary town.shp --db town.sqlite
              gridmap import synthetic-district/ --db district/
              gridmap import geodata/dacun --db district/ --replace-town
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The town folder, or a file GDAL reads, to import.", valueName: "source"))
    var source: String

    @Option(help: ArgumentHelp("The mapping of a file's layers to kinds (JSON, docs/IMPORT-SOURCES.md); OSM files have a built-in one.", valueName: "file"))
    var mapping: String?

    @Option(help: ArgumentHelp("The town's code for a file source (upper-case letters), unless the mapping gives it.", valueName: "code"))
    var code: String?

    @Option(help: ArgumentHelp("The town's name for a file source (default: the mapping's, else the file's name).", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("A file whose polygons are the town's boundary, for a file source (default: the box around the data).", valueName: "file"))
    var boundary: String?

    @Option(help: ArgumentHelp("CRS of the input coordinates (default: WGS84 longitude/latitude).", valueName: "crs"))
    var crs: String?

    @Flag(help: "Import a town whose coverage has faults (gaps, overlaps, homes in no micro-grid); they are kept with the import.")
    var allowCoverageFaults = false

    @Flag(help: "Replace the town the store holds when it is another town (another code), or in a district the town with the same code; without it such an import is refused.")
    var replaceTown = false

    @Flag(help: "Make --db a new district (a folder, or a PostgreSQL database or schema) holding this town; later imports add towns to it.")
    var district = false

    @Flag(help: "Keep a working CRS that measures distances at the town more than 0.1% off (e.g. web mercator); without it the import is refused.")
    var acceptCRSError = false

    @Flag(help: "Repair invalid polygons and lines (GEOS MakeValid, keeping each one's type), one line per repaired feature.")
    var makeValid = false

    @Option(help: ArgumentHelp("Snap grid and micro-grid vertices and edges within this many metres (working CRS), "
        + "one line per snapped polygon (docs/REPAIR.md).", valueName: "metres"))
    var snap: Double?

    func validate() throws {
        do { try RepairOptions(makesValid: makeValid, snapTolerance: snap).check() } catch { throw ValidationError("--snap: \(error)") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: source)
        let intoDistrict = try store.stores.district() != nil
        if DistrictImport.isDistrictFolder(url) || district || intoDistrict {
            return try importIntoDistrict(url)
        }
        let target = try store.stores.openForImport()
        let repair = RepairOptions(makesValid: makeValid, snapTolerance: snap)
        var isFolder: ObjCBool = false
        let isFile = FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && !isFolder.boolValue
        var options = SourceImportOptions(mapping: mapping.map { URL(fileURLWithPath: $0) }, code: code, name: name,
                                          boundary: boundary.map { URL(fileURLWithPath: $0) }, crs: crs)
        options.allowingCoverageFaults = allowCoverageFaults
        options.replacingTown = replaceTown
        options.acceptingCRSScaleError = acceptCRSError
        options.repair = repair
        if !isFile, let flag = [("--mapping", mapping), ("--code", code), ("--name", name), ("--boundary", boundary)].first(where: { $0.1 != nil })?.0 {
            throw ValidationError("\(flag) is for a file source; a town folder's manifest names its town.")
        }
        let report = { (line: String) in StandardError.write("gridmap import: \(line)") }
        let summary = try isFile
            ? TownTransfer.importSource(url, options: options, into: target, notice: report)
            : TownTransfer.importFolder(url, crs: crs, allowingCoverageFaults: allowCoverageFaults, replacingTown: replaceTown,
                                        acceptingCRSScaleError: acceptCRSError, repair: repair, into: target, notice: report)
        StandardError.write("gridmap import: \(summary.grids) grids, \(summary.microGrids) micro-grids, "
            + "\(summary.features) features, \(summary.residents) residents, \(summary.teamMembers) team members "
            + "into \(target.location)")
        if summary.coverageFaultsAccepted > 0 {
            StandardError.write("gridmap import: note: \(summary.coverageFaultsAccepted) coverage faults accepted (see gridmap validate)")
        }
        if summary.featuresOutsideMicroGrids > 0 {
            StandardError.write("gridmap import: note: \(summary.featuresOutsideMicroGrids) features lie in no micro-grid (see gridmap validate)")
        }
    }

    /// A district folder, or a town folder into a district (new with --district).
    private func importIntoDistrict(_ url: URL) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("A district imports town folders and district folders; import \(source) into a town store first "
                + "(gridmap import \(source) --db town.sqlite), then export it as a folder (gridmap export --all --role office).")
        }
        if let flag = [("--mapping", mapping), ("--code", code), ("--name", name), ("--boundary", boundary)].first(where: { $0.1 != nil })?.0 {
            throw ValidationError("\(flag) is for a file source; a town folder's manifest names its town.")
        }
        let target = try store.stores.districtForImport()
        var options = DistrictImportOptions(crs: crs)
        options.allowingCoverageFaults = allowCoverageFaults
        options.replacingTowns = replaceTown
        options.acceptingCRSScaleError = acceptCRSError
        options.repair = RepairOptions(makesValid: makeValid, snapTolerance: snap)
        let report = { (line: String) in StandardError.write("gridmap import: \(line)") }
        let describe = { (town: DistrictImport.Imported) -> String in
            let summary = town.summary
            return "\(town.town.code) \(town.town.name): \(summary.grids) grids, \(summary.microGrids) micro-grids, "
                + "\(summary.features) features, \(summary.residents) residents, \(summary.teamMembers) team members"
        }
        if DistrictImport.isDistrictFolder(url) {
            if let town = store.town { throw ValidationError("--town \(town) names one town; \(source) is a district folder of many.") }
            let towns = try DistrictImport.importDistrict(url, options: options, into: target, notice: report) { report(describe($0)) }
            report("\(towns.count) towns, \(towns.reduce(0) { $0 + $1.summary.residents }) residents into the district \(target.location)")
            return
        }
        let town = try DistrictImport.importTown(url, options: options, into: target, expecting: store.town, notice: report)
        report(describe(town) + " into the district \(target.location)")
    }
}
