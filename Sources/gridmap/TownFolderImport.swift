import Foundation
import GeoJSON
import GridMapCore
import GridStore

/// Reads folders (and single layer files) of GeoJSON layers in the exchange format that
/// `gridmap export --all` writes, into one ``TownData``, reporting every problem with its file
/// and feature index before anything is stored.
enum TownFolderImport {
    /// Every problem found while reading, as `file: feature N: what` lines.
    struct Failure: Error, CustomStringConvertible {
        var problems: [String]
        var description: String {
            let noun = problems.count == 1 ? "problem" : "problems"
            return (["import rejected, nothing changed; \(problems.count) \(noun):"] + problems.map { "  " + $0 })
                .joined(separator: "\n")
        }
    }

    /// The town in `folders`: each folder's `<layer>.geojson` files (a file given directly
    /// counts as its layer). `crs` overrides the coordinates' CRS (default WGS84).
    static func read(folders paths: [URL], crs: String?) throws -> TownData {
        var files: [(StoreLayer, URL)] = []
        var problems: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isFolder) else {
                problems.append("\(path.path): no such file or folder")
                continue
            }
            let candidates = isFolder.boolValue
                ? try FileManager.default.contentsOfDirectory(at: path, includingPropertiesForKeys: nil)
                    .filter { $0.pathExtension == "geojson" }.sorted { $0.path < $1.path }
                : [path]
            for file in candidates {
                let name = file.deletingPathExtension().lastPathComponent
                guard let layer = StoreLayer(name: name) else {
                    problems.append("\(file.path): not a layer name GridMap knows (\(name)); name files after their layer, e.g. grids.geojson, homes.geojson")
                    continue
                }
                files.append((layer, file))
            }
        }
        var layers: [StoreLayer: [Feature]] = [:]
        var fileOfLayer: [String: String] = [:]
        var transformers: [String: GeometryTransformer] = [:]
        for (layer, file) in files {
            fileOfLayer[layer.name] = file.path
            do {
                // Ranges are checked below, once the layer's CRS is known.
                let reader = try FeatureReader(path: file.path, options: GeoJSONReaderOptions(checksLongitudeLatitudeRange: false))
                var features: [Feature] = []
                while let result = reader.next() {
                    switch result {
                    case .success(let feature): features.append(feature)
                    case .failure(let error): problems.append("\(file.path): \(error)")
                    }
                }
                // --crs wins; else a legacy `crs` member (as GDAL writes it); else WGS84.
                let source = crs ?? LegacyCRS.name(in: reader.collectionForeignMembers)
                if let source, !LegacyCRS.isWGS84(source) {
                    if transformers[source] == nil { transformers[source] = try GeometryTransformer(from: source, to: "EPSG:4326") }
                    for index in features.indices {
                        guard let geometry = features[index].geometry else { continue }
                        do {
                            features[index].geometry = try transformers[source]!.transform(geometry)
                        } catch {
                            problems.append("\(file.path): feature \(index): \(error)")
                        }
                    }
                } else {
                    for (index, feature) in features.enumerated() {
                        if let problem = LegacyCRS.longitudeLatitudeProblem(feature.geometry) {
                            problems.append("\(file.path): feature \(index): \(problem) (coordinates in another CRS? say so with --crs)")
                        }
                    }
                }
                layers[layer, default: []].append(contentsOf: features)
            } catch {
                problems.append("\(file.path): \(error)")
            }
        }
        guard problems.isEmpty else { throw Failure(problems: problems) }
        do {
            return try LayerDecoder.townData(from: layers)
        } catch {
            throw Failure(problems: error.problems.map { problem in
                let file = fileOfLayer[problem.layer] ?? "\(problem.layer).geojson"
                let feature = problem.index.map { "feature \($0)" } ?? "town"
                let id = problem.id.map { " (\($0))" } ?? ""
                return "\(file): \(feature)\(id): \(problem.message)"
            })
        }
    }
}

/// The CRS of a layer as older GeoJSON (2008 spec, GDAL) names it in a `crs` member:
/// `{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4549"}}`.
enum LegacyCRS {
    static func name(in members: JSONObject) -> String? {
        guard case .object(let crs)? = members["crs"], case .object(let properties)? = crs["properties"],
              let name = properties["name"]?.stringValue
        else { return nil }
        // PROJ reads "EPSG:4549" and "urn:ogc:def:crs:EPSG::4549" alike.
        return name
    }

    /// WGS84 longitude/latitude in any of its usual spellings (CRS84 is lon/lat by definition).
    static func isWGS84(_ name: String) -> Bool {
        let spellings = ["EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "OGC:CRS84"]
        return spellings.contains { $0.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// Why a geometry cannot be WGS84 longitude/latitude, or nil.
    static func longitudeLatitudeProblem(_ geometry: Geometry?) -> String? {
        var problem: String?
        geometry?.forEachPosition { position in
            if problem == nil, !(-180...180).contains(position.x) || !(-90...90).contains(position.y) {
                problem = "position (\(position.x), \(position.y)) is not a longitude/latitude"
            }
        }
        return problem
    }
}
