/// RFC 4180 comma-separated values: the reader and writer behind residents.csv and team.csv.
///
/// Writing: fields that contain a comma, a double quote, CR or LF are enclosed in double quotes
/// with inner quotes doubled; records end with LF (readers of GridMap accept CRLF too).
/// Reading: UTF-8 (a leading byte-order mark is skipped), CRLF or LF line ends, quoted fields that
/// span lines; blank lines are skipped. A malformed record (an unterminated quoted field, a quote
/// inside an unquoted field, text after a closing quote, invalid UTF-8) is reported with the line
/// it starts on and skipped; reading goes on with the next line.
enum CSV {
    struct Record: Equatable {
        /// One-based line on which the record starts.
        var line: Int
        var fields: [String]
    }

    struct Problem: Equatable {
        var line: Int
        var message: String
    }

    static func parse(_ bytes: [UInt8]) -> (records: [Record], problems: [Problem]) {
        var records: [Record] = []
        var problems: [Problem] = []
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        let count = bytes.count
        var index = 0
        if count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        var line = 1

        /// Consumes one line end at `index` (CRLF, LF or a lone CR) if there is one.
        func consumeLineEnd() -> Bool {
            guard index < count else { return false }
            if bytes[index] == lf {
                index += 1
                line += 1
                return true
            }
            if bytes[index] == cr {
                index += 1
                if index < count, bytes[index] == lf { index += 1 }
                line += 1
                return true
            }
            return false
        }

        /// Skips the rest of a bad record up to and including the next line end.
        func skipLine() {
            while index < count, bytes[index] != lf, bytes[index] != cr { index += 1 }
            _ = consumeLineEnd()
        }

        records: while index < count {
            let recordLine = line
            if consumeLineEnd() { continue }  // blank line
            var fields: [String] = []
            var field: [UInt8] = []
            fieldLoop: while true {
                field.removeAll(keepingCapacity: true)
                if index < count, bytes[index] == quote {
                    index += 1
                    var closed = false
                    while index < count {
                        let byte = bytes[index]
                        if byte == quote {
                            if index + 1 < count, bytes[index + 1] == quote {
                                field.append(quote)
                                index += 2
                                continue
                            }
                            index += 1
                            closed = true
                            break
                        }
                        if byte == lf || (byte == cr && !(index + 1 < count && bytes[index + 1] == lf)) { line += 1 }
                        field.append(byte)
                        index += 1
                    }
                    guard closed else {
                        problems.append(Problem(line: recordLine, message: "quoted field is never closed (a \" is missing)"))
                        break records
                    }
                    if index < count, bytes[index] != comma, bytes[index] != lf, bytes[index] != cr {
                        problems.append(Problem(line: line, message: "unexpected text after the closing quote of field \(fields.count + 1); a quote inside a quoted field must be doubled (\"\")"))
                        skipLine()
                        continue records
                    }
                } else {
                    while index < count {
                        let byte = bytes[index]
                        if byte == comma || byte == lf || byte == cr { break }
                        if byte == quote {
                            problems.append(Problem(line: line, message: "quote inside unquoted field \(fields.count + 1); enclose the field in quotes and double the quote (RFC 4180)"))
                            skipLine()
                            continue records
                        }
                        field.append(byte)
                        index += 1
                    }
                }
                guard let text = String(validating: field, as: UTF8.self) else {
                    problems.append(Problem(line: recordLine, message: "field \(fields.count + 1) is not valid UTF-8"))
                    skipLine()
                    continue records
                }
                fields.append(text)
                if index < count, bytes[index] == comma {
                    index += 1
                    continue fieldLoop
                }
                _ = consumeLineEnd()
                break fieldLoop
            }
            records.append(Record(line: recordLine, fields: fields))
        }
        return (records, problems)
    }

    /// The field as it appears in a record, quoted when it must be.
    static func escape(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") })
        else { return field }
        var quoted = "\""
        for character in field {
            if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
        }
        return quoted + "\""
    }

    /// Rows as CSV text, LF after every record.
    static func format(_ rows: [[String]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * 64)
        for row in rows {
            for (index, field) in row.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: escape(field).utf8)
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }
}
