import GeoJSON

/// Point → micro-grid by GridMap's one rule, exactly, with nothing else built: what the store
/// needs at import and what the ``Atlas`` answers `locate` with.
///
/// The rule: a micro-grid covers a point inside it or on its boundary, computed exactly on the
/// stored WGS84 coordinates (no tolerance); of all micro-grids covering a point, the one with
/// the smallest code wins; a point no micro-grid covers is outside. Holds only Swift arrays, so
/// it is `Sendable` and queries take no locks.
public struct MicroGridLocator: Sendable {
    /// The micro-grids' codes in code order; ``microGridIndex(longitude:latitude:)`` indexes them.
    public let codes: [GridCode]
    let index: LocateIndex

    /// Indexes `microGrids` (Polygon or MultiPolygon, finite coordinates, unique codes).
    /// `cellsPerMicroGrid` sets the resolution: finer means more points answered by one array read.
    public init(_ microGrids: [MicroGrid], cellsPerMicroGrid: Int = 1024) throws(AtlasError) {
        let sorted = microGrids.sorted { $0.code < $1.code }
        self.init(sorted: sorted, edges: try Self.edges(ofSorted: sorted), cellsPerMicroGrid: cellsPerMicroGrid)
    }

    /// For the Atlas, which keeps the edges for its own metric outlines.
    init(sorted microGrids: [MicroGrid], edges: [[PlanarSegment]], cellsPerMicroGrid: Int) {
        codes = microGrids.map(\.code)
        index = LocateIndex(polygons: edges, targetCellCount: max(1, microGrids.count) * cellsPerMicroGrid)
    }

    /// The position in ``codes`` of the micro-grid holding the point, or nil outside.
    public func microGridIndex(longitude: Double, latitude: Double) -> Int? {
        let found = index.locate(longitude, latitude)
        return found >= 0 ? Int(found) : nil
    }

    /// The code of the micro-grid holding the point, or nil outside.
    public func microGrid(longitude: Double, latitude: Double) -> GridCode? {
        microGridIndex(longitude: longitude, latitude: latitude).map { codes[$0] }
    }

    /// Every micro-grid's boundary edges, checked: polygonal, finite, codes unique. `microGrids`
    /// must be in code order, which the smallest-code rule relies on.
    static func edges(ofSorted microGrids: [MicroGrid]) throws(AtlasError) -> [[PlanarSegment]] {
        for (previous, next) in zip(microGrids, microGrids.dropFirst()) where previous.code == next.code {
            throw .duplicateMicroGrid(next.code)
        }
        var polygons: [[PlanarSegment]] = []
        polygons.reserveCapacity(microGrids.count)
        for microGrid in microGrids {
            switch microGrid.geometry {
            case .polygon, .multiPolygon: break
            default: throw .microGridGeometry(code: microGrid.code, reason: "is a \(microGrid.geometry.typeName), not a Polygon or MultiPolygon")
            }
            let edges = PlanarSegment.edges(of: microGrid.geometry)
            guard edges.allSatisfy({ $0.ax.isFinite && $0.ay.isFinite && $0.bx.isFinite && $0.by.isFinite }) else {
                throw .microGridGeometry(code: microGrid.code, reason: "has a coordinate that is not finite")
            }
            polygons.append(edges)
        }
        return polygons
    }
}
