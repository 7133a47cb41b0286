import ByteOutput
import CSV
import GridMapApp
import Testing

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
        let tally = try job.run(F.table(input + "\n", name: "ledger.csv"), to: sink, badRow: bad.add)
        let rows = sink.string.split(separator: "\n").map(String.init)
        #expect(rows[0] == "name,地址,home,microgrid,grid,match,confidence,reason")
        #expect(rows[1] == "甲,大村镇东河村1号,home-1,DC-001-1,DC-001,exact,1.00,")
        #expect(rows[2] == "乙,东河村二号,home-2,DC-001-2,DC-001,normalized,1.00,read as 大村镇东河村2号")
        #expect(rows[3] == "丙,大村镇西河村3号,home-3,,,exact,1.00,home-3 lies in no micro-grid")
        #expect(rows[4].hasPrefix("丁,六汪镇东河村12号,,,,outside,,"))
        #expect(rows[5].hasPrefix("戊,大村镇南山村99号,,,,unmatched,,"))
        #expect(rows.count == 7)
        #expect(tally.rows == 6)
        #expect(tally.matched.values.reduce(0, +) == 2)
        #expect(tally.outside.map(\.line) == [4, 5])
        #expect(tally.unmatched.map(\.line) == [6])
        #expect(tally.bad.map(\.line) == [7])
        #expect(bad.reported.count == 1 && bad.reported[0].hasPrefix("ledger.csv:7: "))
        #expect(!tally.allAssigned)
        #expect(tally.report(source: "ledger.csv").hasPrefix(
            "gridmap assign: 6 rows; matched 2 (exact 1, normalized 1, fuzzy 0); ambiguous 0, unmatched 1, outside the town 2, bad 1"))
    }

    @Test("an explicit --address-column wins, and a ledger without an address column cannot start")
    func addressColumn() throws {
        let job = try AssignLedgerJob(data: F.data, atlas: F.atlas())
        let sink = MemorySink()
        let tally = try job.run(F.table("address,住址\nnowhere,大村镇东河村1号\n"), addressColumn: "住址", to: sink, badRow: { _ in })
        #expect(tally.allAssigned && tally.rows == 1)
        #expect(throws: JobError.cannotStart(
            "in.csv: no address column in the header (name); name one address/地址 or give --address-column")) {
            _ = try job.run(F.table("name\nx\n"), to: MemorySink(), badRow: { _ in })
        }
    }
}
