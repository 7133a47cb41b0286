import GEOS
import GeoJSON
import GridMapCore
import SeededRandom
import Testing

/// Synthetic towns for the atlas tests, near 119.8°E 35.9°N, laid out in metres and converted to
/// WGS84 with ``CoverageFixtures/position(_:_:)`` (the same metre value always gives the same
/// degrees, so shared vertices and axis-parallel edges stay exactly shared).
enum AtlasTestTowns {
    /// A `size` × `size` lattice of quadrilateral micro-grids over a `side`-metre square whose
    /// inner vertices are jittered by up to 30 % of the spacing; every fourth lattice line is left
    /// straight, so the town has exactly axis-parallel shared edges. Cells share their vertices
    /// exactly, so the micro-grids tile the square with no gap or overlap. Codes are handed out in
    /// a shuffled order, so code order and position are unrelated.
    struct Lattice {
        let data: TownData
        /// Vertex (row, column) in WGS84, rows south to north.
        let vertices: [[Position]]
        /// The code of cell (row, column), whose south-west corner is vertex (row, column).
        let codes: [[GridCode]]
        let size: Int
    }

    static func lattice(size: Int = 12, side: Double = 6_000, seed: UInt64 = 7) -> Lattice {
        var random = SplitMix64(seed: seed)
        let spacing = side / Double(size)
        let vertices: [[Position]] = (0...size).map { row in
            (0...size).map { column in
                let onEdgeRow = row == 0 || row == size, onEdgeColumn = column == 0 || column == size
                let straightRow = row % 4 == 0, straightColumn = column % 4 == 0
                let dx = onEdgeColumn || straightColumn ? 0 : Double.random(in: -0.3...0.3, using: &random) * spacing
                let dy = onEdgeRow || straightRow ? 0 : Double.random(in: -0.3...0.3, using: &random) * spacing
                return CoverageFixtures.position(Double(column) * spacing + dx, Double(row) * spacing + dy)
            }
        }
        var numbers = Array(0..<(size * size))
        numbers.shuffle(using: &random)
        let codes: [[GridCode]] = (0..<size).map { row in
            (0..<size).map { column in
                let number = numbers[row * size + column]
                return GridCode(town: "DC", grid: number / 3 + 1, microGrid: number % 3 + 1)!
            }
        }
        var microGrids: [MicroGrid] = []
        for row in 0..<size {
            for column in 0..<size {
                let ring = [vertices[row][column], vertices[row][column + 1], vertices[row + 1][column + 1],
                            vertices[row + 1][column], vertices[row][column]]
                microGrids.append(MicroGrid(code: codes[row][column], name: "\(codes[row][column])", geometry: .polygon([ring])))
            }
        }
        let gridCodes = Set(microGrids.map(\.gridCode)).sorted()
        let grids = gridCodes.map { Grid(code: $0, name: "\($0)", villageCode: "DC-V01", geometry: .geometryCollection([])) }
        let town = Town(code: "DC", name: "格子镇", latinName: "Lattice", workingCRS: "EPSG:4549",
                        boundary: CoverageFixtures.polygon(CoverageFixtures.rectangle(0, 0, side, side)))
        return Lattice(data: TownData(town: town, villages: [Village(code: "DC-V01", name: "一村")], grids: grids,
                                      microGrids: microGrids),
                       vertices: vertices, codes: codes, size: size)
    }

    /// A realistic tiling: the Voronoi diagram (`GEOSVoronoiDiagram_r`) of `count` seeded random
    /// sites in a `side`-metre square, each cell clipped to the square (`GEOSIntersection_r`).
    /// Codes in a shuffled order, three micro-grids per grid.
    static func voronoi(count: Int = 291, side: Double = 15_000, seed: UInt64 = 291) throws -> TownData {
        var random = SplitMix64(seed: seed)
        let context = GEOSContext()
        let sites = (0..<count).map { _ in
            CoverageFixtures.position(Double.random(in: 0...side, using: &random), Double.random(in: 0...side, using: &random)).coordinate
        }
        let square = try CoverageFixtures.polygon(CoverageFixtures.rectangle(0, 0, side, side)).geosGeometry(in: context)
        let diagram = try GEOSGeometry.multiPoint(sites, context: context).voronoiDiagram(envelope: square)
        var cells: [Geometry] = []
        for cell in try diagram.geometries() {
            let clipped = try cell.intersection(square)
            if try !clipped.isEmpty { cells.append(try Geometry(clipped)) }
        }
        var numbers = Array(0..<cells.count)
        numbers.shuffle(using: &random)
        let microGrids = cells.enumerated().map { index, geometry in
            let number = numbers[index]
            let code = GridCode(town: "DC", grid: number / 3 + 1, microGrid: number % 3 + 1)!
            return MicroGrid(code: code, name: "\(code)", geometry: geometry)
        }
        let grids = Set(microGrids.map(\.gridCode)).sorted().map {
            Grid(code: $0, name: "\($0)", villageCode: "DC-V01", geometry: .geometryCollection([]))
        }
        let town = Town(code: "DC", name: "沃罗诺伊镇", latinName: "Voronoi", workingCRS: "EPSG:4549",
                        boundary: CoverageFixtures.polygon(CoverageFixtures.rectangle(0, 0, side, side)))
        return TownData(town: town, grids: grids, microGrids: microGrids)
    }

    /// The answer the locate rule asks for, computed with GEOS: the smallest code among the
    /// micro-grids whose prepared geometry covers the point (`GEOSPreparedCovers_r` through
    /// ``PreparedGeometry/coversXY(x:y:)``), as an index into the atlas's sorted micro-grids.
    final class GEOSOracle {
        let context: GEOSContext
        let prepared: [PreparedGeometry]
        let tree: STRtree

        init(_ atlas: Atlas) throws {
            let context = GEOSContext()
            self.context = context
            let geometries = try atlas.microGrids.map { try $0.geometry.geosGeometry(in: context) }
            prepared = try geometries.map { try PreparedGeometry($0) }
            tree = try STRtree(geometries, context: context)
        }

        /// Every micro-grid covering (x, y), ascending.
        func covering(_ x: Double, _ y: Double) throws -> [Int] {
            try tree.query(envelope: Envelope(minX: x, minY: y, maxX: x, maxY: y)).filter { try prepared[$0].coversXY(x: x, y: y) }
        }

        func expected(_ x: Double, _ y: Double) throws -> Int32 {
            try covering(x, y).first.map(Int32.init) ?? -1
        }
    }
}

@Suite("Atlas test towns: the synthetic tilings are what the atlas tests assume")
struct AtlasTestTownsTests {
    @Test("the Voronoi town has 291 valid micro-grids whose areas add up to the square")
    func voronoiTownTilesTheSquare() throws {
        let data = try AtlasTestTowns.voronoi()
        #expect(data.microGrids.count == 291)
        let context = GEOSContext()
        var area = 0.0
        for microGrid in data.microGrids {
            let geometry = try microGrid.geometry.geosGeometry(in: context)
            #expect(try geometry.validity() == nil)
            area += try geometry.area()
        }
        let square = try data.town.boundary.geosGeometry(in: context).area()
        #expect(abs(area - square) < square * 1e-9)
    }

    @Test("the lattice town's micro-grids are valid and have distinct codes")
    func latticeTownIsValid() throws {
        let lattice = AtlasTestTowns.lattice()
        #expect(Set(lattice.data.microGrids.map(\.code)).count == lattice.size * lattice.size)
        let context = GEOSContext()
        for microGrid in lattice.data.microGrids {
            #expect(try microGrid.geometry.geosGeometry(in: context).validity() == nil)
        }
    }
}
