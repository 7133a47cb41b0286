import GeoJSON

/// The point features of one kind, projected once to the working CRS and indexed for k-nearest
/// queries: one ``PointKDTree`` forest holding a tree over all of them and one per grid (for
/// "nearest within the same grid"). Features are ranked by id, so ties in distance go to the
/// smaller id.
struct FeatureIndex: Sendable {
    /// Sorted ascending; a feature's rank is its position here.
    let ids: [String]
    /// WGS84 positions, by rank.
    let positions: [Position]
    /// Tree 0 holds every feature; tree `1 + g` the features in grid g (index in ``Atlas/grids``).
    let trees: PointKDTree

    /// The tree of the features in grid `grid`.
    static func tree(ofGrid grid: Int32) -> Int { 1 + Int(grid) }

    /// Indexes every feature whose geometry is a Point, by kind. Features of other geometry
    /// types are not indexed (nearest is by straight line to a point).
    static func build(_ features: [MapFeature], projection: WorkingProjection,
                      locate: (Double, Double) -> Int32,
                      gridOfMicroGrid: [Int32], gridCount: Int) throws(AtlasError) -> [FeatureKind: FeatureIndex] {
        var byKind: [FeatureKind: [(id: String, position: Position)]] = [:]
        for feature in features {
            guard case .point(let position) = feature.geometry, position.x.isFinite, position.y.isFinite else { continue }
            byKind[feature.kind, default: []].append((feature.id, position))
        }
        var indexes: [FeatureKind: FeatureIndex] = [:]
        for (kind, entries) in byKind {
            let sorted = entries.sorted { $0.id < $1.id }
            let (x, y) = try projection.project(longitudes: sorted.map(\.position.x), latitudes: sorted.map(\.position.y))
            var groups = [[Int]](repeating: [], count: 1 + gridCount)
            for (rank, entry) in sorted.enumerated() where x[rank].isFinite && y[rank].isFinite {
                groups[0].append(rank)
                let microGrid = locate(entry.position.x, entry.position.y)
                if microGrid >= 0, gridOfMicroGrid[Int(microGrid)] >= 0 {
                    groups[tree(ofGrid: gridOfMicroGrid[Int(microGrid)])].append(rank)
                }
            }
            let trees = PointKDTree(x: x, y: y, ranks: (0..<Int32(sorted.count)).map { $0 }, groups: groups)
            indexes[kind] = FeatureIndex(ids: sorted.map(\.id), positions: sorted.map(\.position), trees: trees)
        }
        return indexes
    }
}
