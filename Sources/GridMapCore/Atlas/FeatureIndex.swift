import GeoJSON

/// The features of one kind, projected once to the working CRS and indexed for k-nearest
/// queries: Point features in a ``PointGrid`` forest, lines and polygons in ``FeatureShapes``.
/// Each holds one group over all features and one per grid (for "nearest within the same
/// grid"). Features are ranked by id, so ties in distance go to the smaller id.
///
/// A point belongs to the grid that holds it by the locate rule; a line or polygon to every grid
/// that holds one of its vertices.
struct FeatureIndex: Sendable {
    /// Sorted ascending; a feature's rank is its position here.
    let ids: [String]
    /// WGS84 positions, by rank: a point's own; a line's or polygon's first vertex.
    let positions: [Position]
    /// Group 0 holds every point feature; group `1 + g` those in grid g (index in ``Atlas/grids``).
    let points: PointGrid
    /// The same groups for the line and polygon features.
    let shapes: FeatureShapes

    /// The group of the features in grid `grid`.
    static func group(ofGrid grid: Int32) -> Int { 1 + Int(grid) }

    /// Indexes every feature with a non-empty geometry whose coordinates all project, by kind.
    static func build(_ features: [MapFeature], projection: Projection,
                      locate: (Double, Double) -> Int32,
                      gridOfMicroGrid: [Int32], gridCount: Int) throws(AtlasError) -> [FeatureKind: FeatureIndex] {
        /// The grid (index in `grids`) holding a WGS84 position, or -1.
        func gridHolding(_ longitude: Double, _ latitude: Double) -> Int32 {
            let microGrid = locate(longitude, latitude)
            return microGrid >= 0 ? gridOfMicroGrid[Int(microGrid)] : -1
        }
        var indexes: [FeatureKind: FeatureIndex] = [:]
        for (kind, members) in Dictionary(grouping: features, by: \.kind) {
            // The features that have coordinates, by id, with each one's segments in degrees.
            let sorted = members.compactMap { feature -> (id: String, geometry: Geometry, area: [PlanarSegment], lines: [PlanarSegment])? in
                let area = PlanarSegment.edges(of: feature.geometry), lines = FeatureShapes.lineSegments(of: feature.geometry)
                return area.isEmpty && lines.isEmpty ? nil : (feature.id, feature.geometry, area, lines)
            }.sorted { $0.id < $1.id }
            let projected = try PlanarSegment.project(sorted.flatMap { [$0.area, $0.lines] }, with: projection)

            var pointX: [Double] = [], pointY: [Double] = [], pointRanks: [Int32] = []
            var pointGroups = [[Int]](repeating: [], count: 1 + gridCount)
            var shapeRanks: [Int32] = [], shapeParts: [(area: [PlanarSegment], lines: [PlanarSegment])] = []
            var shapeGroups = [[Int32]](repeating: [], count: 1 + gridCount)
            var ids: [String] = [], positions: [Position] = []
            for (number, entry) in sorted.enumerated() {
                let (area, lines) = (projected[2 * number], projected[2 * number + 1])
                guard (area + lines).allSatisfy({ $0.ax.isFinite && $0.ay.isFinite && $0.bx.isFinite && $0.by.isFinite })
                else { continue }
                let rank = Int32(ids.count)
                let start = (entry.area + entry.lines)[0]
                ids.append(entry.id)
                positions.append(Position(x: start.ax, y: start.ay))
                if case .point = entry.geometry {
                    let member = pointX.count
                    pointX.append(lines[0].ax)
                    pointY.append(lines[0].ay)
                    pointRanks.append(rank)
                    pointGroups[0].append(member)
                    let grid = gridHolding(start.ax, start.ay)
                    if grid >= 0 { pointGroups[group(ofGrid: grid)].append(member) }
                } else {
                    let member = Int32(shapeRanks.count)
                    shapeRanks.append(rank)
                    shapeParts.append((area, lines))
                    shapeGroups[0].append(member)
                    let vertices = (entry.area + entry.lines).flatMap { [($0.ax, $0.ay), ($0.bx, $0.by)] }
                    for grid in Set(vertices.map(gridHolding)) where grid >= 0 { shapeGroups[group(ofGrid: grid)].append(member) }
                }
            }
            indexes[kind] = FeatureIndex(
                ids: ids, positions: positions,
                points: PointGrid(x: pointX, y: pointY, ranks: pointRanks, groups: pointGroups),
                shapes: FeatureShapes(ranks: shapeRanks, parts: shapeParts, groups: shapeGroups))
        }
        return indexes
    }
}
