/// How fast someone moves on each road class: the speeds that turn metres into seconds.
public struct TravelProfile: Sendable, Hashable {
    public var name: String
    /// Speed in metres per second on each road class.
    public var county: Double
    public var village: Double
    public var track: Double
    /// Speed in metres per second off the road, between a snapped road position and the point
    /// itself (the walk from the road to a door or a well).
    public var offRoad: Double

    /// Speeds in km/h; `offRoad` defaults to walking pace.
    public init(name: String, countyKmh: Double, villageKmh: Double, trackKmh: Double, offRoadKmh: Double = 4.5) {
        self.name = name
        county = countyKmh / 3.6
        village = villageKmh / 3.6
        track = trackKmh / 3.6
        offRoad = offRoadKmh / 3.6
    }

    /// Metres per second on `roadClass`.
    public func speed(on roadClass: RoadClass) -> Double {
        switch roadClass {
        case .county: county
        case .village: village
        case .track: track
        }
    }

    /// The fastest speed on any road class, the bound that keeps A*'s estimate admissible.
    public var fastestRoadSpeed: Double { max(county, village, track) }

    /// Walking: 4.5 km/h on every class.
    public static let walk = TravelProfile(name: "walk", countyKmh: 4.5, villageKmh: 4.5, trackKmh: 4.5)
    /// E-bike: county 20, village 18, track 12 km/h.
    public static let eBike = TravelProfile(name: "e-bike", countyKmh: 20, villageKmh: 18, trackKmh: 12)
    /// Car: county 50, village 30, track 15 km/h.
    public static let car = TravelProfile(name: "car", countyKmh: 50, villageKmh: 30, trackKmh: 15)

    public static let all: [TravelProfile] = [.walk, .eBike, .car]
}

/// What a route minimises: metres, or seconds under a travel profile.
public enum RouteCost: Sendable, Hashable {
    case distance
    case time(TravelProfile)

    /// Cost of `metres` along a road of class `roadClass`.
    func cost(metres: Double, on roadClass: RoadClass) -> Double {
        switch self {
        case .distance: metres
        case .time(let profile): metres / profile.speed(on: roadClass)
        }
    }

    /// Cost of `metres` off the road.
    func offRoadCost(metres: Double) -> Double {
        switch self {
        case .distance: metres
        case .time(let profile): metres / profile.offRoad
        }
    }

    /// The least cost of one metre on any road: the A* lower bound per straight-line metre.
    var leastCostPerMetre: Double {
        switch self {
        case .distance: 1
        case .time(let profile): 1 / profile.fastestRoadSpeed
        }
    }
}
