/// A road's class, from the road layer's `class` property (docs/TOWN-FORMAT.md, roads).
public enum RoadClass: String, Sendable, Hashable, CaseIterable {
    /// 县道: county road.
    case county
    /// 村道: village road.
    case village
    /// 机耕路: field track.
    case track

    /// The class named by a road's `class` property. A missing or unknown class counts as a
    /// track, the slowest class, so that an unclassified road is never assumed fast.
    public init(property: String?) {
        self = property.flatMap(RoadClass.init(rawValue:)) ?? .track
    }
}
