/// The feature kinds GridMap knows by name beyond the built-in ones, and every known kind's
/// layer name, written out rather than made by adding "s" (`pharmacies`, `police-stations`,
/// `places-of-worship`).
///
/// The service kinds are what an OpenStreetMap import makes of `amenity`, `healthcare`, `shop`
/// and `office` (docs/IMPORT-SOURCES.md); ``service`` is the generic kind for a service the
/// catalogue does not name, so that no source feature is refused for its kind.
public enum KindCatalogue {
    /// The kinds listed, each with its layer name; the built-in kinds first.
    public static let entries: [(kind: FeatureKind, layerName: String)] = [
        (.field, "fields"), (.forest, "forests"), (.road, "roads"), (.river, "rivers"), (.ditch, "ditches"),
        (.lake, "lakes"), (.well, "wells"), (.home, "homes"), (.square, "squares"),
        (.partyMassesServiceCentre, "party-masses-service-centres"), (.citizenServiceStation, "citizen-service-stations"),
        (.clinic, "clinics"), (.school, "schools"), (.kindergarten, "kindergartens"),
    ] + [
        ("pharmacy", "pharmacies"), ("hospital", "hospitals"), ("dentist", "dentists"),
        ("college", "colleges"), ("university", "universities"), ("library", "libraries"),
        ("police-station", "police-stations"), ("fire-station", "fire-stations"), ("post-office", "post-offices"),
        ("town-hall", "town-halls"), ("community-centre", "community-centres"), ("social-facility", "social-facilities"),
        ("place-of-worship", "places-of-worship"), ("marketplace", "marketplaces"), ("bank", "banks"),
        ("bus-station", "bus-stations"), ("shop", "shops"), ("office", "offices"), ("service", "services"),
    ].map { (FeatureKind(builtIn: $0.0), $0.1) }

    /// A service the catalogue does not name (its source tags kept as properties).
    public static let service = FeatureKind(builtIn: "service")

    static let layerNames: [FeatureKind: String] = Dictionary(uniqueKeysWithValues: entries.map { ($0.kind, $0.layerName) })
    static let kindsByLayerName: [String: FeatureKind] = Dictionary(uniqueKeysWithValues: entries.map { ($0.layerName, $0.kind) })

    /// The English plural of a kebab-case name's last word by the regular rules: -s, -x, -z,
    /// -ch, -sh take -es; a consonant and -y take -ies; the rest -s.
    static func regularPlural(_ name: String) -> String {
        if ["s", "x", "z", "ch", "sh"].contains(where: name.hasSuffix) { return name + "es" }
        if name.hasSuffix("y"), let before = name.dropLast().last, !"aeiou".contains(before) {
            return name.dropLast() + "ies"
        }
        return name + "s"
    }
}
