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

    /// Reads one GeoJSON file, handing each good feature, in WGS84, to `convert` as the reader
    /// yields it, and keeping in `items` what `convert` makes of it, with its place: the file's
    /// features are never all held at once. Problems (GeoJSON errors, an unknown CRS, coordinates
    /// PROJ cannot transform) are recorded. False when the file is missing or cannot be read at
    /// all, or its CRS is unusable (then no item is kept).
    ///
    /// A legacy `crs` member decides how the coordinates are read, and it is known only once the
    /// reader has passed it. When it comes after the features (or changes whether longitudes and
    /// latitudes are range-checked), what this pass kept is undone and the file read again,
    /// knowing the CRS from the start.
    /// `target` names what a feature's id declares, so that a refused feature's referrers are
    /// told why rather than that it is missing.
    func readLayer<Item>(_ file: String, required: Bool, defaultCRS: String?,
                         target: (String) -> TownSources.Target? = { _ in nil },
                         into items: inout ReadItems<Item>, _ convert: (_ index: Int, _ feature: Feature) -> Item?) -> Bool {
        guard checkReadable(file, required: required) else { return false }
        let path = directory.appendingPathComponent(file).path
        var stated: Result<String, Message>??
        while true {
            let start = Checkpoint(problems: problems.count, unread: unread, unreadValues: unreadValues, items: items.items.count)
            let pass = read(file, path: path, defaultCRS: defaultCRS, stated: stated, target: target) { index, feature in
                if let item = convert(index, feature) { items.append(item, at: Place(file: file, featureIndex: index)) }
            }
            switch pass.crs {
            case .success(let crs) where !pass.readAs(crs, checkingRange: isGeographic(crs)):
                restore(start, items: &items)
                stated = .some(pass.legacyCRS)
                continue
            case .success:
                keep(pass, since: start, target: target)
                featureCounts[file] = pass.count
                if pass.count == nil { incomplete.insert(file) }
                return true
            case .failure(let message):
                restore(start, items: &items)
                keep(pass, since: start, target: target)
                problem(.crs, file, path: "crs", message.text)
                featureCounts[file] = pass.count
                incomplete.insert(file)
                return false
            }
        }
    }

    /// What a layer's reading had recorded before a pass, to undo the pass.
    private struct Checkpoint {
        var problems: Int
        var unread: [TownSources.Target: Int]
        var unreadValues: Set<TownSources.ValuePlace>
        var items: Int
    }

    private func restore<Item>(_ start: Checkpoint, items: inout ReadItems<Item>) {
        problems.removeSubrange(start.problems...)
        unread = start.unread
        unreadValues = start.unreadValues
        items.removeSubrange(start.items...)
    }

    /// Takes a pass's own problems (the reader's), placing them before those the pass's features
    /// caused, as they were found first; and declares the features it refused whose id it could read.
    private func keep(_ pass: Pass, since start: Checkpoint, target: (String) -> TownSources.Target?) {
        let base = start.problems
        let shift = pass.problems.count
        problems.insert(contentsOf: pass.problems, at: base)
        for (item, cause) in unread where cause >= base { unread[item] = cause + shift }
        for (offset, id) in pass.refusedIDs {
            if let target = target(Self.text(id)), start.unread[target] == nil { unread[target] = base + offset }
        }
    }

    static func text(_ id: FeatureID) -> String {
        switch id {
        case .string(let text): text
        case .number(let number): number.text
        }
    }

    /// One reading of a GeoJSON file.
    private struct Pass {
        var problems: [TownProblem] = []
        /// Features refused with the id they declared: the offset of the problem in `problems`.
        var refusedIDs: [(problem: Int, id: FeatureID)] = []
        /// Features seen, good or bad; nil after a fatal error.
        var count: Int?
        /// Whether longitudes and latitudes were range-checked.
        var checkedRange: Bool
        /// The CRS the features were handed on in (nil when none was: no feature, or its CRS was
        /// not the one the range check assumed).
        var handedIn: String??
        /// The layer's legacy `crs` member as the pass ends, and the CRS its coordinates are in.
        var legacyCRS: Result<String, Message>?
        var crs: Result<String?, Message> = .success(nil)

        /// Whether the features were read and handed on as coordinates in `crs` must be.
        func readAs(_ crs: String?, checkingRange: Bool) -> Bool {
            checkedRange == checkingRange && (handedIn == nil || handedIn == .some(crs))
        }
    }

    struct Message: Error { var text: String }

    /// The CRS a layer's coordinates are in: its legacy `crs` member's, else the default; a
    /// member that cannot be used gives the problem's message.
    private func layerCRS(_ legacy: Result<String, Message>?, defaultCRS: String?) -> Result<String?, Message> {
        switch legacy {
        case nil:
            return .success(defaultCRS)
        case .success(let name)?:
            if case .failure(let error) = crsInfo(name) { return .failure(Message(text: "unknown CRS \"\(name)\": \(error)")) }
            return .success(name)
        case .failure(let message)?:
            return .failure(message)
        }
    }

    /// Whether coordinates in `crs` are angles, whose ranges the reader checks.
    private func isGeographic(_ crs: String?) -> Bool {
        guard let crs, case .success(let info) = crsInfo(crs) else { return true }
        return info.geographic
    }

    /// The legacy `crs` member among a collection's members, or why it is unusable.
    private static func legacyCRS(_ members: JSONObject) -> Result<String, Message>? {
        guard let member = members["crs"] else { return nil }
        if let name = FeatureCollection(features: [], foreignMembers: members).legacyCRSName { return .success(name) }
        if member == .null { return nil }
        return .failure(Message(text: "the crs member must be {\"type\":\"name\",\"properties\":{\"name\":\"EPSG:…\"}}"))
    }

    /// Reads the file once, handing each good feature to `consume` once the layer's CRS is known
    /// and agrees with the range check the reader was opened with. `stated` is the legacy
    /// member a former pass found (the range check then follows it from the start).
    private func read(_ file: String, path: String, defaultCRS: String?, stated: Result<String, Message>??,
                      target: (String) -> TownSources.Target?, consume: (Int, Feature) -> Void) -> Pass {
        let known = stated.map { layerCRS($0, defaultCRS: defaultCRS) } ?? .success(defaultCRS)
        var pass = Pass(checkedRange: isGeographic((try? known.get()) ?? nil))
        let reader: FeatureReader
        do {
            reader = try FeatureReader(path: path, options: GeoJSONReaderOptions(checksLongitudeLatitudeRange: pass.checkedRange))
        } catch {
            pass.problems.append(TownProblem(.file, file: file, message: error.message))
            pass.legacyCRS = stated ?? nil
            pass.crs = known
            return pass
        }
        var legacy: Result<String, Message>? { stated ?? Self.legacyCRS(reader.collectionForeignMembers) }
        // Decided at the first feature, when every member before "features" has been read.
        var handing: (crs: String?, transformer: Projection?)??
        var next = 0
        var fatal = false
        while let result = reader.next() {
            switch result {
            case .success(var feature):
                if handing == nil {
                    handing = .some(nil)
                    if case .success(let crs) = layerCRS(legacy, defaultCRS: defaultCRS), isGeographic(crs) == pass.checkedRange {
                        var transformer: Projection?
                        if let crs, case .success(let info) = crsInfo(crs) { transformer = info.transformer }
                        handing = (crs, transformer)
                        pass.handedIn = .some(crs)
                    }
                }
                let index = next
                next += 1
                guard case let (_, transformer)?? = handing else { continue }
                if let transformer, let geometry = feature.geometry {
                    do {
                        feature.geometry = try transformer.transform(geometry)
                    } catch {
                        let cause = problem(.crs, file, index, path: "geometry", "\(error)")
                        if let id = feature.id.map(Self.text), let target = target(id), unread[target] == nil { unread[target] = cause }
                        continue
                    }
                }
                consume(index, feature)
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
        pass.legacyCRS = legacy
        pass.crs = layerCRS(legacy, defaultCRS: defaultCRS)
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
