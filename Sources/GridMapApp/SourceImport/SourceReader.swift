import Foundation
import GDAL
import GeoJSON
import GridMapCore
import PROJ

/// What one pass over a source gave: the town's features with the place each came from, the
/// boundary layer's polygons, the problems met and what was left out.
struct SourceRead {
    var features: [MapFeature] = []
    /// Where each feature came from: `SOURCE, layer L` and GDAL's feature id.
    var places: [(file: String, feature: Int)] = []
    var problems: [TownProblem] = []
    /// The polygons of the mapping's boundary layer, in WGS84.
    var boundaryParts: [Geometry] = []
    /// Source features no rule took, per layer.
    var leftOut: [String: Int] = [:]
    /// What was done to geometries (curves linearised, elevations dropped), with how many features.
    var geometryNotes: [String: Int] = [:]
    /// The layers read as WGS84 because they declare no CRS and none was given.
    var assumedWGS84: [String] = []
    /// GDAL's own warnings about the source (each once).
    var warnings: [String] = []
}

/// Reads a vector source through GDAL and applies a ``SourceMapping`` to each feature, in one
/// pass; geometry goes to WGS84 through GridMap's own ``Projection`` (PROJ, or GCJ-02/BD-09),
/// from the layer's CRS, else the one given (`--crs`, then the mapping's), else WGS84.
///
/// Why our projection and not GDAL's transformer: one path for every coordinate GridMap takes
/// in, with the same axis rule (longitude first), the same CRS names (GCJ02, BD09, which GDAL
/// does not know) and PROJ's network off; GDAL only says what the layer's CRS is.
struct SourceReader {
    let source: URL
    let mapping: SourceMapping
    /// The CRS of layers that declare none, from `--crs` (wins over the mapping's).
    let crs: String?
    /// Whether the source is a boundary file (`--boundary`): every feature is a part of the boundary.
    var everyFeatureIsBoundary = false

    /// The source as messages name it.
    var name: String { source.relativePath }

    /// Opens the source (an `.osm.bz2` decompressed to a temporary file first: GDAL has no bzip2
    /// reader) and reads it. Problems with the source as a whole (it cannot be opened, a rule
    /// names a layer it has not) are ``JobError/Kind/cannotStart``; problems with features are
    /// collected in the result.
    func read() throws(JobError) -> SourceRead {
        let (path, temporary) = try openablePath()
        defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
        let dataset: VectorDataset
        do {
            dataset = try VectorDataset(path: path, openOptions: Self.openOptions(for: source))
        } catch {
            throw .cannotStart("cannot read \(name) as a vector source: \(error.message)")
        }
        try checkLayers(of: dataset)
        var read = SourceRead()
        var projections: [String: Projection?] = [:]
        let crsOfLayer = Dictionary(dataset.layers.map { ($0.name, $0.crs) }, uniquingKeysWith: { first, _ in first })
        do {
            try dataset.forEachFeature { feature in
                let file = "\(name), layer \(feature.layer)"
                let place = (file: file, feature: Int(feature.fid))
                let isBoundary = everyFeatureIsBoundary || feature.layer == mapping.town.boundaryLayer
                guard isBoundary || take(feature, into: &read, place: place) else { return }
                // The feature is the town's: bring its geometry to WGS84.
                for note in feature.notes { read.geometryNotes[note, default: 0] += 1 }
                guard var geometry = feature.geometry else {
                    let message = feature.geometryProblem ?? "the feature has no geometry; every feature needs one"
                    read.problems.append(TownProblem(.geometry, file: file, featureIndex: place.feature, path: "geometry", message: message))
                    if !isBoundary { drop(from: &read) }
                    return
                }
                let layerCRS = crsOfLayer[feature.layer] ?? nil
                let projection = try projectionFor(layerCRS, layer: feature.layer, cache: &projections, read: &read)
                if let projection {
                    do {
                        geometry = try projection.transform(geometry)
                    } catch {
                        read.problems.append(TownProblem(.crs, file: file, featureIndex: place.feature, path: "geometry",
                                                         message: "cannot be brought to WGS84: \(error)"))
                        if !isBoundary { drop(from: &read) }
                        return
                    }
                }
                if isBoundary {
                    read.boundaryParts.append(geometry)
                } else {
                    read.features[read.features.count - 1].geometry = geometry
                }
            }
        } catch let error as JobError {
            throw error
        } catch {
            throw .cannotStart("cannot read \(name): \(error)")
        }
        read.warnings = dataset.warnings
        return read
    }

    /// Maps one feature and appends it (with a placeholder geometry) and its place; false
    /// (nothing appended, the feature counted as left out) when no rule takes it.
    private func take(_ feature: SourceFeature, into read: inout SourceRead, place: (file: String, feature: Int)) -> Bool {
        let isLinear: Bool
        switch feature.geometry {
        case .lineString?, .multiLineString?: isLinear = true
        default: isLinear = false
        }
        for rule in mapping.rules where rule.layer == nil || rule.layer == feature.layer {
            let attributes = SourceAttributes(feature.attributes, tags: rule.tags)
            guard rule.filter.allSatisfy({ $0.holds(for: attributes) }) else { continue }
            append(mapped(feature, by: rule, attributes: attributes, place: place, problems: &read.problems), place, into: &read)
            return true
        }
        if mapping.osm {
            let fields = SourceAttributes(feature.attributes)
            let tags = SourceAttributes(JSONObject(feature.attributes.members.filter { !OSMMapping.driverFields.contains($0.key) || $0.key == "other_tags" }),
                                        tags: "other_tags")
            if let osm = OSMMapping.map(tags, isLinear: isLinear) {
                let id = OSMMapping.id(layer: feature.layer, fields: fields, fid: feature.fid)
                append(MapFeature(id: id, kind: osm.kind, name: osm.name, geometry: .point(Position(x: 0, y: 0)), properties: osm.properties),
                       place, into: &read)
                return true
            }
        }
        read.leftOut[feature.layer, default: 0] += 1
        return false
    }

    private func append(_ feature: MapFeature, _ place: (file: String, feature: Int), into read: inout SourceRead) {
        read.features.append(feature)
        read.places.append(place)
    }

    private func drop(from read: inout SourceRead) {
        read.features.removeLast()
        read.places.removeLast()
    }

    /// The feature a mapping rule makes of a source feature (its geometry filled in later).
    private func mapped(_ feature: SourceFeature, by rule: SourceMapping.Rule, attributes: SourceAttributes,
                        place: (file: String, feature: Int), problems: inout [TownProblem]) -> MapFeature {
        var used: Set<String> = [rule.tags, rule.id, rule.name, rule.address, rule.houseNumber].compactMap { $0 }.reduce(into: []) { $0.insert($1) }
        var id = "\(feature.layer):\(feature.fid)"
        if let attribute = rule.id {
            if let text = attributes.text(attribute), !text.isEmpty {
                id = rule.idPrefix + text
            } else {
                problems.append(TownProblem(.code, file: place.file, featureIndex: place.feature, path: "id",
                                            message: "no value in attribute \"\(attribute)\", which the mapping names as the id"))
            }
        }
        var properties = JSONObject()
        if case .attribute(let attribute)? = rule.roadClass {
            used.insert(attribute)
            if let text = attributes.text(attribute) { properties["class"] = .string(text) }
        } else if case .constant(let value)? = rule.roadClass {
            properties["class"] = .string(value)
        }
        if let attribute = rule.address, let text = attributes.text(attribute), !text.isEmpty { properties["address"] = .string(text) }
        if let attribute = rule.houseNumber, let value = attributes[attribute] {
            // A number stays a number (the validator refuses one that is not a positive whole
            // number); anything else is text ("12-1", "8b"); an empty value is no house number.
            if case .number = value {
                properties["houseNumber"] = value
            } else if let text = attributes.text(attribute), !text.isEmpty {
                properties["houseNumber"] = .string(text)
            }
        }
        let kept = rule.properties.map(Set.init)
        for (key, value) in attributes.members where !used.contains(key) && !MapFeature.reservedPropertyKeys.contains(key)
            && properties[key] == nil && (kept?.contains(key) ?? true) {
            properties[key] = value
        }
        return MapFeature(id: id, kind: rule.kind, name: rule.name.flatMap(attributes.text) ?? "",
                          geometry: .point(Position(x: 0, y: 0)), properties: properties)
    }

    /// The projection from a layer's CRS to WGS84; nil when none is needed.
    private func projectionFor(_ layerCRS: String?, layer: String, cache: inout [String: Projection?],
                               read: inout SourceRead) throws(JobError) -> Projection? {
        guard let definition = layerCRS ?? crs ?? mapping.crs else {
            if !read.assumedWGS84.contains(layer) { read.assumedWGS84.append(layer) }
            return nil
        }
        if let known = cache[definition] { return known }
        let crs = CRSDefinition(definition)
        var projection: Projection?
        if !crs.isWGS84 && definition != "EPSG:4326" {
            do {
                projection = try Projection(from: crs, to: .wgs84)
            } catch {
                let whose = layerCRS != nil ? "layer \(layer)'s CRS" : (self.crs != nil ? "--crs" : "the mapping's crs")
                throw .cannotStart("\(name): \(whose) \"\(definition)\" is unusable: \(error)")
            }
        }
        cache[definition] = projection
        return projection
    }

    /// Every layer the mapping names must be in the source, so that a typo is not an empty town.
    private func checkLayers(of dataset: VectorDataset) throws(JobError) {
        let names = dataset.layers.map(\.name)
        let named = mapping.rules.compactMap(\.layer) + [mapping.town.boundaryLayer].compactMap { $0 }
        let missing = named.filter { !names.contains($0) }
        guard !missing.isEmpty else { return }
        var seen = Set<String>()
        throw .cannotStart("\(name) has no layer \(missing.filter { seen.insert($0).inserted }.map { "\"\($0)\"" }.joined(separator: ", ")) "
            + "(the mapping names it); its layers: \(names.joined(separator: ", ")); nothing was imported")
    }

    /// GDAL's open options for a source: a CSV's coordinate columns by their usual names.
    static func openOptions(for source: URL) -> [String] {
        guard source.pathExtension.lowercased() == "csv" else { return [] }
        return ["X_POSSIBLE_NAMES=lon,lng,long,longitude,x", "Y_POSSIBLE_NAMES=lat,latitude,y", "KEEP_GEOM_COLUMNS=NO"]
    }

    /// The path GDAL opens, and a temporary file to remove after, for a bzip2-compressed source.
    private func openablePath() throws(JobError) -> (String, URL?) {
        guard source.pathExtension.lowercased() == "bz2" else { return (source.path, nil) }
        guard FileManager.default.isReadableFile(atPath: source.path) else {
            throw .cannotStart("cannot read \(name): no such file, or no permission")
        }
        // The name without .bz2 keeps the format's extension (.osm), which GDAL's drivers look at.
        let temporary = FileManager.default.temporaryDirectory
            .appendingPathComponent("gridmap-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
            .appendingPathComponent(source.deletingPathExtension().lastPathComponent)
        do {
            try FileManager.default.createDirectory(at: temporary.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let output = FileHandle(forWritingAtPath: temporary.path) else {
                throw JobError.cannotStart("cannot decompress \(name): cannot write \(temporary.path)")
            }
            defer { try? output.close() }
            let process = Process()
            process.executableURL = try Self.bzip2()
            process.arguments = ["-dc", source.path]
            process.standardOutput = output
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw JobError.cannotStart("cannot decompress \(name): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary.deletingLastPathComponent())
            if let error = error as? JobError { throw error }
            throw .cannotStart("cannot decompress \(name): \(error.localizedDescription)")
        }
        return (temporary.path, temporary.deletingLastPathComponent())
    }

    /// The `bzip2` program on the PATH.
    private static func bzip2() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("bzip2")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw JobError.cannotStart("a .bz2 source needs the bzip2 program, which is not on the PATH (install bzip2, or decompress the file first)")
    }
}
