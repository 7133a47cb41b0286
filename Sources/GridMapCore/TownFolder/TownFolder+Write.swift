import CSV
import Foundation
import GEOS
import GeoJSON

extension TownFolder {
    /// Writes `data` into `directory` (created if needed) as a town folder; see docs/TOWN-FORMAT.md.
    ///
    /// The bytes depend only on `data` and `options`: writing the same data twice gives identical
    /// files. Features go to `<kind.layerName>.geojson`, in the order they have in `data`; a layer
    /// without features gets no file, and any other `.geojson` file already in a town folder is
    /// removed so that the folder holds exactly `data`. Other files (a README, `.gitattributes`)
    /// are left alone. A non-empty folder without a manifest is not a town folder: writing into
    /// it is refused rather than deleting someone's GeoJSON files.
    ///
    /// Throws when the data cannot be written faithfully: a feature kind whose layer name is
    /// reserved (`town`, `villages`, `grids`, `microgrids`), a feature property named `kind` or
    /// `name` (those come from the feature itself), a non-finite coordinate, or an I/O failure.
    public static func write(_ data: TownData, to directory: URL, options: WriteOptions = .init()) throws(TownFolderError) {
        let files = try encode(data, options: options)
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
            // A folder with names and phones in full is its owner's alone (0700), so no other
            // local user can read its files, even while they are being written.
            if options.ownerOnly { try manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path) }
        } catch {
            throw TownFolderError(file: "", message: "cannot create the folder \(directory.path): \(error.localizedDescription)")
        }
        let written = Set(files.map(\.name))
        let existing = (try? manager.contentsOfDirectory(atPath: directory.path)) ?? []
        if !existing.isEmpty, !existing.contains(manifestFile) {
            throw TownFolderError(file: "", message: "\(directory.path) is not empty and holds no \(manifestFile): not a town folder, so nothing was written there; choose an empty or new folder")
        }
        // Each file is replaced atomically, and stale layers are removed only once every new
        // file is in place, so a failure part-way never loses a layer.
        for file in files {
            do {
                let path = directory.appendingPathComponent(file.name)
                try Data(file.bytes).write(to: path, options: .atomic)
                if options.ownerOnly { try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path.path) }
            } catch {
                throw TownFolderError(file: file.name, message: "cannot write: \(error.localizedDescription)")
            }
        }
        for name in existing.sorted() where name.hasSuffix(".geojson") && !written.contains(name) {
            do {
                try manager.removeItem(at: directory.appendingPathComponent(name))
            } catch {
                throw TownFolderError(file: name, message: "cannot remove the stale layer file: \(error.localizedDescription)")
            }
        }
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
