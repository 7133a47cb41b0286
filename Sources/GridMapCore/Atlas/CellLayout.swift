/// The geometry of ``LocateIndex``'s uniform grid: which cell a box or edge falls in, cell
/// centres, and cells grown by a margin.
///
/// The margin (1/1024 of a cell) is far larger than the rounding in computing a query point's
/// cell from its coordinates, so a point always lies inside the grown bounds of the cell it is
/// looked up in; everything decided for the grown cell therefore holds for every such point.
struct CellLayout {
    let minX: Double, minY: Double
    let cellWidth: Double, cellHeight: Double
    let columns: Int, rows: Int

    private var marginX: Double { cellWidth / 1024 }
    private var marginY: Double { cellHeight / 1024 }

    func centre(of cell: Int) -> (x: Double, y: Double) {
        let column = cell % columns, row = cell / columns
        return (minX + (Double(column) + 0.5) * cellWidth, minY + (Double(row) + 0.5) * cellHeight)
    }

    func grownBounds(of cell: Int) -> (minX: Double, minY: Double, maxX: Double, maxY: Double) {
        let column = cell % columns, row = cell / columns
        return (minX + Double(column) * cellWidth - marginX, minY + Double(row) * cellHeight - marginY,
                minX + Double(column + 1) * cellWidth + marginX, minY + Double(row + 1) * cellHeight + marginY)
    }

    /// The cells whose centre lies in the box (minX, minY, maxX, maxY).
    func cellsWithCentre(in box: (Double, Double, Double, Double)) -> [Int] {
        let firstColumn = max(0, Int(((box.0 - minX) / cellWidth - 0.5).rounded(.up)))
        let lastColumn = min(columns - 1, Int(((box.2 - minX) / cellWidth - 0.5).rounded(.down)))
        let firstRow = max(0, Int(((box.1 - minY) / cellHeight - 0.5).rounded(.up)))
        let lastRow = min(rows - 1, Int(((box.3 - minY) / cellHeight - 0.5).rounded(.down)))
        guard firstColumn <= lastColumn, firstRow <= lastRow else { return [] }
        var cells: [Int] = []
        cells.reserveCapacity((lastColumn - firstColumn + 1) * (lastRow - firstRow + 1))
        for row in firstRow...lastRow {
            for column in firstColumn...lastColumn { cells.append(row * columns + column) }
        }
        return cells
    }

    /// Every (cell, polygon) pair where an edge of the polygon meets the cell's grown bounds,
    /// without duplicates. Each edge is tested only against the cells of its own bounding box.
    func touchingPolygons(_ polygons: [[PlanarSegment]]) -> [(cell: Int, polygon: Int32)] {
        var pairs = Set<Int64>()
        for (number, edges) in polygons.enumerated() {
            for edge in edges {
                let firstColumn = clampedColumn(edge.minX - marginX), lastColumn = clampedColumn(edge.maxX + marginX)
                let firstRow = clampedRow(edge.minY - marginY), lastRow = clampedRow(edge.maxY + marginY)
                for row in firstRow...lastRow {
                    for column in firstColumn...lastColumn {
                        let cell = row * columns + column
                        if Self.segment(edge, meets: grownBounds(of: cell)) {
                            pairs.insert(Int64(cell) << 32 | Int64(number))
                        }
                    }
                }
            }
        }
        return pairs.map { (cell: Int($0 >> 32), polygon: Int32(truncatingIfNeeded: $0)) }
    }

    private func clampedColumn(_ x: Double) -> Int { max(0, min(columns - 1, Int(((x - minX) / cellWidth).rounded(.down)))) }
    private func clampedRow(_ y: Double) -> Int { max(0, min(rows - 1, Int(((y - minY) / cellHeight).rounded(.down)))) }

    /// Whether the segment meets the closed box: Liang–Barsky clipping of the parameter range
    /// [0, 1] against the four slabs.
    static func segment(_ edge: PlanarSegment, meets box: (minX: Double, minY: Double, maxX: Double, maxY: Double)) -> Bool {
        var low = 0.0, high = 1.0
        func clip(_ start: Double, _ delta: Double, _ lower: Double, _ upper: Double) -> Bool {
            if delta == 0 { return start >= lower && start <= upper }
            var t0 = (lower - start) / delta, t1 = (upper - start) / delta
            if t0 > t1 { swap(&t0, &t1) }
            low = max(low, t0)
            high = min(high, t1)
            return low <= high
        }
        return clip(edge.ax, edge.bx - edge.ax, box.minX, box.maxX)
            && clip(edge.ay, edge.by - edge.ay, box.minY, box.maxY)
    }
}
