import ByteOutput
import CSV
import Testing
@testable import GridMapApp

@Suite("Assigning a ledger in-process")
struct AssignLedgerJobTests {
    typealias F = StreamFixtures

    @Test("the tally on a small town: each row in exactly one outcome, the columns appended in order")
    func tallyOnSmallTown() throws {
        let input = """
            name,地址
            甲,大村镇东河村1号
            乙,东河村二号
            丙,大村镇西河村3号
            丁,六汪镇东河村12号
            戊,大村镇南山村99号
            "bad
            """
        let job = try AssignLedgerJob(data: F.data, atlas: F.atlas())
        let sink = MemorySink(), bad = BadRows()
        let report = try job.run(F.table(input + "\n", name: "ledger.csv"), to: sink, badRow: bad.add)
        let rows = sink.string.split(separator: "\n").map(String.init)
        #expect(rows[0] == "name,地址,home,microgrid,grid,match,confidence,reason")
        #expect(rows[1] == "甲,大村镇东河村1号,home-1,DC-001-1,DC-001,exact,1.00,")
        #expect(rows[2] == "乙,东河村二号,home-2,DC-001-2,DC-001,normalized,1.00,read as 大村镇东河村2号")
        #expect(rows[3] == "丙,大村镇西河村3号,home-3,,,exact,1.00,home-3 lies in no micro-grid")
        #expect(rows[4].hasPrefix("丁,六汪镇东河村12号,,,,outside,,"))
        #expect(rows[5].hasPrefix("戊,大村镇南山村99号,,,,unmatched,,"))
        #expect(rows.count == 7)
        let tally = report.tally
        #expect(tally.rows == 6)
        #expect(tally.matched.values.reduce(0, +) == 2)
        #expect((tally.ambiguous, tally.unmatched, tally.outside, tally.bad) == (0, 1, 2, 1))
        #expect(bad.reported.count == 1 && bad.reported[0].hasPrefix("ledger.csv:7: "))
        #expect(!tally.allAssigned)
        let text = MemorySink()
        try report.write(to: text)
        let lines = text.string.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 9, "\(lines)")
        #expect(lines[0] == "gridmap assign: 6 rows; matched 2 (exact 1, normalized 1, fuzzy 0); ambiguous 0, unmatched 1, outside the town 2, bad 1")
        #expect(lines[1] == "unmatched:")
        #expect(lines[2].hasPrefix("  ledger.csv:6: 大村镇南山村99号 → "))
        #expect(lines[3] == "outside the town (another town, or a home in no micro-grid):")
        #expect(lines[4] == "  ledger.csv:4: 大村镇西河村3号 → home-3 lies in no micro-grid")
        #expect(lines[5].hasPrefix("  ledger.csv:5: 六汪镇东河村12号 → "))
        #expect(lines[6] == "bad rows:")
        #expect(lines[7].hasPrefix("  ledger.csv:7: "))
        #expect(lines[8] == "")
    }

    @Test("a report longer than the spool keeps in memory comes back whole, in input order, after the summary")
    func longReportSpills() throws {
        // Unmatched rows until the listed lines pass the spool's memory limit twice over.
        var input = "id,address\n"
        var rows = 0
        while input.utf8.count < 2 * ReportSpool.memoryLimit {
            rows += 1
            input += "\(rows),大村镇南山村\(rows)号\n"
        }
        let job = try AssignLedgerJob(data: F.data, atlas: F.atlas())
        let report = try job.run(F.table(input, name: "ledger.csv"), to: MemorySink(), badRow: { _ in })
        #expect(report.tally.rows == rows && report.tally.unmatched == rows)
        let text = MemorySink()
        try report.write(to: text)
        let lines = text.string.split(separator: "\n").map(String.init)
        #expect(lines.count == rows + 2)
        #expect(lines.first == report.tally.summary && lines[1] == "unmatched:")
        let listed = lines.dropFirst(2).map { $0.split(separator: ":")[1] }
        #expect(listed == (2...rows + 1).map { "\($0)"[...] })
    }

    @Test("an address over the field limit and a line over the record limit are bad rows naming line and limit; the rows around them are assigned")
    func oversizedRows() throws {
        let field = String(repeating: "东", count: CSVRecordReader.maximumFieldBytes / 3 + 1)
        let line = String(repeating: "河", count: CSVRecordReader.maximumRecordBytes / 3 + 1)
        let input = "name,地址\n甲,大村镇东河村1号\n乙,\(field)\n丙,\(line)\n丁,大村镇东河村2号\n"
        let job = try AssignLedgerJob(data: F.data, atlas: F.atlas())
        let sink = MemorySink(), bad = BadRows()
        let report = try job.run(F.table(input, name: "ledger.csv"), to: sink, badRow: bad.add)
        #expect(bad.reported == ["ledger.csv:3: field 2 is longer than 64 KiB, the longest field read",
                                 "ledger.csv:4: the line is longer than 1 MiB, the longest record read; it was passed over"])
        #expect((report.tally.rows, report.tally.bad, report.tally.matched.values.reduce(0, +)) == (4, 2, 2))
        let rows = sink.string.split(separator: "\n").map(String.init)
        #expect(rows.count == 5)
        #expect(rows[1].hasPrefix("甲,大村镇东河村1号,home-1,") && rows[4].hasPrefix("丁,大村镇东河村2号,home-2,"))
        // The long field's row is well-formed and written back whole; the long line as an empty field.
        #expect(rows[2] == "乙,\(field),,,,,,\"field 2 is longer than 64 KiB, the longest field read\"")
        #expect(rows[3] == "\"\",,,,,,,\"the line is longer than 1 MiB, the longest record read; it was passed over\"")
    }

    @Test("an explicit --address-column wins, and a ledger without an address column cannot start")
    func addressColumn() throws {
        let job = try AssignLedgerJob(data: F.data, atlas: F.atlas())
        let sink = MemorySink()
        let report = try job.run(F.table("address,住址\nnowhere,大村镇东河村1号\n"), addressColumn: "住址", to: sink, badRow: { _ in })
        #expect(report.tally.allAssigned && report.tally.rows == 1)
        #expect(throws: JobError.cannotStart(
            "in.csv: no address column in the header (name); name one address/地址 or give --address-column")) {
            _ = try job.run(F.table("name\nx\n"), to: MemorySink(), badRow: { _ in })
        }
    }
}
