/// A road's class, from the road layer's `class` property: Dacun's three rural classes
/// (docs/TOWN-FORMAT.md, roads) and OpenStreetMap's `highway` values for roads (the contract of
/// `FeatureKind.roadClasses`). Who may use each class, and how fast, is ``RoadRules``' table.
public enum RoadClass: String, Sendable, Hashable, CaseIterable {
    /// 县道: county road.
    case county
    /// 村道: village road.
    case village
    /// 机耕路: field track (also OSM's `highway=track`).
    case track
    case motorway, motorwayLink = "motorway_link", trunk, trunkLink = "trunk_link"
    case primary, primaryLink = "primary_link", secondary, secondaryLink = "secondary_link"
    case tertiary, tertiaryLink = "tertiary_link", unclassified, residential
    case livingStreet = "living_street", service, pedestrian, road, busway
    case footway, path, cycleway, bridleway, steps, corridor

    /// The class named by a road's `class` property. A missing or unknown class counts as a
    /// track, the slowest class open to everyone, so that an unclassified road is never assumed
    /// fast (``RoadNetwork/unknownClasses`` lists the unknown ones).
    public init(property: String?) {
        self = property.flatMap(RoadClass.init(rawValue:)) ?? .track
    }

    /// Whether `property` names a class this enumeration knows (a missing class does not count
    /// as unknown: it is a track, as it always was).
    static func isKnown(_ property: String?) -> Bool {
        property.map { RoadClass(rawValue: $0) != nil } ?? true
    }
}
