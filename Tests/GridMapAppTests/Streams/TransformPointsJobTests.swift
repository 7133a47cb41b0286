import ByteOutput
import CSV
import GridMapApp
import Testing

@Suite("Transforming a CSV between CRSs in-process")
struct TransformPointsJobTests {
    typealias F = StreamFixtures

    @Test("x,y go to EPSG:4549 in millimetres (cs2cs answer), the header and the rest of each row pass through")
    func knownAnswer() throws {
        let job = try TransformPointsJob(from: "EPSG:4326", to: "EPSG:4549")
        let sink = MemorySink(), bad = BadRows()
        let input = "lon,lat,name\n119.8,35.9,\"a,b\"\nabc,1\n119.8\n"
        let summary = try job.run(F.table(input, hasHeader: false), to: sink, badRow: bad.add)
        #expect(sink.string == "lon,lat,name\n481944.512,3974465.341,\"a,b\"\n")
        #expect(summary == .init(rows: 1, bad: 2))
        #expect(bad.reported == ["in.csv:3: x is not a number: \"abc\"", "in.csv:4: expected x,y but found a single column"])
    }

    @Test("a geographic target gets 7 decimals; a point PROJ cannot transform is a bad row")
    func backToDegrees() throws {
        let job = try TransformPointsJob(from: "EPSG:4549", to: "EPSG:4326")
        #expect(job.precision == 7)
        let sink = MemorySink(), bad = BadRows()
        _ = try job.run(F.table("481944.5123,3974465.3411\n1e30,1e30\n", hasHeader: false), to: sink, badRow: bad.add)
        #expect(sink.string == "119.8000000,35.9000000\n")
        #expect(bad.reported.count == 1 && bad.reported[0].hasPrefix("in.csv:2: cannot transform (1e+30, 1e+30): "))
    }

    @Test("an unknown CRS cannot start; a precision out of range is an invalid request")
    func refusals() {
        #expect { _ = try TransformPointsJob(from: "EPSG:0", to: "EPSG:4326") } throws: { ($0 as? JobError)?.kind == .cannotStart }
        #expect(throws: JobError.invalidRequest("--precision must be between 0 and 17, got 18.")) {
            _ = try TransformPointsJob(from: "EPSG:4326", to: "EPSG:4549", precision: 18)
        }
    }
}
