import GEOS
import GridMapCore

/// Finds the micro-grid of a point during import: an STRtree over the micro-grids' boxes, then
/// a prepared covers test (`GEOSPreparedCovers_r`) on each candidate.
///
/// Rule for a point on a shared edge or vertex: of all micro-grids that cover it, the one with
/// the smallest code (``GridCode`` order) wins, so the answer never depends on input order.
/// Confined to the thread that owns `context`.
final class MicroGridLocator {
    private let codes: [GridCode]
    private let tree: STRtree
    private let prepared: [PreparedGeometry]

    /// `microGrids` pairs each code with its (valid) polygon, built in `context`.
    init(_ microGrids: [(code: GridCode, geometry: GEOS.Geometry)], context: GEOSContext) throws(GEOSError) {
        codes = microGrids.map(\.code)
        tree = try STRtree(microGrids.map(\.geometry), context: context)
        var prepared: [PreparedGeometry] = []
        prepared.reserveCapacity(microGrids.count)
        for entry in microGrids { prepared.append(try PreparedGeometry(entry.geometry)) }
        self.prepared = prepared
    }

    /// The micro-grid covering (x, y), or nil when none does.
    func microGrid(x: Double, y: Double) throws(GEOSError) -> GridCode? {
        let box = Envelope(minX: x, minY: y, maxX: x, maxY: y)
        var best: GridCode?
        for index in try tree.query(envelope: box) where try prepared[index].coversXY(x: x, y: y) {
            if best.map({ codes[index] < $0 }) ?? true { best = codes[index] }
        }
        return best
    }

    /// The point whose micro-grid a feature takes: a point is itself; anything else uses its
    /// point-on-surface (`GEOSPointOnSurface_r`), which lies on the geometry, unlike a centroid.
    /// Nil for an empty geometry.
    static func representativePoint(of geometry: GEOS.Geometry) throws(GEOSError) -> Coordinate? {
        if try geometry.isEmpty { return nil }
        if geometry.type == .point { return try geometry.pointCoordinate() }
        let point = try geometry.pointOnSurface()
        if try point.isEmpty { return nil }
        return try point.pointCoordinate()
    }
}
