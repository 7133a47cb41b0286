import Foundation
import GEOS
import GeoJSON
import GridMapCore
import GridStore
import PROJ

/// A district store, as the shells name it (they do not see GridStore).
public typealias District = any DistrictStore

/// How towns are imported into a district: the options of `gridmap import` that apply.
public struct DistrictImportOptions: Sendable {
    public var crs: String?
    /// Keep coverage faults, the town's own and those between it and the district's towns.
    public var allowingCoverageFaults = false
    /// Replace towns the district holds already (the same code); without it they are refused.
    public var replacingTowns = false
    public var acceptingCRSScaleError = false
    public var repair = RepairOptions()

    public init(crs: String? = nil) {
        self.crs = crs
    }
}

/// Imports into a district (``DistrictStore``): one town folder, or a district folder
/// (`district.json` listing its towns' folders, as `town-generator district` writes it).
///
/// A town is added when its code is new, and replaced only with ``DistrictImportOptions/replacingTowns``.
/// Before anything is written, its boundary is checked against the district's other towns the
/// way grids are checked against each other (``DistrictCoverageValidator``: overlaps, and land
/// the towns enclose that belongs to none); then it is imported into its own store, all or
/// nothing, with every check of a town import; then the catalogue lists it. Replacing a town is
/// an import into its own store, so its events, history and accounts stay, and no other town
/// is locked meanwhile.
public enum DistrictImport {
    public struct Imported: Sendable {
        public var town: DistrictTown
        public var summary: ImportSummary
    }

    /// The district's own file in a district folder.
    public static let manifestName = "district.json"

    /// Whether `folder` is a district folder (it has a `district.json`).
    public static func isDistrictFolder(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(manifestName).path)
    }

    /// Imports the town folder `folder` into `district`; refused before anything is written when
    /// its town's code is not `expected` (when given). `divisionCode` is the town's when its
    /// manifest gives none.
    @discardableResult
    public static func importTown(_ folder: URL, options: DistrictImportOptions, into district: any DistrictStore,
                                  expecting expected: String? = nil, divisionCode: String? = nil,
                                  notice: (String) -> Void = { _ in }) throws(JobError) -> Imported {
        let data = try TownTransfer.readFolder(folder, crs: options.crs, acceptingCRSScaleError: options.acceptingCRSScaleError,
                                               repair: options.repair, notice: notice)
        if let expected, data.town.code != expected {
            throw .invalidRequest("\(folder.relativePath) holds town \(data.town.code), not \(expected); nothing was changed.")
        }
        var town = DistrictTown(data.town)
        if town.divisionCode == nil { town.divisionCode = divisionCode }
        let present = try asJobError { try district.towns() }
        try checkNew([town.code], in: district, present: present, replacing: options.replacingTowns)
        try checkCoverage(of: town, among: present, allowing: options.allowingCoverageFaults, source: folder.relativePath, notice: notice)
        let store = try asJobError { try district.storeForImport(of: town.code) }
        let reservation = try asJobError(.cannotStart) { try store.reserveForImport() }
        defer { reservation.release() }
        let summary = try TownTransfer.importChecked(data, source: folder.relativePath, allowingCoverageFaults: options.allowingCoverageFaults,
                                                     replacingTown: false, repair: options.repair, into: store)
        try asJobError { try district.record(town) }
        return Imported(town: town, summary: summary)
    }

    /// Imports every town the district folder `folder` lists, in its order, telling `imported`
    /// each town as it is in. Towns the district holds already are refused before anything is
    /// written unless ``DistrictImportOptions/replacingTowns``. Each town is its own import: if
    /// one is refused, the towns before it stay imported, and the error says which.
    @discardableResult
    public static func importDistrict(_ folder: URL, options: DistrictImportOptions, into district: any DistrictStore,
                                      notice: (String) -> Void = { _ in },
                                      imported: (Imported) -> Void = { _ in }) throws(JobError) -> [Imported] {
        let manifest = try DistrictManifest.read(folder)
        let present = try asJobError { try district.towns() }
        try checkNew(manifest.towns.map(\.code), in: district, present: present, replacing: options.replacingTowns)
        try asJobError { try district.setDetails(manifest.details) }
        var done: [Imported] = []
        for (index, entry) in manifest.towns.enumerated() {
            let townFolder = folder.appendingPathComponent(entry.folder)
            do {
                let town = try importTown(townFolder, options: options, into: district, expecting: entry.code,
                                          divisionCode: entry.divisionCode, notice: notice)
                done.append(town)
                imported(town)
            } catch {
                let kept = done.isEmpty ? "no town was imported before it"
                    : "the \(done.count) town\(done.count == 1 ? "" : "s") before it (\(done.map(\.town.code).joined(separator: ", "))) stay imported"
                throw JobError(error.kind, "town \(index + 1) of \(manifest.towns.count), \(entry.code) (\(entry.folder)), was not imported; "
                               + "\(kept), and nothing of \(entry.code) was changed: \(error.message)", details: error.details)
            }
        }
        return done
    }

    /// Refuses codes the district has already, unless `replacing`.
    private static func checkNew(_ codes: [String], in district: any DistrictStore, present: [DistrictTown], replacing: Bool) throws(JobError) {
        guard !replacing else { return }
        let held = Set(present.map(\.code))
        let clashing = codes.filter(held.contains)
        guard !clashing.isEmpty else { return }
        throw .invalidRequest("The district \(district.location) holds \(clashing.joined(separator: ", ")) already; nothing was changed. "
            + "Pass --replace-town to replace \(clashing.count == 1 ? "it" : "them") (each town's events and history stay).")
    }

    /// Refuses `town` when it adds coverage faults to the district's (overlaps with a town, land
    /// enclosed and held by none), unless `allowing`: then `notice` hears each one.
    private static func checkCoverage(of town: DistrictTown, among present: [DistrictTown], allowing: Bool, source: String,
                                      notice: (String) -> Void) throws(JobError) {
        let others = present.filter { $0.code != town.code }
        let before = try faults(others, crs: town.workingCRS)
        let added = try faults((others + [town]).sorted { $0.code < $1.code }, crs: town.workingCRS).filter { !before.contains($0) }
        guard !added.isEmpty else { return }
        if allowing {
            for fault in added { notice("\(source): coverage fault kept (--allow-coverage-faults): \(fault)") }
            return
        }
        throw JobError(.rejected, "import rejected, nothing changed; town \(town.code) in \(source) adds \(added.count) coverage fault\(added.count == 1 ? "" : "s") "
                       + "to the district (allow them with --allow-coverage-faults):", details: added.map { "  " + $0 })
    }

    /// The coverage faults of `towns`, as lines.
    private static func faults(_ towns: [DistrictTown], crs: CRSDefinition) throws(JobError) -> [String] {
        guard !towns.isEmpty else { return [] }
        do {
            return try DistrictCoverageValidator().validate(towns.map { .init(code: $0.code, boundary: $0.boundary) }, workingCRS: crs)
                .problems.filter { $0.severity != .info }.map(CoverageReport.line)
        } catch {
            throw JobError(.failed, "cannot check the towns' coverage: \(error)")
        }
    }
}

/// A district folder's `district.json`: the district's details and its towns' codes and folders.
struct DistrictManifest {
    struct Entry {
        var code: String
        var folder: String
        var divisionCode: String?
    }

    var details: DistrictDetails
    var towns: [Entry]

    static func read(_ folder: URL) throws(JobError) -> DistrictManifest {
        let file = folder.appendingPathComponent(DistrictImport.manifestName)
        let place = file.relativePath
        let object: JSONObject
        do {
            guard let decoded = try JSONObjectText.decode(String(contentsOf: file, encoding: .utf8)) else {
                throw JobError.invalidRequest("\(place): not a JSON object")
            }
            object = decoded
        } catch let error as JobError {
            throw error
        } catch {
            throw .invalidRequest("\(place): cannot be read as a district manifest: \(error)")
        }
        guard case .array(let entries)? = object["towns"] else { throw .invalidRequest("\(place): no \"towns\" array") }
        var towns: [Entry] = []
        for (index, entry) in entries.enumerated() {
            guard let code = entry.objectValue?["code"]?.stringValue, let townFolder = entry.objectValue?["folder"]?.stringValue else {
                throw .invalidRequest("\(place): towns[\(index)] needs a \"code\" and a \"folder\"")
            }
            guard !townFolder.contains("/"), townFolder != "..", townFolder != "." else {
                throw .invalidRequest("\(place): towns[\(index)]'s folder \"\(townFolder)\" must be a folder beside district.json")
            }
            towns.append(Entry(code: code, folder: townFolder, divisionCode: entry.objectValue?["divisionCode"]?.stringValue))
        }
        let codes = towns.map(\.code)
        if let repeated = codes.first(where: { code in codes.count { $0 == code } > 1 }) {
            throw .invalidRequest("\(place): town \(repeated) is listed more than once")
        }
        return DistrictManifest(details: DistrictDetails(name: object["name"]?.stringValue, latinName: object["latinName"]?.stringValue,
                                                         divisionCode: object["divisionCode"]?.stringValue),
                                towns: towns)
    }
}

/// A district's towns at a glance: each town's counts from its own store, and the totals.
public struct DistrictOverview: Sendable {
    public struct Row: Sendable {
        public var town: DistrictTown
        public var summary: TownSummary
        /// Residents by category and events by category (``DistrictStore/townCounts()``).
        public var counts: DistrictTownCounts
        /// The town boundary's area in m², in its working CRS.
        public var area: Double
    }

    public var location: String
    public var details: DistrictDetails
    public var rows: [Row]

    public init(district: any DistrictStore) throws(JobError) {
        location = district.location
        details = try asJobError { try district.details() }
        rows = []
        let counts = try asJobError { try district.townCounts() }
        let towns = try asJobError { try district.towns() }
        for town in towns {
            let store = try asJobError { try district.openTown(town.code, access: .readOnly) }
            let summary = try asJobError { try store.summary() }
            let area = try asJobError { try Projection(workingCRS: town.workingCRS).area(of: town.boundary, context: GEOSContext()) }
            rows.append(Row(town: town, summary: summary, counts: counts[town.code] ?? .init(), area: area))
        }
    }
}

/// The district's event rates: each town's from its own store, in one table (by town: a row per
/// town).
public enum DistrictRates {
    public static func rates(in district: any DistrictStore, by grouping: EventGrouping, _ query: EventQuery,
                             now: Date) throws(JobError) -> EventRateTable {
        // A grid or village belongs to the town of its prefix: the other towns have none of its events.
        let only = query.grid?.town ?? query.village.map { String($0.prefix { $0 != "-" }) }
        var tables: [(code: String, table: EventRateTable)] = []
        let towns = try asJobError { try district.towns() }
        for town in towns where only == nil || only == town.code {
            let store = try asJobError { try district.openTown(town.code, access: .readOnly) }
            tables.append((town.code, try EventDesk(store: store).rates(by: grouping, query, now: now)))
        }
        if let only, tables.isEmpty {
            throw .invalidRequest("The district has no town \(only), which the grid or village asked for belongs to.")
        }
        return EventRateTable.district(tables, by: grouping, now: now)
    }
}

/// Where points are in a district: every town's micro-grids in one ``Atlas`` (grid codes are
/// unique across the district by their towns' prefixes), so a point is found in its town and
/// micro-grid at once. A point on an edge two towns share belongs to the micro-grid with the
/// smallest code, so to the town first in code order, as within a town.
public struct DistrictAtlas: Sendable {
    public let atlas: Atlas
    public let towns: [DistrictTown]

    public init(district: any DistrictStore) throws(JobError) {
        towns = try asJobError { try district.towns() }
        guard let first = towns.first else { throw .invalidRequest("The district \(district.location) holds no town yet.") }
        var merged: TownData?
        for town in towns {
            let store = try asJobError { try district.openTown(town.code, access: .readOnly) }
            let data = try LoadedTown.data(from: store, [])
            if merged == nil {
                merged = data
                merged?.town.boundary = first.boundary
            } else {
                merged?.villages += data.villages
                merged?.grids += data.grids
                merged?.microGrids += data.microGrids
                merged?.team += data.team
            }
        }
        atlas = try asJobError { try Atlas(merged!) }
    }

    /// The town of a micro-grid or grid code (by its prefix).
    public func town(of code: GridCode) -> DistrictTown? {
        towns.first { $0.code == code.town }
    }
}

/// A district served whole (the server's `/district` routes): its store and the atlas of all its
/// towns, made once at the start.
public struct DistrictService: Sendable {
    public let store: District
    public let atlas: DistrictAtlas

    public init(_ store: District) throws(JobError) {
        self.store = store
        atlas = try DistrictAtlas(district: store)
    }

    /// The district's details and towns, as anyone may see them (no person is in them).
    public func description() throws(JobError) -> (details: DistrictDetails, towns: [DistrictTown]) {
        (try asJobError { try store.details() }, atlas.towns)
    }
}
