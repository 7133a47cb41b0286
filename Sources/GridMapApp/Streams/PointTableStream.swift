import ByteOutput
import CSV
import GridMapCore
import PROJ

/// What `locate` and `nearest` add to each row of a point CSV.
public protocol PointAnnotator: AnyObject {
    /// Names of the added columns, appended to the header.
    var columns: [String] { get }
    /// The answers for one batch of WGS84 points.
    func annotate(longitudes: [Double], latitudes: [Double]) throws(JobError) -> any PointAnnotations
}

/// A ``PointAnnotator``'s answers for one batch, written straight into the output.
public protocol PointAnnotations {
    /// Appends the added fields of the batch's point `index`, joined by commas (no leading comma).
    func append(_ index: Int, to output: OutputBuffer)
}

/// Where a point CSV's coordinates are: the columns (nil: found by name, ``CSVColumn/longitude``
/// and ``CSVColumn/latitude``) and their CRS (nil: WGS84 longitude/latitude).
public struct PointCSVSettings: Sendable, Hashable {
    public var xColumn: String?
    public var yColumn: String?
    public var crs: String?

    public init(xColumn: String? = nil, yColumn: String? = nil, crs: String? = nil) {
        (self.xColumn, self.yColumn, self.crs) = (xColumn, yColumn, crs)
    }
}

extension PointCSVSettings {
    /// The single point (x, y), given in ``crs`` like the CSV's rows, as WGS84 longitude/latitude.
    /// Throws ``JobError/Kind/cannotStart`` for an unknown CRS and ``JobError/Kind/invalidRequest``
    /// for a point that CRS cannot take.
    public func wgs84Point(x: Double, y: Double) throws(JobError) -> (longitude: Double, latitude: Double) {
        guard let crs else { return (x, y) }
        let projection = try Projection.toWGS84(from: crs)
        var xs = [x], ys = [y]
        let failed = try asJobError { try projection.transform(x: &xs, y: &ys) }
        if !failed.isEmpty {
            throw .invalidRequest("cannot transform (\(x), \(y)) from \(crs) to WGS84: \(projection.reasonForFailure(x: x, y: y))")
        }
        return (xs[0], ys[0])
    }
}

/// How many rows a point CSV stream wrote, and how many of them were bad.
public struct PointCSVSummary: Sendable, Hashable {
    public var rows = 0
    public var bad = 0
}

/// Streams a point CSV through a ``PointAnnotator``: each row is written back verbatim (quotes,
/// quoted line breaks and all; the line break itself as LF), in input order, with the
/// annotator's columns appended.
///
/// Each block of the table (``CSVTable/nextRows()``) is one batch, so that the annotator answers
/// many points per call (`locateAll`, `nearestAll`) while memory stays flat on any input size.
/// With a source CRS the batch's points go to WGS84 in one PROJ call. A bad row (too few fields,
/// a coordinate that is not a number, a point PROJ cannot transform, a quote out of place) is
/// reported as `FILE:LINE: reason` and still written, with empty added fields, so that the output
/// has exactly one row per input row. Blank lines are dropped.
public final class PointTableStream {
    private let table: CSVTable
    private let annotator: any PointAnnotator
    private let transformer: Projection?
    private let x: Int, y: Int
    private let emptyFields: [UInt8]
    private var summary = PointCSVSummary()

    /// Finds the coordinate columns of `table` and readies the transform from `settings.crs`;
    /// throws ``JobError/Kind/cannotStart`` when a column is missing or the CRS is unknown.
    public init(table: CSVTable, settings: PointCSVSettings, annotator: any PointAnnotator) throws(JobError) {
        self.table = table
        self.annotator = annotator
        transformer = try settings.crs.map { crs throws(JobError) in try Projection.toWGS84(from: crs) }
        do throws(CSVTableError) {
            x = try table.column(.longitude, named: settings.xColumn)
            y = try table.column(.latitude, named: settings.yColumn)
        } catch {
            throw JobError(error)
        }
        emptyFields = Array(repeating: UInt8(ascii: ","), count: annotator.columns.count - 1)
    }

    /// Reads, annotates and writes every row to `sink`, telling `badRow` about each bad row as
    /// it is met. Throws when the input cannot be read or the output cannot be written.
    public func run(to sink: any ByteSink, badRow: (CSVBadRow) -> Void) throws(JobError) -> PointCSVSummary {
        let writer = CSVRowWriter(sink: sink)
        writer.writeHeader(of: table, appending: annotator.columns)
        var batch = PointBatch()
        while let rows = try JobError.reading(table) {
            for record in rows.records { consume(record, of: rows, into: &batch, badRow: badRow) }
            try flush(&batch, of: rows, to: writer, badRow: badRow)
            batch.removeAll()
        }
        try JobError.writing { () throws(OutputError) in try writer.flush() }
        return summary
    }

    private func consume(_ record: CSVRecord, of rows: CSVRows, into batch: inout PointBatch, badRow: (CSVBadRow) -> Void) {
        let problem: String
        if let unusable = rows.problem(record, reaching: max(x, y)) {
            problem = unusable
        } else if let xValue = rows.number(x, of: record) {
            if let yValue = rows.number(y, of: record) {
                batch.add(record, x: xValue, y: yValue)
                return
            }
            problem = "y is not a number: \"\(rows.text(y, of: record))\""
        } else {
            problem = "x is not a number: \"\(rows.text(x, of: record))\""
        }
        batch.addBad(record)
        summary.bad += 1
        badRow(table.badRow(record, problem))
    }

    /// Transforms, annotates and writes the batch's rows.
    private func flush(_ batch: inout PointBatch, of rows: CSVRows, to writer: CSVRowWriter,
                       badRow: (CSVBadRow) -> Void) throws(JobError) {
        if let transformer, !batch.xs.isEmpty {
            let failed = Set(try asJobError { try transformer.transform(x: &batch.xs, y: &batch.ys) })
            if !failed.isEmpty {
                for row in batch.dropPoints(failed) {
                    summary.bad += 1
                    badRow(table.badRow(batch.rows[row], "PROJ cannot transform this point to WGS84"))
                }
            }
        }
        let added = batch.xs.isEmpty ? nil : try annotator.annotate(longitudes: batch.xs, latitudes: batch.ys)
        let output = writer.output
        for (row, record) in batch.rows.enumerated() {
            writer.copy(record, of: rows)
            let point = batch.pointOfRow[row]
            if point >= 0, let added {
                added.append(point, to: output)
            } else {
                output.append(emptyFields)
            }
            writer.endRow()
        }
        summary.rows += batch.rows.count
        try JobError.writing { () throws(OutputError) in try writer.flush() }
    }
}

extension Projection {
    /// The projection from `crs` (any CRS PROJ knows, or GCJ-02 / BD-09) to WGS84
    /// longitude/latitude; an unknown CRS cannot start a job.
    static func toWGS84(from crs: String) throws(JobError) -> Projection {
        do {
            return try Projection(from: CRSDefinition(crs), to: .wgs84)
        } catch {
            throw .cannotStart("\(error)")
        }
    }
}

/// The rows of one block on their way through ``PointTableStream``: every row to write, and the
/// points of the good ones, packed for one annotator call.
struct PointBatch {
    private(set) var rows: [CSVRecord] = []
    /// Per row, the index of its point in `xs`/`ys`, or -1 for a bad row.
    private(set) var pointOfRow: [Int] = []
    var xs: [Double] = [], ys: [Double] = []

    mutating func add(_ record: CSVRecord, x: Double, y: Double) {
        rows.append(record)
        pointOfRow.append(xs.count)
        xs.append(x)
        ys.append(y)
    }

    mutating func addBad(_ record: CSVRecord) {
        rows.append(record)
        pointOfRow.append(-1)
    }

    /// Empties the batch, keeping its memory for the next.
    mutating func removeAll() {
        rows.removeAll(keepingCapacity: true)
        pointOfRow.removeAll(keepingCapacity: true)
        xs.removeAll(keepingCapacity: true)
        ys.removeAll(keepingCapacity: true)
    }

    /// Makes the rows of the `failed` points bad, keeping the other points packed; returns
    /// those rows.
    mutating func dropPoints(_ failed: Set<Int>) -> [Int] {
        var dropped: [Int] = []
        var keptX: [Double] = [], keptY: [Double] = []
        for row in pointOfRow.indices where pointOfRow[row] >= 0 {
            let point = pointOfRow[row]
            if failed.contains(point) {
                pointOfRow[row] = -1
                dropped.append(row)
            } else {
                pointOfRow[row] = keptX.count
                keptX.append(xs[point])
                keptY.append(ys[point])
            }
        }
        (xs, ys) = (keptX, keptY)
        return dropped
    }
}
