import GeoJSON

/// The line and polygon features of one kind in the working CRS (metres), for the exact
/// distance from a point to each: 0 when a polygon covers the point, else the distance to the
/// nearest of its segments (polygon edges, line segments, and isolated points as zero-length
/// segments). This is the Euclidean point–geometry distance GEOS `distance` gives.
///
/// Algorithm: for the whole kind (group 0), a ring search over ``SegmentBuckets``; for one grid's
/// features (few), a linear scan with bounding-box pruning: a shape is measured only when its
/// box is not farther than the k-th best distance so far. Point features go to ``PointGrid``.
struct FeatureShapes: Sendable {
    struct Shape: Sendable {
        /// The feature's rank (position of its id among all features of the kind).
        var rank: Int32
        var minX: Double, minY: Double, maxX: Double, maxY: Double
        /// Its segments in ``segments``: the first `areaEdgeCount` are polygon edges (all rings),
        /// the rest lines and points.
        var segments: Range<Int>
        var areaEdgeCount: Int
    }

    let shapes: [Shape]
    let segments: [PlanarSegment]
    /// The shape (index in ``shapes``) each segment belongs to.
    let shapeOfSegment: [Int32]
    /// Like ``PointGrid``: group 0 lists every shape, group `1 + g` those in grid g.
    let groups: [[Int32]]
    /// Group 0's index; nil when the kind has no lines or polygons.
    private(set) var buckets: SegmentBuckets?

    /// `parts[s]` is shape s's polygon edges and its other segments, already projected;
    /// `groups[g]` lists shape numbers.
    init(ranks: [Int32], parts: [(area: [PlanarSegment], lines: [PlanarSegment])], groups: [[Int32]]) {
        var shapes: [Shape] = [], segments: [PlanarSegment] = []
        for (rank, part) in zip(ranks, parts) {
            let start = segments.count
            segments += part.area + part.lines
            var box = (minX: Double.infinity, minY: Double.infinity, maxX: -Double.infinity, maxY: -Double.infinity)
            for segment in segments[start...] {
                box = (min(box.minX, segment.minX), min(box.minY, segment.minY),
                       max(box.maxX, segment.maxX), max(box.maxY, segment.maxY))
            }
            shapes.append(Shape(rank: rank, minX: box.minX, minY: box.minY, maxX: box.maxX, maxY: box.maxY,
                                segments: start..<segments.count, areaEdgeCount: part.area.count))
        }
        (self.shapes, self.segments, self.groups) = (shapes, segments, groups)
        var owner = [Int32](repeating: 0, count: segments.count)
        for (number, shape) in shapes.enumerated() { for segment in shape.segments { owner[segment] = Int32(number) } }
        shapeOfSegment = owner
        buckets = SegmentBuckets(shapes: shapes, segments: segments, shapeOfSegment: owner) { [self] number, x, y in
            isCovered(shapes[number], x: x, y: y)
        }
    }

    /// Offers every shape of group `group` that can beat `best.worst` to `best`.
    func offer(group: Int, x: Double, y: Double, into best: inout NearestCandidates) {
        if group == 0, let buckets {
            offerNearest(buckets: buckets, x: x, y: y, into: &best)
            return
        }
        for number in groups[group] {
            let shape = shapes[Int(number)]
            let dx = max(shape.minX - x, 0, x - shape.maxX), dy = max(shape.minY - y, 0, y - shape.maxY)
            guard dx * dx + dy * dy <= best.worst else { continue }
            best.offer(rank: shape.rank, squaredDistance: squaredDistance(to: shape, x: x, y: y))
        }
    }

    /// The squared distance from (x, y) to the shape: 0 inside or on a polygon.
    func squaredDistance(to shape: Shape, x: Double, y: Double) -> Double {
        if isCovered(shape, x: x, y: y) { return 0 }
        var nearest = Double.infinity
        for segment in segments[shape.segments] { nearest = min(nearest, segment.squaredDistance(x, y)) }
        return nearest
    }

    /// Whether the shape's polygons cover (x, y), exactly (boundary included).
    func isCovered(_ shape: Shape, x: Double, y: Double) -> Bool {
        guard shape.areaEdgeCount > 0 else { return false }
        return segments.withUnsafeBufferPointer { all in
            PolygonPointTest.placement(x, y, UnsafeBufferPointer(rebasing: all[shape.segments.prefix(shape.areaEdgeCount)])).isCovered
        }
    }

    /// The segments of everything in `geometry` that is not a polygon: consecutive vertices of
    /// lines, and points as zero-length segments (polygons: ``PlanarSegment/edges(of:)``).
    static func lineSegments(of geometry: Geometry) -> [PlanarSegment] {
        func line(_ positions: [Position]) -> [PlanarSegment] {
            guard let first = positions.first else { return [] }
            guard positions.count > 1 else { return [PlanarSegment(ax: first.x, ay: first.y, bx: first.x, by: first.y)] }
            return zip(positions, positions.dropFirst()).map { PlanarSegment(ax: $0.x, ay: $0.y, bx: $1.x, by: $1.y) }
        }
        switch geometry {
        case .point(let position): return line([position])
        case .multiPoint(let positions): return positions.flatMap { line([$0]) }
        case .lineString(let positions): return line(positions)
        case .multiLineString(let lines): return lines.flatMap(line)
        case .polygon, .multiPolygon: return []
        case .geometryCollection(let members): return members.flatMap(lineSegments)
        }
    }
}
