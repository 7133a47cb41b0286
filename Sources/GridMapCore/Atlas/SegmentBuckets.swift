/// The segments of a kind's lines and polygons bucketed in a uniform grid (metres), for exact
/// k-nearest queries over many shapes — roads, fields — where a scan of every shape's box per
/// query (``FeatureShapes``'s fallback) costs microseconds.
///
/// Algorithm: the cell method of ``PointGrid``, over segments. Each cell lists the segments
/// whose bounding box overlaps it (a long segment in several cells), so every segment lies in
/// the cells it touches and a ring search that has scanned all cells within distance d of the
/// query has seen every segment nearer than d. A shape's distance is its nearest segment's,
/// so candidates are offered per segment and ``NearestCandidates/offerShape(rank:squaredDistance:)``
/// keeps each shape once, at its smallest distance. The one thing segments cannot show is a
/// point *inside* a polygon (distance 0, maybe far from every edge), so each cell also lists
/// the polygons that can cover a point of it: those with an edge box overlapping the cell (to be
/// tested exactly) and those that cover the cell wholly (0 without a test). The stop rule is
/// PointGrid's: strict, with the bound taken a millionth of a cell short.
struct SegmentBuckets: Sendable {
    /// About this many segment entries per cell.
    static let segmentsPerCell = 2.0
    /// At most this many cells, whatever the spread of the segments.
    static let maximumCells = 1 << 20

    let layout: PointGrid.Layout
    /// Cell c lists segments `segmentOfEntry[segmentStarts[c] ..< segmentStarts[c + 1]]`.
    let segmentStarts: [Int32]
    let segmentOfEntry: [Int32]
    /// Cell c lists polygons (shape numbers) `polygonOfEntry[polygonStarts[c] ..< polygonStarts[c + 1]]`;
    /// a negative entry `-1 - s` is shape s covering the whole cell.
    let polygonStarts: [Int32]
    let polygonOfEntry: [Int32]

    /// Buckets for `shapes` over `segments` (``FeatureShapes``'s arrays); nil when there are none.
    init?(shapes: [FeatureShapes.Shape], segments: [PlanarSegment], shapeOfSegment: [Int32],
          covers: (Int, Double, Double) -> Bool) {
        guard !segments.isEmpty else { return nil }
        let minX = segments.map(\.minX).min()!, maxX = segments.map(\.maxX).max()!
        let minY = segments.map(\.minY).min()!, maxY = segments.map(\.maxY).max()!
        let (width, height) = (maxX - minX, maxY - minY)
        let cellCount = min(Double(Self.maximumCells), max(1, Double(segments.count) / Self.segmentsPerCell))
        var cellSize = max((width * height / cellCount).squareRoot(), max(width, height) / cellCount)
        if !(cellSize > 0) { cellSize = 1 }
        let layout = PointGrid.Layout(minX: minX, minY: minY, cellSize: cellSize, inverseCellSize: 1 / cellSize,
                                      columns: Int(width / cellSize) + 1, rows: Int(height / cellSize) + 1, firstCell: 0)
        /// The cells (column range, row range) a box overlaps.
        func cells(_ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double) -> (ClosedRange<Int>, ClosedRange<Int>) {
            func clamp(_ value: Double, _ count: Int) -> Int { min(max(layout.cell(value, count: count), 0), count - 1) }
            return (clamp(minX - layout.minX, layout.columns)...clamp(maxX - layout.minX, layout.columns),
                    clamp(minY - layout.minY, layout.rows)...clamp(maxY - layout.minY, layout.rows))
        }
        var segmentLists = [[Int32]](repeating: [], count: layout.columns * layout.rows)
        var polygonLists = [[Int32]](repeating: [], count: layout.columns * layout.rows)
        for (number, segment) in segments.enumerated() {
            let (columns, rows) = cells(segment.minX, segment.minY, segment.maxX, segment.maxY)
            for row in rows { for column in columns { segmentLists[row * layout.columns + column].append(Int32(number)) } }
        }
        for (number, shape) in shapes.enumerated() where shape.areaEdgeCount > 0 {
            var edgeCells = Set<Int>()
            for edge in segments[shape.segments.prefix(shape.areaEdgeCount)] {
                let (columns, rows) = cells(edge.minX, edge.minY, edge.maxX, edge.maxY)
                for row in rows { for column in columns { edgeCells.insert(row * layout.columns + column) } }
            }
            // A cell no edge box reaches is wholly inside or wholly outside: its centre decides.
            let (columns, rows) = cells(shape.minX, shape.minY, shape.maxX, shape.maxY)
            for row in rows {
                for column in columns {
                    let cell = row * layout.columns + column
                    if edgeCells.contains(cell) {
                        polygonLists[cell].append(Int32(number))
                    } else if covers(number, layout.minX + (Double(column) + 0.5) * cellSize,
                                     layout.minY + (Double(row) + 0.5) * cellSize) {
                        polygonLists[cell].append(-1 - Int32(number))
                    }
                }
            }
        }
        func flatten(_ lists: [[Int32]]) -> (starts: [Int32], entries: [Int32]) {
            var starts: [Int32] = [0]
            starts.reserveCapacity(lists.count + 1)
            for list in lists { starts.append(starts[starts.count - 1] + Int32(list.count)) }
            return (starts, Array(lists.joined()))
        }
        self.layout = layout
        (segmentStarts, segmentOfEntry) = flatten(segmentLists)
        (polygonStarts, polygonOfEntry) = flatten(polygonLists)
    }
}

extension FeatureShapes {
    /// The exact k nearest shapes of the whole kind through ``SegmentBuckets``, offered to `best`.
    func offerNearest(buckets grid: SegmentBuckets, x: Double, y: Double, into best: inout NearestCandidates) {
        let layout = grid.layout
        let column = layout.cell(x - layout.minX, count: layout.columns)
        let row = layout.cell(y - layout.minY, count: layout.rows)
        // Polygons covering the point: only the point's own cell can say (none outside the grid).
        if (0..<layout.columns).contains(column), (0..<layout.rows).contains(row) {
            let cell = row * layout.columns + column
            for entry in grid.polygonOfEntry[Int(grid.polygonStarts[cell])..<Int(grid.polygonStarts[cell + 1])] {
                let number = Int(entry < 0 ? -1 - entry : entry)
                if entry < 0 || isCovered(shapes[number], x: x, y: y) {
                    best.offerShape(rank: shapes[number].rank, squaredDistance: 0)
                }
            }
        }
        func scan(row: Int, from first: Int, to last: Int) {
            guard row >= 0, row < layout.rows else { return }
            let (first, last) = (max(first, 0), min(last, layout.columns - 1))
            guard first <= last else { return }
            for cell in (row * layout.columns + first)...(row * layout.columns + last) {
                for entry in grid.segmentOfEntry[Int(grid.segmentStarts[cell])..<Int(grid.segmentStarts[cell + 1])] {
                    let number = Int(entry)
                    best.offerShape(rank: shapes[Int(shapeOfSegment[number])].rank,
                                    squaredDistance: segments[number].squaredDistance(x, y))
                }
            }
        }
        var ring = 0
        while true {
            let (left, right, bottom, top) = (column - ring, column + ring, row - ring, row + ring)
            scan(row: bottom, from: left, to: right)
            if ring > 0 {
                scan(row: top, from: left, to: right)
                let (lowest, highest) = (max(bottom + 1, 0), min(top - 1, layout.rows - 1))
                if lowest <= highest {
                    for side in lowest...highest {
                        scan(row: side, from: left, to: left)
                        scan(row: side, from: right, to: right)
                    }
                }
            }
            guard let bound = layout.distanceBeyond(x: x, y: y, left: left, right: right, bottom: bottom, top: top),
                  bound * bound <= best.worst
            else { return }
            ring += 1
        }
    }
}
