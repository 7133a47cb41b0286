import ByteOutput
import CSV
import GridMapCore

/// `nearest --csv`: every row of a point CSV with `nearest_id,nearest_distance_m` appended (the
/// single nearest feature of a kind by straight line in the working CRS, 2 decimals; empty when
/// none qualifies).
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

    /// `atlas` must index features of `kind` for any to be found.
    public init(atlas: Atlas, kind: FeatureKind, maxDistance: Double = .infinity, sameGrid: Bool = false) {
        (self.atlas, self.kind, self.maxDistance, self.sameGrid) = (atlas, kind, maxDistance, sameGrid)
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
