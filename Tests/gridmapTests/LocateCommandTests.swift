import CSV
import Foundation
import SeededRandom
import Testing
@testable import gridmap

/// `gridmap locate` end to end on the tiny-town fixture: two grids TT-001 (119.80–119.81°E)
/// and TT-002 (119.81–119.82°E), 35.90–35.91°N, each split at 35.905°N into -1 (south) and
/// -2 (north).
@Suite("gridmap locate")
struct LocateCommandTests {
    typealias Workspace = TownCommandsTests.Workspace

    @Test("each row gets its micro-grid and grid, edges go to the smaller code, outside stays empty")
    func knownAnswers() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let input = """
            id,lon,lat
            sw,119.805,35.902
            nw,119.805,35.908
            se,119.815,35.902
            ne,119.815,35.908
            edge,119.81,35.902
            middle,119.805,35.905
            away,119.9,35.9

            """
        let result = try GridMapExecutable.run(["locate", "--csv", "-", "--db", work.db], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            id,lon,lat,microgrid,grid
            sw,119.805,35.902,TT-001-1,TT-001
            nw,119.805,35.908,TT-001-2,TT-001
            se,119.815,35.902,TT-002-1,TT-002
            ne,119.815,35.908,TT-002-2,TT-002
            edge,119.81,35.902,TT-001-1,TT-001
            middle,119.805,35.905,TT-001-1,TT-001
            away,119.9,35.9,,

            """)
        #expect(result.stderr.contains("7 rows, 6 inside, 1 outside, 0 bad"), "\(result.stderr)")
    }

    @Test("rows keep their order and their quoted fields, and a bad row is reported by line while the rest go on")
    func quotedFieldsAndBadRows() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let file = work.file("visits.csv")
        try """
            "name, full",Latitude,Longitude,note
            "Zhang, San",35.902,119.805,"said ""hi"", left"
            broken,north,119.805,x
            short,35.9
            "Wang, Wu",35.908,119.815,
            """.write(to: file, atomically: true, encoding: .utf8)
        let result = try GridMapExecutable.run(["locate", "--csv", file.path, "--db", work.db])
        #expect(result.status == 1)
        #expect(result.stdout == """
            "name, full",Latitude,Longitude,note,microgrid,grid
            "Zhang, San",35.902,119.805,"said ""hi"", left",TT-001-1,TT-001
            broken,north,119.805,x,,
            short,35.9,,
            "Wang, Wu",35.908,119.815,,TT-002-2,TT-002

            """)
        #expect(result.stderr.contains("\(file.path):3: y is not a number"), "\(result.stderr)")
        #expect(result.stderr.contains("\(file.path):4: expected at least 3 fields"), "\(result.stderr)")
        #expect(result.stderr.contains("4 rows, 2 inside, 0 outside, 2 bad"))
    }

    @Test("projected input is transformed with --crs and columns are named with --x-column and --y-column")
    func projectedInput() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        // 119.805°E 35.902°N in EPSG:4549 (PROJ cs2cs).
        let result = try GridMapExecutable.run(
            ["locate", "--csv", "-", "--crs", "EPSG:4549", "--x-column", "east", "--y-column", "north", "--db", work.db],
            stdin: "north,east\n3974686.3435,482396.3430\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "north,east,microgrid,grid\n3974686.3435,482396.3430,TT-001-1,TT-001\n")
    }

    @Test("--crs GCJ02 takes points from Chinese online maps, in a CSV and as LON LAT")
    func gcj02Input() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        // 119.805°E 35.902°N (TT-001-1) in GCJ-02; read as WGS84 it would lie in TT-002.
        let gcj02 = (x: "119.81032266860497", y: "35.90199593473044")
        let rows = try GridMapExecutable.run(["locate", "--csv", "-", "--crs", "GCJ02", "--db", work.db],
                                             stdin: "lon,lat\n\(gcj02.x),\(gcj02.y)\n")
        #expect(rows.status == 0, "\(rows.stderr)")
        #expect(rows.stdout == "lon,lat,microgrid,grid\n\(gcj02.x),\(gcj02.y),TT-001-1,TT-001\n")
        let single = try GridMapExecutable.run(["locate", gcj02.x, gcj02.y, "--crs", "gcj-02", "--db", work.db])
        #expect(single.status == 0, "\(single.stderr)")
        #expect(single.stdout.contains("micro-grid  TT-001-1"))
        let unread = try GridMapExecutable.run(["locate", gcj02.x, gcj02.y, "--db", work.db])
        #expect(unread.stdout.contains("micro-grid  TT-002-1"))
    }

    @Test("a header without coordinate columns is refused, naming the columns it has")
    func missingColumns() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let result = try GridMapExecutable.run(["locate", "--csv", "-", "--db", work.db], stdin: "a,b\n1,2\n")
        #expect(result.status == 2)
        #expect(result.stderr.contains("no longitude or x column in the header (a,b)"), "\(result.stderr)")
    }

    @Test("a single point prints its micro-grid, grid, village and team, or how far outside it is")
    func singlePoint() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let inside = try GridMapExecutable.run(["locate", "119.805", "35.902", "--db", work.db])
        #expect(inside.status == 0, "\(inside.stderr)")
        #expect(inside.stdout.contains("micro-grid  TT-001-1"))
        #expect(inside.stdout.contains("grid        TT-001"))
        #expect(inside.stdout.contains("village     "))
        #expect(inside.stdout.contains("chief       李网格长  13700000001"))
        #expect(inside.stdout.contains("liaison     赵联络员  13700000002"))
        // 0.001° of latitude south of the town is about 111 m.
        let outside = try GridMapExecutable.run(["locate", "119.805", "35.899", "--db", work.db])
        #expect(outside.status == 0, "\(outside.stderr)")
        #expect(outside.stdout.contains("outside the town, 111 m from the nearest micro-grid TT-001-1"), "\(outside.stdout)")
    }

    @Test("200,000 rows stream through in batches and keep their order")
    func largeInputStreams() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let count = 200_000
        var text = "n,lon,lat\n"
        text.reserveCapacity(count * 30)
        for n in 0..<count {
            // Longitudes sweep west to east across both grids; every tenth row is outside.
            let lon = n % 10 == 9 ? 119.9 : 119.8001 + Double(n % 1000) * 0.0000198
            text += "\(n),\(lon),35.902\n"
        }
        let file = work.file("many.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let result = try GridMapExecutable.run(["locate", "--csv", file.path, "--db", work.db])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == count + 2)  // header, rows, and the empty string after the last newline
        #expect(lines[1] == "0,119.8001,35.902,TT-001-1,TT-001")
        #expect(lines[10] == "9,119.9,35.902,,")
        #expect(lines[count].hasPrefix("\(count - 1),119.9,"))
        #expect(lines[70_001].hasPrefix("70000,119.8001,") && lines[70_001].hasSuffix("TT-001-1,TT-001"))
        #expect(lines[70_901].hasPrefix("70900,") && lines[70_901].hasSuffix("TT-002-1,TT-002"))
        #expect(result.stderr.contains("200000 rows, 180000 inside, 20000 outside, 0 bad"), "\(result.stderr)")
    }

    @Test("RFC 4180: quoted fields span lines and keep them, CRLF and a BOM are read, errors name the record's first line")
    func multiLineQuotedFields() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let input = "\u{FEFF}id,note,lon,lat\r\n"
            + "a,\"two\r\nlines, and a comma\",119.805,35.902\r\n"
            + "\r\n"
            + "b,\"three\nlines \"\"quoted\"\"\n\",119.815,35.908\r\n"
            + "c,\"after them\",119.805,north\r\n"
            + "d,  \"spaced\"  ,\" 119.815 \",35.902"
        let result = try GridMapExecutable.run(["locate", "--csv", "-", "--db", work.db], stdin: input)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout == "id,note,lon,lat,microgrid,grid\n"
            + "a,\"two\r\nlines, and a comma\",119.805,35.902,TT-001-1,TT-001\n"
            + "b,\"three\nlines \"\"quoted\"\"\n\",119.815,35.908,TT-002-2,TT-002\n"
            + "c,\"after them\",119.805,north,,\n"
            + "d,  \"spaced\"  ,\" 119.815 \",35.902,TT-002-1,TT-002\n")
        // Header 1, a 2–3, blank 4, b 5–7, c 8.
        #expect(result.stderr.contains("<stdin>:8: y is not a number: \"north\""), "\(result.stderr)")
        #expect(result.stderr.contains("4 rows, 3 inside, 0 outside, 1 bad"), "\(result.stderr)")
    }

    @Test("a stray or unclosed quote costs its own line only: reported by line, written as one quoted field with empty codes, the rest go on")
    func strayQuotes() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let file = work.file("quotes.csv")
        try """
            id,lon,lat
            "stray"x,119.805,35.902
            5" pipe,119.815,35.902
            "open,119.805,35.902
            next,119.805,35.908
            "still open,119.815,35.908
            """.write(to: file, atomically: true, encoding: .utf8)
        let result = try GridMapExecutable.run(["locate", "--csv", file.path, "--db", work.db])
        #expect(result.status == 1)
        #expect(result.stdout == """
            id,lon,lat,microgrid,grid
            \"""stray""x,119.805,35.902",,,,
            5" pipe,119.815,35.902,TT-002-1,TT-002
            \"""open,119.805,35.902",,,,
            next,119.805,35.908,TT-001-2,TT-001
            \"""still open,119.815,35.908",,,,

            """)
        #expect(result.stderr.contains("\(file.path):2: a quoted field opened on this line holds a quote that is not doubled"), "\(result.stderr)")
        // Line 4's quote runs on to line 6's, which is not followed by a comma: line 4 is the bad one.
        #expect(result.stderr.contains("\(file.path):4: a quoted field opened on this line holds a quote"), "\(result.stderr)")
        #expect(result.stderr.contains("\(file.path):6: a quoted field opened on this line is not closed by the end of the input"), "\(result.stderr)")
        #expect(result.stderr.contains("5 rows, 2 inside, 0 outside, 3 bad"), "\(result.stderr)")
    }

    @Test("200,000 random rows from stdin, some quoted, multi-line or CRLF, across read blocks: order kept, each on the locate rule")
    func largeRandomInputMatchesTheRule() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        var random = SplitMix64(seed: 20_261_129)
        let count = 200_000
        var input = "id,note,lat,lon\n"
        var expected = "id,note,lat,lon,microgrid,grid\n"
        for n in 0..<count {
            // Coordinates in units of 0.0001°, over the town and a margin around it, so that many
            // points fall exactly on edges: 119.7980–119.8220°E, 35.8980–35.9120°N.
            let lon = 1_197_980 + Int(random.next() % 241), lat = 358_980 + Int(random.next() % 141)
            let note = switch random.next() % 8 {
            case 0: "\"line\none, \"\"two\"\"\""
            case 1: "\"comma, inside\""
            default: "n\(n)"
            }
            let row = "\(n),\(note),\(Self.decimal(lat)),\(Self.decimal(lon))"
            input += row + (random.next() % 4 == 0 ? "\r\n" : "\n")
            expected += row + "," + Self.tinyTownCodes(lon: lon, lat: lat) + "\n"
        }
        #expect(input.utf8.count > CSVRecordReader.blockSize, "the input should need more than one read block")
        let result = try GridMapExecutable.run(["locate", "--csv", "-", "--db", work.db], stdin: input)
        #expect(result.status == 0, "\(result.stderr.prefix(500))")
        #expect(result.stdout == expected)
        #expect(result.stderr.contains("\(count) rows"), "\(result.stderr)")
    }

    /// `units` ten-thousandths of a degree as a decimal ("119.8050").
    static func decimal(_ units: Int) -> String {
        let fraction = String(units % 10_000)
        return "\(units / 10_000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }

    /// The tiny town's answer, from its rectangles: grids meet at 119.81°E, micro-grids at
    /// 35.905°N; a point on an edge goes to the smallest code covering it (TT-001 before TT-002,
    /// -1 before -2). Coordinates in units of 0.0001°.
    static func tinyTownCodes(lon: Int, lat: Int) -> String {
        guard (1_198_000...1_198_200).contains(lon), (359_000...359_100).contains(lat) else { return "," }
        let grid = lon <= 1_198_100 ? "TT-001" : "TT-002"
        return "\(grid)-\(lat <= 359_050 ? 1 : 2),\(grid)"
    }
}
