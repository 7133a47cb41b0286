import GeoJSON

/// A tour laid onto the roads: each leg's route, distances and arrival estimates, and the whole
/// route as one GeoJSON LineString.
public struct RoadTour: Sendable, Hashable {
    public var tour: Tour
    /// `legs[i]` is the road route from `tour.order[i]` to `tour.order[i + 1]`.
    public var legs: [RoadRoute]
    /// Metres of each leg (along roads plus off-road at both ends).
    public var legDistances: [Double] { legs.map { $0.roadDistance + $0.offRoadDistance } }
    /// The tour's arrival estimates (cost units of the matrix, e.g. seconds).
    public var arrivals: [Double] { tour.arrivals }
    /// The tour's departure estimates (arrival plus service at each stop).
    public var departures: [Double] { tour.departures }
    /// The whole route in WGS84: each leg's ``RoadRoute/path``, so it goes out to every stop off
    /// the road and back, and its length is the sum of ``legDistances``.
    public var geometry: Geometry
}

extension RoadNetwork {
    /// Lays `tour` (planned over a matrix among `positions`) onto the roads under `cost`: one
    /// route per leg, joined into one LineString. Nil if a leg has no route.
    public func roadTour(_ tour: Tour, positions: [RoadPosition], cost: RouteCost) -> RoadTour? {
        let weights = edgeWeights(cost)
        var legs: [RoadRoute] = []
        var path: [Position] = []
        for i in 1..<max(tour.order.count, 1) {
            guard let leg = route(from: positions[tour.order[i - 1]], to: positions[tour.order[i]], weights: weights,
                                  includeOffRoad: true)
            else { return nil }
            legs.append(leg)
            path += path.last == leg.path.first ? Array(leg.path.dropFirst()) : leg.path
        }
        if path.isEmpty, let first = tour.order.first { path = [positions[first].originPosition] }
        return RoadTour(tour: tour, legs: legs, geometry: .lineString(path.count == 1 ? [path[0], path[0]] : path))
    }
}
