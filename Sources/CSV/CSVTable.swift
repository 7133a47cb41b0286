import ByteOutput
import Foundation

/// A CSV with a header row, read a block of records at a time: the one way GridMap's commands
/// read a table (point CSVs, ledgers, stop lists, coordinate lists).
///
/// - Opening reads the header (the first record that is not a blank line, on ``headerLine``);
///   its values name the columns, found by ``column(_:named:)`` with aliases,
///   case-insensitively. A header that is malformed or not UTF-8 has its ``headerProblem``.
/// - ``nextRows()`` hands out the data records in blocks (``CSVRows``) in input order, blank
///   lines left out; a block stays valid until the next call, so memory stays at about two
///   blocks whatever the input size, and a job can answer a whole block in one call.
/// - Rows are read through the block: each field's raw bytes, its value, or a number parsed from
///   its bytes (``CSVNumber``), or all its values checked to be UTF-8
///   (``CSVRows/validatedValues(of:)``). A bad row is the caller's to judge; ``badRow(_:_:)``
///   words it as `FILE:LINE: reason`, LINE being the line the record starts on, and reading
///   goes on.
/// - Each row's original bytes can be written back with columns appended (``CSVRowWriter``).
///
/// Without a header (`hasHeader: false`) every record is a data row and ``header`` is empty.
public final class CSVTable {
    /// The input's name in messages: its path, or "<stdin>" for standard input.
    public let name: String
    /// The header's values (empty without a header).
    public let header: [String]
    /// The header record as it came (quotes and all), to be written back.
    public let headerBytes: [UInt8]
    /// The line the header starts on (blank lines before it are skipped); 0 without a header.
    public let headerLine: Int
    /// Why the header is not well-formed UTF-8 CSV (``CSVBlock/validatedValues(of:)``), or nil.
    /// ``header`` then holds what could be read (for a malformed record, its first line as one
    /// name); a reader that must not guess reports it at ``headerLine``.
    public let headerProblem: CSVRecordProblem?
    private let reader: CSVRecordReader
    /// The block that held the header, until its data rows are handed out.
    private var firstBlock: CSVBlock?
    private var firstBlockStart = 0

    /// Opens `path` ("-" for standard input) and reads its header.
    public convenience init(path: String, hasHeader: Bool = true) throws(CSVTableError) {
        guard let reader = CSVRecordReader(path: path) else {
            throw CSVTableError(.cannotOpen, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        try self.init(reader: reader, name: path == "-" ? "<stdin>" : path, hasHeader: hasHeader)
    }

    /// Reads `bytes` as a table named `name` in messages.
    public convenience init(bytes: [UInt8], name: String, hasHeader: Bool = true) throws(CSVTableError) {
        try self.init(reader: CSVRecordReader(bytes: bytes), name: name, hasHeader: hasHeader)
    }

    private init(reader: CSVRecordReader, name: String, hasHeader: Bool) throws(CSVTableError) {
        self.reader = reader
        self.name = name
        firstBlock = try Self.read(reader, name: name)
        guard hasHeader else {
            (header, headerBytes, headerLine, headerProblem) = ([], [], 0, nil)
            return
        }
        guard let first = firstBlock, let record = first.records.first(where: { !first.isBlank($0) }) else {
            throw CSVTableError(.empty, "\(name) is empty: a header row is needed")
        }
        switch first.validatedValues(of: record) {
        case .success(let values): (header, headerProblem) = (values, nil)
        case .failure(let problem): (header, headerProblem) = (first.values(of: record), problem)
        }
        headerBytes = Array(first.bytes(of: record))
        headerLine = record.line
        firstBlockStart = first.records.firstIndex { $0.line == record.line }! + 1
    }

    /// The next block of data rows (at least one), or nil at the end of the input.
    public func nextRows() throws(CSVTableError) -> CSVRows? {
        if let block = firstBlock {
            firstBlock = nil
            let rows = CSVRows(block: block, records: block.records[firstBlockStart...])
            if !rows.records.isEmpty { return rows }
        }
        while let block = try Self.read(reader, name: name) {
            let rows = CSVRows(block: block, records: block.records[...])
            if !rows.records.isEmpty { return rows }
        }
        return nil
    }

    private static func read(_ reader: CSVRecordReader, name: String) throws(CSVTableError) -> CSVBlock? {
        do {
            return try reader.nextBlock()
        } catch {
            throw CSVTableError(.unreadable, "error reading \(name): \(error)")
        }
    }

    /// The position of the column `wanted` asks for: the one `explicit` names (an option's value,
    /// matched exactly, then case-insensitively), else the first header name among its aliases
    /// (case-insensitive, aliases in their order of preference). Throws, naming the header and
    /// the accepted names, when there is none.
    public func column(_ wanted: CSVColumn, named explicit: String? = nil) throws(CSVTableError) -> Int {
        let listed = header.joined(separator: ",")
        if let explicit {
            guard let index = header.firstIndex(of: explicit)
                ?? header.firstIndex(where: { $0.lowercased() == explicit.lowercased() }) else {
                throw CSVTableError(.missingColumn, "\(name): no column '\(explicit)' in the header (\(listed))")
            }
            return index
        }
        if let index = optionalColumn(wanted) { return index }
        let accepted = wanted.aliases.joined(separator: "/")
        throw CSVTableError(.missingColumn, "\(name): no \(wanted.role) column in the header (\(listed)); "
            + "name one \(accepted)" + (wanted.option.map { " or give \($0)" } ?? ""))
    }

    /// The position of the first header name among `wanted`'s aliases, or nil (a column that
    /// may be absent).
    public func optionalColumn(_ wanted: CSVColumn) -> Int? {
        let lowered = header.map { $0.lowercased() }
        for alias in wanted.aliases {
            if let index = lowered.firstIndex(of: alias.lowercased()) { return index }
        }
        return nil
    }

    /// `reason` about `record`, worded `FILE:LINE: reason`.
    public func badRow(_ record: CSVRecord, _ reason: String) -> CSVBadRow {
        CSVBadRow(source: name, line: record.line, reason: reason)
    }
}

/// A column a reader looks for: its role in messages, the header names it goes by, and the option
/// that names it instead.
public struct CSVColumn: Sendable, Hashable {
    /// What the column holds, for messages ("longitude or x", "address").
    public var role: String
    /// Header names taken for it, case-insensitively, the first found winning.
    public var aliases: [String]
    /// The command-line option that names the column explicitly ("--x-column"), for messages.
    public var option: String?

    public init(_ role: String, aliases: [String], option: String? = nil) {
        (self.role, self.aliases, self.option) = (role, aliases, option)
    }

    /// Longitude (WGS84) or easting.
    public static let longitude = CSVColumn("longitude or x", aliases: ["lon", "lng", "long", "longitude", "x"], option: "--x-column")
    /// Latitude (WGS84) or northing.
    public static let latitude = CSVColumn("latitude or y", aliases: ["lat", "latitude", "y"], option: "--y-column")
}

/// Why a table cannot be read at all (a bad row is a ``CSVBadRow`` instead).
public struct CSVTableError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case cannotOpen, empty, unreadable, missingColumn
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) { (self.kind, self.message) = (kind, message) }

    public var description: String { message }
}

/// A row that could not be used, and why: `FILE:LINE: reason`, LINE being the line the record
/// starts on.
public struct CSVBadRow: Sendable, Hashable, CustomStringConvertible {
    public var source: String
    public var line: Int
    public var reason: String

    public init(source: String, line: Int, reason: String) { (self.source, self.line, self.reason) = (source, line, reason) }

    public var description: String { "\(source):\(line): \(reason)" }
}

/// One block of a ``CSVTable``'s data rows, valid until the table's next ``CSVTable/nextRows()``:
/// the records (blank lines left out) and typed access to their fields.
public struct CSVRows {
    public let block: CSVBlock
    /// The data records of the block, in input order. A record with a ``CSVRecord/problem``
    /// (a quote out of place) is its first line alone, as one field.
    public let records: [CSVRecord]

    init(block: CSVBlock, records: ArraySlice<CSVRecord>) {
        self.block = block
        self.records = records.filter { !block.isBlank($0) }
    }

    /// Why `record` cannot give fields up to `column` (from 0): its own problem, or too few
    /// fields; nil when it can.
    public func problem(_ record: CSVRecord, reaching column: Int) -> String? {
        if let problem = record.problem { return problem.description }
        guard record.fieldCount > column else { return "expected at least \(column + 1) fields, found \(record.fieldCount)" }
        return nil
    }

    /// The finite number in field `column` of `record` (see ``CSVNumber/parse(_:)``), or nil.
    @inlinable public func number(_ column: Int, of record: CSVRecord) -> Double? {
        CSVNumber.parse(block.field(column, of: record))
    }

    /// Field `column` of `record` as a value (quotes removed, spaces around it trimmed).
    public func value(_ column: Int, of record: CSVRecord) -> String { block.value(column, of: record) }

    /// Every field of `record` as a value, or its problem: a quote out of place, or the first
    /// field that is not UTF-8 (see ``CSVBlock/validatedValues(of:)``).
    public func validatedValues(of record: CSVRecord) -> Result<[String], CSVRecordProblem> {
        block.validatedValues(of: record)
    }

    /// Field `column` of `record` as it was written (quotes included), for messages.
    public func text(_ column: Int, of record: CSVRecord) -> String { block.text(column, of: record) }

    /// The raw bytes of `record`, as it came.
    @inlinable public func bytes(of record: CSVRecord) -> UnsafeBufferPointer<UInt8> { block.bytes(of: record) }
}

/// Writes a table's rows back, each as it came with columns appended, into an ``OutputBuffer``
/// that is flushed to a checked ``ByteSink`` once per block.
///
/// Copying a row is one `memcpy` of its bytes (quotes and quoted line breaks kept; the line
/// break written as LF), so a pass-through stream costs little more than reading.
public final class CSVRowWriter {
    /// Where the current block's rows are gathered; append the added fields here.
    public let output = OutputBuffer(capacity: 1 << 21)
    private let sink: any ByteSink
    /// How many fields the header has (0 without one), so that a malformed row is written with
    /// as many.
    @usableFromInline var headerFields = 0

    public init(sink: any ByteSink) { self.sink = sink }

    /// The header as it came, `columns` appended (escaped as CSV fields), and a line break.
    public func writeHeader(of table: CSVTable, appending columns: [String]) {
        headerFields = table.header.count
        output.append(table.headerBytes)
        for column in columns {
            output.append(UInt8(ascii: ","))
            output.append(utf8: CSVField.escaped(column))
        }
        output.append(UInt8(ascii: "\n"))
    }

    /// Starts a row: `record`'s bytes and, when `appending`, the comma before the added fields.
    ///
    /// A malformed record (a quote out of place: its first line alone) is not copied as it came:
    /// an unbalanced quote would swallow the rows after it for whoever reads the output. Its line
    /// becomes one quoted field, padded with empty fields to the header's count, so the output
    /// stays well-formed and the added columns (a reason, say) stay in their place; a line too
    /// long to read becomes an empty quoted field, padded the same way, so that no row vanishes.
    @inlinable public func copy(_ record: CSVRecord, of rows: CSVRows, appending: Bool = true) {
        if _slowPath(record.problem?.isMalformed == true) {
            copyMalformed(rows.bytes(of: record))
        } else {
            output.append(rows.bytes(of: record))
        }
        if appending { output.append(UInt8(ascii: ",")) }
    }

    @usableFromInline func copyMalformed(_ bytes: UnsafeBufferPointer<UInt8>) {
        let quote = UInt8(ascii: "\"")
        output.append(quote)
        for byte in bytes {
            output.append(byte)
            if byte == quote { output.append(quote) }
        }
        output.append(quote)
        for _ in 1..<max(headerFields, 1) { output.append(UInt8(ascii: ",")) }
    }

    /// Ends a row.
    @inlinable public func endRow() { output.append(UInt8(ascii: "\n")) }

    /// Sends what was gathered to the sink.
    public func flush() throws(OutputError) { try output.flush(to: sink) }
}
