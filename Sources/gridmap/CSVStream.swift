import ArgumentParser
import CSV
import Foundation
import PROJ

// The streaming CSV pieces shared by the commands: an output buffer, and the point-annotating
// pipeline of `locate` and `nearest` that reads records in blocks (``CSVRecordReader``), answers
// each block in one call and writes the rows back in input order.

// MARK: - Output

/// Bytes for standard output, gathered per batch and written in one go.
struct OutputBuffer {
    private var bytes: [UInt8] = []
    /// Room for any Double in "%.17f" (at most 309 integer digits, sign, point, 17 decimals).
    private var scratch = [CChar](repeating: 0, count: 400)

    mutating func append(_ text: Substring) { bytes.append(contentsOf: text.utf8) }
    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }
    mutating func append(_ raw: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: raw) }
    mutating func append(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }
    mutating func appendComma() { bytes.append(UInt8(ascii: ",")) }
    mutating func appendNewline() { bytes.append(UInt8(ascii: "\n")) }

    /// Appends `value` with `precision` decimals, formatted by C's `%.*f`.
    mutating func appendFixed(_ value: Double, precision: Int32) {
        let written = scratch.withUnsafeMutableBufferPointer { buffer in
            withVaList([precision, value]) { vsnprintf(buffer.baseAddress, buffer.count, "%.*f", $0) }
        }
        let length = min(Int(written), scratch.count - 1)
        scratch.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: length) {
                bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
            }
        }
    }

    mutating func writeToStandardOutput() {
        guard !bytes.isEmpty else { return }
        FileHandle.standardOutput.write(Data(bytes))
        bytes.removeAll(keepingCapacity: true)
    }
}

// MARK: - Point rows in, annotated rows out

/// What `locate` and `nearest` add to each row of a point CSV.
protocol PointAnnotator: AnyObject {
    /// Names of the added columns, appended to the header.
    var columns: [String] { get }
    /// The answers for one batch of WGS84 points.
    func annotate(longitudes: [Double], latitudes: [Double]) throws -> any PointAnnotations
}

/// A ``PointAnnotator``'s answers for one batch, written straight into the output.
protocol PointAnnotations {
    /// Appends the added fields of the batch's point `index`, joined by commas (no leading comma).
    func append(_ index: Int, to output: inout OutputBuffer)
}

/// Streams a CSV with a header through a ``PointAnnotator``: each row is written back verbatim
/// (quotes, quoted line breaks and all; the line break itself as LF), in input order, with the
/// annotator's columns appended.
///
/// The input is read in blocks of whole records (``CSVRecordReader``, RFC 4180: a quoted field
/// may span lines); each block is one batch, so that the annotator answers many points per call
/// (`locateAll`, `nearestAll`) while memory stays flat on any input size. Coordinates are found
/// by column name and, with a source CRS, transformed to WGS84 in one PROJ call per batch.
/// A bad row (too few fields, a coordinate that is not a number, a point PROJ cannot transform,
/// a quote out of place) is reported as `FILE:LINE: reason`, LINE being the line the record
/// starts on, and still written, with empty added fields, so that the output has exactly one
/// row per input row. Blank lines are dropped.
final class PointCSVStream {
    /// Column names taken for longitude / latitude (case-insensitive), first match wins.
    static let longitudeNames = ["lon", "lng", "long", "longitude", "x"]
    static let latitudeNames = ["lat", "latitude", "y"]

    struct Summary {
        var rows = 0
        var bad = 0
    }

    /// A problem that stops the stream before any row is read (exit status 2).
    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    private let reader: CSVRecordReader
    private let sourceName: String
    private let annotator: PointAnnotator
    private let transformer: Transformer?
    private let xColumn: String?, yColumn: String?
    private let emptyFields: [UInt8]
    // Reused from block to block: fresh megabytes per block cost more in page faults than
    // the work done on them.
    private var output = OutputBuffer()
    private var batch = PointBatch()
    private(set) var summary = Summary()

    /// Opens `path` ("-" for standard input). `crs` names the input's CRS (nil: WGS84
    /// longitude/latitude); `xColumn`/`yColumn` name the coordinate columns (nil: by name).
    init(path: String, crs: String?, xColumn: String?, yColumn: String?, annotator: PointAnnotator) throws {
        sourceName = path == "-" ? "<stdin>" : path
        guard let reader = CSVRecordReader(path: path) else {
            throw SetupError(description: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        self.reader = reader
        self.annotator = annotator
        self.xColumn = xColumn
        self.yColumn = yColumn
        emptyFields = Array(repeating: UInt8(ascii: ","), count: annotator.columns.count - 1)
        if let crs {
            do {
                transformer = try Transformer(from: CRSDefinition(crs), to: .wgs84, context: PROJContext())
            } catch {
                throw SetupError(description: "\(error)")
            }
        } else {
            transformer = nil
        }
    }

    /// Reads, annotates and writes every row. Throws ``SetupError`` for a missing header or
    /// coordinate column or a read error, and whatever the annotator throws.
    func run() throws {
        guard let first = try readBlock() else {
            throw SetupError(description: "\(sourceName) is empty: a header row is needed")
        }
        let header = first.records[0]
        let names = first.values(of: header)
        let x = try column(xColumn, among: Self.longitudeNames, in: names, option: "--x-column", what: "longitude or x")
        let y = try column(yColumn, among: Self.latitudeNames, in: names, option: "--y-column", what: "latitude or y")
        output.append(first.bytes(of: header))
        for name in annotator.columns {
            output.appendComma()
            output.append(name)
        }
        output.appendNewline()
        try annotate(first.records.dropFirst(), of: first, x: x, y: y)
        while let block = try readBlock() {
            try annotate(block.records[...], of: block, x: x, y: y)
        }
    }

    /// Reads the points of one block's records, then annotates and writes them as one batch.
    private func annotate(_ records: ArraySlice<CSVRecord>, of block: CSVBlock, x: Int, y: Int) throws {
        // A local batch and buffer, handed back at the end: using the stored ones in the loops
        // would cost a dynamic exclusivity check per row.
        var batch = PointBatch(), output = OutputBuffer()
        swap(&batch, &self.batch)
        swap(&output, &self.output)
        defer {
            batch.removeAll()
            swap(&batch, &self.batch)
            swap(&output, &self.output)
        }
        for record in records { consume(record, of: block, x: x, y: y, into: &batch) }
        try flush(&batch, of: block, to: &output)
    }

    private func readBlock() throws -> CSVBlock? {
        do {
            return try reader.nextBlock()
        } catch {
            throw SetupError(description: "error reading \(sourceName): \(error)")
        }
    }

    /// The position of the coordinate column: the one named by the option, else the first
    /// header name among `candidates`.
    private func column(_ named: String?, among candidates: [String], in names: [String],
                        option: String, what: String) throws -> Int {
        let lowered = names.map { $0.lowercased() }
        if let named {
            guard let index = names.firstIndex(of: named) ?? lowered.firstIndex(of: named.lowercased()) else {
                throw SetupError(description: "\(sourceName): no column '\(named)' in the header (\(names.joined(separator: ",")))")
            }
            return index
        }
        for candidate in candidates {
            if let index = lowered.firstIndex(of: candidate) { return index }
        }
        throw SetupError(description: "\(sourceName): no \(what) column in the header (\(names.joined(separator: ","))); "
            + "name one \(candidates.joined(separator: "/")) or give \(option)")
    }

    private func consume(_ record: CSVRecord, of block: CSVBlock, x: Int, y: Int, into batch: inout PointBatch) {
        let problem: String
        if let recordProblem = record.problem {
            problem = "\(recordProblem)"
        } else if record.fieldCount <= max(x, y) {
            if block.isBlank(record) { return }
            problem = "expected at least \(max(x, y) + 1) fields, found \(record.fieldCount)"
        } else if let xValue = CSVNumber.parse(block.field(x, of: record)) {
            if let yValue = CSVNumber.parse(block.field(y, of: record)) {
                batch.add(record, x: xValue, y: yValue)
                return
            }
            problem = "y is not a number: \"\(block.text(y, of: record))\""
        } else {
            problem = "x is not a number: \"\(block.text(x, of: record))\""
        }
        batch.addBad(record)
        reportBadRow(line: record.line, problem)
    }

    /// Transforms, annotates and writes the batch's rows.
    private func flush(_ batch: inout PointBatch, of block: CSVBlock, to output: inout OutputBuffer) throws {
        if let transformer, !batch.xs.isEmpty {
            let failed = Set(transformer.transform(x: &batch.xs, y: &batch.ys))
            if !failed.isEmpty {
                for row in batch.dropPoints(failed) {
                    reportBadRow(line: batch.rows[row].line, "PROJ cannot transform this point to WGS84")
                }
            }
        }
        let added = batch.xs.isEmpty ? nil : try annotator.annotate(longitudes: batch.xs, latitudes: batch.ys)
        for (row, record) in batch.rows.enumerated() {
            output.append(block.bytes(of: record))
            output.appendComma()
            let point = batch.pointOfRow[row]
            if point >= 0, let added {
                added.append(point, to: &output)
            } else {
                output.append(emptyFields)
            }
            output.appendNewline()
        }
        summary.rows += batch.rows.count
        output.writeToStandardOutput()
    }

    private func reportBadRow(line: Int, _ reason: String) {
        summary.bad += 1
        StandardError.write("\(sourceName):\(line): \(reason)")
    }
}

/// The rows of one block on their way through ``PointCSVStream``: every row to write, and the
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

    /// Empties the batch, keeping its memory for the next.
    mutating func removeAll() {
        rows.removeAll(keepingCapacity: true)
        pointOfRow.removeAll(keepingCapacity: true)
        xs.removeAll(keepingCapacity: true)
        ys.removeAll(keepingCapacity: true)
    }

    mutating func addBad(_ record: CSVRecord) {
        rows.append(record)
        pointOfRow.append(-1)
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
