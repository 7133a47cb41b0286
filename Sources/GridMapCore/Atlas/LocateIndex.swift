/// The point-location index behind ``Atlas/locate(longitude:latitude:)``: a uniform grid of
/// cells over the micro-grids' bounding box, each cell classified once at build time.
///
/// Algorithm ("cell classification", a bucketed point-in-polygon index in the spirit of
/// Žalik & Kolingerova's grid method): every polygon edge is rasterised onto the cells it touches
/// (each cell grown by a small margin, so that a point whose computed cell index is off by
/// rounding is still inside the grown cell). A cell no edge touches lies wholly in the interior
/// of one polygon or outside all of them; its answer, decided once from its centre, is stored and
/// a query in it is one array read. A cell that edges touch ("mixed") keeps, per polygon touching
/// it, only the edges that the +x ray from some point of the cell can meet (those crossing the
/// cell's row band and not wholly left of it), plus the smallest polygon that covers the whole
/// cell without touching it; a query there runs ``PolygonPointTest`` on those few edges.
///
/// Polygons are numbered by the caller in rule order: among all polygons that cover a point
/// (interior or boundary), the lowest number wins. Immutable and made of plain arrays: `Sendable`,
/// and queries take no locks.
struct LocateIndex: Sendable {
    /// Returned for a point no polygon covers.
    static let none: Int32 = -1

    /// A mixed cell: `wholeCover` (or -1) covers the whole cell; groups
    /// `firstGroup..<endGroup` are the polygons whose edges touch it, in ascending order.
    struct MixedCell: Sendable {
        var wholeCover: Int32
        var firstGroup: Int32
        var endGroup: Int32
    }

    /// One polygon's edges relevant to one mixed cell: `segments[firstSegment..<endSegment]`.
    struct EdgeGroup: Sendable {
        var polygon: Int32
        var firstSegment: Int32
        var endSegment: Int32
    }

    let minX: Double, minY: Double, maxX: Double, maxY: Double
    let columns: Int, rows: Int
    let inverseCellWidth: Double, inverseCellHeight: Double
    /// Per cell (row-major): a polygon number ≥ 0, -1 for none, or -2 - i for mixed cell i.
    let cells: [Int32]
    let mixedCells: [MixedCell]
    let groups: [EdgeGroup]
    let segments: [PlanarSegment]

    /// Builds the index over `polygons` (each the edges of one polygon, in rule order), with
    /// about `targetCellCount` cells.
    init(polygons: [[PlanarSegment]], targetCellCount: Int) {
        let all = polygons.joined()
        guard let first = all.first else {
            (minX, minY, maxX, maxY) = (0, 0, -1, -1)   // an empty box: every point is outside
            (columns, rows, inverseCellWidth, inverseCellHeight) = (1, 1, 0, 0)
            (cells, mixedCells, groups, segments) = ([Self.none], [], [], [])
            return
        }
        var box = (minX: first.minX, minY: first.minY, maxX: first.maxX, maxY: first.maxY)
        for edge in all {
            box = (min(box.minX, edge.minX), min(box.minY, edge.minY), max(box.maxX, edge.maxX), max(box.maxY, edge.maxY))
        }
        (minX, minY, maxX, maxY) = box
        let width = max(box.maxX - box.minX, .leastNormalMagnitude)
        let height = max(box.maxY - box.minY, .leastNormalMagnitude)
        let target = Double(max(1, targetCellCount))
        let columns = max(1, min(1 << 14, Int((target * width / height).squareRoot().rounded())))
        let rows = max(1, min(1 << 14, Int((target / Double(columns)).rounded())))
        (self.columns, self.rows) = (columns, rows)
        let cellWidth = width / Double(columns), cellHeight = height / Double(rows)
        (inverseCellWidth, inverseCellHeight) = (1 / cellWidth, 1 / cellHeight)
        let layout = CellLayout(minX: box.minX, minY: box.minY, cellWidth: cellWidth, cellHeight: cellHeight,
                                columns: columns, rows: rows)

        let touching = layout.touchingPolygons(polygons)
        var cells = [Int32](repeating: Self.none, count: columns * rows)
        var cellTouches: [Int: [Int32]] = [:]
        for (cell, polygon) in touching { cellTouches[cell, default: []].append(polygon) }
        let mixedOrder = cellTouches.keys.sorted()
        var mixedNumber: [Int: Int] = [:]
        for (number, cell) in mixedOrder.enumerated() {
            mixedNumber[cell] = number
            cells[cell] = -2 - Int32(number)
        }
        // Whole-cell answers, lowest polygon first so the first hit is the rule's winner.
        var wholeCover = [Int32](repeating: Self.none, count: mixedOrder.count)
        for (number, edges) in polygons.enumerated() where !edges.isEmpty {
            let polygonBox = edges.dropFirst().reduce((edges[0].minX, edges[0].minY, edges[0].maxX, edges[0].maxY)) {
                (min($0.0, $1.minX), min($0.1, $1.minY), max($0.2, $1.maxX), max($0.3, $1.maxY))
            }
            for cell in layout.cellsWithCentre(in: polygonBox) {
                let mixed = mixedNumber[cell]
                if let mixed {
                    if wholeCover[mixed] != Self.none || cellTouches[cell]!.contains(Int32(number)) { continue }
                } else if cells[cell] != Self.none {
                    continue
                }
                let centre = layout.centre(of: cell)
                guard PolygonPointTest.placement(centre.x, centre.y, edges).isCovered else { continue }
                if let mixed { wholeCover[mixed] = Int32(number) } else { cells[cell] = Int32(number) }
            }
        }
        var mixedCells: [MixedCell] = [], groups: [EdgeGroup] = [], segments: [PlanarSegment] = []
        mixedCells.reserveCapacity(mixedOrder.count)
        for (number, cell) in mixedOrder.enumerated() {
            let band = layout.grownBounds(of: cell)
            let firstGroup = Int32(groups.count)
            for polygon in cellTouches[cell]!.sorted() {
                if wholeCover[number] != Self.none && polygon > wholeCover[number] { break }
                let firstSegment = Int32(segments.count)
                for edge in polygons[Int(polygon)]
                where edge.maxY >= band.minY && edge.minY <= band.maxY && edge.maxX >= band.minX {
                    segments.append(edge)
                }
                groups.append(EdgeGroup(polygon: polygon, firstSegment: firstSegment, endSegment: Int32(segments.count)))
            }
            mixedCells.append(MixedCell(wholeCover: wholeCover[number], firstGroup: firstGroup, endGroup: Int32(groups.count)))
        }
        (self.cells, self.mixedCells, self.groups, self.segments) = (cells, mixedCells, groups, segments)
    }

    /// The lowest-numbered polygon covering (x, y), or -1. NaN is outside.
    func locate(_ x: Double, _ y: Double) -> Int32 {
        withView { $0.locate(x, y) }
    }

    /// Calls `body` with unchecked views of the arrays, for tight loops.
    func withView<Result>(_ body: (View) -> Result) -> Result {
        cells.withUnsafeBufferPointer { cells in
            mixedCells.withUnsafeBufferPointer { mixedCells in
                groups.withUnsafeBufferPointer { groups in
                    segments.withUnsafeBufferPointer { segments in
                        body(View(index: self, cells: cells, mixedCells: mixedCells, groups: groups, segments: segments))
                    }
                }
            }
        }
    }

    /// The index's arrays as buffer pointers: valid only inside ``withView(_:)``. `@unchecked
    /// Sendable` is sound because the arrays are immutable and only read through the view.
    struct View: @unchecked Sendable {
        let minX: Double, minY: Double, maxX: Double, maxY: Double
        let columns: Int, rows: Int
        let inverseCellWidth: Double, inverseCellHeight: Double
        let cells: UnsafeBufferPointer<Int32>
        let mixedCells: UnsafeBufferPointer<MixedCell>
        let groups: UnsafeBufferPointer<EdgeGroup>
        let segments: UnsafeBufferPointer<PlanarSegment>

        init(index: LocateIndex, cells: UnsafeBufferPointer<Int32>, mixedCells: UnsafeBufferPointer<MixedCell>,
             groups: UnsafeBufferPointer<EdgeGroup>, segments: UnsafeBufferPointer<PlanarSegment>) {
            (minX, minY, maxX, maxY) = (index.minX, index.minY, index.maxX, index.maxY)
            (columns, rows) = (index.columns, index.rows)
            (inverseCellWidth, inverseCellHeight) = (index.inverseCellWidth, index.inverseCellHeight)
            (self.cells, self.mixedCells, self.groups, self.segments) = (cells, mixedCells, groups, segments)
        }

        @inline(__always)
        func locate(_ x: Double, _ y: Double) -> Int32 {
            guard x >= minX && x <= maxX && y >= minY && y <= maxY else { return LocateIndex.none }
            let column = min(Int((x - minX) * inverseCellWidth), columns - 1)
            let row = min(Int((y - minY) * inverseCellHeight), rows - 1)
            let answer = cells[row &* columns &+ column]
            if answer >= LocateIndex.none { return answer }
            return resolveMixed(Int(-2 - answer), x, y)
        }

        private func resolveMixed(_ number: Int, _ x: Double, _ y: Double) -> Int32 {
            let mixed = mixedCells[number]
            for group in groups[Int(mixed.firstGroup)..<Int(mixed.endGroup)] {
                let edges = UnsafeBufferPointer(rebasing: segments[Int(group.firstSegment)..<Int(group.endSegment)])
                if PolygonPointTest.placement(x, y, edges).isCovered { return group.polygon }
            }
            return mixed.wholeCover
        }
    }
}
