import GEOS
import GeoJSON

/// Snaps a polygonal coverage (grids and micro-grids) so that edges meant to be shared are
/// shared again after rounding (6 decimals, as GIS tools often write, is up to 5.5 cm off).
///
/// In metres, in two steps, each inventing no coordinate it need not:
/// 1. **Vertices**, in input order (the fixed town boundary first, then grids, then
///    micro-grids): a vertex within `tolerance` of an earlier kept vertex ("anchor") takes the
///    nearest one's coordinate; otherwise, within `tolerance` of a boundary edge it is moved onto
///    that edge; otherwise it becomes an anchor. Anchors are therefore more than `tolerance` apart,
///    so no vertex has two to choose from.
/// 2. **Edges**: every anchor within `tolerance` of a polygon's edge (other than the polygon's own
///    vertices) is inserted into that edge (`GEOSSnap_r` against those anchors), which closes the
///    T-junctions that rounding opens — a micro-grid's corner on its neighbour's straight edge.
///
/// The metres are the working CRS's as they are at the town's centre: an affine map of
/// longitude/latitude (``LocalMetric``), not the projection itself, because coverage is checked on
/// the stored coordinates, where an edge is straight in longitude/latitude — a point put on an
/// edge straight in the projection would lie centimetres off it. Across a town of tens of
/// kilometres the two measure a tolerance alike within a fraction of a percent. Coordinates go back to WGS84
/// through the anchors' original positions, bit for bit, so two polygons that share a vertex
/// share the same doubles; a point put on the boundary's edge goes back through the affine map. The town boundary is the reference and
/// never changes. GEOS 3.11 has no coverage cleaning (`GEOSCoverageClean` is 3.14), hence this.
struct CoverageSnap {
    let tolerance: Double
    let projection: Projection
    let context: GEOSContext

    /// Distances at or below this (a micrometre's thousandth) are a point already on the edge,
    /// up to rounding: such a point is neither moved nor inserted.
    static let onEdge = 1e-9

    /// The working CRS's metres near the town as an affine map of longitude/latitude: its
    /// Jacobian at `origin`, measured by projecting two points 0.001° away.
    struct LocalMetric {
        var origin: Position
        var a: Double, b: Double, c: Double, d: Double

        init(at origin: Position, projection: Projection) throws {
            let step = 0.001
            let points = try projection.transform([origin, Position(x: origin.x + step, y: origin.y),
                                                   Position(x: origin.x, y: origin.y + step)])
            self.origin = origin
            a = (points[1].x - points[0].x) / step
            c = (points[1].y - points[0].y) / step
            b = (points[2].x - points[0].x) / step
            d = (points[2].y - points[0].y) / step
        }

        func forward(_ position: Position) -> Position {
            let dx = position.x - origin.x, dy = position.y - origin.y
            return Position(x: a * dx + b * dy, y: c * dx + d * dy, z: position.z)
        }

        func inverse(_ position: Position) -> Position {
            let determinant = a * d - b * c
            return Position(x: origin.x + (d * position.x - b * position.y) / determinant,
                            y: origin.y + (a * position.y - c * position.x) / determinant, z: position.z)
        }
    }

    /// What snapping did to one polygon.
    struct Outcome {
        /// The snapped geometry (WGS84); nil when nothing changed.
        var geometry: Geometry?
        var moved = 0
        var largestMove = 0.0
        var inserted = 0
        var largestInsertion = 0.0
        /// Why the snapped geometry was not kept, when it would have been invalid.
        var refusal: String?
    }

    private struct XY: Hashable {
        var x: Double
        var y: Double
        init(_ position: Position) { x = position.x; y = position.y }
        init(_ coordinate: Coordinate) { x = coordinate.x; y = coordinate.y }
        init(x: Double, y: Double) { self.x = x; self.y = y }
        func distance(to other: XY) -> Double { ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot() }
    }

    private struct Cell: Hashable {
        var x: Int
        var y: Int
    }

    /// Snaps `movable` (WGS84 polygons) among themselves and onto `fixed` (the town boundary).
    func snap(fixed: Geometry?, movable: [Geometry]) throws -> [Outcome] {
        let inputs = (fixed.map { [$0] } ?? []) + movable
        var box: Envelope?
        for input in inputs {
            input.forEachPosition { position in
                box = box.map { Envelope(minX: min($0.minX, position.x), minY: min($0.minY, position.y),
                                         maxX: max($0.maxX, position.x), maxY: max($0.maxY, position.y)) }
                    ?? Envelope(minX: position.x, minY: position.y, maxX: position.x, maxY: position.y)
            }
        }
        guard let box else { return movable.map { _ in Outcome() } }
        let metric = try LocalMetric(at: Position(x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2), projection: projection)
        let projected = inputs.map { $0.mapPositions(metric.forward) }
        // Each projected vertex's WGS84 original, so that results go back without a round trip.
        var original: [XY: Position] = [:]
        for (source, target) in zip(inputs, projected) {
            var sources: [Position] = []
            source.forEachPosition { sources.append($0) }
            var index = 0
            target.forEachPosition { position in
                if original[XY(position)] == nil { original[XY(position)] = sources[index] }
                index += 1
            }
        }

        // Step 1: vertices onto anchors or the boundary's edges.
        var anchors: [XY] = []
        var cells: [Cell: [Int]] = [:]
        func cell(_ point: XY) -> Cell {
            Cell(x: Int((point.x / tolerance).rounded(.down)), y: Int((point.y / tolerance).rounded(.down)))
        }
        func addAnchor(_ point: XY) {
            cells[cell(point), default: []].append(anchors.count)
            anchors.append(point)
        }
        func nearestAnchor(_ point: XY) -> XY? {
            let home = cell(point)
            var best: (XY, Double)?
            for dx in -1...1 {
                for dy in -1...1 {
                    for index in cells[Cell(x: home.x + dx, y: home.y + dy)] ?? [] {
                        let distance = anchors[index].distance(to: point)
                        if distance <= tolerance, distance < best?.1 ?? .infinity { best = (anchors[index], distance) }
                    }
                }
            }
            return best?.0
        }
        let boundaryEdges: [(XY, XY)] = fixed == nil ? [] : Self.edges(of: projected[0])
        let boundaryIndex = try STRtree(boundaryEdges.map { edge throws(GEOSError) in
            try GEOSGeometry.lineString([Coordinate(x: edge.0.x, y: edge.0.y), Coordinate(x: edge.1.x, y: edge.1.y)], context: context)
        }, context: context)
        if fixed != nil { projected[0].forEachPosition { if nearestAnchor(XY($0)) != XY($0) { addAnchor(XY($0)) } } }

        var outcomes: [Outcome] = []
        var snapped: [Geometry] = []
        for geometry in projected.dropFirst(fixed == nil ? 0 : 1) {
            var outcome = Outcome()
            var movedPoints = Set<XY>()
            var firstError: Error?
            let moved = geometry.mapPositions { position in
                let point = XY(position)
                var target = point
                if let anchor = nearestAnchor(point) {
                    target = anchor
                } else {
                    do {
                        if let foot = try nearestOnBoundary(point, edges: boundaryEdges, index: boundaryIndex),
                           foot.distance(to: point) > Self.onEdge {
                            target = foot
                        }
                    } catch {
                        firstError = firstError ?? error
                    }
                    addAnchor(target)
                }
                if target != point, movedPoints.insert(point).inserted {
                    outcome.moved += 1
                    outcome.largestMove = max(outcome.largestMove, point.distance(to: target))
                }
                return Position(x: target.x, y: target.y, z: position.z)
            }
            if let firstError { throw firstError }
            outcomes.append(outcome)
            snapped.append(Self.withoutRepeats(moved))
        }

        // Step 2: anchors near a polygon's edges inserted into them.
        let anchorPoints = try anchors.map { anchor throws(GEOSError) in try GEOSGeometry.point(x: anchor.x, y: anchor.y, context: context) }
        let anchorIndex = try STRtree(anchorPoints, context: context)
        for index in snapped.indices {
            let own = Set(Self.positions(of: snapped[index]).map(XY.init))
            var near: [XY: Double] = [:]
            for (a, b) in Self.edges(of: snapped[index]) {
                let box = Envelope(minX: min(a.x, b.x), minY: min(a.y, b.y), maxX: max(a.x, b.x), maxY: max(a.y, b.y))
                for candidate in try anchorIndex.query(envelope: box.expanded(by: tolerance)) {
                    let point = anchors[candidate]
                    guard !own.contains(point) else { continue }
                    let distance = Self.distance(from: point, toSegment: a, b)
                    if distance <= tolerance, distance > Self.onEdge { near[point] = min(near[point] ?? .infinity, distance) }
                }
            }
            var result = snapped[index]
            if !near.isEmpty {
                let polygon = try snapped[index].geosGeometry(in: context)
                let points = try GEOSGeometry.multiPoint(near.keys.sorted { ($0.x, $0.y) < ($1.x, $1.y) }.map { Coordinate(x: $0.x, y: $0.y) },
                                                         context: context)
                result = try Geometry(polygon.snapped(to: points, tolerance: tolerance))
                for position in Self.positions(of: result) where !own.contains(XY(position)) {
                    outcomes[index].inserted += 1
                    outcomes[index].largestInsertion = max(outcomes[index].largestInsertion, near[XY(position)] ?? 0)
                }
            }
            guard outcomes[index].moved > 0 || outcomes[index].inserted > 0 else { continue }
            let wgs84 = back(result, original: original, metric: metric)
            if let problem = try wgs84.geosGeometry(in: context).validity() {
                outcomes[index].refusal = "snapping would make it invalid (\(problem.reason))"
            } else {
                outcomes[index].geometry = wgs84
            }
        }
        return outcomes
    }

    /// The nearest point on the town boundary's edges within the tolerance, when no vertex is.
    private func nearestOnBoundary(_ point: XY, edges: [(XY, XY)], index: STRtree) throws(GEOSError) -> XY? {
        guard !edges.isEmpty else { return nil }
        let box = Envelope(minX: point.x, minY: point.y, maxX: point.x, maxY: point.y).expanded(by: tolerance)
        var best: (XY, Double)?
        for candidate in try index.query(envelope: box) {
            let (a, b) = edges[candidate]
            let foot = Self.foot(of: point, onSegment: a, b)
            let distance = foot.distance(to: point)
            if distance <= tolerance, distance < best?.1 ?? .infinity { best = (foot, distance) }
        }
        return best?.0
    }

    /// Metres back to WGS84: an anchor's original position, or (for a point put on the
    /// boundary's edge) the inverse of the affine map.
    private func back(_ geometry: Geometry, original: [XY: Position], metric: LocalMetric) -> Geometry {
        geometry.mapPositions { original[XY($0)] ?? metric.inverse($0) }
    }

    // MARK: Plane geometry

    private static func positions(of geometry: Geometry) -> [Position] {
        var positions: [Position] = []
        geometry.forEachPosition { positions.append($0) }
        return positions
    }

    /// Every ring's segments, for polygons and multi-polygons.
    private static func edges(of geometry: Geometry) -> [(XY, XY)] {
        let rings: [[Position]] = switch geometry {
        case .polygon(let rings): rings
        case .multiPolygon(let polygons): polygons.flatMap { $0 }
        default: []
        }
        return rings.flatMap { ring in zip(ring, ring.dropFirst()).map { (XY($0), XY($1)) } }
    }

    /// Rings without consecutive repeated positions (two vertices snapped onto one anchor).
    private static func withoutRepeats(_ geometry: Geometry) -> Geometry {
        func ring(_ positions: [Position]) -> [Position] {
            var kept: [Position] = []
            for position in positions where kept.last.map({ XY($0) != XY(position) }) ?? true { kept.append(position) }
            return kept
        }
        return switch geometry {
        case .polygon(let rings): .polygon(rings.map(ring))
        case .multiPolygon(let polygons): .multiPolygon(polygons.map { $0.map(ring) })
        default: geometry
        }
    }

    private static func foot(of point: XY, onSegment a: XY, _ b: XY) -> XY {
        let dx = b.x - a.x, dy = b.y - a.y
        let length2 = dx * dx + dy * dy
        guard length2 > 0 else { return a }
        let t = min(1, max(0, ((point.x - a.x) * dx + (point.y - a.y) * dy) / length2))
        return XY(x: a.x + t * dx, y: a.y + t * dy)
    }

    private static func distance(from point: XY, toSegment a: XY, _ b: XY) -> Double {
        foot(of: point, onSegment: a, b).distance(to: point)
    }
}
