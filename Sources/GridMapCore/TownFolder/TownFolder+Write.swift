import CSV
import Foundation
import GEOS
import GeoJSON

extension TownFolder {
    /// Writes `data` as a town folder at `directory` (see docs/TOWN-FORMAT.md), replacing the
    /// folder there whole (``FolderReplacement``): a failure at any point leaves the old folder
    /// exactly as it was and no temporary folder behind.
    ///
    /// The bytes depend only on `data` and `options`: writing the same data twice gives identical
    /// files. Features go to `<kind.layerName>.geojson`, in the order they have in `data`; a layer
    /// without features gets no file. The new folder holds exactly `data`: the old folder's
    /// layers, residents.csv, team.csv and CSV point layers go; its other files (a README,
    /// `.gitattributes`) are kept. What may be replaced (``target(at:)``): nothing, an empty
    /// folder or a masked export always; a full town folder only with
    /// ``WriteOptions/replacesFullTown``; never a file or a folder that is not a town folder.
    /// A folder with names and phones in full is created 0700 and its files 0600.
    ///
    /// Throws when the data cannot be written faithfully: a feature kind whose layer name is
    /// reserved (`town`, `villages`, `grids`, `microgrids`), a feature property named `kind` or
    /// `name` (those come from the feature itself), a non-finite coordinate; when the target may
    /// not be replaced; or on an I/O failure, naming the file and the cause.
    public static func write(_ data: TownData, to directory: URL, options: WriteOptions = .init()) throws(TownFolderError) {
        let files = try encode(data, options: options)
        let resolved = directory.resolvingSymlinksInPath()
        var kept: [String] = []
        switch target(at: resolved) {
        case .absent, .empty: break
        case .fullTown(let residents) where !options.replacesFullTown:
            let people = residents.map { ", \($0) residents" } ?? ""
            throw TownFolderError(file: "", message: "\(directory.path) is a full town folder (names and phones unmasked\(people)); it was not replaced")
        case .maskedExport, .fullTown:
            kept = ((try? FileManager.default.contentsOfDirectory(atPath: resolved.path)) ?? []).filter { !isTownFile($0) }.sorted()
        case .foreign(let what):
            throw TownFolderError(file: "", message: "\(directory.path) is \(what): nothing was written there; choose an empty or new folder")
        }
        try FolderReplacement(target: resolved, ownerOnly: options.ownerOnly).replace(with: files, keeping: kept)
    }

    /// The town folder's files as (name, bytes), in the order they are written.
    public static func encode(_ data: TownData, options: WriteOptions = .init()) throws(TownFolderError) -> [(name: String, bytes: [UInt8])] {
        var problems: [TownFolderProblem] = []
        let layers = groupedLayers(data.features)
        for layer in layers where reservedLayerNames.contains(layer.name) {
            problems.append(TownProblem(.file, file: layer.name + ".geojson", message: "feature kind \"\(layer.kind)\" has the reserved layer name \"\(layer.name)\""))
        }
        for (index, feature) in data.features.enumerated() {
            for key in ["kind", "name"] where feature.properties[key] != nil {
                problems.append(TownProblem(.property, file: feature.kind.layerName + ".geojson", message: "feature \(index) (id \"\(feature.id)\") has a free property \"\(key)\", which is reserved for the feature's own \(key)"))
            }
        }
        guard problems.isEmpty else { throw TownFolderError(problems: problems) }

        let writerOptions = GeoJSONWriterOptions(coordinatePrecision: options.coordinatePrecision)
        var files: [(name: String, bytes: [UInt8])] = []

        func collection(_ name: String, _ features: [Feature]) throws(TownFolderError) {
            let file = name + ".geojson"
            do throws(GeoJSONError) {
                let bytes = try GeoJSONWriter.encode(
                    FeatureCollection(features: features, foreignMembers: ["name": .string(name)]), options: writerOptions)
                files.append((file, bytes))
            } catch {
                throw TownFolderError(problems: [TownProblem(.syntax, file: file, featureIndex: error.featureIndex, message: error.message)])
            }
        }

        try collection("town", [Feature(
            id: .string(data.town.code), geometry: data.town.boundary,
            properties: ["code": .string(data.town.code), "name": .string(data.town.name)])])
        let villageShapes = villageGeometries(data)
        try collection("villages", data.villages.enumerated().map { index, village in
            Feature(id: .string(village.code), geometry: villageShapes[index],
                    properties: ["code": .string(village.code), "name": .string(village.name)])
        })
        try collection("grids", data.grids.map { grid in
            Feature(id: .string(grid.code.description), geometry: grid.geometry,
                    properties: ["code": .string(grid.code.description), "name": .string(grid.name), "village": .string(grid.villageCode)])
        })
        try collection("microgrids", data.microGrids.map { micro in
            Feature(id: .string(micro.code.description), geometry: micro.geometry,
                    properties: ["code": .string(micro.code.description), "name": .string(micro.name), "grid": .string(micro.gridCode.description)])
        })
        for layer in layers {
            try collection(layer.name, layer.indices.map { index in
                let feature = data.features[index]
                var properties: JSONObject = ["kind": .string(feature.kind.rawValue), "name": .string(feature.name)]
                for member in feature.properties.members { properties[member.key] = member.value }
                return Feature(id: .string(feature.id), geometry: feature.geometry, properties: properties)
            })
        }

        var residentRows = [residentColumns]
        residentRows.reserveCapacity(data.residents.count + 1)
        for resident in data.residents {
            residentRows.append([
                resident.id, resident.name, resident.homeID,
                resident.categories.map(\.rawValue).joined(separator: ";"),
                resident.phone ?? "", resident.birthYear.map(String.init) ?? "",
            ])
        }
        files.append((residentsFile, CSVField.formatted(residentRows)))
        var teamRows = [teamColumns]
        for member in data.team {
            teamRows.append([member.gridCode.description, member.role.rawValue, member.name, member.unit ?? "", member.phone ?? ""])
        }
        files.append((teamFile, CSVField.formatted(teamRows)))

        var counts: JSONObject = [
            "villages": .number(JSONNumber(data.villages.count)),
            "grids": .number(JSONNumber(data.grids.count)),
            "microgrids": .number(JSONNumber(data.microGrids.count)),
        ]
        for layer in layers { counts[layer.name] = .number(JSONNumber(layer.indices.count)) }
        counts["residents"] = .number(JSONNumber(data.residents.count))
        counts["team"] = .number(JSONNumber(data.team.count))
        var manifest: JSONObject = [
            "format": .string(formatName),
            "formatVersion": .number(JSONNumber(formatVersion)),
            "code": .string(data.town.code),
            "name": .string(data.town.name),
            "latinName": .string(data.town.latinName),
            "workingCRS": .string(data.town.workingCRS.description),
            "crs": .string(wgs84),
            "counts": .object(counts),
        ]
        // The town's other members as they came, after GridMap's own (which they cannot override).
        for (key, value) in data.town.manifestMembers where manifest[key] == nil { manifest[key] = value }
        if let generator = options.generator { manifest["generator"] = .object(generator) }
        if options.personalDataMasked { manifest["personalDataMasked"] = .bool(true) }
        if let withheld = options.withheld { manifest["withheld"] = .string(withheld) }
        files.insert((manifestFile, Array(PrettyJSON.text(.object(manifest)).utf8)), at: 0)
        return files
    }

    /// The features' layers in layer-name order, each with the indices of its features in order.
    static func groupedLayers(_ features: [MapFeature]) -> [(name: String, kind: FeatureKind, indices: [Int])] {
        var byName: [String: Int] = [:]
        var layers: [(name: String, kind: FeatureKind, indices: [Int])] = []
        for (index, feature) in features.enumerated() {
            let name = feature.kind.layerName
            if let slot = byName[name] {
                layers[slot].indices.append(index)
            } else {
                byName[name] = layers.count
                layers.append((name, feature.kind, [index]))
            }
        }
        return layers.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// Each village's outline: the union of its grids (nil when it has none or GEOS fails).
    private static func villageGeometries(_ data: TownData) -> [Geometry?] {
        let context = GEOSContext()
        return data.villages.map { village in
            let grids = data.grids.filter { $0.villageCode == village.code }
            guard !grids.isEmpty else { return nil }
            do {
                var parts: [GEOSGeometry] = []
                for grid in grids { parts.append(try grid.geometry.geosGeometry(in: context)) }
                let union = try GEOSGeometry.collection(parts, context: context).unaryUnion()
                return try Geometry(union)
            } catch {
                return nil
            }
        }
    }
}
