import ByteOutput
import CSV
import GridMapApp
import Testing

@Suite("Locating a point CSV in-process")
struct LocatePointsJobTests {
    typealias F = StreamFixtures

    @Test("every row comes out once, in order, verbatim, with microgrid and grid appended")
    func rowsInRowsOut() throws {
        let input = "id,note,LON,Lat\r\n1,\"a, \"\"b\"\"\",119.805,35.905\n2,\"two\nlines\",119.815,35.905\n\n3,far,119.9,35.905\n"
        let sink = MemorySink(), bad = BadRows()
        let summary = try LocatePointsJob(atlas: F.atlas()).run(F.table(input), to: sink, badRow: bad.add)
        #expect(sink.string == #"""
            id,note,LON,Lat,microgrid,grid
            1,"a, ""b""",119.805,35.905,DC-001-1,DC-001
            2,"two
            lines",119.815,35.905,DC-001-2,DC-001
            3,far,119.9,35.905,,

            """#)
        #expect(summary == .init(rows: 3, inside: 2, outside: 1, bad: 0))
        #expect(bad.reported.isEmpty)
    }

    @Test("bad rows are reported by the line they start on and still written with empty codes")
    func badRowsByLine() throws {
        let input = "lon,lat\n119.805,35.905\nabc,35.9\n\"multi\nline\",x\n119.805\n119.815,35.905\n"
        let sink = MemorySink(), bad = BadRows()
        let summary = try LocatePointsJob(atlas: F.atlas()).run(F.table(input, name: "points.csv"), to: sink, badRow: bad.add)
        #expect(bad.reported == [
            "points.csv:3: x is not a number: \"abc\"",
            "points.csv:4: x is not a number: \"\"multi\nline\"\"",
            "points.csv:6: expected at least 2 fields, found 1",
        ])
        #expect(summary.rows == 5 && summary.bad == 3 && summary.inside == 2)
        #expect(sink.string.split(separator: "\n", omittingEmptySubsequences: false).count == 1 + 6 + 1)
        #expect(sink.string.hasSuffix("119.805,,\n119.815,35.905,DC-001-2,DC-001\n"))
    }

    @Test("--x-column and --y-column win over the aliases, and a source CRS is transformed to WGS84")
    func namedColumnsAndCRS() throws {
        // 119.805 °E 35.905 °N in EPSG:4549 (gridmap transform, as PROJ gives it).
        let input = "x,y,east,north\n0,0,482397.007,3975019.216\n"
        let sink = MemorySink()
        let settings = PointCSVSettings(xColumn: "EAST", yColumn: "north", crs: "EPSG:4549")
        let summary = try LocatePointsJob(atlas: F.atlas()).run(F.table(input), settings, to: sink, badRow: { _ in })
        #expect(sink.string == "x,y,east,north,microgrid,grid\n0,0,482397.007,3975019.216,DC-001-1,DC-001\n")
        #expect(summary.inside == 1)
    }

    @Test("a header without coordinates cannot start, naming the header and the accepted names")
    func missingColumn() throws {
        let job = try LocatePointsJob(atlas: F.atlas())
        #expect(throws: JobError.cannotStart(
            "in.csv: no longitude or x column in the header (a,b); name one lon/lng/long/longitude/x or give --x-column")) {
            _ = try job.run(F.table("a,b\n1,2\n"), to: MemorySink(), badRow: { _ in })
        }
        #expect(throws: JobError.cannotStart("in.csv: no column 'east' in the header (lon,lat)")) {
            _ = try job.run(F.table("lon,lat\n1,2\n"), PointCSVSettings(xColumn: "east"), to: MemorySink(), badRow: { _ in })
        }
        #expect(throws: JobError.self) {
            _ = try job.run(F.table("lon,lat\n1,2\n"), PointCSVSettings(crs: "EPSG:0"), to: MemorySink(), badRow: { _ in })
        }
    }

    @Test("a sink that cannot be written stops the job with the write error")
    func writeErrorSurfaces() throws {
        #expect(throws: JobError.cannotStart("cannot write to standard output: No space left on device")) {
            _ = try LocatePointsJob(atlas: F.atlas()).run(F.table("lon,lat\n119.805,35.905\n"), to: FailingSink(), badRow: { _ in })
        }
    }
}
