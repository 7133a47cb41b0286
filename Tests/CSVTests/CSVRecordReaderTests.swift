import Foundation
import SeededRandom
import Testing
@testable import CSV

@Suite("CSV records and numbers")
struct CSVRecordReaderTests {
    /// Every record of `text` (written to a file) as (line, fields as written, their values, problem).
    static func records(of text: String) throws -> [(line: Int, fields: [String], values: [String], problem: CSVRecordProblem?)] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(text.utf8).write(to: file)
        let reader = try #require(CSVRecordReader(path: file.path))
        var found: [(line: Int, fields: [String], values: [String], problem: CSVRecordProblem?)] = []
        while let block = try reader.nextBlock() {
            for record in block.records {
                found.append((record.line, (0..<record.fieldCount).map { block.text($0, of: record) }, block.values(of: record), record.problem))
            }
        }
        return found
    }

    @Test("fields keep their raw text; quoted commas, doubled quotes and line breaks stay inside the field")
    func rawFields() throws {
        let found = try Self.records(of: "a,\"b, c\",\"say \"\"hi\"\"\"\r\n\"one\ntwo\",,x\r\n\nlast, \"q\" ")
        #expect(found.map(\.line) == [1, 2, 4, 5])
        #expect(found.map(\.fields) == [
            ["a", "\"b, c\"", "\"say \"\"hi\"\"\""],
            ["\"one\ntwo\"", "", "x"],
            [""],
            ["last", " \"q\" "],
        ])
        #expect(found.allSatisfy { $0.problem == nil })
    }

    @Test("a BOM is skipped, a quote inside an unquoted field is a character, empty input has no records")
    func bomAndLiteralQuotes() throws {
        let found = try Self.records(of: "\u{FEFF}id,x\n5\" pipe,2\n")
        #expect(found.map(\.fields) == [["id", "x"], ["5\" pipe", "2"]])
        #expect(try Self.records(of: "").isEmpty)
    }

    @Test("a stray or unclosed quote makes its first line a record with a problem, and reading goes on")
    func badQuotes() throws {
        let found = try Self.records(of: "\"a\"b,1\nok,2\n\"open,3\nafter,4")
        #expect(found.map(\.line) == [1, 2, 3, 4])
        #expect(found.map(\.fields) == [["\"a\"b,1"], ["ok", "2"], ["\"open,3"], ["after", "4"]])
        #expect(found.map { $0.problem.map { "\($0)" } } == [
            "\(CSVRecordProblem.strayQuote)", nil, "\(CSVRecordProblem.unclosedQuote)", nil,
        ])
    }

    @Test("a quote left open for more than the limit costs its first line, and every later line is read")
    func quoteOpenTooLong() throws {
        var text = "\"open,1\n"
        var rows = 0
        while text.utf8.count <= CSVRecordReader.maximumRecordBytes + 100 {
            text += "row \(rows),2\n"
            rows += 1
        }
        let found = try Self.records(of: text + "\"closed\",3")
        #expect(found.count == rows + 2)
        #expect(found.first?.fields == ["\"open,1"])
        #expect(found.first.flatMap { $0.problem.map { "\($0)" } } == "\(CSVRecordProblem.quotedFieldTooLong)")
        #expect(found[1].line == 2 && found[1].fields == ["row 0", "2"])
        #expect(found.last?.line == rows + 2 && found.last?.fields == ["\"closed\"", "3"])
        #expect(found.dropFirst().allSatisfy { $0.problem == nil })
    }

    @Test("a line longer than the record limit is one bad record without bytes, passed over across blocks, and the lines after it are read")
    func lineTooLong() throws {
        for length in [CSVRecordReader.maximumRecordBytes + 1, 3 * CSVRecordReader.blockSize + 17] {
            let long = "2," + String(repeating: "地", count: length / 3)
            let found = try Self.records(of: "id,address\n1,a\n" + long + "\n3,\"c\"\n\"open" + long + "\n4,d")
            #expect(found.map(\.line) == [1, 2, 3, 4, 5, 6], "\(length)")
            #expect(found.map { $0.problem.map { "\($0)" } } == [nil, nil, "\(CSVRecordProblem.recordTooLong)", nil,
                                                               "\(CSVRecordProblem.recordTooLong)", nil])
            #expect(found[2].fields == [""] && found[4].fields == [""])
            #expect(found[3].values == ["3", "c"] && found[5].values == ["4", "d"])
        }
    }

    @Test("a record of exactly the limit is read; one byte more is too long")
    func recordLimitIsInclusive() throws {
        // 17 fields of 60,000 bytes and one that fills the record to the limit exactly.
        let fields = Array(repeating: String(repeating: "x", count: 60_000), count: 17)
        let last = String(repeating: "y", count: CSVRecordReader.maximumRecordBytes - 17 * 60_001)
        let record = (fields + [last]).joined(separator: ",")
        #expect(record.utf8.count == CSVRecordReader.maximumRecordBytes)
        let found = try Self.records(of: record + "\n" + record + "y\nend")
        #expect(found.map(\.line) == [1, 2, 3])
        #expect(found[0].problem == nil && found[0].fields.count == 18)
        #expect(found[1].problem == .recordTooLong)
        #expect(found[2].fields == ["end"])
    }

    @Test("a field longer than the field limit makes its record bad, naming the field; the record keeps its fields")
    func fieldTooLong() throws {
        let limit = CSVRecordReader.maximumFieldBytes
        let found = try Self.records(of: "a,\(String(repeating: "x", count: limit)),b\n"
            + "a,\"\(String(repeating: "x", count: limit - 1))\",b\n"
            + "a,b,\(String(repeating: "x", count: limit + 1))\r\n")
        #expect(found.map(\.problem) == [nil, .fieldTooLong(field: 2), .fieldTooLong(field: 3)])
        #expect(found.map(\.fields.count) == [3, 3, 3])
        #expect(found[2].fields[2].utf8.count == limit + 1)
        #expect(CSVRecordProblem.fieldTooLong(field: 3).description == "field 3 is longer than 64 KiB, the longest field read")
    }

    @Test("records spanning read blocks come out whole, in order, with their line numbers")
    func recordsAcrossBlocks() throws {
        // Rows of two lines (a quoted line break) until well past two blocks.
        var text = ""
        var rows = 0
        while text.utf8.count < 2 * CSVRecordReader.blockSize + 1000 {
            text += "\(rows),\"note\nnumber \(rows)\",\(String(repeating: "x", count: rows % 97))\r\n"
            rows += 1
        }
        let found = try Self.records(of: text)
        #expect(found.count == rows)
        for (row, record) in found.enumerated() where record.line != 2 * row + 1
            || record.fields != ["\(row)", "\"note\nnumber \(row)\"", String(repeating: "x", count: row % 97)] {
            Issue.record("row \(row): \(record)")
            break
        }
    }

    @Test("numbers parse to the same bits as Double(String), with spaces and quotes around them allowed")
    func numbersMatchTheStandardLibrary() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<100_000 {
            let digits = Int(random.next() % 16) + 1
            let decimals = Int(random.next() % UInt64(digits + 1))
            var text = String(random.next() % 2 == 0 ? "" : "-")
            for position in 0..<digits {
                if position == digits - decimals { text += "." }
                text += String(random.next() % 10)
            }
            let parsed = Self.number(text)
            #expect(parsed?.bitPattern == Double(text)?.bitPattern, "\(text)")
            if parsed?.bitPattern != Double(text)?.bitPattern { break }
        }
        #expect(Self.number(" \" 119.805 \" ") == 119.805)
        #expect(Self.number("1.5e3") == 1500)
        #expect(Self.number("12345678901234567890.5") == 12345678901234567890.5)
        for bad in ["", " ", "\"\"", "nan", "inf", "-inf", "1e999", "1.2.3", "12a", "1 2", "--1", "."] {
            #expect(Self.number(bad) == nil, "\(bad)")
        }
    }

    @Test("a field's value: spaces trimmed, quotes removed, doubled quotes undoubled, line breaks kept")
    func fieldValues() throws {
        let text = "a , \"b, \"\"c\"\"\" ,\"two\nlines\",\"\"\n"
        let values = ["a", "b, \"c\"", "two\nlines", ""]
        #expect(try Self.records(of: text).map(\.values) == [values])
    }

    @Test("escaping then reading a field gives the value back, for every awkward value")
    func escapeRoundTrip() throws {
        let values = ["plain", "a,b", "say \"hi\"", "two\nlines", "cr\r\nlf", " padded ", "\t", "", "\"", "李\"娟, 村"]
        let text = CSVField.formatted([values, ["x"]])
        let rows = try Self.records(of: String(decoding: text, as: UTF8.self))
        #expect(rows.map(\.line) == [1, 4] && rows.map(\.values) == [values, ["x"]])
        #expect(CSVField.escaped("plain") == "plain" && CSVField.escaped("a\"b") == "\"a\"\"b\"")
    }

    static func number(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { CSVNumber.parse($0) }
    }
}
