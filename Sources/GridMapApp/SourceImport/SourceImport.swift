import Foundation
import GEOS
import GeoJSON
import GridMapCore
import GridStore
import PROJ

/// What `gridmap import SOURCE` needs besides the source: the mapping file (none for an OSM
/// file: the built-in mapping), the town's code, name and boundary when the mapping does not
/// give them, the CRS of layers that declare none, and the import's choices as for a folder.
public struct SourceImportOptions: Sendable {
    public var mapping: URL?
    public var code: String?
    public var name: String?
    /// A file whose polygons (all its features) are the town's boundary.
    public var boundary: URL?
    public var crs: String?
    public var allowingCoverageFaults = false
    public var replacingTown = false
    public var acceptingCRSScaleError = false
    /// Repairs to make before validating (``TownRepair``: `--make-valid`, `--snap`); none by default.
    public var repair = RepairOptions()

    public init(mapping: URL? = nil, code: String? = nil, name: String? = nil, boundary: URL? = nil, crs: String? = nil) {
        self.mapping = mapping
        self.code = code
        self.name = name
        self.boundary = boundary
        self.crs = crs
    }
}

extension TownTransfer {
    /// Whether `source` is an OpenStreetMap file, which has a built-in mapping.
    public static func isOpenStreetMap(_ source: URL) -> Bool {
        let name = source.lastPathComponent.lowercased()
        return [".osm", ".pbf", ".osm.bz2"].contains(where: name.hasSuffix)
    }

    /// Imports any vector source GDAL opens into `store`, all or nothing (docs/IMPORT-SOURCES.md).
    ///
    /// The rules: features become the town's by the mapping (``SourceMapping``; OSM's built-in
    /// one for an OSM file), with ids from the mapping, OSM's (`way/123`) or `LAYER:FID`. The
    /// boundary is `--boundary`'s polygons, else the mapping's boundary layer, else the box
    /// around the data (said in a notice); features that do not touch a given boundary are left
    /// out (counted). With no grid layers, one village, one grid and one micro-grid covering the
    /// boundary are made (said), so that the town validates, routes and maps until `gridmap
    /// partition` designs them. The working CRS is the mapping's, or chosen from the town's place.
    ///
    /// Every problem is found in one pass and the import refused with them all, counted by kind
    /// first, then by file, layer and feature; nothing changes. Then the folder import's checks
    /// and store write (another town, coverage faults).
    @discardableResult
    public static func importSource(_ source: URL, options: SourceImportOptions, into store: any TownStore,
                                    notice: (String) -> Void = { _ in }) throws(JobError) -> ImportSummary {
        let reservation = try asJobError(.cannotStart) { try store.reserveForImport() }
        defer { reservation.release() }
        let name = source.relativePath
        let mapping: SourceMapping
        if let file = options.mapping {
            mapping = try SourceMapping.read(from: file)
        } else if isOpenStreetMap(source) {
            mapping = .openStreetMap
        } else {
            throw .cannotStart("\(name) is not a town folder or an OpenStreetMap file: say which of its layers are which kind "
                + "with --mapping FILE (docs/IMPORT-SOURCES.md has an example for each format)")
        }
        guard let code = options.code ?? mapping.town.code else {
            throw .invalidRequest("Name the town's code with --code (upper-case letters, e.g. --code AG) or in the mapping's town.code.")
        }
        // The one grid and micro-grid made over the boundary (the source has no grid layers).
        guard let grid = GridCode(town: code, grid: 1), let microGrid = GridCode(town: code, grid: 1, microGrid: 1) else {
            throw .invalidRequest("The town code \"\(code)\" must be upper-case ASCII letters, e.g. AG.")
        }
        var read = try SourceReader(source: source, mapping: mapping, crs: options.crs).read()
        for (layer, count) in read.leftOut.sorted(by: { $0.key < $1.key }) {
            notice("\(name), layer \(layer): \(count) feature\(count == 1 ? "" : "s") matched no rule of the mapping and were left out")
        }
        for (note, count) in read.geometryNotes.sorted(by: { $0.key < $1.key }) { notice("\(name): \(count) features: \(note)") }
        for warning in read.warnings { notice("\(name): GDAL: \(warning)") }
        if !read.assumedWGS84.isEmpty {
            notice("\(name): layer \(read.assumedWGS84.joined(separator: ", ")) declares no CRS; read as WGS84 longitude/latitude "
                + "(name another with --crs or the mapping's crs)")
        }

        let boundary = try townBoundary(options: options, mapping: mapping, read: &read, source: name, notice: notice)
        let townName = options.name ?? mapping.town.name
            ?? String(source.lastPathComponent.split(separator: ".").first ?? Substring(source.lastPathComponent))
        var workingCRS: CRSDefinition? = mapping.town.workingCRS.map { CRSDefinition($0) }
        if workingCRS == nil, let choice = WorkingCRSChoice.suggested(for: boundary) {
            workingCRS = choice.crs
            notice("working CRS: chose \(choice.crs) (the town's \(choice.kind), \(choice.shortName)) from where the town lies")
        }
        var members = JSONObject()
        if let topology = mapping.topology ?? (mapping.osm ? "shared-vertices" : nil) { members["roadTopology"] = .string(topology) }
        if mapping.osm { members["attribution"] = "© OpenStreetMap contributors, licensed under the Open Database License (ODbL 1.0)" }
        members["source"] = .string(source.lastPathComponent)
        var data = TownData(
            town: Town(code: code, name: townName, latinName: mapping.town.latinName ?? townName,
                       workingCRS: workingCRS ?? CRSDefinition(""), boundary: boundary, manifestMembers: members),
            villages: [Village(code: "\(code)-V01", name: townName)],
            grids: [Grid(code: grid, name: townName, villageCode: "\(code)-V01", geometry: boundary)],
            microGrids: [MicroGrid(code: microGrid, name: townName, geometry: boundary)],
            features: read.features)
        notice("made one grid (\(grid)) and one micro-grid (\(microGrid)) covering the town: the source has no grids; "
            + "`gridmap partition` designs them")
        do {
            try TownRepair.repair(&data, options: options.repair, notice: notice)
        } catch {
            throw .invalidRequest("\(name): \(error)")
        }
        let problems: [TownProblem] = read.problems + TownValidator.validate(&data, featurePlaces: read.places,
                                                                     acceptsWorkingCRSScaleError: options.acceptingCRSScaleError)
        guard problems.isEmpty else {
            let count = problems.count
            throw JobError(.rejected, "import rejected, nothing changed; \(count) problem\(count == 1 ? "" : "s") in \(name):",
                           details: TownProblem.summary(of: problems.map(\.kind)).map { "  " + $0 } + ["by file, layer and feature:"]
                               + problems.sorted(by: problemOrder).map { "  \($0)" }
                               + (!options.repair.makesValid && problems.contains { $0.kind == .geometry }
                                   ? ["hint: --make-valid repairs invalid geometries, one line per repair (docs/REPAIR.md)"] : []))
        }
        let homes = data.features.filter { $0.kind == .home }
        let unaddressed = homes.filter { $0.properties["address"] == nil }.count
        if unaddressed > 0 {
            notice("\(unaddressed) of \(homes.count) homes have no address: they can be located and visited, not matched from a ledger")
        }
        return try importChecked(data, source: name, allowingCoverageFaults: options.allowingCoverageFaults,
                                 replacingTown: options.replacingTown, repair: options.repair, into: store)
    }

    /// Problems by kind, then file, then feature, then as found (a stable sort).
    private static func problemOrder(_ a: TownProblem, _ b: TownProblem) -> Bool {
        (a.kind, a.file, a.featureIndex ?? -1) < (b.kind, b.file, b.featureIndex ?? -1)
    }

    /// The town's boundary in WGS84 (a Polygon or MultiPolygon), from `--boundary`, the mapping's
    /// boundary layer, or the box around the data; features that do not touch a given boundary
    /// leave `read` (counted in a notice).
    private static func townBoundary(options: SourceImportOptions, mapping: SourceMapping, read: inout SourceRead,
                                     source: String, notice: (String) -> Void) throws(JobError) -> Geometry {
        var parts = read.boundaryParts
        var whence = "\(source), layer \(mapping.town.boundaryLayer ?? "")"
        if let file = options.boundary {
            var reader = SourceReader(source: file, mapping: SourceMapping(), crs: options.crs)
            reader.everyFeatureIsBoundary = true
            let boundaryRead = try reader.read()
            if let problem = boundaryRead.problems.first { throw .cannotStart("the boundary \(file.relativePath): \(problem)") }
            parts = boundaryRead.boundaryParts
            whence = file.relativePath
        } else if mapping.town.boundaryLayer == nil {
            guard let box = dataBox(read.features) else {
                throw .invalidRequest("\(source): the mapping took no feature, so there is no town to import (see the notices on what was left out).")
            }
            notice("no boundary given (--boundary FILE, or the mapping's town.boundaryLayer): the town is the box around its "
                + "data, \(box.summary)")
            return box.polygon
        }
        let context = GEOSContext()
        do {
            var polygons: [GEOSGeometry] = []
            for part in parts {
                switch part {
                case .polygon, .multiPolygon: polygons.append(try part.geosGeometry(in: context))
                default: throw JobError.cannotStart("the boundary \(whence) holds a \(part.typeName); a boundary is polygons")
                }
            }
            guard let first = polygons.first else { throw JobError.cannotStart("the boundary \(whence) holds no polygon") }
            let union = try polygons.dropFirst().reduce(first) { (whole, next) throws(GEOSError) in try whole.union(next) }
            let boundary = try Geometry(union)
            let prepared = try PreparedGeometry(union)
            var kept = SourceRead(problems: read.problems, boundaryParts: read.boundaryParts)
            var outside = 0
            for (feature, place) in zip(read.features, read.places) {
                // A geometry GEOS cannot take is kept, for the validator to name.
                if let geometry = try? feature.geometry.geosGeometry(in: context), !(try prepared.intersects(geometry)) {
                    outside += 1
                    continue
                }
                kept.features.append(feature)
                kept.places.append(place)
            }
            read.features = kept.features
            read.places = kept.places
            if outside > 0 { notice("\(outside) features lie outside the boundary (\(whence)) and were left out") }
            return boundary
        } catch let error as JobError {
            throw error
        } catch {
            throw .cannotStart("the boundary \(whence) cannot be used: \(error)")
        }
    }

    /// The longitude/latitude box around the features, widened by 0.0005° (about 50 m) so that
    /// features on its edge lie inside.
    private static func dataBox(_ features: [MapFeature]) -> (polygon: Geometry, summary: String)? {
        var (west, south, east, north) = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
        for feature in features {
            feature.geometry.forEachPosition { position in
                west = min(west, position.x); east = max(east, position.x)
                south = min(south, position.y); north = max(north, position.y)
            }
        }
        guard west.isFinite, south.isFinite, east.isFinite, north.isFinite else { return nil }
        let margin = 0.0005
        (west, south, east, north) = (west - margin, south - margin, east + margin, north + margin)
        let ring = [Position(x: west, y: south), Position(x: east, y: south), Position(x: east, y: north),
                    Position(x: west, y: north), Position(x: west, y: south)]
        let summary = String(format: "%.5f…%.5f E, %.5f…%.5f N", west, east, south, north)
        return (.polygon([ring]), summary)
    }
}
