import Foundation
import Testing

/// `gridmap transform` end to end: the built binary, real stdin/stdout/stderr and exit status.
@Suite("gridmap transform")
struct TransformCommandTests {
    private let toGaussKruger = ["transform", "--from", "EPSG:4326", "--to", "EPSG:4549"]

    @Test("a lon/lat row becomes CGCS2000 Gauss-Kruger easting,northing in millimetres (cs2cs answer)")
    func knownAnswer() throws {
        // cs2cs -f %.4f EPSG:4326 EPSG:4549 <<< "35.9 119.8" → 3974465.3411 481944.5123
        let result = try GridMapExecutable.run(toGaussKruger, stdin: "119.8,35.9\n")
        #expect(result.status == 0)
        #expect(result.stdout == "481944.512,3974465.341\n")
        #expect(result.stderr.isEmpty)
    }

    @Test("GCJ-02 and BD-09 points come back to WGS84 and go on to Gauss-Kruger through PROJ")
    func chineseOnlineMaps() throws {
        // coordtransform's README (github.com/wandergis/coordtransform): wgs84togcj02(116.404, 39.915)
        // = (116.41024449916938, 39.91640428150164).
        let amap = try GridMapExecutable.run(["transform", "--from", "GCJ02", "--to", "EPSG:4326"],
                                             stdin: "116.41024449916938,39.91640428150164,AMap\n")
        #expect(amap.status == 0, "\(amap.stderr)")
        #expect(amap.stdout == "116.4040000,39.9150000,AMap\n")
        // Dacun's point to Baidu and on from Baidu to EPSG:4549: the cs2cs answer of knownAnswer.
        let baidu = try GridMapExecutable.run(["transform", "--from", "EPSG:4326", "--to", "bd-09", "--precision", "12"],
                                              stdin: "119.8,35.9\n")
        #expect(baidu.status == 0 && baidu.stdout != "119.800000000000,35.900000000000\n", "\(baidu.stdout)")
        let metres = try GridMapExecutable.run(["transform", "--from", "BD09", "--to", "EPSG:4549"], stdin: baidu.stdout)
        #expect(metres.status == 0, "\(metres.stderr)")
        #expect(metres.stdout == "481944.512,3974465.341\n")
    }

    @Test("a geographic target gets 7 decimals and --precision overrides the default")
    func precision() throws {
        let back = try GridMapExecutable.run(
            ["transform", "--from", "EPSG:4549", "--to", "EPSG:4326"], stdin: "481944.5123,3974465.3411\n")
        #expect(back.stdout == "119.8000000,35.9000000\n")
        let coarse = try GridMapExecutable.run(toGaussKruger + ["--precision", "1"], stdin: "119.8,35.9\n")
        #expect(coarse.stdout == "481944.5,3974465.3\n")
        let invalid = try GridMapExecutable.run(toGaussKruger + ["--precision", "-1"], stdin: "119.8,35.9\n")
        #expect(invalid.status != 0)
    }

    @Test("the rest of each row is passed through untouched, CRLF endings dropped")
    func restOfRowKept() throws {
        let result = try GridMapExecutable.run(
            toGaussKruger, stdin: "119.8,35.9,well 7,\"a,b\",,\r\n119.6,35.75,\n 119.95 , 36.1 ,x\n")
        #expect(result.status == 0)
        #expect(result.stdout == """
            481944.512,3974465.341,well 7,"a,b",,
            463820.945,3957877.284,
            495497.514,3996639.821,x

            """)
    }

    @Test("a header on line 1 is passed through, even when it is the only line")
    func headerKept() throws {
        let result = try GridMapExecutable.run(toGaussKruger, stdin: "lon,lat,name\n119.8,35.9,school\n")
        #expect(result.status == 0)
        #expect(result.stdout == "lon,lat,name\n481944.512,3974465.341,school\n")
        let onlyHeader = try GridMapExecutable.run(toGaussKruger, stdin: "lon,lat\n")
        #expect(onlyHeader.status == 0 && onlyHeader.stdout == "lon,lat\n")
    }

    @Test("bad rows are reported as FILE:LINE and skipped, good rows go on, exit status is 1")
    func badRowsReported() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = """
            x,y,id
            119.8,35.9,1
            abc,35.9,2
            119.8
            119.6,35.75,4
            119.8,95,5
            119.7,nan,6
            119.95,36.1,7

            """
        try csv.write(to: directory.appendingPathComponent("points.csv"), atomically: true, encoding: .utf8)
        let result = try GridMapExecutable.run(toGaussKruger + ["points.csv"], in: directory)
        #expect(result.status == 1)
        #expect(result.stdout == """
            x,y,id
            481944.512,3974465.341,1
            463820.945,3957877.284,4
            495497.514,3996639.821,7

            """)
        let reports = result.stderr.split(separator: "\n")
        #expect(reports.count == 4)
        #expect(reports.allSatisfy { $0.hasPrefix("points.csv:") })
        #expect(reports.contains { $0.hasPrefix("points.csv:3: x is not a number") })
        #expect(reports.contains { $0.hasPrefix("points.csv:4: ") && $0.contains("column") })
        #expect(reports.contains { $0.hasPrefix("points.csv:6: cannot transform") && $0.contains("latitude") })
        #expect(reports.contains { $0.hasPrefix("points.csv:7: y is not a number") })
    }

    @Test("a non-numeric line after line 1 is a bad row, not a header; stdin is named <stdin>")
    func headerOnlyOnLineOne() throws {
        let result = try GridMapExecutable.run(toGaussKruger, stdin: "119.8,35.9\nlon,lat\n")
        #expect(result.status == 1)
        #expect(result.stdout == "481944.512,3974465.341\n")
        #expect(result.stderr.hasPrefix("<stdin>:2: x is not a number"))
    }

    @Test("rows spanning several batches keep their order and their line numbers")
    func manyBatches() throws {
        let rowCount = 70_000  // more than one 65,536-row batch
        var input = ""
        for index in 1...rowCount {
            input += index == 66_000 ? "119.8,95,\(index)\n" : "119.8,35.9,\(index)\n"
        }
        let result = try GridMapExecutable.run(toGaussKruger + ["-"], stdin: input)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("<stdin>:66000: cannot transform"))
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == rowCount - 1)
        #expect(lines.first == "481944.512,3974465.341,1")
        #expect(lines.last == "481944.512,3974465.341,\(rowCount)")
        #expect(lines[65_998] == "481944.512,3974465.341,65999" && lines[65_999] == "481944.512,3974465.341,66001")
    }

    @Test("quoted coordinates and a quoted field spanning lines: the rest of the row is kept whole, lines counted from its start")
    func multiLineRest() throws {
        let result = try GridMapExecutable.run(toGaussKruger, stdin: "x,y,note\r\n\"119.8\",35.9,\"two\nlines, one field\"\r\n119.8,abc,3\n")
        #expect(result.status == 1)
        #expect(result.stdout == "x,y,note\n481944.512,3974465.341,\"two\nlines, one field\"\n")
        #expect(result.stderr.hasPrefix("<stdin>:4: y is not a number: \"abc\""), "\(result.stderr)")
    }

    @Test("an unknown CRS is a clear error naming it, with a non-zero exit", arguments: ["EPSG:999999", "foo"])
    func unknownCRS(definition: String) throws {
        let result = try GridMapExecutable.run(["transform", "--from", definition, "--to", "EPSG:4549"], stdin: "1,2\n")
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("unknown CRS \"\(definition)\""))
    }

    @Test("a missing file is reported by name with a non-zero exit")
    func missingFile() throws {
        let result = try GridMapExecutable.run(toGaussKruger + ["/nonexistent/points.csv"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/points.csv"))
    }

    @Test("help explains the command with an example")
    func help() throws {
        let result = try GridMapExecutable.run(["transform", "--help"])
        #expect(result.status == 0)
        for text in ["Examples:", "gridmap transform --from EPSG:4326 --to EPSG:4549", "--precision", "FILE:LINE"] {
            #expect(result.stdout.contains(text), "help lacks \(text)")
        }
    }
}
