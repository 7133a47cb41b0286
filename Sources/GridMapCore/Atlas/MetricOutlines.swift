/// The micro-grids' edges in the working CRS (metres), for "how far outside the town is this
/// point, and which micro-grid is nearest".
///
/// Algorithm: branch and bound over bounding boxes. Each outline's box gives a lower bound on
/// the distance to it; outlines are visited in order of that bound, exact point–segment distances
/// are taken until the next bound exceeds the best distance found. Ties go to the lower number
/// (the smaller code).
struct MetricOutlines: Sendable {
    /// Per micro-grid: its projected edges and their bounding box.
    struct Outline: Sendable {
        var edges: [PlanarSegment]
        var minX: Double, minY: Double, maxX: Double, maxY: Double
    }

    let outlines: [Outline]

    init(projectedPolygons: [[PlanarSegment]]) {
        outlines = projectedPolygons.map { edges in
            var box = (minX: Double.infinity, minY: Double.infinity, maxX: -Double.infinity, maxY: -Double.infinity)
            for edge in edges {
                box = (min(box.minX, edge.minX), min(box.minY, edge.minY), max(box.maxX, edge.maxX), max(box.maxY, edge.maxY))
            }
            return Outline(edges: edges, minX: box.minX, minY: box.minY, maxX: box.maxX, maxY: box.maxY)
        }
    }

    /// The nearest outline to (x, y) and the distance to its boundary; nil when there is none.
    func nearest(x: Double, y: Double) -> (index: Int, distance: Double)? {
        var bounds: [(bound: Double, index: Int)] = []
        bounds.reserveCapacity(outlines.count)
        for (index, outline) in outlines.enumerated() where !outline.edges.isEmpty {
            let dx = max(outline.minX - x, 0, x - outline.maxX), dy = max(outline.minY - y, 0, y - outline.maxY)
            bounds.append(((dx * dx + dy * dy).squareRoot(), index))
        }
        bounds.sort { ($0.bound, $0.index) < ($1.bound, $1.index) }
        var best: (index: Int, distance: Double)?
        for (bound, index) in bounds {
            if let best, bound > best.distance { break }
            var nearest = Double.infinity
            for edge in outlines[index].edges { nearest = min(nearest, edge.squaredDistance(x, y).squareRoot()) }
            if best.map({ nearest < $0.distance || (nearest == $0.distance && index < $0.index) }) ?? true {
                best = (index, nearest)
            }
        }
        return best
    }
}
