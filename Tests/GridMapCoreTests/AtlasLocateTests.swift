import GEOS
import GeoJSON
import GridMapCore
import SeededRandom
import Testing

/// Locate: every point inside the town has exactly one micro-grid (the smallest code among those
/// covering it), points outside have none; checked on known answers, against GEOS `covers`, and
/// against the lattice town's construction.
@Suite("Atlas locate: one micro-grid per point of the town, by the smallest-code rule")
struct AtlasLocateTests {
    typealias F = CoverageFixtures

    static func code(_ location: Location) -> String? { location.place.map { "\($0.microGrid.code)" } }

    func locateCode(_ atlas: Atlas, _ x: Double, _ y: Double) throws -> String? {
        let position = F.position(x, y)
        return Self.code(try atlas.locate(longitude: position.x, latitude: position.y))
    }

    @Test("points inside the clean town get the micro-grid, grid, village and team they lie in")
    func knownInteriorPoints() throws {
        var data = F.cleanTown()
        data.villages = [Village(code: "DC-V01", name: "大村")]
        data.team = [TeamMember(gridCode: F.code("DC-003"), role: .liaison, name: "赵联络员"),
                     TeamMember(gridCode: F.code("DC-003"), role: .chief, name: "李网格长"),
                     TeamMember(gridCode: F.code("DC-003"), role: .volunteer, name: "王志愿者")]
        let atlas = try Atlas(data)
        #expect(try locateCode(atlas, 100, 100) == "DC-001-1")
        #expect(try locateCode(atlas, 2999, 1400) == "DC-002-2")
        let position = F.position(700, 2000)
        let place = try #require(try atlas.locate(longitude: position.x, latitude: position.y).place)
        #expect(place.microGrid.code == F.code("DC-003-2"))
        #expect(place.grid?.code == F.code("DC-003"))
        #expect(place.village?.name == "大村")
        #expect(place.chief?.name == "李网格长")
        #expect(place.liaison?.name == "赵联络员")
    }

    @Test("a point on a shared edge or vertex goes to the smallest code among the micro-grids there")
    func sharedEdgesAndVerticesFollowTheRule() throws {
        let atlas = try Atlas(F.cleanTown())
        #expect(try locateCode(atlas, 700, 750) == "DC-001-1")     // edge DC-001-1 | DC-001-2
        #expect(try locateCode(atlas, 1500, 300) == "DC-001-1")    // edge DC-001-1 | DC-002-1
        #expect(try locateCode(atlas, 2000, 2200) == "DC-004-1")   // edge DC-004-1 | DC-004-2
        #expect(try locateCode(atlas, 1500, 1500) == "DC-001-2")   // vertex of four micro-grids
        #expect(try locateCode(atlas, 1000, 1500) == "DC-001-2")   // T-junction DC-001-2 | DC-003-2 | DC-003-3
        #expect(try locateCode(atlas, 3000, 3000) == "DC-004-3")   // the town's corner
        #expect(try locateCode(atlas, 0, 0) == "DC-001-1")
    }

    @Test("a point outside the town has no micro-grid, its distance in metres and the nearest micro-grid")
    func outsidePointsReportDistanceAndNearest() throws {
        let atlas = try Atlas(F.cleanTown())
        let position = F.position(3100, 2700)
        guard case .outside(let outside) = try atlas.locate(longitude: position.x, latitude: position.y) else {
            Issue.record("a point 100 m east of the town was located inside")
            return
        }
        #expect(outside.nearestMicroGrid == F.code("DC-004-3"))
        #expect(abs(outside.distance - 100) < 0.5)
        #expect(atlas.microGridIndex(longitude: .nan, latitude: 35.9) == nil)
    }

    @Test("a hole is not part of its micro-grid; the micro-grid filling it wins there, and the smaller code on the ring")
    func holesAndMultiPolygons() throws {
        var data = F.cleanTown()
        let hole = F.rectangle(200, 200, 400, 400)
        let outer = F.rectangle(0, 0, 1500, 750)
        // DC-001-1 gets a hole; DC-001-2 becomes a MultiPolygon: its old rectangle plus the hole.
        let outerRing = (outer + [outer[0]]).map { F.position($0.0, $0.1) }
        let holeRing = (hole.reversed() + [hole.last!]).map { F.position($0.0, $0.1) }
        data = F.replacingMicroGrid("DC-001-1", with: .polygon([outerRing, holeRing]), in: data)
        let north = (F.rectangle(0, 750, 1500, 1500) + [(0, 750)]).map { F.position($0.0, $0.1) }
        let island = (hole + [hole[0]]).map { F.position($0.0, $0.1) }
        data = F.replacingMicroGrid("DC-001-2", with: .multiPolygon([[north], [island]]), in: data)
        let atlas = try Atlas(data)
        #expect(try locateCode(atlas, 300, 300) == "DC-001-2")
        #expect(try locateCode(atlas, 100, 300) == "DC-001-1")
        #expect(try locateCode(atlas, 200, 300) == "DC-001-1")   // on the hole's ring: shared, smaller code
        #expect(try locateCode(atlas, 400, 400) == "DC-001-1")
        #expect(try locateCode(atlas, 900, 1000) == "DC-001-2")
    }

    @Test("on the Voronoi town, 100,000 random points, every vertex and every edge midpoint agree with GEOS covers")
    func voronoiTownAgreesWithGEOS() throws {
        let atlas = try Atlas(try AtlasTestTowns.voronoi())
        let oracle = try AtlasTestTowns.GEOSOracle(atlas)
        var random = SplitMix64(seed: 42)
        var xs: [Double] = [], ys: [Double] = []
        let southWest = F.position(-500, -500), northEast = F.position(15_500, 15_500)
        for _ in 0..<100_000 {
            xs.append(Double.random(in: southWest.x...northEast.x, using: &random))
            ys.append(Double.random(in: southWest.y...northEast.y, using: &random))
        }
        for microGrid in atlas.microGrids {
            let rings: [[Position]]
            switch microGrid.geometry {
            case .polygon(let polygonRings): rings = polygonRings
            case .multiPolygon(let polygons): rings = polygons.flatMap { $0 }
            default: rings = []
            }
            for ring in rings {
                for (a, b) in zip(ring, ring.dropFirst()) {
                    xs += [a.x, (a.x + b.x) / 2]
                    ys += [a.y, (a.y + b.y) / 2]
                }
            }
        }
        let batch = atlas.locateAll(longitudes: xs, latitudes: ys)
        var disagreements = 0, boundaryPoints = 0, outside = 0
        for i in xs.indices {
            let covering = try oracle.covering(xs[i], ys[i])
            if covering.count > 1 { boundaryPoints += 1 }
            if covering.isEmpty { outside += 1 }
            let expected = covering.first.map(Int32.init) ?? -1
            if batch[i] != expected {
                disagreements += 1
                if disagreements <= 5 { Issue.record("(\(xs[i]), \(ys[i])): atlas \(batch[i]), GEOS \(covering)") }
            }
            if i % 7 == 0 { #expect(atlas.microGridIndex(longitude: xs[i], latitude: ys[i]).map(Int32.init) ?? -1 == batch[i]) }
        }
        #expect(disagreements == 0)
        #expect(boundaryPoints > 1_000)   // the vertices really were on shared boundaries
        #expect(outside > 1_000)          // and some random points really were outside
    }

    @Test("on the lattice town, every point of the square has a micro-grid and points outside have none")
    func everyPointInsideHasExactlyOneMicroGrid() throws {
        let lattice = AtlasTestTowns.lattice()
        let atlas = try Atlas(lattice.data)
        var random = SplitMix64(seed: 3)
        let southWest = F.position(0, 0), northEast = F.position(6_000, 6_000)
        var xs: [Double] = [], ys: [Double] = []
        for _ in 0..<50_000 {
            xs.append(Double.random(in: southWest.x...northEast.x, using: &random))
            ys.append(Double.random(in: southWest.y...northEast.y, using: &random))
        }
        #expect(atlas.locateAll(longitudes: xs, latitudes: ys).allSatisfy { $0 >= 0 })
        let outside = [(-0.001, 0.0), (0.0, -0.001), (6_000.001, 3_000.0), (3_000.0, 6_000.001), (-1, -1)]
        for (x, y) in outside {
            #expect(try locateCode(atlas, x, y) == nil)
        }
        #expect(atlas.microGridIndex(longitude: southWest.x.nextDown, latitude: southWest.y) == nil)
    }

    @Test("on the lattice town, each vertex goes to the smallest code of the cells that meet there")
    func latticeVerticesFollowTheRule() throws {
        let lattice = AtlasTestTowns.lattice()
        let atlas = try Atlas(lattice.data)
        for row in 0...lattice.size {
            for column in 0...lattice.size {
                var meeting: [GridCode] = []
                for (r, c) in [(row - 1, column - 1), (row - 1, column), (row, column - 1), (row, column)]
                where (0..<lattice.size).contains(r) && (0..<lattice.size).contains(c) {
                    meeting.append(lattice.codes[r][c])
                }
                let vertex = lattice.vertices[row][column]
                let found = atlas.microGridIndex(longitude: vertex.x, latitude: vertex.y).map { atlas.microGrids[$0].code }
                #expect(found == meeting.min(), "vertex (\(row), \(column))")
            }
        }
    }

    @Test("on the lattice town, midpoints of axis-parallel shared edges go to the smaller of the two codes")
    func axisParallelEdgeMidpointsFollowTheRule() throws {
        let lattice = AtlasTestTowns.lattice()
        let atlas = try Atlas(lattice.data)
        let oracle = try AtlasTestTowns.GEOSOracle(atlas)
        var checked = 0
        for row in stride(from: 4, to: lattice.size, by: 4) {            // straight horizontal lines
            for column in 0..<lattice.size {
                let a = lattice.vertices[row][column], b = lattice.vertices[row][column + 1]
                guard a.y == b.y else { continue }
                let midpoint = Position(x: (a.x + b.x) / 2, y: a.y)
                let expected = min(lattice.codes[row - 1][column], lattice.codes[row][column])
                let found = atlas.microGridIndex(longitude: midpoint.x, latitude: midpoint.y).map { atlas.microGrids[$0].code }
                #expect(found == expected)
                #expect(try oracle.covering(midpoint.x, midpoint.y).count == 2)
                checked += 1
            }
        }
        for column in stride(from: 4, to: lattice.size, by: 4) {         // straight vertical lines
            for row in 0..<lattice.size {
                let a = lattice.vertices[row][column], b = lattice.vertices[row + 1][column]
                guard a.x == b.x else { continue }
                let midpoint = Position(x: a.x, y: (a.y + b.y) / 2)
                let expected = min(lattice.codes[row][column - 1], lattice.codes[row][column])
                let found = atlas.microGridIndex(longitude: midpoint.x, latitude: midpoint.y).map { atlas.microGrids[$0].code }
                #expect(found == expected)
                checked += 1
            }
        }
        #expect(checked == 2 * 2 * lattice.size)
    }

    @Test("points a hair either side of a shared edge go to the micro-grid on their side")
    func pointsBesideAnEdgeAreNotOnIt() throws {
        let lattice = AtlasTestTowns.lattice()
        let atlas = try Atlas(lattice.data)
        let row = 4, column = 5
        let a = lattice.vertices[row][column], b = lattice.vertices[row][column + 1]
        let x = (a.x + b.x) / 2
        let south = atlas.microGridIndex(longitude: x, latitude: a.y.nextDown).map { atlas.microGrids[$0].code }
        let north = atlas.microGridIndex(longitude: x, latitude: a.y.nextUp).map { atlas.microGrids[$0].code }
        #expect(south == lattice.codes[row - 1][column])
        #expect(north == lattice.codes[row][column])
    }

    @Test("the cell resolution changes no answer")
    func resolutionDoesNotChangeAnswers() throws {
        let data = try AtlasTestTowns.voronoi(count: 60, side: 5_000, seed: 9)
        let coarse = try Atlas(data, cellsPerMicroGrid: 1)
        let fine = try Atlas(data, cellsPerMicroGrid: 4096)
        var random = SplitMix64(seed: 11)
        let southWest = F.position(-100, -100), northEast = F.position(5_100, 5_100)
        let xs = (0..<30_000).map { _ in Double.random(in: southWest.x...northEast.x, using: &random) }
        let ys = (0..<30_000).map { _ in Double.random(in: southWest.y...northEast.y, using: &random) }
        #expect(coarse.locateAll(longitudes: xs, latitudes: ys) == fine.locateAll(longitudes: xs, latitudes: ys))
    }

    @Test("a micro-grid that is not a polygon is refused, naming it")
    func nonPolygonMicroGridIsRefused() throws {
        let data = F.replacingMicroGrid("DC-001-1", with: .point(F.position(1, 1)), in: F.cleanTown())
        #expect(throws: AtlasError.self) { try Atlas(data) }
    }
}
