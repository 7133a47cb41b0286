import ByteOutput
import CSV
import GridMapApp
import GridMapCore
import Testing

@Suite("The nearest feature for each row of a point CSV, in-process")
struct NearestPointsJobTests {
    typealias F = StreamFixtures

    @Test("each row gets the nearest well and its distance in metres; none within reach leaves the fields empty")
    func nearestWell() throws {
        let atlas = try F.atlas()
        let input = "id,lng,latitude\nw,119.805,35.905\ne,119.815,35.905\nbad,x,1\n"
        let sink = MemorySink(), bad = BadRows()
        let summary = try NearestPointsJob(atlas: atlas, kind: .well, maxDistance: 100)
            .run(F.table(input), to: sink, badRow: bad.add)
        // 0.0005° of longitude at 35.905 °N is about 45 m.
        let rows = sink.string.split(separator: "\n").map(String.init)
        #expect(rows[0] == "id,lng,latitude,nearest_id,nearest_distance_m")
        #expect(rows[1] == "w,119.805,35.905,well-a,0.00")
        #expect(rows[2].hasPrefix("e,119.815,35.905,well-b,45."))
        #expect(rows[3] == "bad,x,1,,")
        #expect(summary == .init(rows: 3, found: 2, bad: 1))
        #expect(bad.reported == ["in.csv:4: x is not a number: \"x\""])

        let near = try NearestPointsJob(atlas: atlas, kind: .well, maxDistance: 10).run(F.table(input), to: MemorySink(), badRow: { _ in })
        #expect(near.found == 1)
    }
}
