import Foundation
import GEOS
import GeoJSON
import PROJ
@testable import GridMapCore
import Testing

@Suite("Designing micro-grids and grids from roads, water and homes")
struct TownPartitionTests {
    static let dacun = Result { try TownFolder.read(from: BundledTownCoverageTests.folder) }

    /// A 1 km square town at Dacun's latitude: one village, one grid, two roads crossing in the
    /// middle, and `homes` homes in each quarter (south-west, south-east, north-west, north-east).
    static func square(homes: [Int]) throws -> TownData {
        let (x0, y0, side) = (119.80, 35.90, 0.011)
        func p(_ x: Double, _ y: Double) -> Position { Position(x: x0 + x * side, y: y0 + y * side) }
        let ring = [p(0, 0), p(1, 0), p(1, 1), p(0, 1), p(0, 0)]
        let town = Town(code: "SQ", name: "Square", latinName: "Square", workingCRS: CRSDefinition("EPSG:4549"), boundary: .polygon([ring]))
        var features = [
            MapFeature(id: "r1", kind: .road, name: "East-west", geometry: .lineString([p(-0.1, 0.5), p(1.1, 0.5)]), properties: ["class": .string("village")]),
            MapFeature(id: "r2", kind: .road, name: "North-south", geometry: .lineString([p(0.5, -0.1), p(0.5, 1.1)]), properties: ["class": .string("village")]),
        ]
        let quarters = [(0.0, 0.0), (0.5, 0.0), (0.0, 0.5), (0.5, 0.5)]
        for (q, count) in homes.enumerated() {
            for i in 0..<count {
                let (qx, qy) = quarters[q]
                features.append(MapFeature(id: "h\(q)-\(i)", kind: .home, name: "", geometry: .point(p(qx + 0.05 + 0.4 * Double(i % 7) / 7, qy + 0.05 + 0.4 * Double(i / 7) / 7)),
                                           properties: ["address": .string("Square \(q)-\(i)"), "houseNumber": .number(JSONNumber(text: "\(i + 1)")!)]))
            }
        }
        let grid = Grid(code: GridCode("SQ-001")!, name: "Square", villageCode: "SQ-V01", geometry: .polygon([ring]))
        let micro = MicroGrid(code: GridCode("SQ-001-1")!, name: "Square 1", geometry: .polygon([ring]))
        return TownData(town: town, villages: [Village(code: "SQ-V01", name: "Square")], grids: [grid], microGrids: [micro], features: features)
    }

    @Test("four road blocks of 10 homes each become two micro-grids of two neighbouring blocks each, along the roads")
    func fourBlocksMakeTwoMicroGrids() throws {
        let partition = try TownPartition.design(try Self.square(homes: [10, 10, 10, 10]), PartitionRequest(homesPerMicroGrid: 15...25))
        #expect(partition.report.blocks == 4)
        #expect(partition.microGrids.map(\.code.description) == ["SQ-001-1", "SQ-001-2"])
        #expect(partition.report.homes.values.sorted() == [20, 20])
        #expect(partition.report.misses.isEmpty)
        let context = GEOSContext()
        for micro in partition.microGrids {
            // Half the square each: two quarters that share a road, not diagonal ones.
            let shape = try micro.geometry.geosGeometry(in: context)
            #expect(shape.type == .polygon)
            #expect(abs(try shape.area() - 0.011 * 0.011 / 2) < 1e-10)
        }
    }

    @Test("a block with more homes than a micro-grid should hold is cut between its homes, not left whole")
    func crowdedBlockIsCut() throws {
        let partition = try TownPartition.design(try Self.square(homes: [49, 0, 0, 0]), PartitionRequest(homesPerMicroGrid: 20...30))
        #expect(partition.microGrids.count == 2)
        #expect(partition.report.homes.values.sorted() == [21, 28] || partition.report.homes.values.sorted() == [24, 25])
        #expect(partition.report.notes.contains { $0.contains("cut line") })
    }

    @Test("a grid whose homes are fewer than the target is one micro-grid, reported with the reason")
    func smallGridIsReported() throws {
        let partition = try TownPartition.design(try Self.square(homes: [5, 5, 0, 0]), PartitionRequest(homesPerMicroGrid: 60...80))
        #expect(partition.microGrids.count == 1)
        #expect(partition.report.misses.map(\.reason) == ["its grid holds only 10 households in all"])
    }

    @Test("Dacun's grids kept: 291 micro-grids that tile their grids cleanly, every home in one, most near the target")
    func dacunKeptGrids() throws {
        let town = try Self.dacun.get()
        let partition = try TownPartition.design(town, PartitionRequest(homesPerMicroGrid: 60...80, microGridTotal: 291))
        #expect(partition.microGrids.count == 291)
        #expect(partition.grids.map(\.code) == town.grids.map(\.code))
        var designed = town
        designed.town.boundary = partition.boundary
        designed.grids = partition.grids
        designed.microGrids = partition.microGrids
        let report = try CoverageValidator().validate(designed)
        #expect(report.problems.isEmpty, "\(report.text())")
        #expect(partition.report.homesOutside.isEmpty)
        #expect(partition.report.homes.values.reduce(0, +) == 20_000)
        #expect((60...80).contains(partition.report.median))
        #expect(partition.report.minimum > 0)
    }

    @Test("Dacun's grids designed inside its villages: grids of two to four micro-grids that tile the town")
    func dacunDesignedGrids() throws {
        let town = try Self.dacun.get()
        let partition = try TownPartition.design(town, PartitionRequest(homesPerMicroGrid: 60...80, keepGrids: false, microGridsPerGrid: 2...4))
        var designed = town
        designed.town.boundary = partition.boundary
        designed.grids = partition.grids
        designed.microGrids = partition.microGrids
        designed.team = []
        let report = try CoverageValidator().validate(designed)
        #expect(report.problems.isEmpty, "\(report.text())")
        #expect(Set(partition.grids.map(\.villageCode)) == Set(town.grids.map(\.villageCode)))
        let perGrid = Dictionary(grouping: partition.microGrids, by: \.gridCode).mapValues(\.count)
        #expect(perGrid.values.filter { !(1...6).contains($0) }.isEmpty, "\(perGrid)")
    }

    // MARK: Near misses

    /// Dacun's cases in miniature, in degrees near 119.8°E 35.9°N (1e-6° ≈ 0.09 m east, 0.11 m north).
    static let metres = LocalMetres(origin: Coordinate(x: 119.8, y: 35.9))

    @Test("a line passing 7 cm from another line's vertex is bent through it, as Dacun's river past a grid corner")
    func lineBentThroughNearVertex() throws {
        let corner = Coordinate(x: 119.8, y: 35.9)
        let grid = [Coordinate(x: 119.79, y: 35.9), corner, Coordinate(x: 119.8, y: 35.91)]
        // A river from south-west to north-east whose straight course passes 0.6e-6° (7 cm) from the corner.
        let river = [Coordinate(x: 119.799, y: 35.8990006), Coordinate(x: 119.801, y: 35.9010006)]
        let mended = try #require(NearMisses.mended([grid, river], metres: Self.metres))
        #expect(mended[0] == grid)
        #expect(mended[1] == [river[0], corner, river[1]])
    }

    @Test("two vertices 23 cm apart become one, and vertices half a metre or more apart stay")
    func nearVerticesMerged() throws {
        let a = Coordinate(x: 119.8, y: 35.9), b = Coordinate(x: 119.8000025, y: 35.9)  // 0.23 m east
        let far = Coordinate(x: 119.800006, y: 35.9)  // 0.54 m east of a
        let lines = [[Coordinate(x: 119.79, y: 35.9), a], [b, Coordinate(x: 119.8, y: 35.91)], [far, Coordinate(x: 119.81, y: 35.89)]]
        let mended = try #require(NearMisses.mended(lines, metres: Self.metres))
        #expect(mended[0].last == mended[1].first, "the two corners are one vertex")
        #expect(Set([a, b]).contains(mended[0].last!))
        #expect(mended[2].first == far)
    }

    @Test("lines with nothing within half a metre are left as they are")
    func nothingNear() {
        let lines = [[Coordinate(x: 119.79, y: 35.9), Coordinate(x: 119.8, y: 35.9)],
                     [Coordinate(x: 119.8, y: 35.90001), Coordinate(x: 119.8, y: 35.91)]]  // 1.1 m apart
        #expect(NearMisses.mended(lines, metres: Self.metres) == nil)
    }
}
