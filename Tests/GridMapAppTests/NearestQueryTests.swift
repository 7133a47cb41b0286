import ByteOutput
import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
import GridStore
import SeededRandom
import Testing

@Suite("Nearest queries over the bare read")
struct NearestQueryTests {
    static func coordinate(_ low: Double, _ span: Double, _ random: inout SplitMix64) -> Double {
        low + span * Double(random.next() % 1_000_000) / 1_000_000
    }

    /// `count` wells with a property, seeded, inside the town.
    static func wells(_ count: Int, _ random: inout SplitMix64) -> [MapFeature] {
        (1...count).map { number in
            MapFeature(id: "well-x\(number)", kind: .well, name: "井\(number)",
                       geometry: .point(Position(x: coordinate(119.8005, 0.019, &random), y: coordinate(35.9005, 0.009, &random))),
                       properties: ["depth_m": .string("\(number)")])
        }
    }

    @Test("the town read bare for one kind answers exactly as the whole town does, by line and by road, for every k and grid rule")
    func bareReadAnswersAlike() throws {
        let town = try TestTown()
        defer { town.remove() }
        // 400 more wells with properties and 20 fields (polygons), seeded, inside the town; the
        // query points go beyond it too.
        var data = try #require(try town.store.loadTown())
        var random = SplitMix64(seed: 15)
        func coordinate(_ low: Double, _ span: Double) -> Double { Self.coordinate(low, span, &random) }
        data.features += Self.wells(400, &random)
        for number in 1...20 {
            let (x, y) = (coordinate(119.8, 0.018), coordinate(35.9, 0.008))
            let ring = [Position(x: x, y: y), Position(x: x + 0.001, y: y), Position(x: x + 0.001, y: y + 0.001),
                        Position(x: x, y: y + 0.001), Position(x: x, y: y)]
            data.features.append(MapFeature(id: "field-\(number)", kind: .field, name: "田\(number)", geometry: .polygon([ring]),
                                            properties: ["crop": .string("wheat")]))
        }
        try town.store.importTown(data, source: "nearest test")
        let whole = try LoadedTown.data(from: town.store, .features)
        var compared = 0
        for name in ["wells", "field", "roads"] {
            for metric in NearestQuery.Metric.allCases {
                let (kind, bare) = try NearestQuery.town(from: town.store, kind: name, withRoads: metric == .road)
                let full = try LoadedTown(data: whole, indexing: [kind])
                #expect(bare.data.features.allSatisfy { $0.properties.isEmpty || $0.kind == .road })
                for _ in 0..<25 {
                    var query = NearestQuery(kind: kind, longitude: coordinate(119.79, 0.04), latitude: coordinate(35.895, 0.02))
                    (query.k, query.sameGrid, query.metric) = (Int(random.next() % 6) + 1, random.next() % 2 == 0, metric)
                    // A point whose piece of road reaches no feature of the kind is refused, alike.
                    let expected = Result { () throws(JobError) in try query.answer(on: full) { _ in } }
                    let answer = Result { () throws(JobError) in try query.answer(on: bare) { _ in } }
                    switch (expected, answer) {
                    case (.success(let expected), .success(let answer)):
                        #expect(answer.features == expected.features && answer.unjoined == expected.unjoined
                                && answer.outsideTown == expected.outsideTown, "\(name) \(query)")
                        compared += expected.features.count
                    case (.failure(let expected), .failure(let answer)):
                        #expect(answer == expected && metric == .road, "\(name) \(query)")
                    default:
                        Issue.record("one town answers and the other refuses: \(expected) \(answer), \(name) \(query)")
                    }
                }
            }
        }
        #expect(compared > 300)
    }

    @Test("batch nearest by road (one search from every well) gives each row the one-point query's well and distance")
    func batchByRoadMatchesOnePoint() throws {
        let town = try TestTown()
        defer { town.remove() }
        var data = try #require(try town.store.loadTown())
        var random = SplitMix64(seed: 12)
        func coordinate(_ low: Double, _ span: Double) -> Double { Self.coordinate(low, span, &random) }
        data.features += Self.wells(60, &random)
        // Two wells at one spot: the tie goes to the smaller id, in both.
        for id in ["well-tie-b", "well-tie-a"] {
            data.features.append(MapFeature(id: id, kind: .well, name: id, geometry: .point(Position(x: 119.8102, y: 35.9061))))
        }
        try town.store.importTown(data, source: "batch nearest test")
        let (kind, loaded) = try NearestQuery.town(from: town.store, kind: "wells", withRoads: true)
        var csv = "id,lon,lat\n"
        var points: [(Double, Double)] = [(119.8102, 35.9061), (119.8196, 35.9094)]   // at the tie; on road-9, cut off
        for _ in 0..<300 { points.append((coordinate(119.80, 0.02), coordinate(35.90, 0.01))) }
        for (i, point) in points.enumerated() { csv += "p\(i),\(point.0),\(point.1)\n" }
        for limit in [Double.infinity, 400] {
            let sink = MemorySink()
            let job = try NearestPointsJob(roadsOf: loaded, kind: kind, maxDistance: limit) { _ in }
            let summary = try job.run(StreamFixtures.table(csv), to: sink, badRow: { _ in })
            let rows = sink.string.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            #expect(rows.count == points.count && summary.bad == 0)
            var found = 0
            for (i, point) in points.enumerated() {
                var query = NearestQuery(kind: kind, longitude: point.0, latitude: point.1)
                (query.metric, query.maxDistance) = (.road, limit)
                let one = Result { () throws(JobError) in try query.answer(on: loaded) { _ in } }
                let expected = (try? one.get())?.features.first
                #expect(String(rows[i][3]) == (expected?.id ?? ""), "p\(i) \(point) within \(limit)")
                #expect(String(rows[i][4]) == (expected.map { String(format: "%.2f", $0.distance) } ?? ""), "p\(i)")
                found += expected == nil ? 0 : 1
            }
            #expect(summary.found == found && found > 100)
            #expect(rows[0][3] == "well-tie-a" && rows[1][3] == "", "\(rows[0]) \(rows[1])")
        }
    }
}
