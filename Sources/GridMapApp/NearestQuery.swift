import GeoJSON
import GridMapCore
import GridStore
import Routing

/// The features of one kind nearest to one point: by straight line in the town's working CRS,
/// or along the roads.
public struct NearestQuery {
    public enum Metric: String, CaseIterable, Sendable {
        /// Straight-line metres in the working CRS.
        case line
        /// Metres along the roads, plus the straight stretches between the point or feature and
        /// its nearest road.
        case road
    }

    public var kind: FeatureKind
    public var longitude: Double
    public var latitude: Double
    public var k = 1
    public var maxDistance = Double.infinity
    /// Only features in the point's own grid (a point outside the town then has none).
    public var sameGrid = false
    public var metric = Metric.line

    public init(kind: FeatureKind, longitude: Double, latitude: Double) {
        (self.kind, self.longitude, self.latitude) = (kind, longitude, latitude)
    }

    /// The town as a nearest query needs it, read from `store`: the areas and the team, the
    /// features of the kind `name` (a kind, well, or its layer, wells) bare — no properties, a
    /// point read from its point columns (``TownStore/bareFeatures(of:)``) — and, `withRoads`,
    /// the roads whole (the road network needs their class); indexed for that kind alone. So a
    /// query over a million wells holds a million bare points, not a million features with
    /// their properties. The kind is checked against the store's kinds.
    public static func town(from store: any TownStore, kind name: String,
                            withRoads: Bool) throws(JobError) -> (kind: FeatureKind, town: LoadedTown) {
        var data = try LoadedTown.data(from: store, [])
        let kind = try RequestParsing.featureKind(name, among: Set(asJobError { try store.featureKinds() }))
        let roads = withRoads ? try asJobError { try store.features(of: .road) } : []
        if kind == .road, withRoads {
            data.features = roads
        } else {
            data.features = try asJobError { try store.bareFeatures(of: kind) } + roads
        }
        return (kind, try LoadedTown(data: data, indexing: [kind]))
    }

    /// The answer: the features nearest first (ties by id), and the features no road joins to
    /// the point (by road only; left out of ``features``).
    public struct Answer: Sendable {
        public var features: [NearbyFeature]
        public var unjoined: [String]
        /// With `sameGrid`: whether the point lay outside the town (and so had no grid).
        public var outsideTown: Bool
    }

    /// Answers on `town`, whose atlas indexes at least ``kind``; `notice` hears what building the
    /// road network found (by road only).
    public func answer(on town: LoadedTown, notice: (String) -> Void) throws(JobError) -> Answer {
        let atlas = town.atlas
        var answer = Answer(features: [], unjoined: [], outsideTown: false)
        switch metric {
        case .line:
            answer.features = try asJobError(.invalidRequest) {
                try atlas.nearest(kind, longitude: longitude, latitude: latitude, k: k, maxDistance: maxDistance, sameGrid: sameGrid)
            }
        case .road:
            answer = try nearestByRoad(town, notice: notice)
        }
        answer.outsideTown = sameGrid && atlas.microGridIndex(longitude: longitude, latitude: latitude) == nil
        return answer
    }

    /// The `k` features nearest the point along the roads, within `maxDistance`, ties by id;
    /// refused when the point's piece of road reaches none of the kind's features there are.
    ///
    /// Exact without measuring every feature: a road distance is never shorter than the straight
    /// line (off-road stretches are straight, and a road piece is at least as long as the chord
    /// between its ends), so candidates are taken by straight line, nearest first, in growing
    /// batches, until the k-th road distance is no longer than the straight-line distance of the
    /// farthest candidate — no feature farther out can then be nearer by road.
    private func nearestByRoad(_ town: LoadedTown, notice: (String) -> Void) throws(JobError) -> Answer {
        let network = try RoadStops.network(of: town.data, projection: town.atlas.projection,
                                            orElse: "--by road: the town has no roads (features of kind road).", notice: notice)
        notice(network.topology.sentence)
        // Metres by road are walked (``RouteCost/distance``): places snap to roads a walker may use.
        let weights = network.edgeWeights(.distance)
        func snap(_ positions: [Position]) throws -> [RoadPosition?] {
            try network.snap(positions, weights: weights, tolerance: Snapped.defaultTolerance).map { $0?.position }
        }
        return try asJobError(.invalidRequest) {
            guard let origin = try snap([Position(x: longitude, y: latitude)])[0] else {
                return Answer(features: [], unjoined: [], outsideTown: false)
            }
            var batch = 4 * k
            while true {
                let candidates = try town.atlas.nearest(kind, longitude: longitude, latitude: latitude, k: batch,
                                                        maxDistance: maxDistance, sameGrid: sameGrid)
                let snapped = try snap(candidates.map(\.position))
                let reachable = candidates.indices.filter { snapped[$0] != nil }
                let costs = network.matrix(from: [origin], to: reachable.map { snapped[$0]! })
                var measured = reachable.indices.map { column in
                    var feature = candidates[reachable[column]]
                    feature.distance = costs[0, column]
                    return feature
                }
                // A feature no road joins is named apart, never measured as infinitely far.
                let unjoined = measured.filter { !$0.distance.isFinite }
                measured = measured.filter { $0.distance.isFinite && $0.distance <= maxDistance }
                measured.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.id < $1.id }
                let settled = measured.count >= k && measured[k - 1].distance <= candidates.last!.distance
                if candidates.count < batch || settled {
                    if measured.isEmpty, !unjoined.isEmpty {
                        let road = network.roadIDs[Int(network.edgeRoad[origin.edge])]
                        throw JobError.invalidRequest("No road joins the point to any \(kind)"
                            + (maxDistance.isFinite ? " within \(maxDistance) m" : "")
                            + ": its nearest road, \(road), is on a piece of road cut off from theirs ("
                            + unjoined.map(\.id).sorted().joined(separator: ", ") + ").")
                    }
                    return Answer(features: Array(measured.prefix(k)), unjoined: unjoined.map(\.id), outsideTown: false)
                }
                batch *= 4
            }
        }
    }
}
