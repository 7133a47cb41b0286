import Foundation
import GEOS
import GeoJSON
import GridMapCore
import SeededRandom
import Testing

/// Nearest: the k nearest features of a kind, in metres in the working CRS, ties by id;
/// checked against brute force over the same features projected with the town's ``Projection``
/// (and, for lines and polygons, GEOS `distance` in the working CRS).
@Suite("Atlas nearest: the k nearest features by straight line, ties by id")
struct AtlasNearestTests {
    typealias F = CoverageFixtures

    /// The grid each point feature lies in, by the Atlas's own locate.
    static func gridOfPointFeature(_ data: TownData, _ atlas: Atlas) -> [String: GridCode] {
        var grid: [String: GridCode] = [:]
        for feature in data.features {
            guard case .point(let position) = feature.geometry,
                  let index = atlas.microGridIndex(longitude: position.x, latitude: position.y) else { continue }
            grid[feature.id] = atlas.microGrids[index].gridCode
        }
        return grid
    }

    /// The lattice town with `count` seeded wells.
    static func townWithWells(_ count: Int) -> TownData {
        var data = AtlasTestTowns.lattice().data
        var random = SplitMix64(seed: 5)
        for index in 0..<count {
            let position = F.position(Double.random(in: 0...6_000, using: &random), Double.random(in: 0...6_000, using: &random))
            data.features.append(MapFeature(id: "well-\(index)", kind: .well, name: "", geometry: .point(position)))
        }
        return data
    }

    /// Brute force: every point feature of a kind, projected once; a query measures them all
    /// and sorts by (distance, id).
    struct BruteForce {
        let transformer: Projection
        let features: [(id: String, position: Position)]

        init(_ data: TownData, kind: FeatureKind) throws {
            transformer = try Projection(workingCRS: data.town.workingCRS)
            features = try data.features.filter { $0.kind == kind }.compactMap { [transformer] feature in
                guard case .point(let position) = try transformer.transform(feature.geometry) else { return nil }
                return (feature.id, position)
            }
        }

        func nearest(_ point: Position, k: Int, maxDistance: Double = .infinity,
                     among allowed: Set<String>? = nil) throws -> [(String, Double)] {
            guard case .point(let query) = try transformer.transform(.point(point)) else { return [] }
            var found: [(String, Double)] = []
            for (id, position) in features where allowed?.contains(id) ?? true {
                let distance = ((position.x - query.x) * (position.x - query.x) + (position.y - query.y) * (position.y - query.y)).squareRoot()
                if distance <= maxDistance { found.append((id, distance)) }
            }
            found.sort { ($0.1, $0.0) < ($1.1, $1.0) }
            return Array(found.prefix(k))
        }
    }

    @Test("k nearest wells agree with brute force for random points, k = 1, 3 and 10")
    func agreesWithBruteForce() throws {
        let data = Self.townWithWells(300)
        let atlas = try Atlas(data)
        let bruteForce = try BruteForce(data, kind: .well)
        var random = SplitMix64(seed: 8)
        for query in 0..<60 {
            let point = F.position(Double.random(in: -500...6_500, using: &random), Double.random(in: -500...6_500, using: &random))
            let k = [1, 3, 10][query % 3]
            let found = try atlas.nearest(.well, longitude: point.x, latitude: point.y, k: k)
            let expected = try bruteForce.nearest(point, k: k)
            #expect(found.map(\.id) == expected.map(\.0))
            for (got, want) in zip(found, expected) { #expect(abs(got.distance - want.1) < 1e-6) }
        }
    }

    @Test("the batch answers equal the single answers, row by row")
    func batchEqualsSingle() throws {
        let data = Self.townWithWells(200)
        let atlas = try Atlas(data)
        var random = SplitMix64(seed: 12)
        let points = (0..<40_000).map { _ in
            F.position(Double.random(in: 0...6_000, using: &random), Double.random(in: 0...6_000, using: &random))
        }
        let table = try atlas.nearestAll(.well, longitudes: points.map(\.x), latitudes: points.map(\.y), k: 2)
        for i in stride(from: 0, to: points.count, by: 997) {
            let single = try atlas.nearest(.well, longitude: points[i].x, latitude: points[i].y, k: 2)
            #expect(single.map(\.id) == [table.ids[Int(table.features[2 * i])], table.ids[Int(table.features[2 * i + 1])]])
        }
    }

    @Test("equally distant features come in id order, and k beyond the count gives them all")
    func tiesGoByID() throws {
        var data = F.cleanTown()
        data.features = ["well-c", "well-a", "well-b"].map {
            MapFeature(id: $0, kind: .well, name: "", geometry: .point(F.position(1000, 1000)))
        }
        let atlas = try Atlas(data)
        let point = F.position(1100, 1000)
        let found = try atlas.nearest(.well, longitude: point.x, latitude: point.y, k: 5)
        #expect(found.map(\.id) == ["well-a", "well-b", "well-c"])
        #expect(abs(found[0].distance - 100) < 0.5)
    }

    @Test("maxDistance drops farther features; a kind with no features gives nothing")
    func maxDistanceAndMissingKind() throws {
        let data = F.cleanTown()   // wells at 60 % of each 1500 m grid: (900, 900), (2400, 900), …
        let atlas = try Atlas(data)
        let point = F.position(900, 1000)
        let near = try atlas.nearest(.well, longitude: point.x, latitude: point.y, k: 4, maxDistance: 150)
        #expect(near.map(\.id) == ["well-1"])
        let all = try atlas.nearest(.well, longitude: point.x, latitude: point.y, k: 4)
        #expect(all.count == 4)
        #expect(try atlas.nearest(.clinic, longitude: point.x, latitude: point.y, k: 3).isEmpty)
        #expect(throws: AtlasError.self) { try atlas.nearest(.well, longitude: point.x, latitude: point.y, k: -1) }
    }

    @Test("sameGrid keeps only features in the point's grid, even when a nearer one is across the border")
    func sameGridIgnoresNeighbours() throws {
        var data = F.cleanTown()
        data.features = [
            MapFeature(id: "well-west", kind: .well, name: "", geometry: .point(F.position(1000, 500))),   // DC-001
            MapFeature(id: "well-east", kind: .well, name: "", geometry: .point(F.position(1520, 500))),  // DC-002
        ]
        let atlas = try Atlas(data)
        let point = F.position(1490, 500)   // in DC-001, 30 m from well-east
        #expect(try atlas.nearest(.well, longitude: point.x, latitude: point.y).map(\.id) == ["well-east"])
        #expect(try atlas.nearest(.well, longitude: point.x, latitude: point.y, sameGrid: true).map(\.id) == ["well-west"])
        let outside = F.position(-100, 500)
        #expect(try atlas.nearest(.well, longitude: outside.x, latitude: outside.y, sameGrid: true).isEmpty)
    }

    @Test("sameGrid agrees with brute force over the features located in the same grid")
    func sameGridAgreesWithBruteForce() throws {
        let data = Self.townWithWells(400)
        let atlas = try Atlas(data)
        let gridOfWell = Self.gridOfPointFeature(data, atlas)
        let bruteForce = try BruteForce(data, kind: .well)
        var random = SplitMix64(seed: 21)
        for _ in 0..<30 {
            let point = F.position(Double.random(in: 0...6_000, using: &random), Double.random(in: 0...6_000, using: &random))
            let microGrid = try #require(atlas.microGridIndex(longitude: point.x, latitude: point.y))
            let grid = atlas.microGrids[microGrid].gridCode
            let allowed = Set(gridOfWell.filter { $0.value == grid }.keys)
            let found = try atlas.nearest(.well, longitude: point.x, latitude: point.y, k: 3, sameGrid: true)
            #expect(found.map(\.id) == (try bruteForce.nearest(point, k: 3, among: allowed)).map(\.0))
        }
    }

    @Test("random k, maxDistance and sameGrid on wells sharing positions agree with brute force")
    func randomOptionsWithTies() throws {
        // 150 positions, each holding one to three wells: many exact ties, broken by id.
        var data = AtlasTestTowns.lattice().data
        var random = SplitMix64(seed: 33)
        for site in 0..<150 {
            let position = F.position(Double.random(in: 0...6_000, using: &random), Double.random(in: 0...6_000, using: &random))
            for copy in 0..<Int.random(in: 1...3, using: &random) {
                data.features.append(MapFeature(id: "well-\((site * 7 + copy * 131) % 1000)-\(copy)", kind: .well, name: "",
                                                geometry: .point(position)))
            }
        }
        let atlas = try Atlas(data)
        let gridOfWell = Self.gridOfPointFeature(data, atlas)
        let bruteForce = try BruteForce(data, kind: .well)
        let points = (0..<200).map { _ in
            F.position(Double.random(in: -300...6_300, using: &random), Double.random(in: -300...6_300, using: &random))
        }
        for round in 0..<6 {
            let k = [1, 2, 5, 40, 400, 1000][round]   // the last two exceed the well count (about 300)
            let maxDistance = round % 2 == 0 ? Double.infinity : Double.random(in: 100...1_500, using: &random)
            let sameGrid = round >= 3
            let table = try atlas.nearestAll(.well, longitudes: points.map(\.x), latitudes: points.map(\.y), k: k,
                                             maxDistance: maxDistance, sameGrid: sameGrid)
            for (i, point) in points.enumerated() {
                let grid = atlas.microGridIndex(longitude: point.x, latitude: point.y).map { atlas.microGrids[$0].gridCode }
                let allowed = sameGrid ? Set(gridOfWell.filter { $0.value == grid }.keys) : nil
                let expected = try bruteForce.nearest(point, k: k, maxDistance: maxDistance, among: allowed)
                let row = (i * k..<(i + 1) * k).filter { table.features[$0] >= 0 }
                #expect(row.map { table.ids[Int(table.features[$0])] } == expected.map(\.0))
                for (slot, want) in zip(row, expected) { #expect(abs(table.distances[slot] - want.1) < 1e-6) }
                #expect(row == Array(i * k..<i * k + row.count), "found entries come first in the row")
            }
        }
    }

    @Test("single queries from several tasks at once agree with the batch answers")
    func concurrentSingleQueriesAgreeWithBatch() async throws {
        let data = Self.townWithWells(250)
        let atlas = try Atlas(data)
        var random = SplitMix64(seed: 41)
        let points = (0..<400).map { _ in
            F.position(Double.random(in: -800...6_800, using: &random), Double.random(in: -800...6_800, using: &random))
        }
        let table = try atlas.nearestAll(.well, longitudes: points.map(\.x), latitudes: points.map(\.y), k: 3)
        let batch = points.indices.map { i in (3 * i..<3 * i + 3).map { table.ids[Int(table.features[$0])] } }
        let locations = points.map { try? atlas.locate(longitude: $0.x, latitude: $0.y) }
        let tasks = 8
        let answers = try await withThrowingTaskGroup(of: [(Int, [String], Location)].self) { group in
            for task in 0..<tasks {
                group.addTask {
                    try stride(from: task, to: points.count, by: tasks).map { i in
                        let found = try atlas.nearest(.well, longitude: points[i].x, latitude: points[i].y, k: 3)
                        return (i, found.map(\.id), try atlas.locate(longitude: points[i].x, latitude: points[i].y))
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(answers.count == points.count)
        #expect(locations.contains { if case .outside = $0 { true } else { false } }, "some points are outside the town")
        for (i, ids, location) in answers {
            #expect(ids == batch[i])
            #expect(location == locations[i])
        }
    }

    /// Lines, polygons (one with a hole), multi-points and points of one kind, in metres.
    static func townWithShapes(polygons: Int = 12, lines: Int = 10, seed: UInt64 = 57) -> TownData {
        var data = AtlasTestTowns.lattice().data
        var random = SplitMix64(seed: seed)
        func metres() -> (Double, Double) { (Double.random(in: 0...6_000, using: &random), Double.random(in: 0...6_000, using: &random)) }
        func around(_ centre: (Double, Double), _ count: Int, _ radius: Double) -> [Position] {
            (0..<count).map { step in
                let angle = Double(step) / Double(count) * 2 * Double.pi
                let r = radius * Double.random(in: 0.5...1, using: &random)
                return F.position(centre.0 + r * cos(angle), centre.1 + r * sin(angle))
            }
        }
        var geometries: [Geometry] = []
        for _ in 0..<polygons {
            let ring = around(metres(), Int.random(in: 3...8, using: &random), Double.random(in: 50...400, using: &random))
            geometries.append(.polygon([ring + [ring[0]]]))
        }
        let centre = metres()
        let shell = around(centre, 6, 500), hole = around(centre, 5, 150).reversed()
        geometries.append(.polygon([shell + [shell[0]], hole + [hole.first!]]))
        for _ in 0..<lines {
            var (x, y) = metres()
            var line: [Position] = []
            for _ in 0..<Int.random(in: 2...6, using: &random) {
                line.append(F.position(x, y))
                x += Double.random(in: -300...300, using: &random)
                y += Double.random(in: -300...300, using: &random)
            }
            geometries.append(.lineString(line))
        }
        geometries.append(.multiPoint((0..<4).map { _ in
            let (x, y) = metres()
            return F.position(x, y)
        }))
        geometries.append(.multiLineString([around(metres(), 3, 200), around(metres(), 4, 300)]))
        for _ in 0..<20 {
            let (x, y) = metres()
            geometries.append(.point(F.position(x, y)))
        }
        for (number, geometry) in geometries.enumerated() {
            // Unique ids in an order unlike the geometries' (7919 and 10007 are coprime).
            data.features.append(MapFeature(id: "square-\(10_000 + number * 7919 % 10_007)", kind: .square, name: "", geometry: geometry))
        }
        return data
    }

    @Test("lines and polygons: k nearest by GEOS distance in the working CRS, 0 inside a polygon")
    func shapesAgreeWithGEOSDistance() throws {
        try Self.expectShapesAgreeWithGEOS(Self.townWithShapes(), queries: 300, seed: 61)
    }

    @Test("hundreds of lines and polygons, through the segment buckets: the same k nearest as GEOS distance")
    func manyShapesAgreeWithGEOSDistance() throws {
        try Self.expectShapesAgreeWithGEOS(Self.townWithShapes(polygons: 120, lines: 300, seed: 71), queries: 400, seed: 73)
    }

    /// Random points inside and around the town: the squares nearest by the atlas are those
    /// nearest by GEOS `distance` in the working CRS, in (distance, id) order.
    static func expectShapesAgreeWithGEOS(_ data: TownData, queries: Int, seed: UInt64) throws {
        let atlas = try Atlas(data)
        let transformer = try Projection(workingCRS: data.town.workingCRS)
        let context = GEOSContext()
        let projected = try data.features.filter { $0.kind == .square }.map { feature in
            (feature.id, try transformer.transform(feature.geometry).geosGeometry(in: context))
        }
        var random = SplitMix64(seed: seed)
        var inside = 0
        for query in 0..<queries {
            let point = F.position(Double.random(in: -500...6_500, using: &random), Double.random(in: -500...6_500, using: &random))
            guard case .point(let metric) = try transformer.transform(.point(point)) else { continue }
            let probe = try GEOSGeometry.point(x: metric.x, y: metric.y, context: context)
            var expected = try projected.map { ($0.0, try $0.1.distance(to: probe)) }
            expected.sort { ($0.1, $0.0) < ($1.1, $1.0) }
            let k = [1, 4, 60][query % 3]
            let found = try atlas.nearest(.square, longitude: point.x, latitude: point.y, k: k)
            #expect(found.map(\.id) == expected.prefix(k).map(\.0))
            for (got, want) in zip(found, expected) { #expect(abs(got.distance - want.1) < 1e-6) }
            if expected[0].1 == 0 { inside += 1 }
        }
        #expect(inside > 5, "some query points fall inside a polygon")
    }

    @Test("a point inside a polygon's hole is measured to the hole's edge")
    func holeIsOutside() throws {
        var data = F.cleanTown()
        let shell = [F.position(1000, 1000), F.position(2000, 1000), F.position(2000, 2000), F.position(1000, 2000)]
        let hole = [F.position(1400, 1400), F.position(1400, 1600), F.position(1600, 1600), F.position(1600, 1400)]
        data.features = [MapFeature(id: "square-1", kind: .square, name: "",
                                    geometry: .polygon([shell + [shell[0]], hole + [hole[0]]]))]
        let atlas = try Atlas(data)
        let inRing = F.position(1200, 1500), inHole = F.position(1500, 1500)
        #expect(try atlas.nearest(.square, longitude: inRing.x, latitude: inRing.y).first?.distance == 0)
        let fromHole = try #require(try atlas.nearest(.square, longitude: inHole.x, latitude: inHole.y).first)
        #expect(abs(fromHole.distance - 100) < 0.5)
        #expect(fromHole.position == shell[0], "a polygon's position is its first vertex")
    }

    @Test("sameGrid: a line counts in every grid holding one of its vertices, a polygon only in its own")
    func sameGridForShapes() throws {
        var data = F.cleanTown()   // DC-001 is x 0…1500, DC-002 x 1500…3000 (y 0…1500)
        let square = [F.position(200, 200), F.position(400, 200), F.position(400, 400), F.position(200, 400)]
        data.features = [
            MapFeature(id: "square-west", kind: .square, name: "", geometry: .polygon([square + [square[0]]])),
            MapFeature(id: "square-path", kind: .square, name: "",
                       geometry: .lineString([F.position(1000, 1000), F.position(2000, 1000)])),
        ]
        let atlas = try Atlas(data)
        let east = F.position(2500, 300)   // in DC-002
        let found = try atlas.nearest(.square, longitude: east.x, latitude: east.y, k: 2, sameGrid: true)
        #expect(found.map(\.id) == ["square-path"])
        let west = F.position(300, 1400)   // in DC-001: both count; the path (806 m) before the square (1000 m)
        #expect(try atlas.nearest(.square, longitude: west.x, latitude: west.y, k: 2, sameGrid: true).map(\.id)
                == ["square-path", "square-west"])
    }
}
