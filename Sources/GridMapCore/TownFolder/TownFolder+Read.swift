import Foundation
import GeoJSON
import PROJ

extension TownFolder {
    /// Reads the town folder at `directory` and validates what it read; see docs/TOWN-FORMAT.md.
    ///
    /// Everything is checked before anything is returned, and every problem found is reported in
    /// one ``TownFolderError``, sorted by file and by feature or line. Reading reports what keeps a
    /// file from being read: missing files, files that are there but cannot be read (a directory,
    /// a device, a FIFO, a dangling link, no permission: never taken for absent ones), JSON, GeoJSON and CSV errors (with feature index, path,
    /// line and column), properties and columns that cannot be read, malformed grid codes,
    /// unknown CRSs and counts that disagree with the manifest. ``TownValidator`` then checks what
    /// was read by the same rules as the store's import — codes, duplicates, references, property
    /// rules, geometry validity — so that one run names every problem.
    ///
    /// Coordinates are WGS84 longitude/latitude unless a layer names another CRS in a legacy `crs`
    /// member (as GDAL writes), `options.crs` names one, or the manifest's `crs` does — in that
    /// order; they are then transformed to WGS84 (``Projection``). Features come back grouped by
    /// layer, layers in file-name order, features in file order.
    ///
    /// A manifest without `workingCRS` gets the one ``WorkingCRSChoice`` suggests for the town's
    /// boundary, and `notice` is told which.
    ///
    /// `options.repair` (``TownRepair``) mends what it is asked to between reading and validating,
    /// and `notice` is told every change, one line per item, then a summary.
    public static func read(from directory: URL, options: ReadOptions = .init(),
                            notice: (String) -> Void = { _ in }) throws(TownFolderError) -> TownData {
        let reader = FolderReader(directory: directory, options: options)
        guard let (read, sources) = reader.read(notice: notice) else { throw TownFolderError(problems: reader.problems) }
        var data = read
        do {
            try TownRepair.repair(&data, options: options.repair, notice: notice)
        } catch {
            throw TownFolderError(problems: [TownProblem(.file, file: "", message: "\(error)")])
        }
        let problems = TownValidator.validate(data, sources: sources, makingRows: nil as TownValidator.RowMaker<Void>?).problems
        guard problems.isEmpty else { throw TownFolderError(problems: problems) }
        data.isValidated = true
        return data
    }
}

/// Items read from one file or layer, each with its place.
struct ReadItems<Item> {
    var items: [Item] = []
    var places = TownSources.PlaceList()

    mutating func append(_ item: Item, at place: TownSources.Place) {
        items.append(item)
        places.append(place)
    }

    /// Forgets the items from `bounds` on (a pass over a file that is read again).
    mutating func removeSubrange(_ bounds: PartialRangeFrom<Int>) {
        items.removeSubrange(bounds)
        places.removeSubrange(bounds)
    }
}

/// The state of one `TownFolder.read`: what was read, where each item came from, the problems
/// found so far and the CRS transformations made. It reads only: the rules of town data are the
/// validator's.
final class FolderReader {
    typealias Place = TownSources.Place

    let directory: URL
    let options: TownFolder.ReadOptions
    var problems: [TownProblem] = []
    /// Features seen per GeoJSON file (good and bad), for the manifest's counts; nil after a fatal error.
    var featureCounts: [String: Int] = [:]
    /// Files that are missing or could not be read to the end. References into them are not
    /// checked: one problem with the file says more than one per dangling reference.
    var incomplete = Set<String>()
    /// Items declared in a file that could not be built, with the index of the problem that says why.
    var unread: [TownSources.Target: Int] = [:]
    var unreadValues: Set<TownSources.ValuePlace> = []
    var crsCache: [String: Result<(transformer: Projection?, geographic: Bool), PROJError>] = [:]

    init(directory: URL, options: TownFolder.ReadOptions) {
        self.directory = directory
        self.options = options
    }

    @discardableResult
    func problem(_ kind: TownProblem.Kind, _ file: String, line: Int? = nil, path: String = "", _ message: String) -> Int {
        problems.append(TownProblem(kind, file: file, line: line, path: path, message: message))
        return problems.count - 1
    }

    @discardableResult
    func problem(_ kind: TownProblem.Kind, _ file: String, _ featureIndex: Int, path: String = "", _ message: String) -> Int {
        problems.append(TownProblem(kind, file: file, featureIndex: featureIndex, path: path, message: message))
        return problems.count - 1
    }

    /// Records that `target` is declared in the input but could not be built, for the reason
    /// given by the problems from `mark` on.
    func unread(_ target: TownSources.Target?, problemsSince mark: Int) {
        guard let target, problems.count > mark, unread[target] == nil else { return }
        unread[target] = mark
    }

    // MARK: The whole folder

    /// What the folder holds and where each item came from; nil when it is not a folder.
    func read(notice: (String) -> Void) -> (TownData, TownSources)? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            problem(.file, "", "\(directory.path) is not a folder")
            return nil
        }
        let manifest = readManifest()
        var defaultCRS = options.crs ?? manifest?.crs
        if let crs = defaultCRS, !TownFolder.isWGS84(crs), case .failure(let error) = crsInfo(crs) {
            problem(.crs, options.crs != nil ? "" : TownFolder.manifestFile, "unknown CRS \"\(crs)\": \(error)")
            defaultCRS = nil
        }
        let boundary = readBoundary(townCode: manifest?.code, defaultCRS: defaultCRS)
        let villages = readVillages(defaultCRS: defaultCRS)
        let grids = readGrids(defaultCRS: defaultCRS)
        let microGrids = readMicroGrids(defaultCRS: defaultCRS)
        let (features, layerFiles) = readFeatureLayers(defaultCRS: defaultCRS)
        let residents = readResidents()
        let team = readTeam()
        if let manifest { checkCounts(manifest) }

        var workingCRS = manifest?.workingCRS
        if let manifest, manifest.workingCRS == nil, !manifest.workingCRSIsInvalid, let boundary,
           let choice = WorkingCRSChoice.suggested(for: boundary.geometry) {
            workingCRS = choice.crs.description
            notice("\(TownFolder.manifestFile) names no working CRS; chose \(choice.crs) (the town's \(choice.kind), "
                + "\(choice.shortName)) from where the town lies")
        }
        let manifestPlace = Place(file: TownFolder.manifestFile)
        for (path, value) in [("code", manifest?.code), ("workingCRS", workingCRS)] where value == nil {
            unreadValues.insert(.init(place: manifestPlace, path: path))
        }
        let data = TownData(
            town: Town(code: manifest?.code ?? "", name: manifest?.name ?? "", latinName: manifest?.latinName ?? "",
                       workingCRS: CRSDefinition(workingCRS ?? ""), boundary: boundary?.geometry ?? .polygon([]),
                       manifestMembers: manifest?.otherMembers ?? [:]),
            villages: villages.items, grids: grids.items, microGrids: microGrids.items,
            features: features.items, residents: residents.items, team: team.items)
        let sources = TownSources(
            townValues: manifest == nil ? nil : manifestPlace, townCodePath: "code", workingCRSPath: "workingCRS",
            boundary: boundary?.place,
            villages: .listed(villages.places), grids: .listed(grids.places), microGrids: .listed(microGrids.places),
            features: .listed(features.places), residents: .listed(residents.places), team: .listed(team.places),
            villagesFile: TownFolder.villagesFile, gridsFile: TownFolder.gridsFile,
            featureFile: { $0.layerName + ".geojson" },
            fileOrder: ["", TownFolder.manifestFile, TownFolder.townFile, TownFolder.villagesFile, TownFolder.gridsFile,
                        TownFolder.microGridsFile] + layerFiles + [TownFolder.residentsFile, TownFolder.teamFile],
            problems: problems, unread: unread, incomplete: incomplete, unreadValues: unreadValues,
            scaleTolerance: options.acceptsWorkingCRSScaleError ? nil : WorkingCRSFit.scaleTolerance)
        return (data, sources)
    }
}
