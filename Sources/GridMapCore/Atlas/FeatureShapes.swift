import GeoJSON

/// The line and polygon features of one kind in the working CRS (metres), for the exact
/// distance from a point to each: 0 when a polygon covers the point, else the distance to the
/// nearest of its segments (polygon edges, line segments, and isolated points as zero-length
/// segments). This is the Euclidean point–geometry distance GEOS `distance` gives.
///
/// Algorithm: linear scan with bounding-box pruning. A shape is measured only when its box is
/// not farther than the k-th best distance so far, so the cost per query is one box test per
/// shape of the kind, plus exact distances for the few near ones. Kinds hold tens of such
/// features (squares, stations), not thousands; point features go to ``PointGrid``.
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
    /// Like ``PointGrid``: group 0 lists every shape, group `1 + g` those in grid g.
    let groups: [[Int32]]

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
    }

    /// Offers every shape of group `group` that can beat `best.worst` to `best`.
    func offer(group: Int, x: Double, y: Double, into best: inout NearestCandidates) {
        for number in groups[group] {
            let shape = shapes[Int(number)]
            let dx = max(shape.minX - x, 0, x - shape.maxX), dy = max(shape.minY - y, 0, y - shape.maxY)
            guard dx * dx + dy * dy <= best.worst else { continue }
            best.offer(rank: shape.rank, squaredDistance: squaredDistance(to: shape, x: x, y: y))
        }
    }

    /// The squared distance from (x, y) to the shape: 0 inside or on a polygon.
    func squaredDistance(to shape: Shape, x: Double, y: Double) -> Double {
        segments.withUnsafeBufferPointer { all in
            let own = UnsafeBufferPointer(rebasing: all[shape.segments])
            if shape.areaEdgeCount > 0,
               PolygonPointTest.placement(x, y, UnsafeBufferPointer(rebasing: own.prefix(shape.areaEdgeCount))).isCovered {
                return 0
            }
            var nearest = Double.infinity
            for segment in own { nearest = min(nearest, segment.squaredDistance(x, y)) }
            return nearest
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
