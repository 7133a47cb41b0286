import GEOS

/// Cut lines that divide a block holding more homes than a micro-grid should into parts of about
/// `partSize` homes each, by recursive bisection: the homes are split at the median along the
/// longer side of their spread (in metres), by a straight line across the part being cut, until
/// each part has its share. The lines go through the arrangement again with the roads, so the
/// neighbours of the block get the same new vertices and the blocks still share exact edges.
enum BlockCuts {
    /// What a cut could not do: homes so close together that no line separates them.
    struct Unsplit {
        var block: Int
        var homes: Int
    }

    // A cut ends on the edge of the part it cuts, where GEOS computed it, within far less than a
    // cell of ``TownPartition/gridSize``: snap-rounding noding makes a hot pixel of that end, and
    // the edge, which passes through the same pixel, is noded there. A cut is not lengthened
    // past the edge: the end of such an overshoot, beside an edge the cut crossed at a shallow
    // angle, fell into a pixel that edge passes through too and gave the edge a second vertex
    // 2 cm from the crossing (Dacun had 14 such pairs), which snapping at 0.1 m then merged.

    /// How a block is cut: when it holds more than `limit` homes, into parts of about `partSize`.
    struct Rule {
        var limit: Int
        var partSize: Int
    }

    /// The cut lines for every block over its rule's limit (`rule` takes the block's index).
    static func lines(for arrangement: BlockArrangement, homes: [Coordinate], rule: (Int) -> Rule,
                      metres: LocalMetres) throws(GEOSError) -> (lines: [[Coordinate]], unsplit: [Unsplit]) {
        let context = GEOSContext()
        var lines: [[Coordinate]] = []
        var unsplit: [Unsplit] = []
        for (index, block) in arrangement.blocks.enumerated() {
            let rule = rule(index)
            guard block.homes.count > rule.limit else { continue }
            let partSize = max(1, rule.partSize)
            let parts = (block.homes.count + partSize - 1) / partSize
            let shape = try GEOSGeometry.polygon(exterior: block.rings[0], holes: Array(block.rings.dropFirst()), context: context)
            let points = block.homes.map { homes[$0] }
            if !(try cut(shape, points: points, parts: parts, metres: metres, into: &lines)) {
                unsplit.append(Unsplit(block: index, homes: block.homes.count))
            }
        }
        return (lines, unsplit)
    }

    /// Cuts `piece` so that `points` fall into `parts` parts; false when some part's points could
    /// not be separated.
    private static func cut(_ piece: GEOSGeometry, points: [Coordinate], parts: Int, metres: LocalMetres,
                            into lines: inout [[Coordinate]]) throws(GEOSError) -> Bool {
        guard parts > 1, points.count > 1 else { return true }
        let inMetres = points.map(metres.point)
        let spreadX = (inMetres.map(\.x).max() ?? 0) - (inMetres.map(\.x).min() ?? 0)
        let spreadY = (inMetres.map(\.y).max() ?? 0) - (inMetres.map(\.y).min() ?? 0)
        let firstParts = parts / 2
        let wanted = Int((Double(points.count) * Double(firstParts) / Double(parts)).rounded())
        // Along the longer spread first; homes in a row share a coordinate, so the split moves to
        // the nearest place where the coordinate changes, and to the other axis if none does.
        guard let (alongX, sorted, split) = [spreadX >= spreadY, spreadX < spreadY].lazy.compactMap({ alongX in
            Self.split(points, alongX: alongX, near: wanted).map { (alongX, $0.sorted, $0.index) }
        }).first else { return false }
        let low = alongX ? sorted[split - 1].x : sorted[split - 1].y
        let high = alongX ? sorted[split].x : sorted[split].y
        let at = (low + high) / 2
        // The parts follow where the split really fell.
        let lowParts = max(1, min(parts - 1, Int((Double(split) / Double(points.count) * Double(parts)).rounded())))

        guard let box = try piece.bounds else { return true }
        let margin = max(box.maxX - box.minX, box.maxY - box.minY) + 1
        let line: [Coordinate] = alongX
            ? [Coordinate(x: at, y: box.minY - margin), Coordinate(x: at, y: box.maxY + margin)]
            : [Coordinate(x: box.minX - margin, y: at), Coordinate(x: box.maxX + margin, y: at)]
        let inside = try GEOSGeometry.lineString(line, context: piece.context).intersection(piece)
        lines.append(contentsOf: try segments(of: inside))

        let lowSide = Envelope(minX: box.minX - 1, minY: box.minY - 1,
                               maxX: alongX ? at : box.maxX + 1, maxY: alongX ? box.maxY + 1 : at)
        let highSide = Envelope(minX: alongX ? at : box.minX - 1, minY: alongX ? box.minY - 1 : at,
                                maxX: box.maxX + 1, maxY: box.maxY + 1)
        let lowPiece = try piece.intersection(try .rectangle(lowSide, context: piece.context))
        let highPiece = try piece.intersection(try .rectangle(highSide, context: piece.context))
        let lowDone = try cut(lowPiece, points: Array(sorted[..<split]), parts: lowParts, metres: metres, into: &lines)
        let highDone = try cut(highPiece, points: Array(sorted[split...]), parts: parts - lowParts, metres: metres, into: &lines)
        return lowDone && highDone
    }

    /// The narrowest gap between two homes a cut goes through: the cut, halfway across, stays two
    /// cells of ``TownPartition/gridSize`` from both after snap-rounding (which moves it by half a
    /// cell at most), so no home ends up on a micro-grid's edge, in two micro-grids at once.
    static let minimumGap = 4 * TownPartition.gridSize

    /// The points sorted along one axis and the index nearest `wanted` (not at either end) where
    /// the coordinate along that axis changes by more than ``minimumGap``; nil when none does.
    private static func split(_ points: [Coordinate], alongX: Bool, near wanted: Int) -> (sorted: [Coordinate], index: Int)? {
        let sorted = points.sorted { alongX ? ($0.x, $0.y) < ($1.x, $1.y) : ($0.y, $0.x) < ($1.y, $1.x) }
        func changes(_ i: Int) -> Bool {
            i > 0 && i < sorted.count && (alongX ? sorted[i].x - sorted[i - 1].x : sorted[i].y - sorted[i - 1].y) > minimumGap
        }
        for offset in 0..<sorted.count {
            if changes(wanted - offset) { return (sorted, wanted - offset) }
            if changes(wanted + offset) { return (sorted, wanted + offset) }
        }
        return nil
    }

    private static func segments(of geometry: GEOSGeometry) throws(GEOSError) -> [[Coordinate]] {
        switch geometry.type {
        case .lineString: return [try geometry.coordinates()]
        case .multiLineString, .geometryCollection:
            var all: [[Coordinate]] = []
            for part in try geometry.geometries() { all.append(contentsOf: try segments(of: part)) }
            return all
        default: return []
        }
    }
}
