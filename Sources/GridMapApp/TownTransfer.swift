import Foundation
import GeoJSON
import GridMapCore
import GridStore
import Routing

/// Moving a town between a store and files: a whole town folder (docs/TOWN-FORMAT.md) in or
/// out, or one layer out as GeoJSON.
public enum TownTransfer {
    /// The layer named `name` (town, villages, grids, microgrids, residents, team, or a feature
    /// layer such as roads).
    public static func layer(named name: String) throws(JobError) -> StoreLayer {
        guard let layer = StoreLayer(name: name) else {
            throw .invalidRequest("Unknown layer '\(name)'. Layers: town, villages, grids, microgrids, residents, team, "
                + "or a feature layer such as roads, wells, homes.")
        }
        return layer
    }

    /// Writes one layer as an RFC 7946 FeatureCollection to `sink`, residents and team members
    /// as `role` may see them (``Disclosure``; the residents layer is refused to the public and
    /// to a grid worker asking for another grid); returns how many features were written.
    public static func exportLayer(named name: String, from store: any TownStore, in area: AreaFilter?, as role: ResidentRole,
                                   to sink: any GeoJSONSink, precision: Int) throws(JobError) -> Int {
        let layer = try layer(named: name)
        try checkKnown(layer, in: store)
        try checkRole(role, of: store)
        let disclosure = Disclosure(role)
        if layer == .residents { _ = try disclosure.residentArea(area, instead: residentsInstead) }
        do {
            return try store.exportLayer(layer, in: area, people: disclosure.people, to: sink,
                                         options: GeoJSONWriterOptions(coordinatePrecision: precision))
        } catch {
            // Output that cannot be written stops the job as it does for every stream (exit 2).
            if case .output = error { throw JobError(.cannotStart, "\(error)") }
            throw .failed(error)
        }
    }

    /// Refuses a feature layer that is neither in the store nor a built-in kind's (a typo such as
    /// `pharmacys` would otherwise export an empty collection), listing the town's layers. A
    /// built-in kind the town has none of is an empty layer, as the town folder would have it.
    private static func checkKnown(_ layer: StoreLayer, in store: any TownStore) throws(JobError) {
        guard case .features(let kind) = layer, !FeatureKind.builtIn.contains(kind) else { return }
        let layers = try asJobError { try store.layers() }
        guard !layers.contains(layer) else { return }
        throw .invalidRequest("Unknown layer '\(layer.name)': the town has no \(kind) features. Its layers: "
            + layers.map(\.name).joined(separator: ", ") + ".")
    }

    /// What the public is told to ask for instead of the residents layer.
    static let residentsInstead = "`gridmap select --counts` gives counts by category and grid; the residents layer needs --role office or grid-worker:CODE"

    /// Reads the town folder and imports it into `store`, all or nothing. A folder or a town
    /// with any problem changes nothing and throws a ``JobError/Kind/rejected`` error listing
    /// every problem. So does a town whose coverage has faults (``CoverageValidator``: gaps,
    /// overlaps, slivers, micro-grids outside their grid, homes and wells in no micro-grid),
    /// unless `allowingCoverageFaults`: then they are stored with the import and the town's
    /// summary shows them until a clean import.
    ///
    /// A store holds one town: importing a town with another code into a store that holds one is
    /// refused (``JobError/Kind/invalidRequest``, naming both) unless `replacingTown`, because it
    /// would replace that town and leave its events naming grids that are gone.
    ///
    /// A working CRS whose scale error over the town exceeds 0.1% is refused, naming one that
    /// fits, unless `acceptingCRSScaleError`; a manifest without one gets one chosen from the
    /// town's location, which `notice` is told.
    ///
    /// `repair` (``TownRepair``: `--make-valid`, `--snap`) mends the data before it is
    /// validated, telling `notice` each change; without it nothing is mended.
    @discardableResult
    public static func importFolder(_ folder: URL, crs: String?, allowingCoverageFaults: Bool = false,
                                    replacingTown: Bool = false, acceptingCRSScaleError: Bool = false,
                                    repair: RepairOptions = .init(),
                                    into store: any TownStore, notice: (String) -> Void = { _ in }) throws(JobError) -> ImportSummary {
        // Before any work: a store that cannot take this import (read-only, another import running) says so now.
        let reservation = try asJobError(.cannotStart) { try store.reserveForImport() }
        defer { reservation.release() }
        let data = try readFolder(folder, crs: crs, acceptingCRSScaleError: acceptingCRSScaleError, repair: repair, notice: notice)
        return try importChecked(data, source: folder.relativePath, allowingCoverageFaults: allowingCoverageFaults, replacingTown: replacingTown,
                                 repair: repair, into: store)
    }

    /// The town in `folder`, read and validated (``TownFolder/read(from:options:notice:)``); a
    /// folder with any problem is refused (``JobError/Kind/rejected``) with every problem listed.
    static func readFolder(_ folder: URL, crs: String?, acceptingCRSScaleError: Bool, repair: RepairOptions,
                           notice: (String) -> Void) throws(JobError) -> TownData {
        let name = folder.relativePath
        do {
            return try TownFolder.read(from: folder, options: .init(crs: crs, acceptsWorkingCRSScaleError: acceptingCRSScaleError,
                                                                   repair: repair),
                                       notice: notice)
        } catch {
            let count = error.problems.count
            throw JobError(.rejected, "import rejected, nothing changed; \(count) problem\(count == 1 ? "" : "s") in \(name):",
                           details: summary(error.problems.map(\.kind)) + ["by file and feature:"]
                               + error.problems.map { $0.file.isEmpty ? "  \(name): \($0)" : "  \(name)/\($0)" }
                               + (!repair.makesValid && error.problems.contains { $0.kind == .geometry }
                                   ? ["hint: --make-valid repairs invalid geometries, one line per repair (docs/REPAIR.md)"] : []))
        }
    }

    /// The import of a town read and validated (from a folder or another source): refused over
    /// another town unless `replacingTown`, refused for coverage faults unless
    /// `allowingCoverageFaults`, then written all or nothing.
    static func importChecked(_ data: TownData, source name: String, allowingCoverageFaults: Bool, replacingTown: Bool,
                              repair: RepairOptions, into store: any TownStore) throws(JobError) -> ImportSummary {
        if !replacingTown { try checkSameTown(data.town, as: store) }
        // The roads' topology is read when routing; an unknown one would import and fail later.
        do {
            _ = try RoadTopology(manifestMember: data.town.manifestMembers["roadTopology"])
        } catch {
            throw JobError(.rejected, "import rejected, nothing changed; in \(name): \(error)")
        }
        let faults = try coverageFaults(of: data)
        if !faults.isEmpty, !allowingCoverageFaults {
            let count = faults.count
            throw JobError(.rejected, "import rejected, nothing changed; \(count) coverage fault\(count == 1 ? "" : "s") in \(name) "
                           + "(gridmap validate maps them once imported; allow them with --allow-coverage-faults):",
                           details: faults.map { "  " + CoverageReport.line($0) }
                               + (repair.snapTolerance == nil && faults.contains { [.sliverGap, .sliverOverlap, .sliverOutsideParent].contains($0.kind) }
                                   ? ["hint: slivers from coordinates rounded to 6 decimals snap away with --snap 0.1 (docs/REPAIR.md)"] : []))
        }
        do {
            return try store.importTown(data, source: name, acceptedCoverageFaults: faults.map(AcceptedCoverageFault.init))
        } catch {
            // (`catch StoreError.rejected(let rejection)` crashes the Swift 6.3 compiler.)
            guard case .rejected(let rejection) = error else { throw .failed(error, while: "importing \(name)") }
            throw JobError(.rejected, "import rejected, nothing changed; \(rejection.problems.count) problems:",
                           details: summary(rejection.problems.map(\.kind)) + ["by layer and index:"] + rejection.problems.map { "  \($0)" })
        }
    }

    /// Refuses to import `town` over a different town already in `store`.
    private static func checkSameTown(_ town: Town, as store: any TownStore) throws(JobError) {
        let stored = try asJobError { try store.town() }
        guard let stored, stored.code != town.code else { return }
        throw .invalidRequest("The store holds another town, \(stored.code) (\(stored.name)); importing \(town.code) "
            + "(\(town.name)) would replace it, and its events would name grids that are gone. Nothing was changed. "
            + "Import into another store (--db), or pass --replace-town to replace \(stored.code).")
    }

    /// The faults of `data`'s coverage that are not merely informational, by the default
    /// tolerances of `gridmap validate`. Run on a town the reader has validated, so a failure to
    /// run at all is the store's or a library's.
    private static func coverageFaults(of data: TownData) throws(JobError) -> [CoverageProblem] {
        do {
            return try CoverageValidator().validate(data).problems.filter { $0.severity != .info }
        } catch {
            throw JobError(.failed, "cannot check the coverage of the town: \(error)")
        }
    }

    /// Refuses a grid worker of a grid the stored town does not have.
    private static func checkRole(_ role: ResidentRole, of store: any TownStore) throws(JobError) {
        guard case .gridWorker = role else { return }
        try RequestParsing.checkRole(role, grids: asJobError { try store.grids() }.map(\.code))
    }

    /// The counts of problems by kind that open a rejection, one line each.
    private static func summary(_ kinds: [TownProblem.Kind]) -> [String] {
        TownProblem.summary(of: kinds).map { "  " + $0 }
    }

    /// The part of the stored town that an export holds: everything, or what lies in one area,
    /// with the residents and team members `role` may see (``Disclosure``: none of the residents
    /// for the public, a grid worker's own grid's; an area in another grid is refused to a grid
    /// worker). `masked` tells whether any resident or team member of the area was withheld
    /// (such a folder is not the whole town and cannot be imported again).
    public static func exportData(from store: any TownStore, in area: AreaFilter?, as role: ResidentRole) throws(JobError)
        -> (data: TownData, masked: Bool) {
        try checkRole(role, of: store)
        let disclosure = Disclosure(role)
        if case .gridWorker = role { try disclosure.checkOwnGrid(area) }
        return try asJobError {
            // The residents come from locatedResidents; loading them twice was a third of the
            // export. With an area, its features are read by kind below, not the town's.
            guard var data = try store.loadTown(area == nil ? [.features] : []) else { throw JobError.invalidRequest("The store holds no town.") }
            let located = try store.locatedResidents(in: area, categories: [], page: .all)
            let rows = located.filter(disclosure.people.keepsResident)
            data.residents = rows.map(\.resident)
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
            let team = data.team.filter(disclosure.sees)
            let withheld = rows.count < located.count || team.count < data.team.count
            data.team = team
            return (data, withheld)
        }
    }

    /// Writes the stored town (or one area of it, as `role` may see it) as a town folder, swapped
    /// in whole for what `folder` held (``TownFolder/write(_:to:options:)``): a failure leaves the
    /// old folder as it was. An empty folder or an export that is not the whole town is replaced; a
    /// full town folder — such as the folder the store was imported from — only with `replace`; a
    /// file or a folder that is not a town folder never. A folder that withholds anyone says so in
    /// its manifest, and one that holds personal data the public may not see is its owner's alone
    /// (``Disclosure/folderOptions(precision:incomplete:)``).
    @discardableResult
    public static func exportFolder(from store: any TownStore, in area: AreaFilter?, as role: ResidentRole,
                                    to folder: URL, precision: Int, replace: Bool = false) throws(JobError) -> (data: TownData, masked: Bool) {
        // Checked before the export is built, so that a refusal costs nothing.
        try checkTarget(folder, for: area, as: role, replace: replace)
        let export = try exportData(from: store, in: area, as: role)
        var options = Disclosure(role).folderOptions(precision: precision, incomplete: export.masked)
        options.replacesFullTown = replace
        do {
            try TownFolder.write(export.data, to: folder, options: options)
        } catch {
            throw .cannotStart(error.problems.map(\.description).joined(separator: "; "))
        }
        return export
    }

    /// Refuses a target that writing the export would destroy, saying what is there and what
    /// the export would do to it.
    private static func checkTarget(_ folder: URL, for area: AreaFilter?, as role: ResidentRole, replace: Bool) throws(JobError) {
        let name = folder.relativePath
        switch TownFolder.target(at: folder.resolvingSymlinksInPath()) {
        case .absent, .empty, .maskedExport: return
        case .foreign(let what):
            throw .cannotStart("\(name) is \(what); an export replaces the whole folder, so nothing was written; choose an empty or new --out")
        case .fullTown(let residents):
            guard !replace else { return }
            let damage: String
            if let area {
                damage = "writing the export of \(area) over it would cut it down to that one area"
            } else if role == .public {
                damage = "writing a public export over it would empty its residents.csv and cut its team.csv to the grids' chiefs and liaisons"
            } else if role != .office {
                damage = "writing a grid worker's export over it would keep only that grid's residents"
            } else {
                damage = "writing the store's town over it would replace every layer and its residents.csv"
            }
            let people = residents.map { ", \($0) residents" } ?? ""
            throw .cannotStart("\(name) is a full town folder (names and phones unmasked\(people)); \(damage); choose another --out or pass --replace")
        }
    }
}
