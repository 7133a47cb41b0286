/// Points in metres bucketed in uniform grids, for exact k-nearest-neighbour queries.
///
/// Algorithm: the "cell method" (bucketing; Bentley, Weide & Yao 1980). A group's bounding box
/// is cut into square cells holding about ``pointsPerCell`` points each; the points are stored
/// cell by cell, row by row, so a row of neighbouring cells is one contiguous run of the flat
/// arrays (no pointers, no recursion, two or three cache lines per run). A query scans rings
/// of cells around its own cell, ring 0 (its cell), ring 1 (the 8 around it), …, and stops once
/// every cell not yet scanned is farther than the k-th best distance found. That bound is taken
/// a hair (a millionth of a cell) short so that rounding in the cell arithmetic can never skip a
/// point, and the stop test is strict (`>`): an equally distant point of smaller rank is never
/// missed. Exact: the answer is that of brute force, sorted by (squared distance, rank). For
/// uniformly spread points a query scans a handful of cells; a query far outside the box scans
/// the cells between (at worst all of them, like brute force).
///
/// One instance holds several independent groups (a forest), each with its own grid over its own
/// run of the arrays: the atlas keeps all features of a kind in group 0 and each grid's features
/// in a group of their own, so a batch reaches any group through the same buffers.
struct PointGrid: Sendable {
    /// Fewer points per cell means fewer points scanned but more (often empty) cells visited;
    /// about two is the usual optimum for k = 1.
    static let pointsPerCell = 2.0

    /// One group's cells: `columns × rows` squares of side `cellSize` from (minX, minY); cell
    /// (column, row) holds the points at `cellStarts[firstCell + row * columns + column]
    /// ..< cellStarts[… + 1]` of ``xs``, ``ys``, ``ranks``.
    struct Layout: Sendable {
        var minX: Double, minY: Double
        var cellSize: Double, inverseCellSize: Double
        var columns: Int, rows: Int
        var firstCell: Int

        /// The cell index (column or row) holding `offset` metres from the origin, clamped to
        /// -1 … `count` so that far points cannot overflow `Int`.
        @inline(__always)
        func cell(_ offset: Double, count: Int) -> Int {
            Int(min(max((offset * inverseCellSize).rounded(.down), -1), Double(count)))
        }

        /// The nearest (x, y) can be to any cell outside columns `left…right` × rows
        /// `bottom…top`, taken a millionth of a cell short so that rounding in the cell
        /// arithmetic never overshoots; nil when that block already covers the grid.
        @inline(__always)
        func distanceBeyond(x: Double, y: Double, left: Int, right: Int, bottom: Int, top: Int) -> Double? {
            var bound = Double.infinity
            if left > 0 { bound = min(bound, x - (minX + Double(left) * cellSize)) }
            if right < columns - 1 { bound = min(bound, minX + Double(right + 1) * cellSize - x) }
            if bottom > 0 { bound = min(bound, y - (minY + Double(bottom) * cellSize)) }
            if top < rows - 1 { bound = min(bound, minY + Double(top + 1) * cellSize - y) }
            return bound == .infinity ? nil : max(0, bound - cellSize * 1e-6)
        }
    }

    let layouts: [Layout]
    /// Per group, `columns × rows + 1` offsets into the point arrays.
    let cellStarts: [Int32]
    let xs: [Double]
    let ys: [Double]
    let ranks: [Int32]

    /// One grid per group; `groups[g]` lists positions in `x`, `y`, `ranks`.
    init(x: [Double], y: [Double], ranks: [Int32], groups: [[Int]]) {
        var layouts: [Layout] = [], cellStarts: [Int32] = []
        var xs: [Double] = [], ys: [Double] = [], sortedRanks: [Int32] = []
        for group in groups {
            let (minX, maxX) = (group.map { x[$0] }.min() ?? 0, group.map { x[$0] }.max() ?? 0)
            let (minY, maxY) = (group.map { y[$0] }.min() ?? 0, group.map { y[$0] }.max() ?? 0)
            let (width, height) = (maxX - minX, maxY - minY)
            let cellCount = max(1, Double(group.count) / Self.pointsPerCell)
            // Square cells of the wanted count; for points on a line (zero area), cells along it.
            var cellSize = max((width * height / cellCount).squareRoot(), max(width, height) / cellCount)
            if !(cellSize > 0) { cellSize = 1 }   // one point, or all at one place: one cell
            let layout = Layout(minX: minX, minY: minY, cellSize: cellSize, inverseCellSize: 1 / cellSize,
                                columns: Int(width / cellSize) + 1, rows: Int(height / cellSize) + 1,
                                firstCell: cellStarts.count)
            // Counting sort of the group's points by cell.
            let cells = group.map { point in
                min(layout.cell(y[point] - minY, count: layout.rows), layout.rows - 1) * layout.columns
                    + min(layout.cell(x[point] - minX, count: layout.columns), layout.columns - 1)
            }
            var counts = [Int](repeating: 0, count: layout.columns * layout.rows + 1)
            for cell in cells { counts[cell + 1] += 1 }
            for cell in 1..<counts.count { counts[cell] += counts[cell - 1] }
            let base = xs.count
            cellStarts += counts.map { Int32(base + $0) }
            var next = counts
            var order = [Int](repeating: 0, count: group.count)
            for (member, cell) in cells.enumerated() {
                order[next[cell]] = group[member]
                next[cell] += 1
            }
            xs += order.map { x[$0] }
            ys += order.map { y[$0] }
            sortedRanks += order.map { ranks[$0] }
            layouts.append(layout)
        }
        (self.layouts, self.cellStarts, self.xs, self.ys, self.ranks) = (layouts, cellStarts, xs, ys, sortedRanks)
    }

    /// Calls `body` with unchecked views of the arrays, for batches.
    func withView<Result, Failure: Error>(_ body: (View) throws(Failure) -> Result) throws(Failure) -> Result {
        try cellStarts.withUnsafeBufferPointer { (cellStarts) throws(Failure) in
            try xs.withUnsafeBufferPointer { (xs) throws(Failure) in
                try ys.withUnsafeBufferPointer { (ys) throws(Failure) in
                    try ranks.withUnsafeBufferPointer { (ranks) throws(Failure) in
                        try body(View(layouts: layouts, cellStarts: cellStarts, xs: xs, ys: ys, ranks: ranks))
                    }
                }
            }
        }
    }

    /// The arrays as buffer pointers, valid only inside ``withView(_:)``. `@unchecked Sendable`
    /// is sound because the arrays are immutable and only read through the view.
    struct View: @unchecked Sendable {
        let layouts: [Layout]
        let cellStarts: UnsafeBufferPointer<Int32>
        let xs: UnsafeBufferPointer<Double>
        let ys: UnsafeBufferPointer<Double>
        let ranks: UnsafeBufferPointer<Int32>

        /// The search of group `group` for (x, y), into `best` (emptied first).
        func nearest(in group: Int, x: Double, y: Double, into best: inout NearestCandidates) {
            best.removeAll()
            let grid = layouts[group]
            guard best.capacity > 0, cellStarts[grid.firstCell + grid.columns * grid.rows] > cellStarts[grid.firstCell]
            else { return }
            let column = grid.cell(x - grid.minX, count: grid.columns)
            let row = grid.cell(y - grid.minY, count: grid.rows)
            var ring = 0
            while true {
                let (left, right) = (column - ring, column + ring)
                let (bottom, top) = (row - ring, row + ring)
                if ring == 0 {
                    scan(grid, row: row, from: column, to: column, x, y, &best)
                } else {
                    scan(grid, row: bottom, from: left, to: right, x, y, &best)
                    scan(grid, row: top, from: left, to: right, x, y, &best)
                    let (lowest, highest) = (max(bottom + 1, 0), min(top - 1, grid.rows - 1))
                    if lowest <= highest {
                        for side in lowest...highest {
                            scan(grid, row: side, from: left, to: left, x, y, &best)
                            scan(grid, row: side, from: right, to: right, x, y, &best)
                        }
                    }
                }
                guard let bound = grid.distanceBeyond(x: x, y: y, left: left, right: right, bottom: bottom, top: top),
                      bound * bound <= best.worst
                else { return }
                ring += 1
            }
        }

        /// Offers the points of cells `first…last` of row `row` (clipped to the grid): one run.
        @inline(__always)
        private func scan(_ grid: Layout, row: Int, from first: Int, to last: Int,
                          _ x: Double, _ y: Double, _ best: inout NearestCandidates) {
            guard row >= 0, row < grid.rows else { return }
            let (first, last) = (max(first, 0), min(last, grid.columns - 1))
            guard first <= last else { return }
            let cell = grid.firstCell + row * grid.columns
            for point in Int(cellStarts[cell + first])..<Int(cellStarts[cell + last + 1]) {
                let dx = xs[point] - x, dy = ys[point] - y
                best.offer(rank: ranks[point], squaredDistance: dx * dx + dy * dy)
            }
        }
    }
}
