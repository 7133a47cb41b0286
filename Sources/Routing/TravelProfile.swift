/// Who is moving: the road rules that bind them (``RoadRules``) differ for walkers, riders
/// of bicycles (e-bikes too) and drivers.
public enum RoadUser: String, Sendable, Hashable, CaseIterable {
    case foot, bicycle, car
}

/// How someone gets about: who they are on the road (which rules bind them) and how fast they
/// move on each road class, from ``RoadRules/table``.
public struct TravelProfile: Sendable, Hashable {
    public var name: String
    public var user: RoadUser
    /// Speed in metres per second on each class the profile may use by default (a class
    /// missing here is closed to it unless a road's access tags open it).
    public var speeds: [RoadClass: Double]
    /// Speed in metres per second on a road whose class is closed to the profile but whose tags
    /// open it (a motorway with `foot=yes`): the profile's track speed.
    public var openedSpeed: Double
    /// Speed in metres per second off the road, between a snapped road position and the point
    /// itself (the walk from the road to a door or a well).
    public var offRoad: Double

    /// The profile of column `column` of ``RoadRules/table``; `offRoad` defaults to walking pace.
    init(name: String, user: RoadUser, column: KeyPath<RoadRules.Row, Double?>, offRoadKmh: Double = 4.5) {
        self.name = name
        self.user = user
        var speeds: [RoadClass: Double] = [:]
        for row in RoadRules.table { if let kmh = row[keyPath: column] { speeds[row.roadClass] = kmh / 3.6 } }
        self.speeds = speeds
        openedSpeed = speeds[.track] ?? 15 / 3.6
        offRoad = offRoadKmh / 3.6
    }

    /// Metres per second on `roadClass` by the table (the opened speed where the class is closed).
    public func speed(on roadClass: RoadClass) -> Double { speeds[roadClass] ?? openedSpeed }

    /// Walking: 4.5 km/h (3 on steps), never one-way, never on motorways or trunk roads.
    public static let walk = TravelProfile(name: "walk", user: .foot, column: \.walk)
    /// Bicycle: 10 to 15 km/h, pushed at walking pace on footways and pedestrian streets.
    public static let bicycle = TravelProfile(name: "bicycle", user: .bicycle, column: \.bicycle)
    /// E-bike: the bicycle's rules at e-bike speeds (county 20, village 18, track 12 km/h).
    public static let eBike = TravelProfile(name: "e-bike", user: .bicycle, column: \.eBike)
    /// Car: county 50, village 30, track 15 km/h; `maxspeed` where the road gives one.
    public static let car = TravelProfile(name: "car", user: .car, column: \.car)

    public static let all: [TravelProfile] = [.walk, .bicycle, .eBike, .car]
}

/// What a route minimises: metres, or seconds under a travel profile.
///
/// Metres are measured under the walking rules (``TravelProfile/walk``): a distance "by road"
/// is how far a person goes on foot — every road but motorways and trunk roads without a
/// sidewalk, in both directions of one-way streets. On Dacun's three classes that is every road.
public enum RouteCost: Sendable, Hashable {
    case distance
    case time(TravelProfile)

    /// The profile whose rules decide which roads may be used, and which way.
    public var profile: TravelProfile {
        switch self {
        case .distance: .walk
        case .time(let profile): profile
        }
    }

    /// Cost of `metres` off the road.
    func offRoadCost(metres: Double) -> Double {
        switch self {
        case .distance: metres
        case .time(let profile): metres / profile.offRoad
        }
    }
}
