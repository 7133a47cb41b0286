import Foundation
import Testing

/// `gridmap assign` end to end on the tiny-town fixture, whose homes are home-1 "小镇东村1号"
/// (in TT-001-1) and home-2 "小镇东村2号" (in TT-002-2).
@Suite("gridmap assign")
struct AssignCommandTests {
    typealias Workspace = TownCommandsTests.Workspace

    @Test("each row gets its home, micro-grid, grid, method, confidence and reason, and the report counts and explains")
    func ledgerWithEveryOutcome() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let ledger = work.file("ledger.csv")
        try """
            name,地址,note
            张三,小镇东村1号,"a, b"
            李四,东村 ２号,
            王五,东材1号,typo
            赵六,东村9号,
            孙七,西湖村1号,
            钱八,六汪镇东村1号,elsewhere
            short

            """.write(to: ledger, atomically: true, encoding: .utf8)
        let report = work.file("report.txt")
        let result = try GridMapExecutable.run(["assign", ledger.path, "--report", report.path, "--db", work.db])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout == """
            name,地址,note,home,microgrid,grid,match,confidence,reason
            张三,小镇东村1号,"a, b",home-1,TT-001-1,TT-001,exact,1.00,
            李四,东村 ２号,,home-2,TT-002-2,TT-002,normalized,1.00,read as 小镇东村2号
            王五,东材1号,typo,home-1,TT-001-1,TT-001,fuzzy,0.50,read as 小镇东村1号
            赵六,东村9号,,,,,unmatched,,village 东村 has no house number 9
            孙七,西湖村1号,,,,,unmatched,,no village like 西湖村 in this town
            钱八,六汪镇东村1号,elsewhere,,,,outside,,"the address is in 六汪镇, another town"
            short,,,,,,"expected at least 2 fields, found 1"

            """)
        #expect(result.stderr.contains("\(ledger.path):8: expected at least 2 fields"), "\(result.stderr)")
        let text = try String(contentsOf: report, encoding: .utf8)
        #expect(text.contains("7 rows; matched 3 (exact 1, normalized 1, fuzzy 1); ambiguous 0, unmatched 2, outside the town 1, bad 1"), "\(text)")
        #expect(text.contains("\(ledger.path):5: 东村9号 → village 东村 has no house number 9"), "\(text)")
        #expect(text.contains("\(ledger.path):6: 西湖村1号 → no village like 西湖村 in this town"), "\(text)")
        #expect(text.contains("outside the town (another town, or a home in no micro-grid):\n  \(ledger.path):7: 六汪镇东村1号 → the address is in 六汪镇, another town"), "\(text)")
    }

    @Test("a fully matched ledger from standard input with --address-column exits 0 and reports on standard error")
    func allMatchedFromStandardInput() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let result = try GridMapExecutable.run(["assign", "-", "--address-column", "住址", "--db", work.db],
                                               stdin: "id,住址\n1,小镇东村2号\n2,东村一号\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "id,住址,home,microgrid,grid,match,confidence,reason\n"
            + "1,小镇东村2号,home-2,TT-002-2,TT-002,exact,1.00,\n2,东村一号,home-1,TT-001-1,TT-001,normalized,1.00,read as 小镇东村1号\n")
        #expect(result.stderr.contains("2 rows; matched 2 (exact 1, normalized 1, fuzzy 0)"), "\(result.stderr)")
    }

    @Test("a quoted field spanning two lines stays in its row, which is written back whole; a stray quote costs its line only, which is written back as one quoted field")
    func multiLineFields() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let result = try GridMapExecutable.run(["assign", "-", "--db", work.db],
                                               stdin: "id,note,address\n1,\"two\r\nlines\",\"小镇东村2号\"\n2,\"a\"b,x\n3,,小镇东村1号\n")
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout == "id,note,address,home,microgrid,grid,match,confidence,reason\n"
            + "1,\"two\r\nlines\",\"小镇东村2号\",home-2,TT-002-2,TT-002,exact,1.00,\n"
            + "\"2,\"\"a\"\"b,x\",,,,,,,,\"a quoted field opened on this line holds a quote that is not doubled (\"\"\"\"), or text after the closing quote\"\n"
            + "3,,小镇东村1号,home-1,TT-001-1,TT-001,exact,1.00,\n")
        #expect(result.stderr.contains("<stdin>:4: a quoted field opened on this line holds a quote"), "\(result.stderr)")
    }

    @Test("a home that lies in no micro-grid is found but reported outside the town, and the exit status is 1")
    func homeOutsideTheTown() throws {
        let work = try Workspace()
        defer { work.remove() }
        let town = try work.copyOfTinyTown(named: "town")
        let homes = town.appendingPathComponent("homes.geojson")
        let outside = #"{"type":"Feature","id":"home-3","properties":{"kind":"home","name":"东村3号","address":"小镇东村3号","houseNumber":3},"geometry":{"type":"Point","coordinates":[119.9,35.9]}}"#
        var text = try String(contentsOf: homes, encoding: .utf8)
        let end = try #require(text.range(of: "]", options: .backwards))
        text.replaceSubrange(end, with: "," + outside + "]")
        try text.write(to: homes, atomically: true, encoding: .utf8)
        // A home outside the town refuses an import unless allowed (issue #15): allowed here.
        let imported = try GridMapExecutable.run(["import", town.path, "--allow-coverage-faults", "--db", work.db])
        #expect(imported.status == 0, "\(imported.stderr)")

        let result = try GridMapExecutable.run(["assign", "-", "--db", work.db], stdin: "address\n东村3号\n")
        #expect(result.status == 1)
        #expect(result.stdout == "address,home,microgrid,grid,match,confidence,reason\n东村3号,home-3,,,normalized,1.00,home-3 lies in no micro-grid\n")
        #expect(result.stderr.contains("1 rows; matched 0 (exact 0, normalized 0, fuzzy 0); ambiguous 0, unmatched 0, outside the town 1"), "\(result.stderr)")
        #expect(result.stderr.contains("<stdin>:2: 东村3号 → home-3 lies in no micro-grid"), "\(result.stderr)")
    }

    @Test("the bundled ledger on the bundled town: the outcome counts the generator drew, and a reason on every row that needs one")
    func bundledLedger() throws {
        let work = try Workspace()
        defer { work.remove() }
        let geodata = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../geodata").standardized
        let imported = try GridMapExecutable.run(["import", geodata.appendingPathComponent("dacun").path, "--db", work.db])
        #expect(imported.status == 0, "\(imported.stderr)")
        let ledger = geodata.appendingPathComponent("dacun-ledger.csv").path
        let result = try GridMapExecutable.run(["assign", ledger, "--db", work.db, "--report", work.file("report.txt").path])
        #expect(result.status == 1, "\(result.stderr)")
        let report = try String(contentsOf: work.file("report.txt"), encoding: .utf8)
        // Known answers: the rows per outcome of the variants the generator drew (TownGeneratorTests
        // counts them, and checks each row's answer against its variant).
        #expect(report.hasPrefix("gridmap assign: 56000 rows; matched 54545 (exact 30559, normalized 21836, fuzzy 2150); "
            + "ambiguous 610, unmatched 563, outside the town 282, bad 0\n"), "\(report.prefix(300))")
        let rows = result.stdout.split(separator: "\n")
        #expect(rows.count == 56_001)
        #expect(rows.first == "序号,姓名,地址,home,microgrid,grid,match,confidence,reason")
        #expect(rows.contains("24,姜嘉辰,苓龙村9号,home-00009,DC-001-5,DC-001,fuzzy,0.67,read as 大村镇石龙村9号"))
        #expect(rows.contains("370,王依琪,六汪镇石龙村135号,,,,outside,,\"the address is in 六汪镇, another town\""))
        // Every row not matched exactly says why, or what it was read as.
        let unexplained = rows.dropFirst().filter { !$0.contains(",exact,1.00,") && $0.hasSuffix(",") }
        #expect(unexplained.isEmpty, "\(unexplained.prefix(5))")
    }

    @Test("a ledger without an address column stops with status 2, and --help shows examples")
    func setupErrorsAndHelp() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let result = try GridMapExecutable.run(["assign", "-", "--db", work.db], stdin: "id,where\n1,x\n")
        #expect(result.status == 2)
        #expect(result.stderr.contains("no address column"), "\(result.stderr)")
        let help = try GridMapExecutable.run(["assign", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Examples:"))
    }
}
