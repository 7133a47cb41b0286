import Foundation
import GeoJSON
import PROJ

/// Reading GeoJSON files: each layer's features with their indices, its GeoJSON errors as
/// problems, and its coordinates transformed to WGS84 from the CRS it is in.
extension FolderReader {
    // MARK: GeoJSON layers

    /// The feature layer files, in name order: `*.geojson` other than town, villages, grids and
    /// micro-grids, and point layers as `*.csv` other than residents.csv and team.csv.
    func layerFiles() -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            // Without the listing no layer can be found: that is a problem, not an empty town.
            problem(.file, "", "cannot list the folder's files: \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
            return []
        }
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
        guard checkReadable(file, required: required) else { return nil }
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
