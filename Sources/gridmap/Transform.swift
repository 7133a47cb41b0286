import ArgumentParser
import CSV
import Foundation
import PROJ

/// `gridmap transform`: CSV points from one CRS to another, streamed in blocks of records
/// through `Transformer.transform(x:y:)` (one `proj_trans_generic` call per block).
struct Transform: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Transform CSV points between coordinate reference systems.",
        discussion: """
            Reads rows "x,y[,rest...]" from FILE (or standard input when FILE is absent or "-") \
            and writes each row with x and y transformed and the rest of the row untouched. \
            Coordinates are always (longitude, latitude) in degrees or (easting, northing) in \
            metres, whatever axis order the CRS declares. A CRS is an authority code \
            (EPSG:4326), WKT or a PROJ string with +type=crs.

            If the first line's x or y is not a number it is a header and is copied through. \
            A bad row (not a number, fewer than two columns, or a point PROJ cannot transform) \
            is reported on standard error as FILE:LINE: reason and skipped; the other rows go \
            on. Exit status: 0 when every row was transformed, 1 when some row was bad, 2 when \
            nothing could start (unknown CRS, unreadable file).

            Output has 7 decimals for a geographic target and 3 (millimetres) for a projected \
            one, unless --precision says otherwise.

            Examples:
              echo "119.8,35.9" | gridmap transform --from EPSG:4326 --to EPSG:4549
                481944.512,3974465.341
              gridmap transform --from EPSG:4549 --to EPSG:4326 --precision 6 wells.csv > wells-wgs84.csv
            """)

    @Option(help: ArgumentHelp("Source CRS, e.g. EPSG:4326.", valueName: "crs"))
    var from: String

    @Option(help: ArgumentHelp("Target CRS, e.g. EPSG:4549.", valueName: "crs"))
    var to: String

    @Option(help: ArgumentHelp(
        "Decimals written for x and y (default: 7 for a geographic target, 3 for a projected one).",
        valueName: "n"))
    var precision: Int?

    @Argument(help: ArgumentHelp("CSV file to read; standard input when absent or \"-\".", valueName: "file"))
    var file: String?

    func validate() throws {
        if let precision, !(0...17).contains(precision) {
            throw ValidationError("--precision must be between 0 and 17, got \(precision).")
        }
    }

    func run() throws {
        let transformer: Transformer
        do {
            transformer = try Transformer(from: CRSDefinition(from), to: CRSDefinition(to), context: PROJContext())
        } catch {
            StandardError.write("gridmap transform: \(error)")
            throw ExitCode(2)
        }
        let path = file ?? "-"
        let displayName = path == "-" ? "<stdin>" : path
        guard let reader = CSVRecordReader(path: path) else {
            StandardError.write("gridmap transform: cannot open \(path): \(String(cString: strerror(errno)))")
            throw ExitCode(2)
        }
        let converter = CSVPointConverter(
            transformer: transformer, sourceName: displayName,
            precision: precision ?? (transformer.targetIsGeographic ? 7 : 3))
        do {
            while let block = try reader.nextBlock() { converter.consume(block) }
        } catch {
            StandardError.write("gridmap transform: error reading \(displayName): \(error)")
            throw ExitCode(2)
        }
        if converter.badRowCount > 0 { throw ExitCode(1) }
    }
}

// MARK: - Records to output

/// Parses rows, transforms each block of records in one call and writes it out. Bad rows are
/// reported as "FILE:LINE: reason" (LINE being the line the record starts on) and skipped.
private final class CSVPointConverter {
    private let transformer: Transformer
    private let sourceName: String
    private let precision: Int32
    private(set) var badRowCount = 0

    // The block's good rows: coordinates and records, reused from block to block.
    private var xs: [Double] = []
    private var ys: [Double] = []
    private var rows: [CSVRecord] = []
    private var output = OutputBuffer()

    init(transformer: Transformer, sourceName: String, precision: Int) {
        self.transformer = transformer
        self.sourceName = sourceName
        self.precision = Int32(precision)
    }

    /// Transforms and writes one block of records (a header on line 1 included).
    func consume(_ block: CSVBlock) {
        for record in block.records where !block.isBlank(record) {
            switch CSVPointRow.parse(record, of: block) {
            case .failure(let problem):
                if record.line == 1, problem.isNonNumeric {
                    output.append(block.bytes(of: record))  // a header
                    output.appendNewline()
                    continue
                }
                reportBadRow(line: record.line, problem.description)
            case .success(let row):
                xs.append(row.x)
                ys.append(row.y)
                rows.append(record)
            }
        }
        if !xs.isEmpty { transformRows(of: block) }
        output.writeToStandardOutput()
    }

    private func transformRows(of block: CSVBlock) {
        let originalX = xs, originalY = ys
        let failed = transformer.transform(x: &xs, y: &ys)
        var failures = failed.makeIterator()
        var nextFailure = failures.next()
        for (index, record) in rows.enumerated() {
            if index == nextFailure {
                nextFailure = failures.next()
                reportBadRow(
                    line: record.line,
                    "cannot transform (\(originalX[index]), \(originalY[index])): "
                        + reasonForFailure(x: originalX[index], y: originalY[index]))
                continue
            }
            output.appendFixed(xs[index], precision: precision)
            output.appendComma()
            output.appendFixed(ys[index], precision: precision)
            if record.fieldCount > 2 {
                output.appendComma()
                output.append(block.fields(from: 2, of: record))
            }
            output.appendNewline()
        }
        xs.removeAll(keepingCapacity: true)
        ys.removeAll(keepingCapacity: true)
        rows.removeAll(keepingCapacity: true)
    }

    /// PROJ's reason why (x, y) failed: the batch call only marks failures, so the point is
    /// tried again alone (`proj_trans`), which throws with PROJ's message.
    private func reasonForFailure(x: Double, y: Double) -> String {
        do {
            _ = try transformer.forward(x: x, y: y)
            return "PROJ cannot transform it"
        } catch let PROJError.transformFailed(_, _, message) {
            return message
        } catch {
            return "\(error)"
        }
    }

    private func reportBadRow(line: Int, _ reason: String) {
        badRowCount += 1
        StandardError.write("\(sourceName):\(line): \(reason)")
    }
}

/// The point of one CSV record: x and y from its first two fields.
private struct CSVPointRow {
    var x: Double
    var y: Double

    /// Why a record is not a point row.
    enum Problem: Error, CustomStringConvertible {
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

    static func parse(_ record: CSVRecord, of block: CSVBlock) -> Result<CSVPointRow, Problem> {
        if let problem = record.problem { return .failure(.malformed(problem)) }
        guard record.fieldCount >= 2 else { return .failure(.tooFewColumns) }
        guard let x = CSVNumber.parse(block.field(0, of: record)) else {
            return .failure(.notANumber(column: "x", text: block.text(0, of: record)))
        }
        guard let y = CSVNumber.parse(block.field(1, of: record)) else {
            return .failure(.notANumber(column: "y", text: block.text(1, of: record)))
        }
        return .success(CSVPointRow(x: x, y: y))
    }
}
