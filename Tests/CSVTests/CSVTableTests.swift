import ByteOutput
import CSV
import Foundation
import Testing

@Suite("A CSV table: header, columns by alias, typed fields, bad rows by line, rows passed through")
struct CSVTableTests {
    static func table(_ text: String, name: String = "t.csv") throws -> CSVTable {
        try CSVTable(bytes: Array(text.utf8), name: name)
    }

    /// Every data row of `table`, as values.
    static func values(_ table: CSVTable) throws -> [(line: Int, fields: [String])] {
        var rows: [(Int, [String])] = []
        while let block = try table.nextRows() {
            for record in block.records { rows.append((record.line, block.block.values(of: record))) }
        }
        return rows
    }

    @Test("columns are found by alias, case-insensitively, in the aliases' order of preference")
    func aliases() throws {
        let table = try Self.table("\u{FEFF}Name,X,Longitude,LAT\n")
        #expect(table.header == ["Name", "X", "Longitude", "LAT"])
        #expect(try table.column(.longitude) == 2)
        #expect(try table.column(.latitude) == 3)
        #expect(try table.column(.longitude, named: "x") == 1)
        #expect(table.optionalColumn(CSVColumn("service", aliases: ["service_min"])) == nil)
    }

    @Test("a missing column is an error naming the header and the accepted names or the option's value")
    func missingColumn() throws {
        let table = try Self.table("id,east\n")
        #expect(throws: CSVTableError(.missingColumn,
            "t.csv: no latitude or y column in the header (id,east); name one lat/latitude/y or give --y-column")) {
            try table.column(.latitude)
        }
        #expect(throws: CSVTableError(.missingColumn, "t.csv: no column 'north' in the header (id,east)")) {
            try table.column(.latitude, named: "north")
        }
        #expect(throws: CSVTableError(.missingColumn, "t.csv: no id column in the header (id,east); name one ident")) {
            try table.column(CSVColumn("id", aliases: ["ident"]))
        }
    }

    @Test("an empty input has no header; a missing file cannot be opened")
    func emptyAndMissing() {
        #expect(throws: CSVTableError(.empty, "t.csv is empty: a header row is needed")) { try Self.table("\n\n") }
        #expect(throws: CSVTableError.self) { try CSVTable(path: "/nonexistent/points.csv") }
        #expect(throws: CSVTableError(.cannotOpen, "cannot open /nonexistent/points.csv: No such file or directory")) {
            try CSVTable(path: "/nonexistent/points.csv")
        }
    }

    @Test("the header is the first line that is not blank, and says which line it was")
    func headerLine() throws {
        let table = try Self.table("\n  \r\nid,name\n1,a\n")
        #expect(table.header == ["id", "name"] && table.headerLine == 3 && table.headerProblem == nil)
        #expect(try Self.values(table).map(\.line) == [4])
        #expect(try Self.table("id\n").headerLine == 1)
    }

    @Test("a header that is not UTF-8 or not well-formed has its problem; its names are what could be read")
    func headerProblem() throws {
        let invalid = try CSVTable(bytes: Array("id,".utf8) + [0xFF] + Array("\n1,2\n".utf8), name: "t.csv")
        #expect(invalid.headerProblem == .invalidUTF8(field: 2) && invalid.header == ["id", "\u{FFFD}"])
        let malformed = try Self.table("id,\"name\"x\n1,2\n")
        #expect(malformed.headerProblem == .strayQuote && malformed.header == ["id,\"name\"x"])
        #expect(try Self.values(malformed).map(\.line) == [2])
    }

    @Test("validated values: each field's value, or the record's problem, or the first field that is not UTF-8")
    func validatedValues() throws {
        var bytes = Array("\u{FEFF}id,name\r\n1,\"Wang, \"\"Li\"\"\nJr.\"\r\n\r\n2,ok\n3,".utf8)
        bytes += [0xFF, 0x0A] + Array("\"a\"b,4\n5,\"open\n".utf8)
        let table = try CSVTable(bytes: bytes, name: "t.csv")
        var found: [(line: Int, values: Result<[String], CSVRecordProblem>)] = []
        while let rows = try table.nextRows() {
            for record in rows.records { found.append((record.line, rows.validatedValues(of: record))) }
        }
        #expect(found.map(\.line) == [2, 5, 6, 7, 8])
        #expect(found.map(\.values) == [
            .success(["1", "Wang, \"Li\"\nJr."]), .success(["2", "ok"]), .failure(.invalidUTF8(field: 2)),
            .failure(.strayQuote), .failure(.unclosedQuote),
        ])
    }

    @Test("a stop list id,lon,lat[,service_min] reads with typed fields and each bad row by its line")
    func stopList() throws {
        let table = try Self.table("ID,lng,lat,Service_Min\nA,119.8,35.9,5\nB,119.81,x\n\"C\nD\",119.82,35.92,\n\"E,1,2\n")
        let id = try table.column(CSVColumn("id", aliases: ["id"]))
        let x = try table.column(.longitude), y = try table.column(.latitude)
        let service = table.optionalColumn(CSVColumn("service minutes", aliases: ["service_min"]))
        #expect(service == 3)
        var stops: [String] = [], bad: [String] = []
        while let rows = try table.nextRows() {
            for record in rows.records {
                if let problem = rows.problem(record, reaching: max(id, x, y)) {
                    bad.append(table.badRow(record, problem).description)
                } else if let lon = rows.number(x, of: record), let lat = rows.number(y, of: record) {
                    stops.append("\(rows.value(id, of: record))@\(lon),\(lat)+\(rows.number(service!, of: record) ?? 0)")
                } else {
                    bad.append(table.badRow(record, "not a number").description)
                }
            }
        }
        #expect(stops == ["A@119.8,35.9+5.0", "C\nD@119.82,35.92+0.0"])
        #expect(bad == ["t.csv:3: not a number", "t.csv:6: " + CSVRecordProblem.unclosedQuote.description])
    }

    @Test("rows written back are the rows read, byte for byte, with the appended columns, across many blocks")
    func passThrough() throws {
        var text = "id,\"quoted, name\"\r\n"
        var expected = "id,\"quoted, name\",n,\"a,b\"\n"
        for index in 0..<120_000 {
            let row = index % 7 == 0 ? "\(index),\"two\nlines \"\"q\"\"\"" : "\(index),plain \(index)"
            text += row + (index % 2 == 0 ? "\r\n" : "\n")
            if index % 1000 == 0 { text += "\n" }  // blank lines are dropped
            expected += row + ",\(index),\n"
        }
        let table = try Self.table(text)
        let sink = MemorySink()
        let writer = CSVRowWriter(sink: sink)
        writer.writeHeader(of: table, appending: ["n", "a,b"])
        var count = 0, blocks = 0
        while let rows = try table.nextRows() {
            blocks += 1
            for record in rows.records {
                writer.copy(record, of: rows)
                writer.output.append(integer: Int64(rows.number(0, of: record) ?? -1))
                writer.output.append(UInt8(ascii: ","))
                writer.endRow()
                count += 1
            }
            try writer.flush()
        }
        #expect(blocks > 1)
        #expect(count == 120_000)
        #expect(sink.string == expected)
    }

    @Test("a table without a header hands out every record as data")
    func noHeader() throws {
        let table = try CSVTable(bytes: Array("1,2\n3,4\n".utf8), name: "n.csv", hasHeader: false)
        #expect(table.header.isEmpty)
        #expect(try Self.values(table).map(\.line) == [1, 2])
    }

    @Test("a row with a quote out of place is written back as one quoted field, padded to the header, so no later row is swallowed")
    func malformedRowStaysContained() throws {
        let input = "id,address\n1,\"unclosed\n2,good\n"
        let table = try CSVTable(bytes: Array(input.utf8), name: "ledger.csv")
        let sink = MemorySink()
        let writer = CSVRowWriter(sink: sink)
        writer.writeHeader(of: table, appending: ["reason"])
        while let rows = try table.nextRows() {
            for record in rows.records {
                writer.copy(record, of: rows)
                writer.output.append(utf8: record.problem == nil ? "ok" : "bad")
                writer.endRow()
            }
        }
        try writer.flush()
        #expect(sink.string == "id,address,reason\n\"1,\"\"unclosed\",,bad\n2,good,ok\n")
        // Read back, every row has the header's three fields and no problem.
        let back = try CSVTable(bytes: sink.bytes, name: "out.csv")
        var fields: [[String]] = []
        while let rows = try back.nextRows() {
            for record in rows.records {
                #expect(record.problem == nil)
                fields.append((0..<record.fieldCount).map { rows.value($0, of: record) })
            }
        }
        #expect(fields == [["1,\"unclosed", "", "bad"], ["2", "good", "ok"]])
    }
}

@Suite("The output buffer and its sinks")
struct OutputBufferTests {
    @Test("fixed decimals are C's %.*f, integers are exact, and a flush empties the buffer")
    func formatting() throws {
        let buffer = OutputBuffer(capacity: 4)
        buffer.append(fixed: 481944.5123, precision: 3)
        buffer.append(UInt8(ascii: " "))
        buffer.append(fixed: -0.004, precision: 2)
        buffer.append(UInt8(ascii: " "))
        buffer.append(integer: Int64.min)
        let sink = MemorySink()
        try buffer.flush(to: sink)
        #expect(sink.string == "481944.512 -0.00 -9223372036854775808")
        #expect(buffer.count == 0)
    }

    @Test("a write to a full device is an error that names it, not a trap or a silent loss")
    func fullDevice() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let sink = try FileSink(path: "/dev/full")
        let buffer = OutputBuffer()
        buffer.append("x\n")
        #expect(throws: OutputError("cannot write to /dev/full: No space left on device")) { try buffer.flush(to: sink) }
    }
}
