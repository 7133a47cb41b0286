import GeoJSON
import GridMapCore
import SeededRandom
import Testing

/// Nearest: the k nearest features of a kind, in metres in the working CRS, ties by id;
/// checked against brute force over the same features projected with ``GeometryTransformer``.
@Suite("Atlas nearest: the k nearest features by straight line, ties by id")
struct AtlasNearestTests {
    typealias F = CoverageFixtures

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

    /// Brute force: every feature of `kind`, projected, sorted by (distance, id).
    static func bruteForce(_ data: TownData, kind: FeatureKind, _ point: Position, k: Int,
                           maxDistance: Double = .infinity, among allowed: Set<String>? = nil) throws -> [(String, Double)] {
        let transformer = try GeometryTransformer(from: "EPSG:4326", to: data.town.workingCRS)
        guard case .point(let query) = try transformer.transform(.point(point)) else { return [] }
        var found: [(String, Double)] = []
        for feature in data.features where feature.kind == kind && (allowed?.contains(feature.id) ?? true) {
            guard case .point(let position) = try transformer.transform(feature.geometry) else { continue }
            let distance = ((position.x - query.x) * (position.x - query.x) + (position.y - query.y) * (position.y - query.y)).squareRoot()
            if distance <= maxDistance { found.append((feature.id, distance)) }
        }
        found.sort { ($0.1, $0.0) < ($1.1, $1.0) }
        return Array(found.prefix(k))
    }

    @Test("k nearest wells agree with brute force for random points, k = 1, 3 and 10")
    func agreesWithBruteForce() throws {
        let data = Self.townWithWells(300)
        let atlas = try Atlas(data)
        var random = SplitMix64(seed: 8)
        for query in 0..<60 {
            let point = F.position(Double.random(in: -500...6_500, using: &random), Double.random(in: -500...6_500, using: &random))
            let k = [1, 3, 10][query % 3]
            let found = try atlas.nearest(.well, longitude: point.x, latitude: point.y, k: k)
            let expected = try Self.bruteForce(data, kind: .well, point, k: k)
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
        var gridOfWell: [String: GridCode] = [:]
        for feature in data.features {
            guard case .point(let position) = feature.geometry,
                  let index = atlas.microGridIndex(longitude: position.x, latitude: position.y) else { continue }
            gridOfWell[feature.id] = atlas.microGrids[index].gridCode
        }
        var random = SplitMix64(seed: 21)
        for _ in 0..<30 {
            let point = F.position(Double.random(in: 0...6_000, using: &random), Double.random(in: 0...6_000, using: &random))
            let microGrid = try #require(atlas.microGridIndex(longitude: point.x, latitude: point.y))
            let grid = atlas.microGrids[microGrid].gridCode
            let allowed = Set(gridOfWell.filter { $0.value == grid }.keys)
            let found = try atlas.nearest(.well, longitude: point.x, latitude: point.y, k: 3, sameGrid: true)
            #expect(found.map(\.id) == (try Self.bruteForce(data, kind: .well, point, k: 3, among: allowed)).map(\.0))
        }
    }
}
