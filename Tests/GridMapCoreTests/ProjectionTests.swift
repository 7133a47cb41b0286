import Dispatch
import GEOS
import GeoJSON
import GridMapCore
import PROJ
import SeededRandom
import Synchronization
import Testing

/// The town's projection against plain PROJ transformers (the oracle), its build-time checks, and
/// many threads at once.
@Suite("Projection: WGS84 ⇄ the working CRS, pooled")
struct ProjectionTests {
    /// Points around Dacun (119.8°E 35.9°N), more than one chunk's worth so that the batch is split
    /// over threads.
    static func points(count: Int = 100_000, seed: UInt64 = 9) -> (lon: [Double], lat: [Double]) {
        var generator = SplitMix64(seed: seed)
        let lon = (0..<count).map { _ in Double.random(in: 119.5...120.1, using: &generator) }
        let lat = (0..<count).map { _ in Double.random(in: 35.6...36.2, using: &generator) }
        return (lon, lat)
    }

    @Test("agrees with a plain PROJ transformer to the millimetre, forward and inverse")
    func agreesWithTransformer() throws {
        let projection = try Projection(workingCRS: "EPSG:4549")
        let (lon, lat) = Self.points()
        var x = lon, y = lat
        #expect(try projection.transform(x: &x, y: &y).isEmpty)
        var expectedX = lon, expectedY = lat
        #expect(try Transformer(from: .wgs84, to: "EPSG:4549").transform(x: &expectedX, y: &expectedY).isEmpty)
        #expect(x.indices.allSatisfy { abs(x[$0] - expectedX[$0]) < 1e-3 && abs(y[$0] - expectedY[$0]) < 1e-3 })

        // Back: against PROJ's own EPSG:4549 → WGS84 operation; 1e-8° is at most 1.1 mm.
        var backLon = x, backLat = y
        #expect(try projection.transform(x: &backLon, y: &backLat, direction: .inverse).isEmpty)
        var expectedLon = x, expectedLat = y
        #expect(try Transformer(from: "EPSG:4549", to: .wgs84).transform(x: &expectedLon, y: &expectedLat).isEmpty)
        #expect(x.indices.allSatisfy { abs(backLon[$0] - expectedLon[$0]) < 1e-8 && abs(backLat[$0] - expectedLat[$0]) < 1e-8 })
        #expect(x.indices.allSatisfy { abs(backLon[$0] - lon[$0]) < 1e-8 && abs(backLat[$0] - lat[$0]) < 1e-8 })
    }

    @Test("positions and geometries get exactly the coordinates the arrays get, altitudes kept")
    func positionsAndGeometries() throws {
        let projection = try Projection(workingCRS: "EPSG:4549")
        let (lon, lat) = Self.points(count: 12)
        var x = lon, y = lat
        try projection.transform(x: &x, y: &y)
        let positions = lon.indices.map { Position(x: lon[$0], y: lat[$0], z: Double($0)) }
        let expected = lon.indices.map { Position(x: x[$0], y: y[$0], z: Double($0)) }
        #expect(try projection.transform(positions) == expected)
        let ring = Array(positions[0..<4]) + [positions[0]]
        let geometries: [Geometry] = [
            .point(positions[4]), .polygon([ring]), .geometryCollection([.lineString(Array(positions[5...]))]),
        ]
        let projected = try projection.transform(geometries)
        #expect(projected == [
            .point(expected[4]), .polygon([Array(expected[0..<4]) + [expected[0]]]),
            .geometryCollection([.lineString(Array(expected[5...]))]),
        ])
        #expect(try projection.transform(geometries[1]) == projected[1])
    }

    @Test("a 100 m square laid out in metres measures 10,000 m²")
    func area() throws {
        let projection = try Projection(workingCRS: "EPSG:4549")
        let corners = [(481_900.0, 3_974_400.0), (482_000, 3_974_400), (482_000, 3_974_500), (481_900, 3_974_500), (481_900, 3_974_400)]
        let ring = try projection.transform(corners.map { Position(x: $0.0, y: $0.1) }, direction: .inverse)
        #expect(abs(try projection.area(of: .polygon([ring]), context: GEOSContext()) - 10_000) < 1e-4)
    }

    @Test("a working CRS that is not projected in metres is refused at build time, naming it and saying why")
    func refusesNotProjectedInMetres() throws {
        for crs: CRSDefinition in [.wgs84, "EPSG:4490"] {
            #expect {
                _ = try Projection(workingCRS: crs)
            } throws: { error in
                guard case .notProjected(crs, let name)? = error as? ProjectionError else { return false }
                let message = "\(error)"
                return !name.isEmpty && message.contains("\(crs)") && message.contains(name)
                    && message.contains("not projected") && message.contains("projected CRS in metres")
            }
        }
        #expect(throws: ProjectionError.notProjected(crs: "EPSG:4978", name: "WGS 84")) {
            try Projection(workingCRS: "EPSG:4978")  // geocentric: metres, but not a map of the ground
        }
        #expect {
            _ = try Projection(workingCRS: "EPSG:2263")
        } throws: { error in
            guard case .notInMetres("EPSG:2263", _, let metresPerUnit)? = error as? ProjectionError else { return false }
            return abs(metresPerUnit - 1200.0 / 3937) < 1e-12 && "\(error)".contains("ftUS")
        }
        // The general form allows a geographic target: it is how input comes to WGS84.
        let toWGS84 = try Projection(from: "EPSG:4549", to: .wgs84)
        #expect(toWGS84.targetIsGeographic)
    }

    @Test("an unknown CRS is PROJ's error, naming the CRS")
    func unknownCRS() {
        #expect {
            _ = try Projection(workingCRS: "EPSG:999999")
        } throws: { error in
            guard case .proj(.unknownCRS(let definition, _))? = error as? ProjectionError else { return false }
            return definition == "EPSG:999999" && "\(error)".contains("EPSG:999999")
        }
    }

    @Test("a position PROJ cannot transform is named with its index, geometry and the two CRSs")
    func untransformable() throws {
        let projection = try Projection(workingCRS: "EPSG:4549")
        let bad = Position(x: 119.8, y: 95)
        let line = Geometry.lineString([Position(x: 119.8, y: 35.9), bad])
        #expect(throws: ProjectionError.untransformable(position: bad, index: 1, geometry: nil, from: .wgs84, to: "EPSG:4549")) {
            try projection.transform(line)
        }
        #expect(throws: ProjectionError.untransformable(position: bad, index: 1, geometry: 1, from: .wgs84, to: "EPSG:4549")) {
            try projection.transform([.point(Position(x: 119.8, y: 35.9)), line])
        }
        var x = [119.8, 119.8, 119.9], y = [35.9, 95, 36]
        #expect(try projection.transform(x: &x, y: &y) == [1])
        #expect(x[1].isNaN && y[1].isNaN && x[2].isFinite)
    }

    @Test("many threads at once get the answers one thread gets, bit for bit")
    func manyThreads() throws {
        let projection = try Projection(workingCRS: "EPSG:4549")
        let (lon, lat) = Self.points(count: 4_000, seed: 11)
        var oneThreadX = lon, oneThreadY = lat
        try projection.transform(x: &oneThreadX, y: &oneThreadY)
        let (expectedX, expectedY) = (oneThreadX, oneThreadY)
        let tasks = 64
        let agreed = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: tasks) { task in
            // Each task projects its own slice forward point by point and its slice back in one batch.
            let slice = (task * lon.count / tasks)..<((task + 1) * lon.count / tasks)
            var same = true
            for i in slice {
                var x = [lon[i]], y = [lat[i]]
                guard (try? projection.transform(x: &x, y: &y)) == [] else { same = false; continue }
                same = same && x[0] == expectedX[i] && y[0] == expectedY[i]
            }
            var backX = Array(expectedX[slice]), backY = Array(expectedY[slice])
            same = same && (try? projection.transform(x: &backX, y: &backY, direction: .inverse)) == []
            same = same && zip(backX, lon[slice]).allSatisfy { abs($0 - $1) < 1e-8 }
            if same { agreed.withLock { $0 += 1 } }
        }
        #expect(agreed.withLock { $0 } == tasks)
    }
}
