/// What a map feature is. An open set: the built-in kinds below, plus any user-defined kind
/// (a lower-case, hyphenated name such as "fish-pond").
public struct FeatureKind: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts a ``KebabName``: lower-case ASCII letters, digits and hyphens, starting with a letter.
    public init?(rawValue: String) {
        guard KebabName.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// A kind named in code (the built-in kinds, the catalogue), whose name is known to be valid.
    init(builtIn: String) { rawValue = builtIn }

    // Land and water (林田路井, 河流沟壑)
    public static let field = FeatureKind(builtIn: "field")
    public static let forest = FeatureKind(builtIn: "forest")
    /// A road; its `class` property is "county", "village" or "track".
    public static let road = FeatureKind(builtIn: "road")
    public static let river = FeatureKind(builtIn: "river")
    public static let ditch = FeatureKind(builtIn: "ditch")
    public static let lake = FeatureKind(builtIn: "lake")
    public static let well = FeatureKind(builtIn: "well")
    // People and places (人房广场)
    /// A home; its `address` and `houseNumber` properties identify it in resident ledgers.
    public static let home = FeatureKind(builtIn: "home")
    public static let square = FeatureKind(builtIn: "square")
    // Services
    /// 党群服务中心
    public static let partyMassesServiceCentre = FeatureKind(builtIn: "party-masses-service-centre")
    /// 市民服务驿站
    public static let citizenServiceStation = FeatureKind(builtIn: "citizen-service-station")
    public static let clinic = FeatureKind(builtIn: "clinic")
    public static let school = FeatureKind(builtIn: "school")
    public static let kindergarten = FeatureKind(builtIn: "kindergarten")

    public static let builtIn: [FeatureKind] = [
        .field, .forest, .road, .river, .ditch, .lake, .well, .home, .square,
        .partyMassesServiceCentre, .citizenServiceStation, .clinic, .school, .kindergarten,
    ]

    /// The layer's name, used for file names (`roads.geojson`, `pharmacies.geojson`) and
    /// `--layer`: the catalogue's (``KindCatalogue``) for a kind it lists, else the English
    /// plural of the last word by the regular rules (`fish-ponds`, `bus-stops`, `ferries`).
    public var layerName: String {
        KindCatalogue.layerNames[self] ?? KindCatalogue.regularPlural(rawValue)
    }

    /// The kind whose layer is called `layerName`, built-in or user-defined: the catalogue's
    /// names, the regular plurals, and the names earlier GridMaps wrote by adding "s" to the
    /// kind (`pharmacys`), which are still read.
    public init?(layerName: String) {
        if let kind = KindCatalogue.kindsByLayerName[layerName] {
            self = kind
            return
        }
        for (suffix, replacement) in [("ies", "y"), ("es", ""), ("s", "")] where layerName.hasSuffix(suffix) {
            guard let kind = FeatureKind(rawValue: String(layerName.dropLast(suffix.count)) + replacement) else { continue }
            if kind.layerName == layerName || kind.rawValue + "s" == layerName {
                self = kind
                return
            }
        }
        return nil
    }

    public var description: String { rawValue }

    public static func < (a: FeatureKind, b: FeatureKind) -> Bool { a.rawValue < b.rawValue }
}
