import ArgumentParser
import Foundation
import PROJ

// The streaming CSV pieces shared by `transform`, `assign`, `tour`, `locate` and `nearest`: a
// line reader, field splitting and number parsing, an output buffer, and the point-annotating
// pipeline that reads records in blocks (``CSVRecordReader``), answers each block in one call
// and writes the rows back in input order.

// MARK: - Fields

/// Splitting one CSV line into fields and reading numbers out of them.
enum CSVField {
    /// The fields of one line, quote-aware (RFC 4180 on a single line: a comma inside double
    /// quotes does not split, `""` is a quote). Ranges cover the raw text, quotes included, so
    /// the line can be written back exactly as it came. A quoted field spanning lines is not
    /// supported by line streaming: its line is split as if the quote closed at the line end.
    static func split(_ line: Substring) -> [Substring] {
        // Byte by byte: commas and quotes are ASCII, so they never occur inside a UTF-8
        // sequence, and walking bytes avoids Character (grapheme) iteration, the hot spot of a
        // million-row file.
        var fields: [Substring] = []
        let bytes = line.utf8
        var start = bytes.startIndex
        var inQuotes = false
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()  // a doubled quote toggles twice and stays inside
            } else if byte == UInt8(ascii: ","), !inQuotes {
                fields.append(line[start..<index])
                start = bytes.index(after: index)
            }
            bytes.formIndex(after: &index)
        }
        fields.append(line[start...])
        return fields
    }

    /// A field's value: surrounding spaces trimmed, and the quotes of a quoted field removed
    /// with its inner `""` made `"`.
    static func value(_ field: Substring) -> String {
        let trimmed = field.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 2, trimmed.hasPrefix("\""), trimmed.hasSuffix("\"") else { return trimmed }
        return String(trimmed.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
    }

    /// A finite decimal number, spaces around it allowed; "nan" and "inf" are not coordinates.
    static func number(_ text: Substring) -> Double? {
        // The common case first: a bare number, parsed without making a trimmed copy.
        if let value = Double(text) { return value.isFinite ? value : nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let value = Double(trimmed), value.isFinite else { return nil }
        return value
    }

    /// `text` as a CSV field: quoted when it holds a comma, a quote or a line break.
    static func escaped(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

// MARK: - Input and output

/// Reads a file (or standard input for "-") line by line with `getline`, so input of any size
/// streams through a single reused buffer. Owns the `FILE*` and the buffer.
final class LineReader {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0
    /// Set when reading stopped on an I/O error rather than at end of file.
    private(set) var readError: String?

    /// Opens `path` for reading (`fopen`; `fdopen` of descriptor 0 for "-"); nil with `errno`
    /// set when it cannot.
    init?(path: String) {
        guard let file = path == "-" ? fdopen(STDIN_FILENO, "r") : fopen(path, "r") else { return nil }
        self.file = file
    }

    deinit {
        free(buffer)
        fclose(file)
    }

    /// The next line without "\n" or "\r\n", or nil at end of input.
    func next() -> String? {
        let length = getline(&buffer, &capacity, file)
        guard length >= 0, let buffer else {
            if ferror(file) != 0 { readError = String(cString: strerror(errno)) }
            return nil
        }
        var count = length
        if count > 0, buffer[count - 1] == 0x0A { count -= 1 }
        if count > 0, buffer[count - 1] == 0x0D { count -= 1 }
        return buffer.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }
}

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
                transformer = try Transformer(from: crs, to: "EPSG:4326", context: PROJContext())
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
        let names = (0..<header.fields.count).map { CSVField.value(Substring(first.text($0, of: header))) }
        let x = try column(xColumn, among: Self.longitudeNames, in: names, option: "--x-column", what: "longitude or x")
        let y = try column(yColumn, among: Self.latitudeNames, in: names, option: "--y-column", what: "latitude or y")
        output.append(first.bytes(header.bytes))
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
        } else if record.fields.count <= max(x, y) {
            if record.fields.count == 1, Self.isBlank(block.bytes(record.bytes)) { return }
            problem = "expected at least \(max(x, y) + 1) fields, found \(record.fields.count)"
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

    /// A record of nothing but spaces: a blank line, dropped.
    private static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            || String(decoding: bytes, as: UTF8.self).allSatisfy(\.isWhitespace)
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
            output.append(block.bytes(record.bytes))
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
