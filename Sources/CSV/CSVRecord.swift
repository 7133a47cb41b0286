/// One CSV record found by ``CSVRecordReader``: where its bytes and fields lie in its block,
/// and the line it starts on.
public struct CSVRecord: Sendable {
    /// The record's bytes in its block, its line break left out; quoted line breaks kept.
    public var bytes: Range<Int>
    /// The line the record starts on (1 for the first line of the input).
    public var line: Int
    /// The record's fields, as indices into the block's field bounds.
    @usableFromInline var fields: Range<Int>
    /// Set when the record is not well-formed CSV (the record is then its first line only, as
    /// one field; no bytes at all for a line too long to keep), or when it is too long to use
    /// (``CSVRecordProblem/fieldTooLong(field:)``: its fields are kept as read).
    public var problem: CSVRecordProblem?

    /// How many fields the record has (at least one: an empty line is one empty field).
    @inlinable public var fieldCount: Int { fields.count }
}

/// Why a record is not well-formed. The reader then takes the record's first line alone as the
/// record and reads on from the next line, so that one stray quote costs one line, not the file.
public enum CSVRecordProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// A quoted field was still open at the end of the input.
    case unclosedQuote
    /// A quoted field opened on the record's first line was still open, across lines, after
    /// ``CSVRecordReader/maximumRecordBytes``.
    case quotedFieldTooLong
    /// The record's first line is longer than ``CSVRecordReader/maximumRecordBytes``: it is
    /// passed over unread, and the record has no bytes.
    case recordTooLong
    /// Field `field` (from 1) is longer than ``CSVRecordReader/maximumFieldBytes``; the record is
    /// otherwise well-formed.
    case fieldTooLong(field: Int)
    /// A quote inside a quoted field that is neither doubled (`""`) nor the closing quote, or
    /// text after the closing quote.
    case strayQuote
    /// Field `field` (from 1) is not UTF-8; reported only by a reader that validates every
    /// field (``CSVBlock/validatedValues(of:)``).
    case invalidUTF8(field: Int)

    public var description: String {
        switch self {
        case .unclosedQuote: "a quoted field opened on this line is not closed by the end of the input"
        case .quotedFieldTooLong:
            "a quoted field opened on this line is still open after \(CSVRecordReader.maximumRecordBytes >> 20) MiB"
        case .recordTooLong:
            "the line is longer than \(CSVRecordReader.maximumRecordBytes >> 20) MiB, the longest record read; it was passed over"
        case .fieldTooLong(let field):
            "field \(field) is longer than \(CSVRecordReader.maximumFieldBytes >> 10) KiB, the longest field read"
        case .strayQuote:
            "a quoted field opened on this line holds a quote that is not doubled (\"\"), or text after the closing quote"
        case .invalidUTF8(let field): "field \(field) is not valid UTF-8"
        }
    }

    /// Whether the record is not well-formed CSV and so is its first line alone (or nothing, for
    /// a line too long to keep); written back as it came, it could swallow the rows after it.
    public var isMalformed: Bool {
        switch self {
        case .unclosedQuote, .quotedFieldTooLong, .strayQuote, .recordTooLong: true
        case .fieldTooLong, .invalidUTF8: false
        }
    }
}

/// A block of whole records read by ``CSVRecordReader``, valid until its next read.
public struct CSVBlock {
    /// The records, in input order.
    public let records: [CSVRecord]
    /// Each field's bytes in the block (its raw text, quotes and spaces included).
    @usableFromInline let fieldBounds: [Range<Int>]
    @usableFromInline let base: UnsafePointer<UInt8>

    init(records: [CSVRecord], fieldBounds: [Range<Int>], base: UnsafePointer<UInt8>) {
        (self.records, self.fieldBounds, self.base) = (records, fieldBounds, base)
    }

    /// The raw bytes of `record`, as it came (written back, it is the same record).
    @inlinable public func bytes(of record: CSVRecord) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + record.bytes.lowerBound, count: record.bytes.count)
    }

    /// The raw bytes of field `index` (from 0) of `record`: quotes and spaces included.
    @inlinable public func field(_ index: Int, of record: CSVRecord) -> UnsafeBufferPointer<UInt8> {
        let range = fieldBounds[record.fields.lowerBound + index]
        return UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// The raw bytes of `record` from the start of field `index` to the record's end.
    public func fields(from index: Int, of record: CSVRecord) -> UnsafeBufferPointer<UInt8> {
        let start = fieldBounds[record.fields.lowerBound + index].lowerBound
        return UnsafeBufferPointer(start: base + start, count: record.bytes.upperBound - start)
    }

    /// Field `index` of `record` as it was written (quotes included), for messages.
    public func text(_ index: Int, of record: CSVRecord) -> String {
        String(decoding: field(index, of: record), as: UTF8.self)
    }

    /// Field `index` of `record` as a value: spaces around it trimmed, and a quoted field's
    /// quotes removed with its `""` made `"` (see ``CSVField/value(_:)``).
    public func value(_ index: Int, of record: CSVRecord) -> String {
        CSVField.value(field(index, of: record))
    }

    /// Every field of `record` as a value (``value(_:of:)``).
    public func values(of record: CSVRecord) -> [String] {
        (0..<record.fieldCount).map { value($0, of: record) }
    }

    /// Every field of `record` as a value (``CSVField/validatedValue(_:)``), or why not: the
    /// record's own ``CSVRecord/problem``, else the first field that is not UTF-8.
    public func validatedValues(of record: CSVRecord) -> Result<[String], CSVRecordProblem> {
        if let problem = record.problem { return .failure(problem) }
        var values: [String] = []
        values.reserveCapacity(record.fieldCount)
        for index in 0..<record.fieldCount {
            guard let value = CSVField.validatedValue(field(index, of: record)) else {
                return .failure(.invalidUTF8(field: index + 1))
            }
            values.append(value)
        }
        return .success(values)
    }

    /// Whether `record` is a blank line (nothing but white space), which readers skip.
    public func isBlank(_ record: CSVRecord) -> Bool {
        record.problem == nil && record.fieldCount == 1 && CSVField.isBlank(bytes(of: record))
    }
}
