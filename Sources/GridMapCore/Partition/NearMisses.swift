import GEOS

/// Closes the near misses that noding leaves in the lines a town is cut along.
///
/// Snap-rounding nodes lines that cross, but not lines that only pass close: a river passing
/// 7 cm from a grid's corner, a cut passing 15 cm from a road junction, or two grid corners 23 cm
/// apart each gave Dacun a block — and so a micro-grid — with a vertex a few centimetres from its
/// neighbour's edge without being on it. Such a vertex is a sliver waiting to happen: rounding the
/// micro-grids to 6 decimals (7 cm) moves it across that edge, and snapping at 0.1 m then makes an
/// overlap of square metres instead of repairing the rounding. So before the lines are
/// polygonized, every vertex within ``tolerance`` of another vertex is merged into it, and every
/// vertex within the tolerance of a segment is put on that segment (the segment bends through
/// it); then the lines are noded again, until nothing is that close. No vertex moves by more than
/// the tolerance, and tiny faces between the near-coincident lines collapse instead of becoming
/// blocks.
enum NearMisses {
    /// Half a metre: far below any edge a town draws on purpose (blocks, fields and homes are
    /// metres apart), far above the 7 cm a 6-decimal file moves a vertex.
    static let tolerance = 0.5

    /// The noded `pieces` (line strings) with their near misses closed and noded again.
    static func closed(_ pieces: [GEOSGeometry], metres: LocalMetres, context: GEOSContext) throws(GEOSError) -> [GEOSGeometry] {
        var pieces = pieces
        // Each round closes the near misses that the last noding left; bending a segment can
        // make a new crossing near a vertex, which the next round closes.
        for _ in 0..<6 {
            var lines: [[Coordinate]] = []
            for piece in pieces { lines.append(try piece.coordinates()) }
            guard let mended = Self.mended(lines, metres: metres) else { break }
            let noded = try GEOSGeometry.multiLineString(mended, context: context).unaryUnion(gridSize: TownPartition.gridSize)
            pieces = noded.type == .lineString ? [noded] : try noded.geometries()
        }
        return pieces
    }

    /// `lines` with near vertices merged and vertices near a segment put on it; nil when nothing
    /// was near.
    static func mended(_ lines: [[Coordinate]], metres: LocalMetres) -> [[Coordinate]]? {
        let tolerance = Self.tolerance
        // Vertices merged: in a fixed order, each into the first kept vertex within the tolerance,
        // so that none moves further than the tolerance (no chains).
        let vertices = Array(Set(lines.joined())).sorted { ($0.x, $0.y) < ($1.x, $1.y) }
        var kept = CellIndex(cell: tolerance)
        var keptPoints: [Coordinate] = []
        var keptMetres: [Coordinate] = []
        var into: [Coordinate: Coordinate] = [:]
        for vertex in vertices {
            let p = metres.point(vertex)
            let near = kept.candidates(minX: p.x - tolerance, minY: p.y - tolerance, maxX: p.x + tolerance, maxY: p.y + tolerance)
                .filter { distance(keptMetres[$0], p) < tolerance }
                .min { (distance(keptMetres[$0], p), $0) < (distance(keptMetres[$1], p), $1) }
            if let near {
                into[vertex] = keptPoints[near]
            } else {
                kept.insert(keptPoints.count, x: p.x, y: p.y)
                keptPoints.append(vertex)
                keptMetres.append(p)
            }
        }
        var changed = !into.isEmpty
        var merged: [[Coordinate]] = []
        for line in lines {
            var out: [Coordinate] = []
            for c in line {
                let m = into[c] ?? c
                if out.last != m { out.append(m) }
            }
            if Set(out).count >= 2 { merged.append(out) }
        }

        // Vertices put on the segments they lie near (with 50 m cells: segments are long).
        var index = CellIndex(cell: 50)
        for (i, p) in keptMetres.enumerated() { index.insert(i, x: p.x, y: p.y) }
        var result: [[Coordinate]] = []
        for line in merged {
            var out: [Coordinate] = [line[0]]
            for k in 1..<line.count {
                let (a, b) = (line[k - 1], line[k])
                let (pa, pb) = (metres.point(a), metres.point(b))
                let dx = pb.x - pa.x, dy = pb.y - pa.y
                let length2 = dx * dx + dy * dy
                var inserted: [(t: Double, point: Coordinate)] = []
                if length2 > 0 {
                    for i in index.candidates(minX: min(pa.x, pb.x) - tolerance, minY: min(pa.y, pb.y) - tolerance,
                                              maxX: max(pa.x, pb.x) + tolerance, maxY: max(pa.y, pb.y) + tolerance) {
                        let v = keptPoints[i]
                        guard v != a, v != b else { continue }
                        let p = keptMetres[i]
                        let t = ((p.x - pa.x) * dx + (p.y - pa.y) * dy) / length2
                        guard t > 0, t < 1 else { continue }
                        let foot = Coordinate(x: pa.x + t * dx, y: pa.y + t * dy)
                        if distance(foot, p) < tolerance { inserted.append((t, v)) }
                    }
                }
                if !inserted.isEmpty {
                    changed = true
                    for item in inserted.sorted(by: { ($0.t, $0.point.x, $0.point.y) < ($1.t, $1.point.x, $1.point.y) }) where out.last != item.point {
                        out.append(item.point)
                    }
                }
                if out.last != b { out.append(b) }
            }
            if Set(out).count >= 2 { result.append(out) }
        }
        return changed ? result : nil
    }

    private static func distance(_ a: Coordinate, _ b: Coordinate) -> Double {
        let dx = a.x - b.x, dy = a.y - b.y
        return (dx * dx + dy * dy).squareRoot()
    }

    /// Items by square cells of a plane in metres.
    struct CellIndex {
        let cell: Double
        private var cells: [Int64: [Int]] = [:]

        init(cell: Double) { self.cell = cell }

        private func key(_ i: Int64, _ j: Int64) -> Int64 { (i << 32) ^ (j & 0xFFFF_FFFF) }

        mutating func insert(_ item: Int, x: Double, y: Double) {
            cells[key(Int64((x / cell).rounded(.down)), Int64((y / cell).rounded(.down))), default: []].append(item)
        }

        /// The items in the cells the box touches (a superset of those inside it), in ascending order.
        func candidates(minX: Double, minY: Double, maxX: Double, maxY: Double) -> [Int] {
            var found: [Int] = []
            let (i0, i1) = (Int64((minX / cell).rounded(.down)), Int64((maxX / cell).rounded(.down)))
            let (j0, j1) = (Int64((minY / cell).rounded(.down)), Int64((maxY / cell).rounded(.down)))
            for i in i0...i1 {
                for j in j0...j1 { found.append(contentsOf: cells[key(i, j)] ?? []) }
            }
            return found.sorted()
        }
    }
}
