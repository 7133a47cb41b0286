import Foundation
import GeoJSON
import GridMapCore

/// What a source's layers and features are for the town: the mapping file of `gridmap import
/// SOURCE --mapping FILE` (docs/IMPORT-SOURCES.md), or OpenStreetMap's built-in one.
///
/// The rule: each source feature goes to the first ``Rule`` whose layer and filter it meets;
/// one that meets none goes through the OpenStreetMap rules when ``osm`` is set (an `.osm` or
/// `.pbf` source, or `"preset": "osm"`), and is otherwise left out (counted, per layer).
public struct SourceMapping: Sendable, Equatable {
    /// The town's code, names and boundary, where the mapping gives them (flags win).
    public struct TownValues: Sendable, Equatable {
        public var code: String?
        public var name: String?
        public var latinName: String?
        /// A layer of the source whose polygons are the town's boundary (not imported as features).
        public var boundaryLayer: String?
        public var workingCRS: String?

        public init(code: String? = nil, name: String? = nil, latinName: String? = nil, boundaryLayer: String? = nil,
                    workingCRS: String? = nil) {
            self.code = code
            self.name = name
            self.latinName = latinName
            self.boundaryLayer = boundaryLayer
            self.workingCRS = workingCRS
        }
    }

    /// A test on one attribute of a source feature.
    public enum Condition: Sendable, Equatable {
        case equals(String, String)
        case isIn(String, [String])
        /// Present with a non-empty value (true), or absent (false).
        case exists(String, Bool)

        func holds(for attributes: SourceAttributes) -> Bool {
            switch self {
            case .equals(let key, let value): attributes.text(key) == value
            case .isIn(let key, let values): attributes.text(key).map(values.contains) ?? false
            case .exists(let key, let present): (attributes.text(key).map { !$0.isEmpty } ?? false) == present
            }
        }
    }

    /// A value taken from an attribute, or written in the mapping.
    public enum Value: Sendable, Equatable {
        case attribute(String)
        case constant(String)
    }

    /// Which source features become features of one kind, and where their values come from.
    public struct Rule: Sendable, Equatable {
        /// The source layer; nil for every layer (a source of one layer, such as a Shapefile).
        public var layer: String?
        public var filter: [Condition]
        public var kind: FeatureKind
        /// The attribute whose value (after `idPrefix`) is the feature's id; nil: `LAYER:FID`.
        public var id: String?
        public var idPrefix: String
        public var name: String?
        public var address: String?
        public var houseNumber: String?
        /// A road's class.
        public var roadClass: Value?
        /// The attributes kept as properties; nil keeps every attribute the rule does not use.
        public var properties: [String]?
        /// An attribute holding more attributes as OSM tags (`"key"=>"value",…`, GDAL's
        /// `other_tags`), read as if they were attributes.
        public var tags: String?

        public init(layer: String? = nil, filter: [Condition] = [], kind: FeatureKind, id: String? = nil, idPrefix: String = "",
                    name: String? = nil, address: String? = nil, houseNumber: String? = nil, roadClass: Value? = nil,
                    properties: [String]? = nil, tags: String? = nil) {
            self.layer = layer
            self.filter = filter
            self.kind = kind
            self.id = id
            self.idPrefix = idPrefix
            self.name = name
            self.address = address
            self.houseNumber = houseNumber
            self.roadClass = roadClass
            self.properties = properties
            self.tags = tags
        }
    }

    public var town = TownValues()
    /// The CRS of source layers that declare none (any CRS PROJ knows, GCJ02 or BD09).
    public var crs: String?
    /// `shared-vertices` or `noded-crossings` (docs/TOWN-FORMAT.md, `roadTopology`).
    public var topology: String?
    /// Whether features no rule takes go through the OpenStreetMap rules.
    public var osm = false
    public var rules: [Rule] = []

    public init(town: TownValues = TownValues(), crs: String? = nil, topology: String? = nil, osm: Bool = false, rules: [Rule] = []) {
        self.town = town
        self.crs = crs
        self.topology = topology
        self.osm = osm
        self.rules = rules
    }

    /// The built-in mapping of an OpenStreetMap file: the OSM rules alone, shared-vertex topology.
    public static let openStreetMap = SourceMapping(topology: "shared-vertices", osm: true)

    /// The topologies a mapping may name.
    static let topologies = ["shared-vertices", "noded-crossings"]
}

extension SourceMapping {
    /// Reads a mapping file. Every problem in it is found in one pass and reported together,
    /// each with its JSON path (`layers[2].where.amenity`), as one ``JobError/Kind/cannotStart``
    /// error naming the file; nothing else is read before the mapping is sound.
    public static func read(from url: URL) throws(JobError) -> SourceMapping {
        let name = url.relativePath
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .cannotStart("cannot read the mapping file \(name): \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
        }
        let top: JSONObject
        do {
            // The GeoJSON module's reader: exact types (true is not 1) and the place of a syntax error.
            guard let object = try JSONObjectText.decode(text) else {
                throw JobError.cannotStart("the mapping file \(name) must hold a JSON object (town, crs, topology, preset, layers)")
            }
            top = object
        } catch let error as JobError {
            throw error
        } catch {
            throw .cannotStart("the mapping file \(name) is not valid JSON: \(error)")
        }
        var parser = MappingParser()
        let mapping = parser.mapping(top)
        guard parser.problems.isEmpty else {
            throw JobError(.cannotStart, "the mapping file \(name) has \(parser.problems.count) problem\(parser.problems.count == 1 ? "" : "s"); nothing was imported:",
                           details: parser.problems.map { "  \(name): \($0)" })
        }
        return mapping
    }
}

/// One pass over a mapping file's JSON, collecting every problem with its path.
private struct MappingParser {
    var problems: [String] = []

    mutating func problem(_ path: String, _ message: String) {
        problems.append(path.isEmpty ? message : "\(path): \(message)")
    }

    mutating func mapping(_ object: JSONObject) -> SourceMapping {
        unknownMembers(object, known: ["town", "crs", "topology", "preset", "layers", "comment"], at: "")
        var mapping = SourceMapping()
        if let town = object["town"] {
            if let town = town.objectValue {
                unknownMembers(town, known: ["code", "name", "latinName", "boundaryLayer", "workingCRS"], at: "town")
                mapping.town = .init(code: string(town["code"], "town.code"), name: string(town["name"], "town.name"),
                                     latinName: string(town["latinName"], "town.latinName"),
                                     boundaryLayer: string(town["boundaryLayer"], "town.boundaryLayer"),
                                     workingCRS: string(town["workingCRS"], "town.workingCRS"))
                if let code = mapping.town.code, GridCode(town: code, grid: 1) == nil {
                    problem("town.code", "town code \"\(code)\" must be upper-case ASCII letters, e.g. \"DC\"")
                }
            } else {
                problem("town", "must be an object (code, name, latinName, boundaryLayer, workingCRS)")
            }
        }
        mapping.crs = string(object["crs"], "crs")
        mapping.topology = string(object["topology"], "topology")
        if let topology = mapping.topology, !SourceMapping.topologies.contains(topology) {
            problem("topology", "must be one of \(SourceMapping.topologies.joined(separator: ", ")), found \"\(topology)\"")
        }
        if let preset = string(object["preset"], "preset") {
            if preset == "osm" { mapping.osm = true } else { problem("preset", "the only preset is \"osm\", found \"\(preset)\"") }
        }
        if let layers = object["layers"] {
            if let layers = layers.arrayValue {
                mapping.rules = layers.enumerated().compactMap { rule($1, at: "layers[\($0)]") }
            } else {
                problem("layers", "must be an array of rules")
            }
        } else if !mapping.osm {
            problem("", "missing \"layers\": say which source layers are which kind (or \"preset\": \"osm\")")
        }
        return mapping
    }

    mutating func rule(_ value: JSONValue, at path: String) -> SourceMapping.Rule? {
        guard let object = value.objectValue else {
            problem(path, "must be an object (layer, where, kind, id, name, …)")
            return nil
        }
        unknownMembers(object, known: ["layer", "where", "kind", "id", "idPrefix", "name", "address", "houseNumber", "class",
                                       "properties", "tags", "comment"], at: path)
        var kind: FeatureKind?
        if let text = string(object["kind"], "\(path).kind") {
            kind = FeatureKind(rawValue: text) ?? FeatureKind(layerName: text)
            if kind == nil { problem("\(path).kind", "\"\(text)\" is not a kind name (lower-case letters, digits, hyphens, e.g. pharmacy)") }
        } else if object["kind"] == nil {
            problem("\(path).kind", "missing: the kind the layer's features become (road, home, pharmacy, …)")
        }
        var filter: [SourceMapping.Condition] = []
        if let conditions = object["where"] {
            if let conditions = conditions.objectValue {
                for (key, test) in conditions { condition(key, test, at: "\(path).where.\(key)").map { filter.append($0) } }
            } else {
                problem("\(path).where", "must be an object: attribute → {\"equals\": …}, {\"in\": […]} or {\"exists\": true|false}")
            }
        }
        var roadClass: SourceMapping.Value?
        switch object["class"] {
        case nil: break
        case .string(let attribute)?: roadClass = .attribute(attribute)
        case .object(let fixed)? where fixed.count == 1 && fixed["value"]?.stringValue != nil:
            roadClass = fixed["value"]?.stringValue.map(SourceMapping.Value.constant)
        default: problem("\(path).class", "must be an attribute's name, or {\"value\": CLASS}")
        }
        if case .constant(let value)? = roadClass, !FeatureKind.roadClasses.contains(value) {
            problem("\(path).class.value", "\"\(value)\" is not a road class (\(FeatureKind.roadClasses.joined(separator: ", ")))")
        }
        if kind == .road, roadClass == nil, object["class"] == nil {
            problem("\(path).class", "missing: a road needs a class, from an attribute (\"class\": \"highway\") or fixed (\"class\": {\"value\": \"track\"})")
        }
        var properties: [String]?
        if let list = object["properties"] {
            let names = list.arrayValue?.compactMap(\.stringValue)
            if let names, names.count == list.arrayValue?.count { properties = names } else {
                problem("\(path).properties", "must be an array of attribute names")
            }
        }
        let rule = SourceMapping.Rule(
            layer: string(object["layer"], "\(path).layer"), filter: filter, kind: kind ?? .field,
            id: string(object["id"], "\(path).id"), idPrefix: string(object["idPrefix"], "\(path).idPrefix") ?? "",
            name: string(object["name"], "\(path).name"),
            address: string(object["address"], "\(path).address"), houseNumber: string(object["houseNumber"], "\(path).houseNumber"),
            roadClass: roadClass, properties: properties, tags: string(object["tags"], "\(path).tags"))
        return kind == nil ? nil : rule
    }

    mutating func condition(_ key: String, _ value: JSONValue, at path: String) -> SourceMapping.Condition? {
        guard let test = value.objectValue, test.count == 1, let only = test.members.first else {
            problem(path, "must be one test: {\"equals\": VALUE}, {\"in\": [VALUES]} or {\"exists\": true|false}")
            return nil
        }
        let (operation, operand) = (only.key, only.value)
        switch operation {
        case "equals":
            if let text = Self.scalarText(operand) { return .equals(key, text) }
            problem("\(path).equals", "must be a string or a number")
        case "in":
            if let list = operand.arrayValue, case let texts = list.compactMap(Self.scalarText), texts.count == list.count, !texts.isEmpty {
                return .isIn(key, texts)
            }
            problem("\(path).in", "must be a non-empty array of strings or numbers")
        case "exists":
            if case .bool(let flag) = operand { return .exists(key, flag) }
            problem("\(path).exists", "must be true or false")
        default:
            problem(path, "unknown test \"\(operation)\" (equals, in, exists)")
        }
        return nil
    }

    static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let number): number.text
        default: nil
        }
    }

    mutating func string(_ value: JSONValue?, _ path: String) -> String? {
        guard let value else { return nil }
        guard let text = value.stringValue, !text.isEmpty else {
            problem(path, "must be a non-empty string")
            return nil
        }
        return text
    }

    mutating func unknownMembers(_ object: JSONObject, known: Set<String>, at path: String) {
        for key in object.orderedKeys where !known.contains(key) {
            problem(path.isEmpty ? key : "\(path).\(key)", "unknown member (known: \(known.sorted().joined(separator: ", ")))")
        }
    }
}
