import ByteOutput
import CSV
import GeoJSON
import GridMapCore
import Routing

/// `nearest --csv`: every row of a point CSV with `nearest_id,nearest_distance_m` appended (the
/// single nearest feature of a kind by straight line in the working CRS, or along the roads,
/// 2 decimals; empty when none qualifies).
public struct NearestPointsJob {
    public struct Summary: Sendable, Hashable {
        /// Rows written, rows that got a feature, bad rows.
        public var rows = 0, found = 0, bad = 0

        public init(rows: Int = 0, found: Int = 0, bad: Int = 0) {
            (self.rows, self.found, self.bad) = (rows, found, bad)
        }
    }

    public let atlas: Atlas
    public let kind: FeatureKind
    public let maxDistance: Double
    public let sameGrid: Bool

    /// Along the roads: the features of the kind snapped onto the network, with the nearest of
    /// them from every vertex (nil: by straight line).
    let roads: RoadFacilities?

    /// `atlas` must index features of `kind` for any to be found.
    public init(atlas: Atlas, kind: FeatureKind, maxDistance: Double = .infinity, sameGrid: Bool = false) {
        (self.atlas, self.kind, self.maxDistance, self.sameGrid) = (atlas, kind, maxDistance, sameGrid)
        roads = nil
    }

    /// Along the town's roads, as ``NearestQuery`` measures one point with `--by road` (metres
    /// along the roads plus the straight stretches to them; a line or polygon reached at its
    /// first vertex; ties by id), but for every row by one multi-source search from the
    /// features, made here once (``NearestFacility``). `town`'s atlas must index `kind` and its
    /// data hold the roads; `notice` hears what building the road network found.
    public init(roadsOf town: LoadedTown, kind: FeatureKind, maxDistance: Double = .infinity,
                notice: (String) -> Void) throws(JobError) {
        (atlas, self.kind, self.maxDistance, sameGrid) = (town.atlas, kind, maxDistance, false)
        roads = try RoadFacilities(town: town, kind: kind, notice: notice)
    }

    /// Streams `table` to `sink` (see ``PointTableStream``), each bad row told to `badRow`.
    public func run(_ table: CSVTable, _ settings: PointCSVSettings = .init(), to sink: any ByteSink,
                    badRow: (CSVBadRow) -> Void) throws(JobError) -> Summary {
        guard maxDistance >= 0 else { throw .invalidRequest("--max-distance must be a distance in metres ≥ 0.") }
        let annotator = NearestAnnotator(job: self)
        let streamed = try PointTableStream(table: table, settings: settings, annotator: annotator).run(to: sink, badRow: badRow)
        return Summary(rows: streamed.rows, found: annotator.found, bad: streamed.bad)
    }
}

/// Adds `nearest_id,nearest_distance_m` to each row (empty when no feature qualifies).
final class NearestAnnotator: PointAnnotator {
    let columns = ["nearest_id", "nearest_distance_m"]
    private let job: NearestPointsJob
    private(set) var found = 0

    init(job: NearestPointsJob) { self.job = job }

    func annotate(longitudes: [Double], latitudes: [Double]) throws(JobError) -> any PointAnnotations {
        if let roads = job.roads {
            let answers = try roads.nearest(longitudes: longitudes, latitudes: latitudes, maxDistance: job.maxDistance)
            found += answers.features.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
            return answers
        }
        let table: NearestTable
        do {
            table = try job.atlas.nearestAll(job.kind, longitudes: longitudes, latitudes: latitudes, k: 1,
                                             maxDistance: job.maxDistance, sameGrid: job.sameGrid)
        } catch {
            throw .invalidRequest("\(error)")
        }
        found += table.features.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        return NearestAnswers(ids: table.ids.map { Array(CSVField.escaped($0).utf8) },
                              features: table.features, distances: table.distances)
    }
}

/// One batch's nearest features: each point's feature (index into `ids`, -1 for none) and its
/// distance in metres.
struct NearestAnswers: PointAnnotations {
    /// Feature ids as CSV fields.
    let ids: [[UInt8]]
    let features: [Int32]
    let distances: [Double]

    func append(_ index: Int, to output: OutputBuffer) {
        let feature = features[index]
        guard feature >= 0 else { return output.append(UInt8(ascii: ",")) }
        output.append(ids[Int(feature)])
        output.append(UInt8(ascii: ","))
        output.append(fixed: distances[index], precision: 2)
    }
}

/// The features of one kind on the town's roads, and the nearest of them from every vertex.
struct RoadFacilities {
    let network: RoadNetwork
    let weights: EdgeWeights
    let nearest: NearestFacility
    /// Feature ids in id order as CSV fields; `features[i]` is the id of facility `i`.
    let ids: [[UInt8]]
    let features: [Int32]

    init(town: LoadedTown, kind: FeatureKind, notice: (String) -> Void) throws(JobError) {
        network = try RoadStops.network(of: town.data, projection: town.atlas.projection,
                                        orElse: "--by road: the town has no roads (features of kind road).", notice: notice)
        // Every feature of the kind with the position the one-point query measures to (the
        // atlas's: a point's own, a line's or polygon's first vertex), in id order.
        let count = town.data.features.reduce(0) { $0 + ($1.kind == kind ? 1 : 0) }
        // (All of them, nearest first from any point in the town, then put in id order.)
        let somewhere = network.position(edge: 0, offset: 0).position
        let all = try asJobError(.invalidRequest) {
            try town.atlas.nearest(kind, longitude: somewhere.x, latitude: somewhere.y, k: count)
        }.sorted { $0.id < $1.id }
        let network = network
        notice(network.topology.sentence)
        // Metres by road are walked (``RouteCost/distance``): places snap to roads a walker may use.
        weights = network.edgeWeights(.distance)
        let weights = weights
        let snapped = try asJobError(.invalidRequest) {
            try network.snap(all.map(\.position), weights: weights, tolerance: Snapped.defaultTolerance).map { $0?.position }
        }
        var positions: [RoadPosition] = [], features: [Int32] = []
        for (rank, position) in snapped.enumerated() {
            guard let position else { continue }
            positions.append(position)
            features.append(Int32(rank))
        }
        ids = all.map { Array(CSVField.escaped($0.id).utf8) }
        self.features = features
        nearest = NearestFacility(network: network, facilities: positions)
    }

    /// Each point's nearest feature (index into ``ids``; -1 for none within `maxDistance` or
    /// joined by road) and the distance in metres.
    func nearest(longitudes: [Double], latitudes: [Double], maxDistance: Double) throws(JobError) -> NearestAnswers {
        let positions = zip(longitudes, latitudes).map { Position(x: $0, y: $1) }
        let network = network, weights = weights
        let snapped = try asJobError(.invalidRequest) {
            try network.snap(positions, weights: weights, tolerance: Snapped.defaultTolerance).map { $0?.position }
        }
        var found = [Int32](repeating: -1, count: positions.count), distances = [Double](repeating: 0, count: positions.count)
        for (i, position) in snapped.enumerated() {
            guard let position, let answer = nearest.nearest(to: position), answer.cost <= maxDistance else { continue }
            found[i] = features[answer.facility]
            distances[i] = answer.cost
        }
        return NearestAnswers(ids: ids, features: found, distances: distances)
    }
}
