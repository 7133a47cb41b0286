import SeededRandom
import GEOS
import Testing

@Suite("STRtree")
struct STRtreeTests {
    let context = GEOSContext()

    /// 300 random geometries of every kind over a 20×20 square.
    func randomItems(seed: UInt64, count: Int = 300) throws -> [GEOSGeometry] {
        var random = RandomGeometries(seed: seed, context: context)
        return try (0..<count).map { _ in try random.any() }
    }

    @Test("an envelope query returns exactly the items whose boxes meet the envelope, ascending")
    func envelopeQuery() throws {
        let items = try randomItems(seed: 11)
        let tree = try STRtree(items, context: context)
        var generator = SplitMix64(seed: 12)
        for _ in 0..<200 {
            let x = Double.random(in: -2...22, using: &generator), y = Double.random(in: -2...22, using: &generator)
            let box = Envelope(minX: x, minY: y, maxX: x + Double.random(in: 0...6, using: &generator),
                               maxY: y + Double.random(in: 0...6, using: &generator))
            let expected = try items.indices.filter { try items[$0].bounds!.intersects(box) }
            #expect(try tree.query(envelope: box) == expected)
        }
    }

    @Test("a predicate query equals the brute-force predicate over all items", arguments: STRtree.Predicate.allCases)
    func predicateQuery(predicate: STRtree.Predicate) throws {
        let items = try randomItems(seed: 21)
        let tree = try STRtree(items, context: context)
        var random = RandomGeometries(seed: 22, context: context)
        var hits = 0
        for _ in 0..<60 {
            let query = try random.any()
            let expected = try items.indices.filter { index -> Bool in
                let other = items[index]
                switch predicate {
                case .intersects: return try query.intersects(other)
                case .contains: return try query.contains(other)
                case .containsProperly: return try query.relate(other, matches: "T**FF*FF*")
                case .covers: return try query.covers(other)
                case .coveredBy: return try query.coveredBy(other)
                case .within: return try query.within(other)
                case .touches: return try query.touches(other)
                case .crosses: return try query.crosses(other)
                case .overlaps: return try query.overlaps(other)
                }
            }
            hits += expected.count
            #expect(try tree.query(query, predicate: predicate) == expected)
        }
        #expect(hits > 0, "the data never satisfied \(predicate)")
    }

    /// All items sorted by (distance, index), the reference for nearest queries.
    func bruteForceRanking(_ items: [GEOSGeometry], from query: GEOSGeometry) throws -> [(index: Int, distance: Double)] {
        try items.indices.map { (index: $0, distance: try query.distance(to: items[$0])) }
            .sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }
    }

    @Test("nearest equals the brute-force nearest, lowest index on ties")
    func nearest() throws {
        let items = try randomItems(seed: 31)
        let tree = try STRtree(items, context: context)
        var random = RandomGeometries(seed: 32, context: context, side: 30)
        for _ in 0..<200 {
            let query = try random.any()
            let expected = try bruteForceRanking(items, from: query).first!
            #expect(try tree.nearest(to: query) == expected.index)
        }
    }

    @Test("k-nearest equals the brute-force ranking by (distance, index), within maxDistance")
    func kNearest() throws {
        let items = try randomItems(seed: 41)
        let tree = try STRtree(items, context: context)
        var random = RandomGeometries(seed: 42, context: context, side: 30)
        var generator = SplitMix64(seed: 43)
        for round in 0..<150 {
            let query = try random.any()
            let k = [1, 2, 5, 17, 60][round % 5]
            let maxDistance: Double? = round % 3 == 0 ? nil : Double.random(in: 0...4, using: &generator)
            let expected = try bruteForceRanking(items, from: query)
                .filter { $0.distance <= (maxDistance ?? .infinity) }
                .prefix(k)
            let found = try tree.nearest(to: query, k: k, maxDistance: maxDistance)
            let queryText = try query.wkt()
            #expect(found.map(\.index) == expected.map(\.index), "k=\(k) max=\(String(describing: maxDistance)) \(queryText)")
            #expect(found.map(\.distance) == expected.map(\.distance))
        }
    }

    @Test("ties are broken by the lower index")
    func ties() throws {
        // Four points at distance 1 from the origin, inserted in an order unrelated to position.
        let points = try [c(0, 1), c(1, 0), c(0, -1), c(-1, 0), c(3, 3)].map { try GEOSGeometry.point($0, context: context) }
        let tree = try STRtree(points, context: context)
        let origin = try GEOSGeometry.point(x: 0, y: 0, context: context)
        #expect(try tree.nearest(to: origin) == 0)
        let found = try tree.nearest(to: origin, k: 3)
        #expect(found.map(\.index) == [0, 1, 2])
        #expect(found.map(\.distance) == [1, 1, 1])
    }

    @Test("maxDistance excludes farther items and k larger than the tree returns everything in range")
    func maxDistanceAndLargeK() throws {
        let points = try (0..<10).map { try GEOSGeometry.point(x: Double($0), y: 0, context: context) }
        let tree = try STRtree(points, context: context)
        let query = try GEOSGeometry.point(x: -2, y: 0, context: context)
        #expect(try tree.nearest(to: query, maxDistance: 1.5) == nil)
        #expect(try tree.nearest(to: query, maxDistance: 2) == 0)
        #expect(try tree.nearest(to: query, k: 100, maxDistance: 4.5).map(\.index) == [0, 1, 2])
        #expect(try tree.nearest(to: query, k: 100).map(\.index) == Array(0..<10))
        #expect(try tree.nearest(to: query, k: 0).isEmpty)
    }

    @Test("an empty tree answers every query with nothing")
    func emptyTree() throws {
        let tree = try STRtree([], context: context)
        let point = try GEOSGeometry.point(x: 0, y: 0, context: context)
        #expect(try tree.query(envelope: Envelope(minX: -1, minY: -1, maxX: 1, maxY: 1)).isEmpty)
        #expect(try tree.query(point, predicate: .intersects).isEmpty)
        #expect(try tree.nearest(to: point) == nil)
    }

    @Test("empty geometries in the tree are skipped by every query")
    func emptyItems() throws {
        let items = [
            try GEOSGeometry(wkt: "POINT EMPTY", context: context),
            try GEOSGeometry.point(x: 5, y: 5, context: context),
            try GEOSGeometry(wkt: "POLYGON EMPTY", context: context),
            try GEOSGeometry.point(x: 6, y: 5, context: context),
        ]
        let tree = try STRtree(items, context: context)
        #expect(tree.indexedCount == 2)
        let origin = try GEOSGeometry.point(x: 0, y: 0, context: context)
        #expect(try tree.nearest(to: origin) == 1)
        #expect(try tree.nearest(to: origin, k: 10).map(\.index) == [1, 3])
        #expect(try tree.query(envelope: Envelope(minX: -100, minY: -100, maxX: 100, maxY: 100)) == [1, 3])
        #expect(try tree.query(origin.buffer(width: 100), predicate: .contains) == [1, 3])
    }

    @Test("bad nearest arguments are errors")
    func badArguments() throws {
        let tree = try STRtree([try GEOSGeometry.point(x: 0, y: 0, context: context)], context: context)
        let point = try GEOSGeometry.point(x: 1, y: 1, context: context)
        #expect(thrownError { _ = try tree.nearest(to: point, k: -1) } == .invalidInput("nearest: k must be ≥ 0, got -1"))
        #expect(thrownError { _ = try tree.nearest(to: point, maxDistance: -1) }
                == .invalidInput("nearest: maxDistance must be ≥ 0, got -1.0"))
        let empty = try GEOSGeometry.collection([], context: context)
        #expect(thrownError { _ = try tree.nearest(to: empty) } == .invalidInput("nearest: the query geometry is empty"))
    }
}
