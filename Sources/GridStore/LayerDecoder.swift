import GeoJSON
import GridMapCore

/// Reads exported layers (the format of ``LayerEncoder``) back into ``TownData``, so that an
/// office export can be imported into another store. Like an import, it reports every problem.
///
/// Feature layers are read in the order of their kind names, residents and team in layer order.
/// A masked resident export cannot be read back: it no longer holds the real names.
public struct LayerDecoder {
    private var problems: [ImportProblem] = []

    /// The town held by `layers`; the `town` layer is required, every other layer optional.
    public static func townData(from layers: [StoreLayer: [Feature]]) throws(ImportError) -> TownData {
        var decoder = LayerDecoder()
        let data = decoder.decode(layers)
        guard decoder.problems.isEmpty, let data else { throw ImportError(problems: decoder.problems) }
        return data
    }

    private mutating func decode(_ layers: [StoreLayer: [Feature]]) -> TownData? {
        let townFeatures = layers[.town] ?? []
        if townFeatures.count != 1 {
            report("town", nil, nil, "the town layer must hold exactly one feature, not \(townFeatures.count)")
        }
        let town = townFeatures.first.flatMap { self.town($0) }
        var data = TownData(town: town ?? Town(code: "", name: "", latinName: "", workingCRS: "", boundary: .polygon([])))
        for (index, feature) in (layers[.villages] ?? []).enumerated() {
            let fields = Fields(feature, layer: "villages", index: index)
            if let code = string(fields, "code"), let name = string(fields, "name") {
                data.villages.append(Village(code: code, name: name))
            }
        }
        for (index, feature) in (layers[.grids] ?? []).enumerated() {
            let fields = Fields(feature, layer: "grids", index: index)
            if let code = gridCode(fields, "code"), let name = string(fields, "name"),
               let village = string(fields, "village"), let geometry = geometry(fields) {
                data.grids.append(Grid(code: code, name: name, villageCode: village, geometry: geometry))
            }
        }
        for (index, feature) in (layers[.microGrids] ?? []).enumerated() {
            let fields = Fields(feature, layer: "microgrids", index: index)
            if let code = gridCode(fields, "code"), let name = string(fields, "name"), let geometry = geometry(fields) {
                // `grid` is redundant with the code; a disagreement means one of them is wrong.
                if let stated = feature.properties?["grid"]?.stringValue, stated != code.gridCode.description {
                    report("microgrids", index, code.description,
                           "its grid property says \(stated), but code \(code) belongs to grid \(code.gridCode)")
                    continue
                }
                data.microGrids.append(MicroGrid(code: code, name: name, geometry: geometry))
            }
        }
        let kinds = layers.keys.compactMap { layer -> FeatureKind? in
            if case .features(let kind) = layer { kind } else { nil }
        }.sorted()
        for kind in kinds {
            for (index, feature) in (layers[.features(kind)] ?? []).enumerated() {
                if let value = mapFeature(Fields(feature, layer: kind.layerName, index: index), kind: kind) {
                    data.features.append(value)
                }
            }
        }
        for (index, feature) in (layers[.residents] ?? []).enumerated() {
            if let resident = resident(Fields(feature, layer: "residents", index: index)) { data.residents.append(resident) }
        }
        for (index, feature) in (layers[.team] ?? []).enumerated() {
            if let member = teamMember(Fields(feature, layer: "team", index: index)) { data.team.append(member) }
        }
        return town == nil ? nil : data
    }

    // MARK: One value per layer

    private mutating func town(_ feature: Feature) -> Town? {
        let fields = Fields(feature, layer: "town", index: nil)
        guard let code = string(fields, "code"), let name = string(fields, "name"),
              let latinName = string(fields, "latin_name"), let crs = string(fields, "working_crs"),
              let boundary = geometry(fields)
        else { return nil }
        return Town(code: code, name: name, latinName: latinName, workingCRS: crs, boundary: boundary)
    }

    private mutating func mapFeature(_ fields: Fields, kind: FeatureKind) -> MapFeature? {
        guard let id = fields.id else {
            report(fields, "feature has no string id")
            return nil
        }
        if let stated = fields.properties["kind"], stated != .string(kind.rawValue) {
            report(fields, "kind \(stated) does not match the layer's kind \(kind)")
        }
        guard let name = string(fields, "name"), let geometry = geometry(fields) else { return nil }
        let free = fields.properties.members.filter { !LayerEncoder.reservedFeatureKeys.contains($0.key) }
        return MapFeature(id: id, kind: kind, name: name, geometry: geometry, properties: JSONObject(free))
    }

    private mutating func resident(_ fields: Fields) -> Resident? {
        if fields.properties["masked"] == .bool(true) {
            report(fields, "resident details are masked; only an office export can be imported")
            return nil
        }
        guard let id = fields.id else {
            report(fields, "resident has no string id")
            return nil
        }
        guard let name = string(fields, "name"), let home = string(fields, "home") else { return nil }
        var categories: [ResidentCategory] = []
        for value in fields.properties["categories"]?.arrayValue ?? [] {
            if let category = value.stringValue.flatMap(ResidentCategory.init(rawValue:)) {
                categories.append(category)
            } else {
                report(fields, "category \(value) is not a category name")
            }
        }
        var birthYear: Int?
        if let value = fields.properties["birth_year"] {
            birthYear = value.int64Value.map(Int.init)
            if birthYear == nil { report(fields, "birth_year \(value) is not an integer") }
        }
        var resident = Resident(id: id, name: name, homeID: home,
                                phone: optionalString(fields, "phone"), birthYear: birthYear)
        resident.categories = categories
        return resident
    }

    private mutating func teamMember(_ fields: Fields) -> TeamMember? {
        guard let grid = gridCode(fields, "grid"), let roleText = string(fields, "role"),
              let name = string(fields, "name")
        else { return nil }
        guard let role = TeamRole(rawValue: roleText) else {
            report(fields, "role \(roleText) is not one of \(TeamRole.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return TeamMember(gridCode: grid, role: role, name: name, unit: optionalString(fields, "unit"),
                          phone: optionalString(fields, "phone"))
    }

    // MARK: Fields

    /// One feature being read, with where it came from.
    private struct Fields {
        var feature: Feature
        var layer: String
        var index: Int?
        var properties: JSONObject { feature.properties ?? JSONObject() }
        var id: String? { if case .string(let id)? = feature.id { id } else { nil } }

        init(_ feature: Feature, layer: String, index: Int?) {
            self.feature = feature
            self.layer = layer
            self.index = index
        }
    }

    private mutating func string(_ fields: Fields, _ key: String) -> String? {
        guard let value = fields.properties[key]?.stringValue else {
            report(fields, "property \(key) is missing or not a string")
            return nil
        }
        return value
    }

    private mutating func optionalString(_ fields: Fields, _ key: String) -> String? {
        switch fields.properties[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?:
            report(fields, "property \(key) is \(other), not a string")
            return nil
        }
    }

    private mutating func gridCode(_ fields: Fields, _ key: String) -> GridCode? {
        guard let text = string(fields, key) else { return nil }
        guard let code = GridCode(text) else {
            report(fields, "\(key) \(text) is not a grid code like DC-017 or DC-017-2")
            return nil
        }
        return code
    }

    private mutating func geometry(_ fields: Fields) -> Geometry? {
        guard let geometry = fields.feature.geometry else {
            report(fields, "feature has no geometry")
            return nil
        }
        return geometry
    }

    private mutating func report(_ fields: Fields, _ message: String) {
        report(fields.layer, fields.index, fields.id, message)
    }

    private mutating func report(_ layer: String, _ index: Int?, _ id: String?, _ message: String) {
        problems.append(ImportProblem(layer: layer, index: index, id: id, message: message))
    }
}
