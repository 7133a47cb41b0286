import ByteOutput
import CSV
import GridMapCore
import PROJ

/// `transform`: rows `x,y[,rest...]` from one CRS to another, x and y rewritten with fixed
/// decimals and the rest of each row copied as it came; one `proj_trans_generic` call per block.
///
/// A first line whose x or y is not a number is a header and is copied through. A bad row (a
/// coordinate that is not a number, fewer than two columns, a quote out of place, or a point
/// PROJ cannot transform) is reported as `FILE:LINE: reason` and left out; the others go on.
/// Coordinates are (longitude, latitude) in degrees or (easting, northing) in metres, whatever
/// axis order the CRS declares. Either CRS may be GCJ-02 or BD-09 (``Projection``).
public final class TransformPointsJob {
    public struct Summary: Sendable, Hashable {
        /// Rows written (a header not counted), and bad rows left out.
        public var rows = 0, bad = 0

        public init(rows: Int = 0, bad: Int = 0) {
            (self.rows, self.bad) = (rows, bad)
        }
    }

    private let projection: Projection
    /// Decimals written for x and y.
    public let precision: Int

    /// Throws ``JobError/Kind/cannotStart`` for an unknown CRS, ``JobError/Kind/invalidRequest``
    /// for a precision outside 0...17. Without `precision`: 7 decimals for a geographic target
    /// (about 1 cm), 3 (millimetres) for a projected one.
    public init(from source: String, to target: String, precision: Int? = nil) throws(JobError) {
        if let precision, !(0...17).contains(precision) {
            throw .invalidRequest("--precision must be between 0 and 17, got \(precision).")
        }
        do {
            projection = try Projection(from: CRSDefinition(source), to: CRSDefinition(target))
        } catch {
            throw .cannotStart("\(error)")
        }
        self.precision = precision ?? (projection.targetIsGeographic ? 7 : 3)
    }

    /// Transforms the rows of `table` (opened without a header: the job decides whether line 1
    /// is one) to `sink`, each bad row told to `badRow`.
    public func run(_ table: CSVTable, to sink: any ByteSink, badRow: (CSVBadRow) -> Void) throws(JobError) -> Summary {
        let writer = CSVRowWriter(sink: sink)
        var summary = Summary()
        var xs: [Double] = [], ys: [Double] = [], good: [CSVRecord] = []
        while let rows = try JobError.reading(table) {
            for record in rows.records {
                switch point(record, of: rows) {
                case .failure(let problem):
                    if record.line == 1, problem.isNonNumeric {
                        writer.copy(record, of: rows, appending: false)  // a header
                        writer.endRow()
                        continue
                    }
                    summary.bad += 1
                    badRow(table.badRow(record, problem.description))
                case .success(let (x, y)):
                    xs.append(x)
                    ys.append(y)
                    good.append(record)
                }
            }
            if !good.isEmpty {
                let originalX = xs, originalY = ys
                let failed = Set(try asJobError { try projection.transform(x: &xs, y: &ys) })
                for (index, record) in good.enumerated() {
                    if failed.contains(index) {
                        summary.bad += 1
                        badRow(table.badRow(record, "cannot transform (\(originalX[index]), \(originalY[index])): "
                            + projection.reasonForFailure(x: originalX[index], y: originalY[index])))
                        continue
                    }
                    write(xs[index], ys[index], restOf: record, of: rows, to: writer)
                    summary.rows += 1
                }
                xs.removeAll(keepingCapacity: true)
                ys.removeAll(keepingCapacity: true)
                good.removeAll(keepingCapacity: true)
            }
            try JobError.writing { () throws(OutputError) in try writer.flush() }
        }
        return summary
    }

    private func write(_ x: Double, _ y: Double, restOf record: CSVRecord, of rows: CSVRows, to writer: CSVRowWriter) {
        let output = writer.output, decimals = Int32(precision)
        output.append(fixed: x, precision: decimals)
        output.append(UInt8(ascii: ","))
        output.append(fixed: y, precision: decimals)
        if record.fieldCount > 2 {
            output.append(UInt8(ascii: ","))
            output.append(rows.block.fields(from: 2, of: record))
        }
        writer.endRow()
    }

    /// Why a record is not a point row.
    private enum Problem: Error, CustomStringConvertible {
        case malformed(CSVRecordProblem)
        case tooFewColumns
        case notANumber(column: String, text: String)

        /// A first line with this problem is taken for a header.
        var isNonNumeric: Bool {
            if case .notANumber = self { true } else { false }
        }

        var description: String {
            switch self {
            case .malformed(let problem): "\(problem)"
            case .tooFewColumns: "expected x,y but found a single column"
            case let .notANumber(column, text): "\(column) is not a number: \"\(text)\""
            }
        }
    }

    /// The point of `record`: x and y from its first two fields.
    private func point(_ record: CSVRecord, of rows: CSVRows) -> Result<(Double, Double), Problem> {
        if let problem = record.problem { return .failure(.malformed(problem)) }
        guard record.fieldCount >= 2 else { return .failure(.tooFewColumns) }
        guard let x = rows.number(0, of: record) else { return .failure(.notANumber(column: "x", text: rows.text(0, of: record))) }
        guard let y = rows.number(1, of: record) else { return .failure(.notANumber(column: "y", text: rows.text(1, of: record))) }
        return .success((x, y))
    }
}
