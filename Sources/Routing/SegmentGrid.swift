/// A uniform grid over the straight segments of the network's polylines, for nearest-segment
/// queries (snapping).
///
/// Algorithm: bucket grid (a fixed-cell spatial hash): each segment is listed in every cell its
/// bounding box touches; a query scans square rings of cells around its own cell, nearest ring
/// first, and stops once the best distance found is no larger than the distance to the next ring
/// (r cells from the query's cell is at least r·cellSize away). Ties go to the lowest segment.
struct SegmentGrid: Sendable {
    let minX: Double
    let minY: Double
    let cellSize: Double
    let columns: Int
    let rows: Int
    /// Cell c lists segments `cellSegments[cellStart[c]..<cellStart[c + 1]]`; a segment is named
    /// by its first point (it runs from point i to point i + 1 of the same edge).
    let cellStart: [Int32]
    let cellSegments: [Int32]
    let x: [Double]
    let y: [Double]

    init(pointStart: [Int32], x: [Double], y: [Double]) {
        self.x = x
        self.y = y
        var segments: [Int] = []
        for e in 0..<(pointStart.count - 1) {
            for i in Int(pointStart[e])..<(Int(pointStart[e + 1]) - 1) { segments.append(i) }
        }
        guard !segments.isEmpty else {
            minX = 0; minY = 0; cellSize = 1; columns = 1; rows = 1; cellStart = [0, 0]; cellSegments = []
            return
        }
        let lowX = x.min()!, highX = x.max()!, lowY = y.min()!, highY = y.max()!
        // About two segments per cell on average.
        let area = max((highX - lowX) * (highY - lowY), 1)
        let size = max((2 * area / Double(segments.count)).squareRoot(), 1)
        minX = lowX; minY = lowY; cellSize = size
        columns = min(Int((highX - lowX) / size) + 1, 4096)
        rows = min(Int((highY - lowY) / size) + 1, 4096)
        var lists = [[Int32]](repeating: [], count: columns * rows)
        for s in segments {
            let (c0, r0) = Self.clampedCell(min(x[s], x[s + 1]), min(y[s], y[s + 1]), lowX, lowY, size, columns, rows)
            let (c1, r1) = Self.clampedCell(max(x[s], x[s + 1]), max(y[s], y[s + 1]), lowX, lowY, size, columns, rows)
            for r in r0...r1 { for c in c0...c1 { lists[r * columns + c].append(Int32(s)) } }
        }
        var start: [Int32] = [0]
        var flat: [Int32] = []
        for list in lists { flat += list; start.append(Int32(flat.count)) }
        cellStart = start
        cellSegments = flat
    }

    /// The cell holding (px, py), clamped to the grid; clamped before the conversion to `Int`, so
    /// that a point at any distance (even infinitely far) is safe.
    private static func clampedCell(_ px: Double, _ py: Double, _ minX: Double, _ minY: Double, _ size: Double,
                                    _ columns: Int, _ rows: Int) -> (Int, Int) {
        (Int(min(max(((px - minX) / size).rounded(.down), 0), Double(columns - 1))),
         Int(min(max(((py - minY) / size).rounded(.down), 0), Double(rows - 1))))
    }

    /// The segment nearest to (qx, qy) among those `accept` takes (by first point): its first
    /// point, the parameter t ∈ [0, 1] of the nearest point on it, and the squared distance.
    /// Nil when there is no such segment.
    func nearest(x qx: Double, y qy: Double,
                 accept: (Int) -> Bool = { _ in true }) -> (segment: Int, t: Double, squaredDistance: Double)? {
        guard !cellSegments.isEmpty else { return nil }
        let limit = 1e9
        let cx = Int(max(min(((qx - minX) / cellSize).rounded(.down), limit), -limit))
        let cy = Int(max(min(((qy - minY) / cellSize).rounded(.down), limit), -limit))
        var best: (segment: Int, t: Double, squaredDistance: Double)?
        func scan(_ c: Int, _ r: Int) {
            let cell = r * columns + c
            for k in Int(cellStart[cell])..<Int(cellStart[cell + 1]) {
                let s = Int(cellSegments[k])
                let (t, d2) = Self.project(qx, qy, x[s], y[s], x[s + 1], y[s + 1])
                if let b = best, (b.squaredDistance, b.segment) <= (d2, s) { continue }
                guard accept(s) else { continue }
                best = (s, t, d2)
            }
        }
        var ring = 0
        while true {
            let rowLow = cy - ring, rowHigh = cy + ring, colLow = cx - ring, colHigh = cx + ring
            let cLow = max(colLow, 0), cHigh = min(colHigh, columns - 1)
            if cLow <= cHigh {
                for r in [rowLow, rowHigh] where r >= 0 && r < rows && (r == rowLow || rowHigh != rowLow) {
                    for c in cLow...cHigh { scan(c, r) }
                }
            }
            let rLow = max(rowLow + 1, 0), rHigh = min(rowHigh - 1, rows - 1)
            if rLow <= rHigh {
                for c in [colLow, colHigh] where c >= 0 && c < columns && (c == colLow || colHigh != colLow) {
                    for r in rLow...rHigh { scan(c, r) }
                }
            }
            if let b = best {
                let reach = Double(ring) * cellSize
                if b.squaredDistance <= reach * reach { return best }
            }
            if colLow <= 0 && colHigh >= columns - 1 && rowLow <= 0 && rowHigh >= rows - 1 { return best }
            ring += 1
        }
    }

    /// Every segment that may lie within `radius` of (qx, qy): those listed in the cells the
    /// square of half-side `radius` around the point touches (a superset), ascending, no repeats.
    func segments(nearX qx: Double, y qy: Double, within radius: Double) -> [Int] {
        guard !cellSegments.isEmpty else { return [] }
        let (c0, r0) = Self.clampedCell(qx - radius, qy - radius, minX, minY, cellSize, columns, rows)
        let (c1, r1) = Self.clampedCell(qx + radius, qy + radius, minX, minY, cellSize, columns, rows)
        var found = Set<Int>()
        for r in r0...r1 {
            for c in c0...c1 {
                let cell = r * columns + c
                for k in Int(cellStart[cell])..<Int(cellStart[cell + 1]) { found.insert(Int(cellSegments[k])) }
            }
        }
        return found.sorted()
    }

    /// The parameter of the point of segment a–b nearest to q, and its squared distance.
    static func project(_ qx: Double, _ qy: Double, _ ax: Double, _ ay: Double,
                        _ bx: Double, _ by: Double) -> (t: Double, squaredDistance: Double) {
        let dx = bx - ax, dy = by - ay
        let lengthSquared = dx * dx + dy * dy
        var t = lengthSquared > 0 ? ((qx - ax) * dx + (qy - ay) * dy) / lengthSquared : 0
        t = min(max(t, 0), 1)
        let px = ax + t * dx - qx, py = ay + t * dy - qy
        return (t, px * px + py * py)
    }
}
