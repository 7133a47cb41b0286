import CSV
import Foundation
import GeoJSON
import PROJ

extension TownFolder {
    /// Reads the town folder at `directory`; see docs/TOWN-FORMAT.md.
    ///
    /// Everything is checked before anything is returned, and every problem found is reported in
    /// one ``TownFolderError``: GeoJSON errors (with feature index, path, line and column), missing
    /// or malformed properties, malformed or foreign grid codes, duplicate codes and ids, a grid
    /// whose village is missing, a micro-grid whose grid is missing, a resident whose home is
    /// missing, a team member whose grid is missing, malformed CSV rows (with their line), counts
    /// that disagree with the manifest, and unknown CRSs.
    ///
    /// Coordinates are WGS84 longitude/latitude unless a layer names another CRS in a legacy `crs`
    /// member (as GDAL writes), `options.crs` names one, or the manifest's `crs` does — in that
    /// order; they are then transformed to WGS84 with PROJ. Features come back grouped by layer,
    /// layers in file-name order, features in file order.
    public static func read(from directory: URL, options: ReadOptions = .init()) throws(TownFolderError) -> TownData {
        let reader = FolderReader(directory: directory, options: options)
        if let data = reader.read(), reader.problems.isEmpty { return data }
        throw TownFolderError(problems: reader.problems)
    }
}

/// The state of one `TownFolder.read`: the problems found so far and the CRS transformations made.
private final class FolderReader {
    let directory: URL
    let options: TownFolder.ReadOptions
    var problems: [TownFolderProblem] = []
    /// Features seen per GeoJSON file (good and bad), for the manifest's counts; nil after a fatal error.
    var featureCounts: [String: Int] = [:]
    /// Files that are missing or could not be read to the end. References into them are not
    /// checked: one problem with the file says more than one per dangling reference.
    var incomplete = Set<String>()
    private var crsCache: [String: Result<(transformer: Projection?, geographic: Bool), PROJError>] = [:]

    init(directory: URL, options: TownFolder.ReadOptions) {
        self.directory = directory
        self.options = options
    }

    func problem(_ file: String, line: Int? = nil, path: String = "", _ message: String) {
        problems.append(TownFolderProblem(file: file, line: line, path: path, message: message))
    }

    func problem(_ file: String, _ featureIndex: Int, path: String = "", _ message: String) {
        problems.append(TownFolderProblem(file: file, featureIndex: featureIndex, path: path, message: message))
    }

    // MARK: The whole folder

    func read() -> TownData? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            problem("", "\(directory.path) is not a folder")
            return nil
        }
        let manifest = readManifest()
        let code = manifest?.code
        var defaultCRS = options.crs ?? manifest?.crs
        if let crs = defaultCRS, !TownFolder.isWGS84(crs), case .failure(let error) = crsInfo(crs) {
            problem(options.crs != nil ? "" : TownFolder.manifestFile, "unknown CRS \"\(crs)\": \(error)")
            defaultCRS = nil
        }

        // town.geojson
        var boundary: GeoJSON.Geometry?
        if let features = readLayer(TownFolder.townFile, required: true, defaultCRS: defaultCRS) {
            if features.count != 1 {
                problem(TownFolder.townFile, "holds \(features.count) features; the town boundary must be exactly one feature")
            }
            if let (index, feature) = features.first {
                boundary = polygonal(feature, TownFolder.townFile, index)
                if let code, let own = feature.properties?["code"]?.stringValue, own != code {
                    problem(TownFolder.townFile, index, path: "properties.code", "town code \"\(own)\" differs from the manifest's \"\(code)\"")
                }
            }
        }

        // villages.geojson
        var villages: [Village] = []
        var villageCodes = Set<String>()
        for (index, feature) in readLayer(TownFolder.villagesFile, required: true, defaultCRS: defaultCRS) ?? [] {
            let file = TownFolder.villagesFile
            let villageCode = requiredString(feature, "code", file, index)
            let name = requiredString(feature, "name", file, index)
            if let villageCode, !villageCodes.insert(villageCode).inserted {
                problem(file, index, path: "properties.code", "village code \"\(villageCode)\" is used twice")
            }
            if let villageCode, let name { villages.append(Village(code: villageCode, name: name)) }
        }

        // grids.geojson
        var grids: [Grid] = []
        var gridCodes = Set<GridCode>()
        for (index, feature) in readLayer(TownFolder.gridsFile, required: true, defaultCRS: defaultCRS) ?? [] {
            let file = TownFolder.gridsFile
            let gridCode = gridCodeProperty(feature, file, index, town: code, micro: false)
            let name = requiredString(feature, "name", file, index)
            let village = requiredString(feature, "village", file, index)
            if let village, !villageCodes.contains(village), !incomplete.contains(TownFolder.villagesFile) {
                problem(file, index, path: "properties.village", "village \"\(village)\" is not in \(TownFolder.villagesFile)")
            }
            if let gridCode, !gridCodes.insert(gridCode).inserted {
                problem(file, index, path: "properties.code", "grid code \"\(gridCode)\" is used twice")
            }
            let geometry = polygonal(feature, file, index)
            if let gridCode, let name, let village, let geometry {
                grids.append(Grid(code: gridCode, name: name, villageCode: village, geometry: geometry))
            }
        }

        // microgrids.geojson
        var microGrids: [MicroGrid] = []
        var microCodes = Set<GridCode>()
        for (index, feature) in readLayer(TownFolder.microGridsFile, required: true, defaultCRS: defaultCRS) ?? [] {
            let file = TownFolder.microGridsFile
            let microCode = gridCodeProperty(feature, file, index, town: code, micro: true)
            let name = requiredString(feature, "name", file, index)
            if let microCode {
                if !microCodes.insert(microCode).inserted {
                    problem(file, index, path: "properties.code", "micro-grid code \"\(microCode)\" is used twice")
                }
                if let stated = feature.properties?["grid"] {
                    if stated.stringValue != microCode.gridCode.description {
                        problem(file, index, path: "properties.grid", "grid \(describe(stated)) does not match the code \"\(microCode)\", whose grid is \"\(microCode.gridCode)\"")
                    }
                }
                if !gridCodes.contains(microCode.gridCode), !incomplete.contains(TownFolder.gridsFile) {
                    problem(file, index, path: "properties.code", "micro-grid \"\(microCode)\" belongs to grid \"\(microCode.gridCode)\", which is not in \(TownFolder.gridsFile)")
                }
            }
            let geometry = polygonal(feature, file, index)
            if let microCode, let name, let geometry {
                microGrids.append(MicroGrid(code: microCode, name: name, geometry: geometry))
            }
        }

        // Feature layers
        var features: [MapFeature] = []
        var featureKinds: [String: FeatureKind] = [:]
        for file in layerFiles() {
            let isCSV = file.hasSuffix(".csv")
            let layerName = String(file.dropLast(isCSV ? ".csv".count : ".geojson".count))
            guard let kind = FeatureKind(layerName: layerName) else {
                problem(file, "is not a layer: a layer file is named after its feature kind, e.g. roads.geojson, fish-ponds.geojson or wells.csv")
                continue
            }
            let layer = isCSV ? readPointCSV(file, defaultCRS: defaultCRS) : readLayer(file, required: true, defaultCRS: defaultCRS)
            for (index, feature) in layer ?? [] {
                var id: String?
                switch feature.id {
                case .string(let text)?: id = text
                case .number(let number)?: id = number.text
                case nil: problem(file, index, path: "id", "feature has no \"id\"; every feature needs a stable id")
                }
                if let id, id.isEmpty {
                    problem(file, index, path: "id", "id is empty")
                    continue
                }
                if let id {
                    if let other = featureKinds[id] {
                        problem(file, index, path: "id", "id \"\(id)\" is used twice (also by a \(other) feature)")
                    } else {
                        featureKinds[id] = kind
                    }
                }
                let name = requiredString(feature, "name", file, index)
                var properties = feature.properties ?? JSONObject()
                if let stated = properties["kind"] {
                    if stated.stringValue != kind.rawValue {
                        problem(file, index, path: "properties.kind", "kind \(describe(stated)) does not match the layer, whose kind is \"\(kind)\"")
                    }
                    properties["kind"] = nil
                }
                properties["name"] = nil
                for rule in kind.propertyProblems(in: properties) { problem(file, index, path: rule.path, rule.message) }
                guard let geometry = feature.geometry else {
                    problem(file, index, path: "geometry", "geometry is null; every feature needs a geometry")
                    continue
                }
                if let id, let name {
                    features.append(MapFeature(id: id, kind: kind, name: name, geometry: geometry, properties: properties))
                }
            }
        }

        let residents = readResidents(featureKinds)
        let team = readTeam(gridCodes)
        if let manifest { checkCounts(manifest) }

        guard problems.isEmpty, let manifest, let boundary else { return nil }
        return TownData(
            town: Town(code: manifest.code, name: manifest.name, latinName: manifest.latinName,
                       workingCRS: CRSDefinition(manifest.workingCRS), boundary: boundary),
            villages: villages, grids: grids, microGrids: microGrids, features: features,
            residents: residents, team: team)
    }

    // MARK: manifest.json

    struct Manifest {
        var code: String
        var name: String
        var latinName: String
        var workingCRS: String
        var crs: String?
        var counts: [(key: String, value: Int)]
    }

    func readManifest() -> Manifest? {
        let file = TownFolder.manifestFile
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path) else {
            problem(file, "missing: a town folder needs a manifest (town code, name, working CRS)")
            return nil
        }
        let object: [String: Any]
        do {
            guard let top = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                problem(file, "must hold a JSON object")
                return nil
            }
            object = top
        } catch {
            let detail = (error as NSError).userInfo["NSDebugDescription"] as? String
            problem(file, "is not valid JSON" + (detail.map { ": \($0)" } ?? ""))
            return nil
        }
        func string(_ key: String, required: Bool = true) -> String? {
            guard let value = object[key] else {
                if required { problem(file, path: key, "missing \"\(key)\"") }
                return nil
            }
            guard let text = value as? String, !text.isEmpty else {
                problem(file, path: key, "\"\(key)\" must be a non-empty string")
                return nil
            }
            return text
        }
        if let format = object["format"], (format as? String) != TownFolder.formatName {
            problem(file, path: "format", "\"format\" must be \"\(TownFolder.formatName)\"")
        }
        if let version = object["formatVersion"] {
            if let number = version as? Int, number >= 1 {
                if number > TownFolder.formatVersion {
                    problem(file, path: "formatVersion", "format version \(number) is newer than this GridMap reads (\(TownFolder.formatVersion))")
                }
            } else {
                problem(file, path: "formatVersion", "\"formatVersion\" must be a positive integer")
            }
        }
        if object["personalDataMasked"] as? Bool == true {
            problem(file, path: "personalDataMasked", "this is an export with residents' names and phones masked; it cannot be imported (export with --role office to move a town)")
        }
        let code = string("code")
        if let code, GridCode(town: code, grid: 1) == nil {
            problem(file, path: "code", "town code \"\(code)\" must be upper-case ASCII letters, e.g. \"DC\"")
        }
        let name = string("name")
        let latinName = string("latinName")
        let workingCRS = string("workingCRS")
        // Only whether PROJ knows it: nothing in the folder is in the working CRS, and building a
        // transformation to WGS84 here (crsInfo) took PROJ ~60 ms, 8% of an import.
        if let workingCRS {
            do {
                _ = try CRS(CRSDefinition(workingCRS))
            } catch {
                problem(file, path: "workingCRS", "unknown CRS \"\(workingCRS)\": \(error)")
            }
        }
        let crs = string("crs", required: false)
        var counts: [(key: String, value: Int)] = []
        if let raw = object["counts"] {
            if let table = raw as? [String: Any] {
                for key in table.keys.sorted() {
                    if let value = table[key] as? Int, value >= 0 {
                        counts.append((key, value))
                    } else {
                        problem(file, path: "counts.\(key)", "count must be a non-negative integer")
                    }
                }
            } else {
                problem(file, path: "counts", "\"counts\" must be an object")
            }
        }
        guard let code, GridCode(town: code, grid: 1) != nil, let name, let latinName, let workingCRS else { return nil }
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
                    problem(TownFolder.manifestFile, path: "counts.\(key)", "counts \(expected) \(key) but \(file) is missing")
                }
                continue
            }
            if actual != expected {
                problem(TownFolder.manifestFile, path: "counts.\(key)", "counts \(expected) \(key) but \(file) has \(actual)")
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
    func readLayer(_ file: String, required: Bool, defaultCRS: String?) -> [(index: Int, feature: Feature)]? {
        let path = directory.appendingPathComponent(file).path
        guard FileManager.default.fileExists(atPath: path) else {
            if required { problem(file, "missing") }
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
                    problems.append(contentsOf: pass.problems)
                    problem(file, path: "crs", "unknown CRS \"\(name)\": \(error)")
                    featureCounts[file] = pass.count
                    incomplete.insert(file)
                    return nil
                }
            case .failure(let message):
                problems.append(contentsOf: pass.problems)
                problem(file, path: "crs", message.text)
                featureCounts[file] = pass.count
                incomplete.insert(file)
                return nil
            }
        }
        problems.append(contentsOf: pass.problems)
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
                    problem(file, index, path: "geometry", "\(error)")
                    continue
                }
            }
            transformed.append((index, copy))
        }
        return transformed
    }

    private struct Pass {
        var features: [(index: Int, feature: Feature)] = []
        var problems: [TownFolderProblem] = []
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
            pass.problems.append(TownFolderProblem(file: file, message: error.message))
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
                pass.problems.append(TownFolderProblem(
                    file: file, featureIndex: error.featureIndex, line: error.line > 0 ? error.line : nil,
                    column: error.line > 0 ? error.column : nil, path: error.path, message: error.message))
            }
        }
        if reader.documentKind != .featureCollection, !fatal {
            pass.problems.append(TownFolderProblem(file: file, message: "must hold a FeatureCollection"))
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
            problem(file, index, path: "properties.\(key)", "missing required property \"\(key)\"")
            return nil
        }
        guard let text = value.stringValue, !text.isEmpty else {
            problem(file, index, path: "properties.\(key)", "\"\(key)\" must be a non-empty string, found \(describe(value))")
            return nil
        }
        return text
    }

    func gridCodeProperty(_ feature: Feature, _ file: String, _ index: Int, town: String?, micro: Bool) -> GridCode? {
        guard let text = requiredString(feature, "code", file, index) else { return nil }
        let example = micro ? "DC-017-2" : "DC-017"
        guard let parsed = GridCode(text) else {
            problem(file, index, path: "properties.code", "malformed \(micro ? "micro-grid" : "grid") code \"\(text)\" (expected TOWN-GGG\(micro ? "-M" : ""), e.g. \(example))")
            return nil
        }
        guard parsed.isMicroGrid == micro else {
            problem(file, index, path: "properties.code", "\"\(text)\" is a \(parsed.isMicroGrid ? "micro-grid" : "grid") code, expected a \(micro ? "micro-grid" : "grid") code such as \(example)")
            return nil
        }
        if let town, parsed.town != town {
            problem(file, index, path: "properties.code", "code \"\(text)\" is not of this town (\"\(town)\")")
            return nil
        }
        if case .string(let id)? = feature.id, id != text {
            problem(file, index, path: "id", "id \"\(id)\" differs from the code \"\(text)\"")
        }
        return parsed
    }

    func polygonal(_ feature: Feature, _ file: String, _ index: Int) -> GeoJSON.Geometry? {
        switch feature.geometry {
        case .polygon?, .multiPolygon?: return feature.geometry
        case nil:
            problem(file, index, path: "geometry", "geometry is null; a Polygon or MultiPolygon is required")
        case let geometry?:
            problem(file, index, path: "geometry", "geometry is a \(geometry.typeName); a Polygon or MultiPolygon is required")
        }
        return nil
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
                problem(file, line: row.line, csvProblem.description)
                malformed += 1
            } else {
                records.append(row)
            }
        }
        guard let header = records.first else {
            problem(file, line: 1, "no header line (expected \((required + optional).joined(separator: ",")))")
            return nil
        }
        var column: [String: Int] = [:]
        for (position, name) in header.fields.enumerated() {
            if column[name] != nil {
                problem(file, line: header.line, "column \"\(name)\" appears twice in the header")
            }
            column[name] = column[name] ?? position
        }
        let missing = required.filter { column[$0] == nil }
        if !missing.isEmpty {
            problem(file, line: header.line, "header lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) (expected \((required + optional).joined(separator: ",")))")
            return nil
        }
        featureCounts[file] = records.count - 1 + malformed
        var rows: [CSVRow] = []
        for record in records.dropFirst() {
            guard record.fields.count == header.fields.count else {
                problem(file, line: record.line, "\(record.fields.count) field\(record.fields.count == 1 ? "" : "s"), but the header has \(header.fields.count)")
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
            problem(file, "cannot be read")
            incomplete.insert(file)
            return nil
        }
        let geographic = column["lon"] != nil && column["lat"] != nil
        guard geographic || (column["x"] != nil && column["y"] != nil) else {
            problem(file, line: 1, "a point layer needs lon,lat columns (degrees) or x,y columns (with --crs)")
            incomplete.insert(file)
            return nil
        }
        if !geographic, defaultCRS.map(TownFolder.isWGS84) ?? true {
            problem(file, line: 1, "x,y columns need their projected CRS: pass --crs (e.g. EPSG:4549) or set the manifest's crs; WGS84 points go in lon,lat columns")
            incomplete.insert(file)
            return nil
        }
        let (xColumn, yColumn) = geographic ? (column["lon"]!, column["lat"]!) : (column["x"]!, column["y"]!)
        let header = column.sorted { $0.value < $1.value }.map(\.key)
        var features: [(index: Int, feature: Feature)] = []
        for (index, record) in records.enumerated() {
            guard let x = CSVNumber.parse(record.fields[xColumn]), let y = CSVNumber.parse(record.fields[yColumn]) else {
                problem(file, line: record.line, "the coordinates \"\(record.fields[xColumn])\", \"\(record.fields[yColumn])\" are not numbers")
                continue
            }
            if geographic, defaultCRS.map(TownFolder.isWGS84) ?? true, !(-180...180).contains(x) || !(-90...90).contains(y) {
                problem(file, line: record.line, "(\(x), \(y)) is not a longitude/latitude")
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
                problem(file, index, path: "geometry", "\(error)")
            }
        }
        return transformed
    }

    func readResidents(_ featureKinds: [String: FeatureKind]) -> [Resident] {
        let file = TownFolder.residentsFile
        guard let (records, column) = readCSV(file, required: ["id", "name", "home"], optional: ["categories", "phone", "birthYear"]) else {
            return []
        }
        var residents: [Resident] = []
        residents.reserveCapacity(records.count)
        var ids = Set<String>(minimumCapacity: records.count)
        for record in records {
            func field(_ name: String) -> String { column[name].map { record.fields[$0] } ?? "" }
            var ok = true
            let id = field("id"), name = field("name"), home = field("home")
            if id.isEmpty {
                problem(file, line: record.line, "empty id")
                ok = false
            } else if !ids.insert(id).inserted {
                problem(file, line: record.line, "resident id \"\(id)\" is used twice")
                ok = false
            }
            if name.isEmpty {
                problem(file, line: record.line, "empty name")
                ok = false
            }
            if home.isEmpty {
                problem(file, line: record.line, "empty home")
                ok = false
            } else if let kind = featureKinds[home] {
                if kind != .home {
                    problem(file, line: record.line, "home \"\(home)\" is a \(kind), not a home")
                    ok = false
                }
            } else if !incomplete.contains(FeatureKind.home.layerName + ".geojson") {
                problem(file, line: record.line, "home \"\(home)\" is not in \(FeatureKind.home.layerName).geojson")
                ok = false
            }
            var categories: [ResidentCategory] = []
            for raw in field("categories").split(separator: ";", omittingEmptySubsequences: true) {
                // Trimmed only when needed: Foundation's trimming bridges through NSString.
                let text = raw.first!.isWhitespace || raw.last!.isWhitespace ? raw.trimmingCharacters(in: .whitespaces) : String(raw)
                if text.isEmpty { continue }
                if let category = ResidentCategory(rawValue: text) {
                    categories.append(category)
                } else {
                    problem(file, line: record.line, "category \"\(text)\" is not a category name (lower-case letters, digits, hyphens, e.g. party-member)")
                    ok = false
                }
            }
            var birthYear: Int?
            let yearText = field("birthYear")
            if !yearText.isEmpty {
                if let year = Int(yearText), (1850...2200).contains(year) {
                    birthYear = year
                } else {
                    problem(file, line: record.line, "birthYear \"\(yearText)\" is not a year")
                    ok = false
                }
            }
            let phone = field("phone")
            if ok {
                residents.append(Resident(id: id, name: name, homeID: home, categories: categories,
                                          phone: phone.isEmpty ? nil : phone, birthYear: birthYear))
            }
        }
        return residents
    }

    func readTeam(_ gridCodes: Set<GridCode>) -> [TeamMember] {
        let file = TownFolder.teamFile
        guard let (records, column) = readCSV(file, required: ["grid", "role", "name"], optional: ["unit", "phone"]) else {
            return []
        }
        var team: [TeamMember] = []
        for record in records {
            func field(_ name: String) -> String { column[name].map { record.fields[$0] } ?? "" }
            let gridText = field("grid"), roleText = field("role"), name = field("name")
            var gridCode: GridCode?
            if let parsed = GridCode(gridText), !parsed.isMicroGrid {
                if gridCodes.contains(parsed) {
                    gridCode = parsed
                } else if !incomplete.contains(TownFolder.gridsFile) {
                    problem(file, line: record.line, "grid \"\(gridText)\" is not in \(TownFolder.gridsFile)")
                }
            } else {
                problem(file, line: record.line, "malformed grid code \"\(gridText)\" (expected TOWN-GGG, e.g. DC-017)")
            }
            let role = TeamRole(rawValue: roleText)
            if role == nil {
                problem(file, line: record.line, "role \"\(roleText)\" is not one of \(TeamRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if name.isEmpty { problem(file, line: record.line, "empty name") }
            let unit = field("unit"), phone = field("phone")
            if let gridCode, let role, !name.isEmpty {
                team.append(TeamMember(gridCode: gridCode, role: role, name: name,
                                       unit: unit.isEmpty ? nil : unit, phone: phone.isEmpty ? nil : phone))
            }
        }
        return team
    }
}
