import ByteOutput
import CSV
import GridMapCore

/// `locate --csv`: every row of a point CSV with `microgrid,grid` appended (codes; empty outside
/// the town), by the ``Atlas`` rule (a point on a shared edge belongs to the smallest code).
public struct LocatePointsJob {
    public struct Summary: Sendable, Hashable {
        public var rows = 0, inside = 0, outside = 0, bad = 0

        public init(rows: Int = 0, inside: Int = 0, outside: Int = 0, bad: Int = 0) {
            (self.rows, self.inside, self.outside, self.bad) = (rows, inside, outside, bad)
        }
    }

    public let atlas: Atlas
    /// Whether a `town` column (the micro-grid's town code) comes before the two: a district's
    /// atlas (``DistrictAtlas``) holds many towns.
    public let addsTown: Bool

    public init(atlas: Atlas, addingTown: Bool = false) {
        self.atlas = atlas
        addsTown = addingTown
    }

    /// Streams `table` to `sink` (see ``PointTableStream``), each bad row told to `badRow`.
    public func run(_ table: CSVTable, _ settings: PointCSVSettings = .init(), to sink: any ByteSink,
                    badRow: (CSVBadRow) -> Void) throws(JobError) -> Summary {
        let annotator = MicroGridAnnotator(atlas: atlas, addingTown: addsTown)
        let streamed = try PointTableStream(table: table, settings: settings, annotator: annotator).run(to: sink, badRow: badRow)
        return Summary(rows: streamed.rows, inside: annotator.inside, outside: annotator.outside, bad: streamed.bad)
    }
}

/// Adds `microgrid,grid` (or `town,microgrid,grid`) to each row, counting how many points fell
/// inside and outside.
final class MicroGridAnnotator: PointAnnotator {
    let columns: [String]
    private let atlas: Atlas
    /// Per micro-grid index, its "micro,grid" (or "town,micro,grid") fields as bytes, formatted once.
    private let fields: [[UInt8]]
    /// The empty fields of a point in no micro-grid.
    private let outsideFields: [UInt8]
    private(set) var inside = 0, outside = 0

    init(atlas: Atlas, addingTown: Bool = false) {
        self.atlas = atlas
        columns = (addingTown ? ["town"] : []) + ["microgrid", "grid"]
        fields = atlas.microGrids.map { Array(((addingTown ? "\($0.code.town)," : "") + "\($0.code),\($0.gridCode)").utf8) }
        outsideFields = Array(repeating: UInt8(ascii: ","), count: columns.count - 1)
    }

    func annotate(longitudes: [Double], latitudes: [Double]) throws(JobError) -> any PointAnnotations {
        let answers = MicroGridAnswers(indices: atlas.locateAll(longitudes: longitudes, latitudes: latitudes), fields: fields,
                                       outsideFields: outsideFields)
        let found = answers.indices.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        inside += found
        outside += answers.indices.count - found
        return answers
    }
}

/// One batch's micro-grids: each point's index into `fields`, or -1 outside the town.
struct MicroGridAnswers: PointAnnotations {
    let indices: [Int32]
    let fields: [[UInt8]]
    let outsideFields: [UInt8]

    func append(_ index: Int, to output: OutputBuffer) {
        let microGrid = indices[index]
        output.append(microGrid >= 0 ? fields[Int(microGrid)] : outsideFields)
    }
}
