import Foundation

/// A block of whole records read by ``CSVRecordReader``, valid until its next read.
struct CSVBlock {
    /// The records, in input order.
    let records: [CSVRecord]
    /// Each field's bytes in the block (its raw text, quotes and spaces included).
    let fieldBounds: [Range<Int>]
    fileprivate let base: UnsafePointer<UInt8>

    /// The bytes of `range` in the block.
    func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// The raw bytes of field `index` (from 0) of `record`.
    func field(_ index: Int, of record: CSVRecord) -> UnsafeBufferPointer<UInt8> {
        bytes(fieldBounds[record.fields.lowerBound + index])
    }

    /// Field `index` of `record` as text, for messages and headers.
    func text(_ index: Int, of record: CSVRecord) -> String {
        String(decoding: field(index, of: record), as: UTF8.self)
    }
}

/// One CSV record found by ``CSVRecordReader``: where its bytes and fields lie in its block,
/// and the line it starts on.
struct CSVRecord {
    /// The record's bytes in the block, its line break left out; quoted line breaks kept.
    var bytes: Range<Int>
    /// The line the record starts on (1 for the first line of the input).
    var line: Int
    /// The record's fields, as indices into ``CSVBlock/fieldBounds``.
    var fields: Range<Int>
    /// Set when the record is not well-formed CSV; the record is then its first line only.
    var problem: CSVRecordProblem?
}

/// Why a record is not well-formed. The reader then takes the record's first line alone as the
/// record and reads on from the next line, so that one stray quote costs one row, not the file.
enum CSVRecordProblem: CustomStringConvertible {
    /// A quoted field was still open at the end of the input.
    case unclosedQuote
    /// A quoted field was still open after ``CSVRecordReader/maximumQuotedBytes``.
    case quotedFieldTooLong
    /// A quote inside a quoted field that is neither doubled (`""`) nor the closing quote.
    case strayQuote

    var description: String {
        switch self {
        case .unclosedQuote: "a quoted field opened on this line is not closed by the end of the input"
        case .quotedFieldTooLong:
            "a quoted field opened on this line is still open after \(CSVRecordReader.maximumQuotedBytes >> 20) MiB"
        case .strayQuote:
            "a quoted field opened on this line holds a quote that is not doubled (\"\") and does not end the field"
        }
    }
}

/// Reads CSV (RFC 4180) from a file or standard input as bytes, a large block at a time, and
/// splits each block into whole records and fields in one pass, with no `String` per line.
///
/// - A field that starts with a double quote (after optional spaces) is quoted: commas and line
///   breaks inside it belong to the field and `""` is a quote. A quote in an unquoted field is
///   an ordinary character.
/// - Records end at LF or CRLF. A record spanning lines keeps its inner line breaks as they
///   are and reports the line it starts on.
/// - A UTF-8 byte order mark at the start of the input is skipped.
///
/// A block stays valid until the next ``nextBlock()``; memory stays at about two blocks
/// whatever the input size.
final class CSVRecordReader {
    /// Bytes asked of the input per block.
    static let blockSize = 1 << 20
    /// A quoted field spanning lines longer than this is taken to be a quote never closed (and
    /// memory stays bounded).
    static let maximumQuotedBytes = 1 << 20

    private let descriptor: Int32
    private let closesDescriptor: Bool
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes held in `storage`; those before `consumed` belong to records already handed out.
    private var filled = 0, consumed = 0
    private var atEndOfInput = false
    private var startsInput = true
    /// The line of the first byte not yet in a record.
    private var nextLine = 1

    // The records and fields found in the current block (see ``CSVBlock``).
    private var records: [CSVRecord] = []
    private var fieldBounds: [Range<Int>] = []

    /// Opens `path` ("-" for standard input); nil with `errno` set when it cannot.
    init?(path: String) {
        if path == "-" {
            (descriptor, closesDescriptor) = (STDIN_FILENO, false)
        } else {
            let opened = open(path, O_RDONLY)
            guard opened >= 0 else { return nil }
            (descriptor, closesDescriptor) = (opened, true)
        }
        capacity = 2 * Self.blockSize
        storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deallocate()
        if closesDescriptor { close(descriptor) }
    }

    /// The next block of whole records (at least one), or nil at the end of the input. Throws
    /// ``ReadError`` when reading fails.
    func nextBlock() throws -> CSVBlock? {
        records.removeAll(keepingCapacity: true)
        fieldBounds.removeAll(keepingCapacity: true)
        // The unfinished record at the end of the last block moves to the front.
        filled -= consumed
        if filled > 0, consumed > 0 { storage.update(from: storage + consumed, count: filled) }
        consumed = 0
        while records.isEmpty {
            if atEndOfInput, consumed == filled { return nil }
            if !atEndOfInput { try read() }
            consumed = split(from: consumed)
        }
        return CSVBlock(records: records, fieldBounds: fieldBounds, base: storage)
    }

    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    /// Adds at least a block of input after `filled` (less only at the end of the input).
    private func read() throws {
        if capacity - filled < Self.blockSize {
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(2 * capacity, filled + Self.blockSize))
            larger.update(from: storage, count: filled)
            storage.deallocate()
            (storage, capacity) = (larger, max(2 * capacity, filled + Self.blockSize))
        }
        let goal = filled + Self.blockSize
        while filled < goal {
            let count = Foundation.read(descriptor, storage + filled, goal - filled)
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(description: String(cString: strerror(errno)))
            }
            if count == 0 {
                atEndOfInput = true
                break
            }
            filled += count
        }
        if startsInput, filled >= 3, storage[0] == 0xEF, storage[1] == 0xBB, storage[2] == 0xBF {
            consumed = 3
        }
        startsInput = false
    }

    /// Splits the records that are whole in `start..<filled` (the last one also when the input
    /// has ended) and returns where the first unfinished record begins.
    private func split(from start: Int) -> Int {
        // Local arrays, handed back at the end: appending to a class's stored array costs a
        // dynamic exclusivity check per call, a sixth of the time on a million rows.
        var records: [CSVRecord] = [], fieldBounds: [Range<Int>] = []
        swap(&records, &self.records)
        swap(&fieldBounds, &self.fieldBounds)
        defer {
            swap(&records, &self.records)
            swap(&fieldBounds, &self.fieldBounds)
        }
        let bytes = UnsafeBufferPointer(start: storage, count: filled)
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        var recordStart = start
        while recordStart < filled {
            let line = nextLine
            let firstField = fieldBounds.count
            var fieldStart = recordStart
            var linesInside = 0
            var index = recordStart
            var inQuotes = false
            var problem: CSVRecordProblem?
            // One pass over the record, field by field; `index` ends on the record's line break
            // or at `filled` (the input's end, or more input needed).
            fields: while true {
                while index < filled, bytes[index] == space || bytes[index] == tab { index += 1 }
                if index < filled, bytes[index] == quote {
                    index += 1
                    inQuotes = true
                    quoted: while index < filled {
                        let byte = bytes[index]
                        index += 1
                        if byte == newline {
                            linesInside += 1
                            if index - recordStart > Self.maximumQuotedBytes {
                                problem = .quotedFieldTooLong
                                break fields
                            }
                        } else if byte == quote {
                            // `""` is a quote, unless the input may go on with the second one.
                            if index == filled {
                                if atEndOfInput { inQuotes = false }
                                break quoted
                            }
                            if bytes[index] == quote {
                                index += 1
                                continue quoted
                            }
                            // The closing quote: only spaces may come before the separator.
                            inQuotes = false
                            while index < filled, bytes[index] == space || bytes[index] == tab || bytes[index] == carriageReturn {
                                index += 1
                            }
                            if index < filled, bytes[index] != comma, bytes[index] != newline {
                                problem = .strayQuote
                                break fields
                            }
                            break quoted
                        }
                    }
                    if inQuotes { break fields }
                } else {
                    while index < filled, bytes[index] != comma, bytes[index] != newline { index += 1 }
                }
                if index < filled, bytes[index] == comma {
                    fieldBounds.append(fieldStart..<index)
                    index += 1
                    fieldStart = index
                    continue fields
                }
                // At the line break (or the end of the input): a CR before LF is not data.
                let fieldEnd = index > fieldStart && bytes[index - 1] == carriageReturn ? index - 1 : index
                fieldBounds.append(fieldStart..<fieldEnd)
                break fields
            }
            if problem == nil, index >= filled {
                // Out of input within the record: wait for more, or at the end, a quote is open.
                guard atEndOfInput else {
                    fieldBounds.removeSubrange(firstField...)
                    return recordStart
                }
                if inQuotes { problem = .unclosedQuote }
            }
            if let problem {
                // The record is its first line alone; reading goes on from the next line.
                fieldBounds.removeSubrange(firstField...)
                var lineEnd = recordStart
                while lineEnd < filled, bytes[lineEnd] != newline { lineEnd += 1 }
                if lineEnd == filled, !atEndOfInput { return recordStart }
                let textEnd = lineEnd > recordStart && bytes[lineEnd - 1] == carriageReturn ? lineEnd - 1 : lineEnd
                fieldBounds.append(recordStart..<textEnd)
                records.append(CSVRecord(bytes: recordStart..<textEnd, line: line,
                                         fields: firstField..<firstField + 1, problem: problem))
                nextLine = line + 1
                recordStart = min(lineEnd + 1, filled)
                continue
            }
            records.append(CSVRecord(bytes: recordStart..<fieldBounds[fieldBounds.count - 1].upperBound, line: line,
                                     fields: firstField..<fieldBounds.count, problem: nil))
            nextLine = line + linesInside + 1
            recordStart = min(index + 1, filled)
        }
        return recordStart
    }
}
