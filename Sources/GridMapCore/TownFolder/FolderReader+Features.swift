import Foundation
import GeoJSON

/// Turning the features of town.geojson, villages.geojson, grids.geojson, microgrids.geojson and
/// the layer files into the town's items: each property read, each problem reported with its
/// feature. The rules of town data (codes, references, validity) are the validator's.
extension FolderReader {
    // MARK: Areas: town, villages, grids, micro-grids

    func readBoundary(townCode: String?, defaultCRS: String?) -> (geometry: Geometry, place: Place)? {
        let file = TownFolder.townFile
        var features = ReadItems<Feature>()
        guard readLayer(file, required: true, defaultCRS: defaultCRS, into: &features, { $1 }) else { return nil }
        if features.items.count != 1 {
            problem(.file, file, "holds \(features.items.count) features; the town boundary must be exactly one feature")
        }
        guard let feature = features.items.first, let index = features.places.first?.featureIndex else { return nil }
        if let townCode, let own = feature.properties?["code"]?.stringValue, own != townCode {
            problem(.code, file, index, path: "properties.code", "town code \"\(own)\" differs from the manifest's \"\(townCode)\"")
        }
        guard let geometry = geometry(feature, file, index) else { return nil }
        return (geometry, Place(file: file, featureIndex: index))
    }

    func readVillages(defaultCRS: String?) -> ReadItems<Village> {
        let file = TownFolder.villagesFile
        var villages = ReadItems<Village>()
        _ = readLayer(file, required: true, defaultCRS: defaultCRS, target: { .village($0) }, into: &villages) { index, feature in
            let mark = problems.count
            let code = requiredString(feature, "code", file, index)
            let name = requiredString(feature, "name", file, index)
            unread(code.map { .village($0) }, problemsSince: mark)
            guard let code, let name else { return nil }
            return Village(code: code, name: name)
        }
        return villages
    }

    func readGrids(defaultCRS: String?) -> ReadItems<Grid> {
        let file = TownFolder.gridsFile
        var grids = ReadItems<Grid>()
        _ = readLayer(file, required: true, defaultCRS: defaultCRS, target: { GridCode($0).map { .grid($0) } }, into: &grids) { index, feature in
            let mark = problems.count
            let place = Place(file: file, featureIndex: index)
            let code = gridCodeProperty(feature, file, index, micro: false)
            // A grid without a name or a village is still checked, so that all its problems show
            // at once; the validator is told the village was not read.
            let name = requiredString(feature, "name", file, index) ?? ""
            let village = requiredString(feature, "village", file, index)
            if village == nil { unreadValues.insert(.init(place: place, path: "properties.village")) }
            if let code, let geometry = geometry(feature, file, index) {
                return Grid(code: code, name: name, villageCode: village ?? "", geometry: geometry)
            }
            unread(code.map { .grid($0) }, problemsSince: mark)
            return nil
        }
        return grids
    }

    func readMicroGrids(defaultCRS: String?) -> ReadItems<MicroGrid> {
        let file = TownFolder.microGridsFile
        var microGrids = ReadItems<MicroGrid>()
        _ = readLayer(file, required: true, defaultCRS: defaultCRS, into: &microGrids) { index, feature in
            let code = gridCodeProperty(feature, file, index, micro: true)
            let name = requiredString(feature, "name", file, index) ?? ""
            if let code, let stated = feature.properties?["grid"], stated.stringValue != code.gridCode.description {
                problem(.code, file, index, path: "properties.grid", "grid \(describe(stated)) does not match the code \"\(code)\", whose grid is \"\(code.gridCode)\"")
            }
            guard let code, let geometry = geometry(feature, file, index) else { return nil }
            return MicroGrid(code: code, name: name, geometry: geometry)
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
            if isCSV {
                readPointCSV(file, defaultCRS: defaultCRS, into: &features) { index, feature in mapFeature(feature, kind, file, index) }
            } else {
                _ = readLayer(file, required: true, defaultCRS: defaultCRS, target: { .feature($0) }, into: &features) { index, feature in
                    mapFeature(feature, kind, file, index)
                }
            }
        }
        return (features, files)
    }

    /// The map feature a layer's GeoJSON feature holds; nil (reported) when it cannot be built.
    /// The properties are taken over, not copied: the feature is consumed.
    private func mapFeature(_ feature: consuming Feature, _ kind: FeatureKind, _ file: String, _ index: Int) -> MapFeature? {
        let mark = problems.count
        let id = featureID(feature, file, index)
        // A name is optional (real data often has none: a building, a footway), but text when given.
        let name = optionalString(feature, "name", file, index) ?? ""
        let read = feature.properties ?? JSONObject()
        feature.properties = nil
        if let stated = read["kind"], stated.stringValue != kind.rawValue {
            problem(.property, file, index, path: "properties.kind", "kind \(describe(stated)) does not match the layer, whose kind is \"\(kind)\"")
        }
        // The free properties are built afresh, sized to what is kept: removing `kind` and `name`
        // in place would keep the parser's larger buffers for as long as the town is held.
        let properties = read.count == 0 ? read : JSONObject(read.members.filter { $0.key != "kind" && $0.key != "name" })
        guard let id, let geometry = feature.geometry else {
            if feature.geometry == nil {
                problem(.geometry, file, index, path: "geometry", "geometry is null; every feature needs a geometry")
            }
            unread(id.map { .feature($0) }, problemsSince: mark)
            return nil
        }
        return MapFeature(id: id, kind: kind, name: name, geometry: geometry, properties: properties)
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

    /// A property that may be absent, null or empty (nil), or else must be a string.
    func optionalString(_ feature: Feature, _ key: String, _ file: String, _ index: Int) -> String? {
        guard let value = feature.properties?[key], value != .null else { return nil }
        guard let text = value.stringValue else {
            problem(.property, file, index, path: "properties.\(key)", "\"\(key)\" must be a string, found \(describe(value))")
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
}
