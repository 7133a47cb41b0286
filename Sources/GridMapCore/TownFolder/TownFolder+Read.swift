import CSV
import Foundation
import GeoJSON
import PROJ

extension TownFolder {
    /// Reads the town folder at `directory` and validates what it read; see docs/TOWN-FORMAT.md.
    ///
    /// Everything is checked before anything is returned, and every problem found is reported in
    /// one ``TownFolderError``, sorted by file and by feature or line. Reading reports what keeps a
    /// file from being read: missing files, JSON, GeoJSON and CSV errors (with feature index, path,
    /// line and column), properties and columns that cannot be read, malformed grid codes,
    /// unknown CRSs and counts that disagree with the manifest. ``TownValidator`` then checks what
    /// was read by the same rules as the store's import — codes, duplicates, references, property
    /// rules, geometry validity — so that one run names every problem.
    ///
    /// Coordinates are WGS84 longitude/latitude unless a layer names another CRS in a legacy `crs`
    /// member (as GDAL writes), `options.crs` names one, or the manifest's `crs` does — in that
    /// order; they are then transformed to WGS84 with PROJ. Features come back grouped by layer,
    /// layers in file-name order, features in file order.
    public static func read(from directory: URL, options: ReadOptions = .init()) throws(TownFolderError) -> TownData {
        let reader = FolderReader(directory: directory, options: options)
        guard let (read, sources) = reader.read() else { throw TownFolderError(problems: reader.problems) }
        var data = read
        let problems = TownValidator.validate(data, sources: sources, makingRows: nil as TownValidator.RowMaker<Void>?).problems
        guard problems.isEmpty else { throw TownFolderError(problems: problems) }
        data.isValidated = true
        return data
    }
}

/// Items read from one file or layer, each with its place.
private struct ReadItems<Item> {
    var items: [Item] = []
    var places: [TownSources.Place] = []

    mutating func append(_ item: Item, at place: TownSources.Place) {
        items.append(item)
        places.append(place)
    }
}

/// The state of one `TownFolder.read`: what was read, where each item came from, the problems
/// found so far and the CRS transformations made. It reads only: the rules of town data are the
/// validator's.
private final class FolderReader {
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
    private var crsCache: [String: Result<(transformer: Projection?, geographic: Bool), PROJError>] = [:]

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
    func read() -> (TownData, TownSources)? {
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

        let manifestPlace = Place(file: TownFolder.manifestFile)
        for (path, value) in [("code", manifest?.code), ("workingCRS", manifest?.workingCRS)] where value == nil {
            unreadValues.insert(.init(place: manifestPlace, path: path))
        }
        let data = TownData(
            town: Town(code: manifest?.code ?? "", name: manifest?.name ?? "", latinName: manifest?.latinName ?? "",
                       workingCRS: CRSDefinition(manifest?.workingCRS ?? ""), boundary: boundary?.geometry ?? .polygon([])),
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
            problems: problems, unread: unread, incomplete: incomplete, unreadValues: unreadValues)
        return (data, sources)
    }

    // MARK: Areas: town, villages, grids, micro-grids

    func readBoundary(townCode: String?, defaultCRS: String?) -> (geometry: Geometry, place: Place)? {
        let file = TownFolder.townFile
        guard let features = readLayer(file, required: true, defaultCRS: defaultCRS) else { return nil }
        if features.count != 1 {
            problem(.file, file, "holds \(features.count) features; the town boundary must be exactly one feature")
        }
        guard let (index, feature) = features.first else { return nil }
        if let townCode, let own = feature.properties?["code"]?.stringValue, own != townCode {
            problem(.code, file, index, path: "properties.code", "town code \"\(own)\" differs from the manifest's \"\(townCode)\"")
        }
        guard let geometry = geometry(feature, file, index) else { return nil }
        return (geometry, Place(file: file, featureIndex: index))
    }

    func readVillages(defaultCRS: String?) -> ReadItems<Village> {
        let file = TownFolder.villagesFile
        var villages = ReadItems<Village>()
        for (index, feature) in readLayer(file, required: true, defaultCRS: defaultCRS, target: { .village($0) }) ?? [] {
            let mark = problems.count
            let code = requiredString(feature, "code", file, index)
            let name = requiredString(feature, "name", file, index)
            if let code, let name {
                villages.append(Village(code: code, name: name), at: Place(file: file, featureIndex: index))
            }
            unread(code.map { .village($0) }, problemsSince: mark)
        }
        return villages
    }

    func readGrids(defaultCRS: String?) -> ReadItems<Grid> {
        let file = TownFolder.gridsFile
        var grids = ReadItems<Grid>()
        for (index, feature) in readLayer(file, required: true, defaultCRS: defaultCRS, target: { GridCode($0).map { .grid($0) } }) ?? [] {
            let mark = problems.count
            let place = Place(file: file, featureIndex: index)
            let code = gridCodeProperty(feature, file, index, micro: false)
            // A grid without a name or a village is still checked, so that all its problems show
            // at once; the validator is told the village was not read.
            let name = requiredString(feature, "name", file, index) ?? ""
            let village = requiredString(feature, "village", file, index)
            if village == nil { unreadValues.insert(.init(place: place, path: "properties.village")) }
            if let code, let geometry = geometry(feature, file, index) {
                grids.append(Grid(code: code, name: name, villageCode: village ?? "", geometry: geometry), at: place)
            } else {
                unread(code.map { .grid($0) }, problemsSince: mark)
            }
        }
        return grids
    }

    func readMicroGrids(defaultCRS: String?) -> ReadItems<MicroGrid> {
        let file = TownFolder.microGridsFile
        var microGrids = ReadItems<MicroGrid>()
        for (index, feature) in readLayer(file, required: true, defaultCRS: defaultCRS) ?? [] {
            let code = gridCodeProperty(feature, file, index, micro: true)
            let name = requiredString(feature, "name", file, index) ?? ""
            if let code, let stated = feature.properties?["grid"], stated.stringValue != code.gridCode.description {
                problem(.code, file, index, path: "properties.grid", "grid \(describe(stated)) does not match the code \"\(code)\", whose grid is \"\(code.gridCode)\"")
            }
            if let code, let geometry = geometry(feature, file, index) {
                microGrids.append(MicroGrid(code: code, name: name, geometry: geometry), at: Place(file: file, featureIndex: index))
            }
        }
        return microGrids
    }

    // MARK: Feature layers

    /// The features of every layer file, and the layer files in the order read.
    func readFeatureLayers(defaultCRS: String?) -> (features: ReadItems<MapFeature>, files: [String]) {
        var features = ReadItems<MapFeature>()
        let files = layerFiles()
        for file in files {
            let isCSV = file.hasSuffix(".csv")
            let layerName = String(file.dropLast(isCSV ? ".csv".count : ".geojson".count))
            guard let kind = FeatureKind(layerName: layerName) else {
                problem(.file, file, "is not a layer: a layer file is named after its feature kind, e.g. roads.geojson, fish-ponds.geojson or wells.csv")
                continue
            }
            let layer = isCSV ? readPointCSV(file, defaultCRS: defaultCRS)
                : readLayer(file, required: true, defaultCRS: defaultCRS, target: { .feature($0) })
            for (index, feature) in layer ?? [] {
                let mark = problems.count
                let id = featureID(feature, file, index)
                let name = requiredString(feature, "name", file, index) ?? ""
                var properties = feature.properties ?? JSONObject()
                if let stated = properties["kind"] {
                    if stated.stringValue != kind.rawValue {
                        problem(.property, file, index, path: "properties.kind", "kind \(describe(stated)) does not match the layer, whose kind is \"\(kind)\"")
                    }
                    properties["kind"] = nil
                }
                properties["name"] = nil
                guard let id, let geometry = feature.geometry else {
                    if feature.geometry == nil {
                        problem(.geometry, file, index, path: "geometry", "geometry is null; every feature needs a geometry")
                    }
                    unread(id.map { .feature($0) }, problemsSince: mark)
                    continue
                }
                features.append(MapFeature(id: id, kind: kind, name: name, geometry: geometry, properties: properties),
                                at: Place(file: file, featureIndex: index))
            }
        }
        return (features, files)
    }

    /// A feature's id as text; nil (reported) when it has none.
    func featureID(_ feature: Feature, _ file: String, _ index: Int) -> String? {
        switch feature.id {
        case .string(let text)?: return text
        case .number(let number)?: return number.text
        case nil:
            problem(.code, file, index, path: "id", "feature has no \"id\"; every feature needs a stable id")
            return nil
        }
    }

    // MARK: manifest.json

    struct Manifest {
        /// Nil when missing or not a string (reported).
        var code: String?
        var name: String?
        var latinName: String?
        var workingCRS: String?
        var crs: String?
        var counts: [(key: String, value: Int)]
    }

    func readManifest() -> Manifest? {
        let file = TownFolder.manifestFile
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path) else {
            problem(.file, file, "missing: a town folder needs a manifest (town code, name, working CRS)")
            return nil
        }
        let object: [String: Any]
        do {
            guard let top = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                problem(.syntax, file, "must hold a JSON object")
                return nil
            }
            object = top
        } catch {
            let detail = (error as NSError).userInfo["NSDebugDescription"] as? String
            problem(.syntax, file, "is not valid JSON" + (detail.map { ": \($0)" } ?? ""))
            return nil
        }
        func string(_ key: String, required: Bool = true) -> String? {
            guard let value = object[key] else {
                if required { problem(.file, file, path: key, "missing \"\(key)\"") }
                return nil
            }
            guard let text = value as? String, !text.isEmpty else {
                problem(.file, file, path: key, "\"\(key)\" must be a non-empty string")
                return nil
            }
            return text
        }
        if let format = object["format"], (format as? String) != TownFolder.formatName {
            problem(.file, file, path: "format", "\"format\" must be \"\(TownFolder.formatName)\"")
        }
        if let version = object["formatVersion"] {
            if let number = version as? Int, number >= 1 {
                if number > TownFolder.formatVersion {
                    problem(.file, file, path: "formatVersion", "format version \(number) is newer than this GridMap reads (\(TownFolder.formatVersion))")
                }
            } else {
                problem(.file, file, path: "formatVersion", "\"formatVersion\" must be a positive integer")
            }
        }
        if object["personalDataMasked"] as? Bool == true {
            problem(.file, file, path: "personalDataMasked", "this is an export with residents' names and phones masked; it cannot be imported (export with --role office to move a town)")
        }
        // The town code's shape and the working CRS are the validator's rules, as for a town
        // built in code.
        let code = string("code")
        let name = string("name")
        let latinName = string("latinName")
        let workingCRS = string("workingCRS")
        let crs = string("crs", required: false)
        var counts: [(key: String, value: Int)] = []
        if let raw = object["counts"] {
            if let table = raw as? [String: Any] {
                for key in table.keys.sorted() {
                    if let value = table[key] as? Int, value >= 0 {
                        counts.append((key, value))
                    } else {
                        problem(.file, file, path: "counts.\(key)", "count must be a non-negative integer")
                    }
                }
            } else {
                problem(.file, file, path: "counts", "\"counts\" must be an object")
            }
        }
        return Manifest(code: code, name: name, latinName: latinName, workingCRS: workingCRS, crs: crs, counts: counts)
    }

    func checkCounts(_ manifest: Manifest) {
        for (key, expected) in manifest.counts {
            let file: String
            switch key {
            case "residents": file = TownFolder.residentsFile
            case "team": file = TownFolder.teamFile
            default: file = key + ".geojson"
            }
            guard let actual = featureCounts[file] else {
                if expected > 0, !FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path) {
                    problem(.count, TownFolder.manifestFile, path: "counts.\(key)", "counts \(expected) \(key) but \(file) is missing")
                }
                continue
            }
            if actual != expected {
                problem(.count, TownFolder.manifestFile, path: "counts.\(key)", "counts \(expected) \(key) but \(file) has \(actual)")
            }
        }
    }

    // MARK: GeoJSON layers

    /// The feature layer files, in name order: `*.geojson` other than town, villages, grids and
    /// micro-grids, and point layers as `*.csv` other than residents.csv and team.csv.
    func layerFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { name in
            if name.hasSuffix(".geojson") {
                return !TownFolder.reservedLayerNames.contains(String(name.dropLast(".geojson".count)))
            }
            return name.hasSuffix(".csv") && name != TownFolder.residentsFile && name != TownFolder.teamFile
        }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// PROJ's view of a CRS: the transformation to WGS84 (nil for WGS84 itself) and whether its
    /// coordinates are angles.
    func crsInfo(_ name: String) -> Result<(transformer: Projection?, geographic: Bool), PROJError> {
        if let cached = crsCache[name] { return cached }
        let result: Result<(transformer: Projection?, geographic: Bool), PROJError>
        if TownFolder.isWGS84(name) {
            result = .success((nil, true))
        } else {
            do {
                let transformer = try Projection(from: CRSDefinition(name), to: .wgs84)
                result = .success((transformer, transformer.sourceIsGeographic))
            } catch .proj(let error) {
                result = .failure(error)
            } catch {
                result = .failure(.unknownCRS(definition: CRSDefinition(name), message: "\(error)"))
            }
        }
        crsCache[name] = result
        return result
    }

    /// Reads one GeoJSON file: its good features with their indices, in WGS84. Problems (GeoJSON
    /// errors, an unknown CRS, coordinates PROJ cannot transform) are recorded. Nil when the file
    /// is missing or cannot be read at all.
    /// `target` names what a feature's id declares, so that a refused feature's referrers are
    /// told why rather than that it is missing.
    func readLayer(_ file: String, required: Bool, defaultCRS: String?,
                   target: (String) -> TownSources.Target? = { _ in nil }) -> [(index: Int, feature: Feature)]? {
        let path = directory.appendingPathComponent(file).path
        guard FileManager.default.fileExists(atPath: path) else {
            if required { problem(.file, file, "missing") }
            incomplete.insert(file)
            return nil
        }
        var checksRange = true
        if let defaultCRS, case .success(let info) = crsInfo(defaultCRS) { checksRange = info.geographic }
        var pass = read(file, path: path, checksRange: checksRange)
        var crs = defaultCRS
        if let legacy = pass.legacyCRS {
            switch legacy {
            case .success(let name):
                crs = name
                switch crsInfo(name) {
                case .success(let info):
                    if info.geographic != checksRange {
                        pass = read(file, path: path, checksRange: info.geographic)
                    }
                case .failure(let error):
                    keep(pass, target: target)
                    problem(.crs, file, path: "crs", "unknown CRS \"\(name)\": \(error)")
                    featureCounts[file] = pass.count
                    incomplete.insert(file)
                    return nil
                }
            case .failure(let message):
                keep(pass, target: target)
                problem(.crs, file, path: "crs", message.text)
                featureCounts[file] = pass.count
                incomplete.insert(file)
                return nil
            }
        }
        keep(pass, target: target)
        featureCounts[file] = pass.count
        if pass.count == nil { incomplete.insert(file) }
        guard let crs, case .success(let info) = crsInfo(crs), let transformer = info.transformer else {
            return pass.features
        }
        var transformed: [(index: Int, feature: Feature)] = []
        for (index, feature) in pass.features {
            var copy = feature
            if let geometry = feature.geometry {
                do {
                    copy.geometry = try transformer.transform(geometry)
                } catch {
                    let cause = problem(.crs, file, index, path: "geometry", "\(error)")
                    if let id = feature.id.map(Self.text), let target = target(id), unread[target] == nil { unread[target] = cause }
                    continue
                }
            }
            transformed.append((index, copy))
        }
        return transformed
    }

    /// Takes a pass's problems, and declares the features it refused whose id it could read.
    private func keep(_ pass: Pass, target: (String) -> TownSources.Target?) {
        let base = problems.count
        problems.append(contentsOf: pass.problems)
        for (offset, id) in pass.refusedIDs {
            if let target = target(Self.text(id)), unread[target] == nil { unread[target] = base + offset }
        }
    }

    static func text(_ id: FeatureID) -> String {
        switch id {
        case .string(let text): text
        case .number(let number): number.text
        }
    }

    private struct Pass {
        var features: [(index: Int, feature: Feature)] = []
        var problems: [TownProblem] = []
        /// Features refused with the id they declared: the offset of the problem in `problems`.
        var refusedIDs: [(problem: Int, id: FeatureID)] = []
        /// The layer's legacy `crs` name, or a message saying why the member is unusable.
        var legacyCRS: Result<String, Message>?
        /// Features seen, good or bad; nil after a fatal error.
        var count: Int?
    }

    struct Message: Error { var text: String }

    private func read(_ file: String, path: String, checksRange: Bool) -> Pass {
        var pass = Pass()
        let reader: FeatureReader
        do {
            reader = try FeatureReader(path: path, options: GeoJSONReaderOptions(checksLongitudeLatitudeRange: checksRange))
        } catch {
            pass.problems.append(TownProblem(.file, file: file, message: error.message))
            return pass
        }
        var next = 0
        var fatal = false
        while let result = reader.next() {
            switch result {
            case .success(let feature):
                pass.features.append((next, feature))
                next += 1
            case .failure(let error):
                if let index = error.featureIndex { next = index + 1 }
                if error.isFatal { fatal = true }
                if let id = error.featureID { pass.refusedIDs.append((pass.problems.count, id)) }
                pass.problems.append(TownProblem(
                    TownProblem.Kind(error.kind), file: file, featureIndex: error.featureIndex, line: error.line > 0 ? error.line : nil,
                    column: error.line > 0 ? error.column : nil, path: error.path, message: error.message))
            }
        }
        if reader.documentKind != .featureCollection, !fatal {
            pass.problems.append(TownProblem(.syntax, file: file, message: "must hold a FeatureCollection"))
        }
        pass.count = fatal ? nil : next
        if let member = reader.collectionForeignMembers["crs"] {
            let name = FeatureCollection(features: [], foreignMembers: reader.collectionForeignMembers).legacyCRSName
            if let name {
                pass.legacyCRS = .success(name)
            } else if member != .null {
                pass.legacyCRS = .failure(Message(text: "the crs member must be {\"type\":\"name\",\"properties\":{\"name\":\"EPSG:…\"}}"))
            }
        }
        return pass
    }

    // MARK: Properties

    func describe(_ value: JSONValue) -> String { value.shortDescription }

    func requiredString(_ feature: Feature, _ key: String, _ file: String, _ index: Int) -> String? {
        guard let value = feature.properties?[key] else {
            problem(.property, file, index, path: "properties.\(key)", "missing required property \"\(key)\"")
            return nil
        }
        guard let text = value.stringValue, !text.isEmpty else {
            problem(.property, file, index, path: "properties.\(key)", "\"\(key)\" must be a non-empty string, found \(describe(value))")
            return nil
        }
        return text
    }

    /// The `code` property of a grid or micro-grid, parsed; its level and town are the
    /// validator's rules.
    func gridCodeProperty(_ feature: Feature, _ file: String, _ index: Int, micro: Bool) -> GridCode? {
        guard let text = requiredString(feature, "code", file, index) else { return nil }
        guard let parsed = GridCode(text) else {
            let example = micro ? "DC-017-2" : "DC-017"
            problem(.code, file, index, path: "properties.code", "malformed \(micro ? "micro-grid" : "grid") code \"\(text)\" (expected TOWN-GGG\(micro ? "-M" : ""), e.g. \(example))")
            return nil
        }
        if case .string(let id)? = feature.id, id != text {
            problem(.code, file, index, path: "id", "id \"\(id)\" differs from the code \"\(text)\"")
        }
        return parsed
    }

    /// The geometry of an area (the boundary, a grid, a micro-grid); nil (reported) when null.
    /// Its type and validity are the validator's rules.
    func geometry(_ feature: Feature, _ file: String, _ index: Int) -> Geometry? {
        if feature.geometry == nil {
            problem(.geometry, file, index, path: "geometry", "geometry is null; a Polygon or MultiPolygon is required")
        }
        return feature.geometry
    }

    // MARK: CSV files

    /// The records of a CSV file after its header, with the header's column positions; nil when
    /// the file is missing (allowed) or unusable.
    func readCSV(_ file: String, required: [String], optional: [String]) -> (records: [CSVRow], column: [String: Int])? {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path) else {
            return nil
        }
        var records: [CSVRow] = [], malformed = 0
        for row in CSVRecordReader.rows(in: Array(data)) {
            if let csvProblem = row.problem {
                problem(.syntax, file, line: row.line, csvProblem.description)
                malformed += 1
            } else {
                records.append(row)
            }
        }
        guard let header = records.first else {
            problem(.syntax, file, line: 1, "no header line (expected \((required + optional).joined(separator: ",")))")
            return nil
        }
        var column: [String: Int] = [:]
        for (position, name) in header.fields.enumerated() {
            if column[name] != nil {
                problem(.syntax, file, line: header.line, "column \"\(name)\" appears twice in the header")
            }
            column[name] = column[name] ?? position
        }
        let missing = required.filter { column[$0] == nil }
        if !missing.isEmpty {
            problem(.syntax, file, line: header.line, "header lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) (expected \((required + optional).joined(separator: ",")))")
            return nil
        }
        featureCounts[file] = records.count - 1 + malformed
        var rows: [CSVRow] = []
        for record in records.dropFirst() {
            guard record.fields.count == header.fields.count else {
                problem(.syntax, file, line: record.line, "\(record.fields.count) field\(record.fields.count == 1 ? "" : "s"), but the header has \(header.fields.count)")
                continue
            }
            rows.append(record)
        }
        return (rows, column)
    }

    /// A point layer given as CSV (`wells.csv`): columns `id`, `name` and either `lon`,`lat`
    /// (degrees, in the layer's CRS or else WGS84) or `x`,`y` (in the CRS named by --crs or the
    /// manifest, which must then be given); every other column becomes a property (numbers as
    /// numbers, empty fields left out). The index of a row is its position among the data rows;
    /// broken rows are reported with their line.
    func readPointCSV(_ file: String, defaultCRS: String?) -> [(index: Int, feature: Feature)]? {
        guard let (records, column) = readCSV(file, required: ["id", "name"], optional: ["lon", "lat", "x", "y", "…"]) else {
            problem(.file, file, "cannot be read")
            incomplete.insert(file)
            return nil
        }
        let geographic = column["lon"] != nil && column["lat"] != nil
        guard geographic || (column["x"] != nil && column["y"] != nil) else {
            problem(.syntax, file, line: 1, "a point layer needs lon,lat columns (degrees) or x,y columns (with --crs)")
            incomplete.insert(file)
            return nil
        }
        if !geographic, defaultCRS.map(TownFolder.isWGS84) ?? true {
            problem(.crs, file, line: 1, "x,y columns need their projected CRS: pass --crs (e.g. EPSG:4549) or set the manifest's crs; WGS84 points go in lon,lat columns")
            incomplete.insert(file)
            return nil
        }
        let (xColumn, yColumn) = geographic ? (column["lon"]!, column["lat"]!) : (column["x"]!, column["y"]!)
        let header = column.sorted { $0.value < $1.value }.map(\.key)
        var features: [(index: Int, feature: Feature)] = []
        for (index, record) in records.enumerated() {
            guard let x = CSVNumber.parse(record.fields[xColumn]), let y = CSVNumber.parse(record.fields[yColumn]) else {
                problem(.geometry, file, line: record.line, "the coordinates \"\(record.fields[xColumn])\", \"\(record.fields[yColumn])\" are not numbers")
                continue
            }
            if geographic, defaultCRS.map(TownFolder.isWGS84) ?? true, !(-180...180).contains(x) || !(-90...90).contains(y) {
                problem(.geometry, file, line: record.line, "(\(x), \(y)) is not a longitude/latitude")
                continue
            }
            var properties = JSONObject()
            for (position, name) in header.enumerated() where ![xColumn, yColumn, column["id"]].contains(position) {
                let field = record.fields[position]
                if field.isEmpty { continue }
                properties[name] = JSONNumber(text: field).map(JSONValue.number) ?? .string(field)
            }
            let id = record.fields[column["id"]!]
            features.append((index, Feature(id: id.isEmpty ? nil : .string(id), geometry: .point(Position(x: x, y: y)), properties: properties)))
        }
        guard let crs = defaultCRS, case .success(let info) = crsInfo(crs), let transformer = info.transformer else {
            return features
        }
        var transformed: [(index: Int, feature: Feature)] = []
        for (index, var feature) in features {
            do {
                feature.geometry = try transformer.transform(feature.geometry!)
                transformed.append((index, feature))
            } catch {
                problem(.crs, file, index, path: "geometry", "\(error)")
            }
        }
        return transformed
    }

    /// The residents, each with its line; ids, names and homes are the validator's rules.
    func readResidents() -> ReadItems<Resident> {
        let file = TownFolder.residentsFile
        guard let (records, column) = readCSV(file, required: ["id", "name", "home"], optional: ["categories", "phone", "birthYear"]) else {
            incomplete.insert(file)
            return ReadItems()
        }
        var residents = ReadItems<Resident>()
        residents.items.reserveCapacity(records.count)
        residents.places.reserveCapacity(records.count)
        for record in records {
            func field(_ name: String) -> String { column[name].map { record.fields[$0] } ?? "" }
            var ok = true
            var categories: [ResidentCategory] = []
            for raw in field("categories").split(separator: ";", omittingEmptySubsequences: true) {
                // Trimmed only when needed: Foundation's trimming bridges through NSString.
                let text = raw.first!.isWhitespace || raw.last!.isWhitespace ? raw.trimmingCharacters(in: .whitespaces) : String(raw)
                if text.isEmpty { continue }
                if let category = ResidentCategory(rawValue: text) {
                    categories.append(category)
                } else {
                    problem(.property, file, line: record.line, "category \"\(text)\" is not a category name (lower-case letters, digits, hyphens, e.g. party-member)")
                    ok = false
                }
            }
            var birthYear: Int?
            let yearText = field("birthYear")
            if !yearText.isEmpty {
                if let year = Int(yearText), (1850...2200).contains(year) {
                    birthYear = year
                } else {
                    problem(.property, file, line: record.line, "birthYear \"\(yearText)\" is not a year")
                    ok = false
                }
            }
            // A resident with an unreadable field is still checked, so that all its problems
            // show at once; the read problem already keeps the folder from being returned.
            let phone = field("phone")
            residents.append(Resident(id: field("id"), name: field("name"), homeID: field("home"),
                                      categories: ok ? categories : [], phone: phone.isEmpty ? nil : phone,
                                      birthYear: birthYear),
                             at: Place(file: file, line: record.line))
        }
        return residents
    }

    /// The team, each member with its line; whether its grid exists is the validator's rule.
    func readTeam() -> ReadItems<TeamMember> {
        let file = TownFolder.teamFile
        guard let (records, column) = readCSV(file, required: ["grid", "role", "name"], optional: ["unit", "phone"]) else {
            incomplete.insert(file)
            return ReadItems()
        }
        var team = ReadItems<TeamMember>()
        for record in records {
            func field(_ name: String) -> String { column[name].map { record.fields[$0] } ?? "" }
            let gridText = field("grid"), roleText = field("role"), name = field("name")
            let gridCode = GridCode(gridText)
            if gridCode == nil {
                problem(.code, file, line: record.line, "malformed grid code \"\(gridText)\" (expected TOWN-GGG, e.g. DC-017)")
            }
            let role = TeamRole(rawValue: roleText)
            if role == nil {
                problem(.property, file, line: record.line, "role \"\(roleText)\" is not one of \(TeamRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let unit = field("unit"), phone = field("phone")
            if let gridCode, let role {
                team.append(TeamMember(gridCode: gridCode, role: role, name: name,
                                       unit: unit.isEmpty ? nil : unit, phone: phone.isEmpty ? nil : phone),
                            at: Place(file: file, line: record.line))
            }
        }
        return team
    }
}

extension TownProblem.Kind {
    /// The kind of a GeoJSON reader's error: its geometry errors are geometry problems, the rest
    /// the file's syntax (or, for I/O, the file).
    init(_ kind: GeoJSONError.Kind) {
        switch kind {
        case .io: self = .file
        case .emptyInput, .invalidJSON, .trailingContent, .missingType, .wrongType, .missingGeometry,
             .invalidProperties, .invalidMember, .unsupportedValue:
            self = .syntax
        case .unknownGeometryType, .missingCoordinates, .wrongNestingDepth, .ringNotClosed, .ringTooShort,
             .lineStringTooShort, .positionTooShort, .nonNumericCoordinate, .nonFiniteCoordinate, .coordinateOutOfRange:
            self = .geometry
        }
    }
}
