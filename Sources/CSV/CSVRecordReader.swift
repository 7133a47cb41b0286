import Foundation

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
/// - Sizes are limited, so that memory and time stay bounded whatever the input: a record longer
///   than ``maximumRecordBytes`` is a bad record (``CSVRecordProblem/recordTooLong``, or
///   ``CSVRecordProblem/quotedFieldTooLong`` when a quote left open spans its lines) and a field
///   longer than ``maximumFieldBytes`` is one too (``CSVRecordProblem/fieldTooLong(field:)``).
///   Reading goes on after them.
///
/// A block stays valid until the next ``nextBlock()``; memory stays at about two blocks
/// whatever the input size.
public final class CSVRecordReader {
    /// Bytes asked of the input per block.
    public static let blockSize = 1 << 20
    /// The longest record read (1 MiB, its line break left out). A longer one is a bad record:
    /// a quoted field still open past it, spanning lines, is taken to be a quote never closed and
    /// costs its first line (``CSVRecordProblem/quotedFieldTooLong``); a first line longer than
    /// it is passed over unread up to its line break (``CSVRecordProblem/recordTooLong``), so a
    /// 100 MB line costs neither memory nor a rescan per block.
    public static let maximumRecordBytes = 1 << 20
    /// The longest field read (64 KiB, as written: quotes included). A longer one makes its
    /// record bad (``CSVRecordProblem/fieldTooLong(field:)``); no address, name or number
    /// GridMap reads comes near it.
    public static let maximumFieldBytes = 64 << 10

    /// Where the bytes come from: a file descriptor, or bytes held in memory (``init(bytes:)``).
    private let descriptor: Int32
    private let closesDescriptor: Bool
    private var memory: [UInt8]?
    private var memoryOffset = 0
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes held in `storage`; those before `consumed` belong to records already handed out.
    private var filled = 0, consumed = 0
    private var atEndOfInput = false
    private var startsInput = true
    /// The records and fields of the current block.
    private var splitter = CSVSplitter()

    /// Opens `path` ("-" for standard input); nil with `errno` set when it cannot.
    public init?(path: String) {
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

    /// Reads `bytes` as if they were a file (tests, and input already in memory).
    public init(bytes: [UInt8]) {
        (descriptor, closesDescriptor) = (-1, false)
        memory = bytes
        capacity = 2 * Self.blockSize
        storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deallocate()
        if closesDescriptor { close(descriptor) }
    }

    /// The next block of whole records (at least one), or nil at the end of the input. Throws
    /// ``ReadError`` when reading fails.
    public func nextBlock() throws(ReadError) -> CSVBlock? {
        splitter.removeRecords()
        // The unfinished record at the end of the last block moves to the front.
        filled -= consumed
        if filled > 0, consumed > 0 { storage.update(from: storage + consumed, count: filled) }
        consumed = 0
        while splitter.records.isEmpty {
            if atEndOfInput, consumed == filled { return nil }
            if consumed > 0 {
                // Bytes passed over (the rest of a line too long to read) and no record yet: drop
                // them, so that storage holds no more than a record and a block.
                filled -= consumed
                storage.update(from: storage + consumed, count: filled)
                consumed = 0
            }
            if !atEndOfInput { try read() }
            consumed = splitter.split(UnsafeBufferPointer(start: storage, count: filled), from: consumed, atEnd: atEndOfInput)
        }
        return CSVBlock(records: splitter.records, fieldBounds: splitter.fieldBounds, base: storage)
    }

    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Adds at least a block of input after `filled` (less only at the end of the input).
    private func read() throws(ReadError) {
        if capacity - filled < Self.blockSize {
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(2 * capacity, filled + Self.blockSize))
            larger.update(from: storage, count: filled)
            storage.deallocate()
            (storage, capacity) = (larger, max(2 * capacity, filled + Self.blockSize))
        }
        let goal = filled + Self.blockSize
        if let memory {
            let count = min(goal - filled, memory.count - memoryOffset)
            let target = storage + filled, offset = memoryOffset
            memory.withUnsafeBufferPointer { source in
                guard count > 0, let start = source.baseAddress else { return }
                target.update(from: start + offset, count: count)
            }
            (filled, memoryOffset) = (filled + count, memoryOffset + count)
            atEndOfInput = memoryOffset == memory.count
        }
        while memory == nil, filled < goal {
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
        if startsInput { consumed = CSVSplitter.byteOrderMarkLength(UnsafeBufferPointer(start: storage, count: filled)) }
        startsInput = false
    }
}

/// Splits bytes into RFC 4180 records and fields in one pass (see ``CSVRecordReader`` for the
/// rules); the splitting half of the reader.
struct CSVSplitter {
    /// The line of the first byte not yet in a record.
    private var nextLine = 1
    /// Set while passing over the rest of a line too long to read, up to its line break.
    private var skippingLine = false
    /// The records found since ``removeRecords()``, and their fields' bytes.
    private(set) var records: [CSVRecord] = []
    private(set) var fieldBounds: [Range<Int>] = []

    mutating func removeRecords() {
        records.removeAll(keepingCapacity: true)
        fieldBounds.removeAll(keepingCapacity: true)
    }

    /// 3 when `bytes` start with a UTF-8 byte order mark (skipped), else 0.
    static func byteOrderMarkLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    /// Splits the records that are whole in `bytes[start...]` (the last one also when the input
    /// has ended, `atEnd`) and returns where the first unfinished record begins (or, while
    /// passing over a line too long to read, `bytes.count`: nothing of it is kept).
    /// Records are appended to ``records`` (a value type's own arrays: appending to a class's
    /// stored array would cost a dynamic exclusivity check per call, a sixth of the time on a
    /// million rows).
    mutating func split(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, atEnd atEndOfInput: Bool) -> Int {
        let filled = bytes.count
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        let maximumField = CSVRecordReader.maximumFieldBytes
        var recordStart = start
        if skippingLine {
            guard let lineEnd = (start..<filled).first(where: { bytes[$0] == newline }) else { return filled }
            skippingLine = false
            recordStart = lineEnd + 1
        }
        while recordStart < filled {
            let line = nextLine
            let firstField = fieldBounds.count
            // No record is read past `end`: reaching it with the record unfinished means the
            // record is too long (when the input goes on beyond it) or needs more input.
            let end = min(filled, recordStart + CSVRecordReader.maximumRecordBytes + 1)
            var fieldStart = recordStart
            var linesInside = 0
            var index = recordStart
            var inQuotes = false
            var problem: CSVRecordProblem?
            var longField: Int?
            // One pass over the record, field by field; `index` ends on the record's line break
            // or at `end`.
            fields: while true {
                while index < end, bytes[index] == space || bytes[index] == tab { index += 1 }
                if index < end, bytes[index] == quote {
                    index += 1
                    inQuotes = true
                    quoted: while index < end {
                        let byte = bytes[index]
                        index += 1
                        if byte == newline {
                            linesInside += 1
                        } else if byte == quote {
                            // `""` is a quote, unless the input may go on with the second one.
                            if index == end {
                                if end == filled, atEndOfInput { inQuotes = false }
                                break quoted
                            }
                            if bytes[index] == quote {
                                index += 1
                                continue quoted
                            }
                            // The closing quote: only spaces may come before the separator.
                            inQuotes = false
                            while index < end, bytes[index] == space || bytes[index] == tab || bytes[index] == carriageReturn {
                                index += 1
                            }
                            if index < end, bytes[index] != comma, bytes[index] != newline {
                                problem = .strayQuote
                                break fields
                            }
                            break quoted
                        }
                    }
                    if inQuotes { break fields }
                } else {
                    while index < end, bytes[index] != comma, bytes[index] != newline { index += 1 }
                }
                if index < end, bytes[index] == comma {
                    if index - fieldStart > maximumField, longField == nil { longField = fieldBounds.count - firstField + 1 }
                    fieldBounds.append(fieldStart..<index)
                    index += 1
                    fieldStart = index
                    continue fields
                }
                if index == end, end - recordStart > CSVRecordReader.maximumRecordBytes { break fields }
                // At the line break (or the end of the input): a CR before LF is not data.
                let fieldEnd = index > fieldStart && bytes[index - 1] == carriageReturn ? index - 1 : index
                if fieldEnd - fieldStart > maximumField, longField == nil { longField = fieldBounds.count - firstField + 1 }
                fieldBounds.append(fieldStart..<fieldEnd)
                break fields
            }
            if problem == nil, index >= end {
                if end - recordStart > CSVRecordReader.maximumRecordBytes {
                    // Too long: a quote left open across lines costs its first line; a first line
                    // this long is passed over.
                    problem = linesInside > 0 ? .quotedFieldTooLong : .recordTooLong
                } else if !atEndOfInput {
                    // Out of input within the record: wait for more.
                    fieldBounds.removeSubrange(firstField...)
                    return recordStart
                } else if inQuotes {
                    problem = .unclosedQuote
                }
            }
            if let problem {
                // The record is its first line alone; reading goes on from the next line.
                fieldBounds.removeSubrange(firstField...)
                let lineLimit = min(filled, recordStart + CSVRecordReader.maximumRecordBytes + 1)
                var lineEnd = recordStart
                while lineEnd < lineLimit, bytes[lineEnd] != newline { lineEnd += 1 }
                if lineEnd - recordStart > CSVRecordReader.maximumRecordBytes {
                    // A first line too long to keep: the record has no bytes, and the rest of
                    // the line is passed over, in this block or the next ones.
                    fieldBounds.append(recordStart..<recordStart)
                    records.append(CSVRecord(bytes: recordStart..<recordStart, line: line,
                                             fields: firstField..<firstField + 1, problem: .recordTooLong))
                    nextLine = line + 1
                    guard let next = (lineEnd..<filled).first(where: { bytes[$0] == newline }) else {
                        skippingLine = true
                        return filled
                    }
                    recordStart = next + 1
                    continue
                }
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
                                     fields: firstField..<fieldBounds.count, problem: longField.map { .fieldTooLong(field: $0) }))
            nextLine = line + linesInside + 1
            recordStart = min(index + 1, filled)
        }
        return recordStart
    }
}
