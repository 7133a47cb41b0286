import ArgumentParser
import Foundation
import PROJ

/// `gridmap transform`: CSV points from one CRS to another, streamed, in batches through
/// `Transformer.transform(x:y:)` (one `proj_trans_generic` call per batch).
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
            transformer = try Transformer(from: from, to: to, context: PROJContext())
        } catch {
            StandardError.write("gridmap transform: \(error)")
            throw ExitCode(2)
        }
        let path = file ?? "-"
        let displayName = path == "-" ? "<stdin>" : path
        guard let lines = LineReader(path: path) else {
            StandardError.write("gridmap transform: cannot open \(path): \(String(cString: strerror(errno)))")
            throw ExitCode(2)
        }
        let converter = CSVPointConverter(
            transformer: transformer, sourceName: displayName,
            precision: precision ?? (transformer.targetIsGeographic ? 7 : 3))
        while let line = lines.next() {
            converter.consume(line)
        }
        converter.finish()
        if let readError = lines.readError {
            StandardError.write("gridmap transform: error reading \(displayName): \(readError)")
            throw ExitCode(2)
        }
        if converter.badRowCount > 0 { throw ExitCode(1) }
    }
}

// MARK: - Rows to batches to output

/// Parses rows, gathers them into batches, transforms each batch in one call and writes it out.
/// Bad rows are reported as "FILE:LINE: reason" and skipped.
private final class CSVPointConverter {
    /// Rows per `proj_trans_generic` call: large enough to amortise the call, small enough to
    /// keep memory flat on any input size.
    static let batchSize = 65_536

    private let transformer: Transformer
    private let sourceName: String
    private let precision: Int32
    private(set) var badRowCount = 0
    private var lineNumber = 0

    // The pending batch: coordinates, and per row its line number and the untouched rest
    // (starting with its comma, or empty).
    private var xs: [Double] = []
    private var ys: [Double] = []
    private var lineNumbers: [Int] = []
    private var rests: [Substring] = []
    private var output = OutputBuffer()

    init(transformer: Transformer, sourceName: String, precision: Int) {
        self.transformer = transformer
        self.sourceName = sourceName
        self.precision = Int32(precision)
        xs.reserveCapacity(Self.batchSize)
        ys.reserveCapacity(Self.batchSize)
        lineNumbers.reserveCapacity(Self.batchSize)
        rests.reserveCapacity(Self.batchSize)
    }

    /// Takes one input line (without its line terminator).
    func consume(_ rawLine: String) {
        lineNumber += 1
        var line = Substring(rawLine)
        if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }  // UTF-8 byte order mark
        if line.allSatisfy(\.isWhitespace) { return }  // blank lines carry no point

        switch CSVPointRow.parse(line) {
        case .failure(let problem):
            if lineNumber == 1, problem.isNonNumeric {
                output.append(line)  // a header
                output.appendNewline()
                return
            }
            reportBadRow(line: lineNumber, problem.description)
        case .success(let row):
            xs.append(row.x)
            ys.append(row.y)
            lineNumbers.append(lineNumber)
            rests.append(row.rest)
            if xs.count == Self.batchSize { flush() }
        }
    }

    /// Transforms and writes whatever is still pending.
    func finish() {
        flush()
    }

    /// Transforms the pending rows in one batch call, formats them, and writes out everything
    /// gathered so far (a header included).
    private func flush() {
        if !xs.isEmpty { transformPendingRows() }
        output.writeToStandardOutput()
    }

    private func transformPendingRows() {
        let originalX = xs, originalY = ys
        let failed = transformer.transform(x: &xs, y: &ys)
        var failures = failed.makeIterator()
        var nextFailure = failures.next()
        for index in xs.indices {
            if index == nextFailure {
                nextFailure = failures.next()
                reportBadRow(
                    line: lineNumbers[index],
                    "cannot transform (\(originalX[index]), \(originalY[index])): "
                        + reasonForFailure(x: originalX[index], y: originalY[index]))
                continue
            }
            output.appendFixed(xs[index], precision: precision)
            output.appendComma()
            output.appendFixed(ys[index], precision: precision)
            output.append(rests[index])
            output.appendNewline()
        }
        xs.removeAll(keepingCapacity: true)
        ys.removeAll(keepingCapacity: true)
        lineNumbers.removeAll(keepingCapacity: true)
        rests.removeAll(keepingCapacity: true)
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

/// One parsed CSV row: x and y from the first two columns, the rest kept verbatim.
private struct CSVPointRow {
    var x: Double
    var y: Double
    /// Everything after y, starting with its comma, or empty.
    var rest: Substring

    /// Why a line is not a point row.
    enum Problem: Error, CustomStringConvertible {
        case tooFewColumns
        case notANumber(column: String, text: Substring)

        /// A first line with this problem is taken for a header.
        var isNonNumeric: Bool {
            if case .notANumber = self { true } else { false }
        }

        var description: String {
            switch self {
            case .tooFewColumns: "expected x,y but found a single column"
            case let .notANumber(column, text): "\(column) is not a number: \"\(text)\""
            }
        }
    }

    static func parse(_ line: Substring) -> Result<CSVPointRow, Problem> {
        guard let firstComma = line.firstIndex(of: ",") else { return .failure(.tooFewColumns) }
        let afterX = line.index(after: firstComma)
        let secondComma = line[afterX...].firstIndex(of: ",") ?? line.endIndex
        let xText = line[..<firstComma], yText = line[afterX..<secondComma]
        guard let x = CSVField.number(xText) else { return .failure(.notANumber(column: "x", text: xText)) }
        guard let y = CSVField.number(yText) else { return .failure(.notANumber(column: "y", text: yText)) }
        return .success(CSVPointRow(x: x, y: y, rest: line[secondComma...]))
    }
}
