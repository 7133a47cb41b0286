import Foundation

/// The road rules: which road classes each profile may use and how fast (the table), and how a
/// road's own tags change that (access, one-way, `maxspeed`). The one place these rules live;
/// docs/ROUTING.md prints the table.
///
/// The rules, in the order they apply to one road and one profile:
/// 1. **Class**: the table's speed for the class, or closed where it has none (no cars on
///    footways, paths, steps, pedestrian streets, cycleways, bridleways, corridors; no walking or
///    cycling on motorways and trunk roads and their links; busways are for buses alone).
/// 2. **Access tags** override the class, the most specific tag with a known value winning:
///    for walkers `access` < `foot`; for bicycles `access` < `vehicle` < `bicycle`; for cars
///    `access` < `vehicle` < `motor_vehicle` < `motorcar`. `no`, `private`, `agricultural`,
///    `forestry`, `emergency`, `military`, `use_sidepath` close; `yes`, `designated`,
///    `permissive`, `destination`, `customers`, `delivery`, `official`, `dismount` open; other
///    values are ignored. A `sidewalk` (any value but `no`/`none`) opens a road to walkers when
///    no tag decides. A class closed to a profile but opened by a tag is used at the profile's
///    track speed.
/// 3. **One-way** binds cars and bicycles, never walkers: `oneway=yes|1|true` (or
///    `junction=roundabout|circular` without `oneway=no`) allows only the way the road is drawn,
///    `oneway=-1` only the other, `oneway=reversible` (its direction changes by the hour)
///    neither. For bicycles `oneway:bicycle` (same values) decides first, and a contraflow
///    `cycleway=opposite|opposite_lane|opposite_track` lets them ride both ways.
/// 4. **Speed**: a car drives at `maxspeed` where the road gives one ("50", "30 mph", "walk" =
///    5 km/h; "none" and other text keep the table's speed); a bicycle never goes faster than
///    `maxspeed`; walkers keep their pace.
public enum RoadRules {
    /// One class's default speeds in km/h per profile; nil: closed to that profile.
    public struct Row: Sendable, Hashable {
        public var roadClass: RoadClass
        public var walk: Double?
        public var bicycle: Double?
        public var eBike: Double?
        public var car: Double?
    }

    /// The table. Dacun's county, village and track roads keep the speeds GridMap always used
    /// (walk 4.5; e-bike 20, 18, 12; car 50, 30, 15 km/h). Bicycles and e-bikes are pushed at
    /// walking pace on footways and pedestrian streets.
    public static let table: [Row] = [
        Row(roadClass: .county, walk: 4.5, bicycle: 15, eBike: 20, car: 50),
        Row(roadClass: .village, walk: 4.5, bicycle: 14, eBike: 18, car: 30),
        Row(roadClass: .track, walk: 4.5, bicycle: 10, eBike: 12, car: 15),
        Row(roadClass: .motorway, walk: nil, bicycle: nil, eBike: nil, car: 100),
        Row(roadClass: .motorwayLink, walk: nil, bicycle: nil, eBike: nil, car: 60),
        Row(roadClass: .trunk, walk: nil, bicycle: nil, eBike: nil, car: 80),
        Row(roadClass: .trunkLink, walk: nil, bicycle: nil, eBike: nil, car: 50),
        Row(roadClass: .primary, walk: 4.5, bicycle: 15, eBike: 20, car: 60),
        Row(roadClass: .primaryLink, walk: 4.5, bicycle: 15, eBike: 20, car: 40),
        Row(roadClass: .secondary, walk: 4.5, bicycle: 15, eBike: 20, car: 50),
        Row(roadClass: .secondaryLink, walk: 4.5, bicycle: 15, eBike: 20, car: 40),
        Row(roadClass: .tertiary, walk: 4.5, bicycle: 15, eBike: 20, car: 40),
        Row(roadClass: .tertiaryLink, walk: 4.5, bicycle: 15, eBike: 20, car: 30),
        Row(roadClass: .unclassified, walk: 4.5, bicycle: 14, eBike: 18, car: 30),
        Row(roadClass: .residential, walk: 4.5, bicycle: 14, eBike: 18, car: 30),
        Row(roadClass: .road, walk: 4.5, bicycle: 14, eBike: 18, car: 30),
        Row(roadClass: .livingStreet, walk: 4.5, bicycle: 10, eBike: 10, car: 10),
        Row(roadClass: .service, walk: 4.5, bicycle: 12, eBike: 15, car: 15),
        Row(roadClass: .pedestrian, walk: 4.5, bicycle: 4.5, eBike: 4.5, car: nil),
        Row(roadClass: .busway, walk: nil, bicycle: nil, eBike: nil, car: nil),
        Row(roadClass: .footway, walk: 4.5, bicycle: 4.5, eBike: 4.5, car: nil),
        Row(roadClass: .path, walk: 4.5, bicycle: 12, eBike: 12, car: nil),
        Row(roadClass: .cycleway, walk: 4.5, bicycle: 15, eBike: 20, car: nil),
        Row(roadClass: .bridleway, walk: 4.5, bicycle: 10, eBike: 10, car: nil),
        Row(roadClass: .steps, walk: 3, bicycle: nil, eBike: nil, car: nil),
        Row(roadClass: .corridor, walk: 4.5, bicycle: nil, eBike: nil, car: nil),
    ]

    /// How `profile` may travel a road of class `roadClass` with `tags`: metres per second along
    /// the way it is drawn (`forward`) and against it (`backward`); nil where it may not.
    public static func speeds(_ profile: TravelProfile, on roadClass: RoadClass, tags: RoadTags)
        -> (forward: Double?, backward: Double?) {
        guard access(profile.user, tags: tags) ?? defaultAccess(profile, roadClass, tags) else { return (nil, nil) }
        var speed = profile.speeds[roadClass] ?? profile.openedSpeed
        if let limit = tags.maxspeed.flatMap({ kilometresPerHour(maxspeed: $0) }).map({ $0 / 3.6 }) {
            switch profile.user {
            case .car: speed = limit
            case .bicycle: speed = min(speed, limit)
            case .foot: break
            }
        }
        guard profile.user != .foot else { return (speed, speed) }
        switch oneway(tags, for: profile.user) {
        case .both: return (speed, speed)
        case .forward: return (speed, nil)
        case .backward: return (nil, speed)
        case .neither: return (nil, nil)
        }
    }

    /// The class's own answer, with a sidewalk opening motorways and trunk roads to walkers.
    private static func defaultAccess(_ profile: TravelProfile, _ roadClass: RoadClass, _ tags: RoadTags) -> Bool {
        if profile.speeds[roadClass] != nil { return true }
        if profile.user == .foot, let sidewalk = tags.sidewalk, !["no", "none", ""].contains(sidewalk) { return true }
        return false
    }

    /// The answer of the most specific access tag with a known value for `user`; nil when none decides.
    static func access(_ user: RoadUser, tags: RoadTags) -> Bool? {
        let chain: [String?] = switch user {
        case .foot: [tags.foot, tags.access]
        case .bicycle: [tags.bicycle, tags.vehicle, tags.access]
        case .car: [tags.motorcar, tags.motorVehicle, tags.vehicle, tags.access]
        }
        for value in chain.compactMap({ $0 }) {
            if openingValues.contains(value) { return true }
            if closingValues.contains(value) { return false }
        }
        return nil
    }

    static let openingValues: Set<String> = ["yes", "designated", "permissive", "destination", "customers", "delivery",
                                             "official", "dismount"]
    static let closingValues: Set<String> = ["no", "private", "agricultural", "forestry", "emergency", "military",
                                             "use_sidepath"]

    /// Which ways a road may be driven or ridden.
    enum Oneway { case both, forward, backward, neither }

    /// The one-way rule for `user` (cars or bicycles): for bicycles `oneway:bicycle` first, and a
    /// contraflow cycleway opens the other way; then `oneway` and `junction` for both.
    static func oneway(_ tags: RoadTags, for user: RoadUser) -> Oneway {
        if user == .bicycle {
            if let own = tags.onewayBicycle, let rule = onewayValue(own) { return rule }
            if tags.cycleway?.hasPrefix("opposite") == true { return .both }
        }
        return onewayValue(tags.oneway)
            ?? (["roundabout", "circular"].contains(tags.junction ?? "") ? .forward : .both)
    }

    /// A `oneway`-style value's rule; nil for anything else (absent, "unknown", a typo).
    static func onewayValue(_ value: String?) -> Oneway? {
        switch value {
        case "yes", "1", "true": return .forward
        case "-1", "reverse": return .backward
        case "reversible", "alternating": return .neither
        case "no", "0", "false": return .both
        default: return nil
        }
    }

    /// `maxspeed` in km/h: a number ("50"), a number of miles per hour ("30 mph"), or "walk"
    /// (5 km/h); nil for "none", country defaults ("DE:urban") and anything else.
    public static func kilometresPerHour(maxspeed text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed == "walk" { return 5 }
        if let kmh = Double(trimmed), kmh > 0, kmh.isFinite { return kmh }
        if trimmed.hasSuffix("mph"), let mph = Double(trimmed.dropLast(3).trimmingCharacters(in: .whitespaces)), mph > 0, mph.isFinite {
            return mph * 1.609344
        }
        return nil
    }
}
