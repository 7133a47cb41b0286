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
        // Features by index, not copied; points apart from lines and polygons: a point needs no
        // segment arrays (a million wells made three million small arrays, most of a nearest
        // query's memory), only its two coordinates, projected in one batch.
        for (kind, members) in Dictionary(grouping: features.indices, by: { features[$0].kind }) {
            let sorted = members.sorted { features[$0].id < features[$1].id }
            var pointLongitudes: [Double] = [], pointLatitudes: [Double] = []
            var shapeSegments: [(area: [PlanarSegment], lines: [PlanarSegment])] = []
            for member in sorted {
                if case .point(let position) = features[member].geometry {
                    pointLongitudes.append(position.x)
                    pointLatitudes.append(position.y)
                } else {
                    let geometry = features[member].geometry
                    shapeSegments.append((PlanarSegment.edges(of: geometry), FeatureShapes.lineSegments(of: geometry)))
                }
            }
            var projectedX = pointLongitudes, projectedY = pointLatitudes
            do { try projection.transform(x: &projectedX, y: &projectedY) } catch { throw .projection("\(error)") }
            let projected = try PlanarSegment.project(shapeSegments.flatMap { [$0.area, $0.lines] }, with: projection)

            var pointX: [Double] = [], pointY: [Double] = [], pointRanks: [Int32] = []
            var pointGroups = [[Int]](repeating: [], count: 1 + gridCount)
            var shapeRanks: [Int32] = [], shapeParts: [(area: [PlanarSegment], lines: [PlanarSegment])] = []
            var shapeGroups = [[Int32]](repeating: [], count: 1 + gridCount)
            var ids: [String] = [], positions: [Position] = []
            var point = 0, shape = 0
            // In id order: a feature's rank is its place among those indexed.
            for member in sorted {
                if case .point = features[member].geometry {
                    defer { point += 1 }
                    let (x, y) = (projectedX[point], projectedY[point])
                    guard x.isFinite, y.isFinite else { continue }
                    let (longitude, latitude) = (pointLongitudes[point], pointLatitudes[point])
                    let slot = pointX.count
                    pointX.append(x)
                    pointY.append(y)
                    pointRanks.append(Int32(ids.count))
                    ids.append(features[member].id)
                    positions.append(Position(x: longitude, y: latitude))
                    pointGroups[0].append(slot)
                    let grid = gridHolding(longitude, latitude)
                    if grid >= 0 { pointGroups[group(ofGrid: grid)].append(slot) }
                    continue
                }
                defer { shape += 1 }
                let (degreesArea, degreesLines) = shapeSegments[shape]
                let (area, lines) = (projected[2 * shape], projected[2 * shape + 1])
                guard !(area.isEmpty && lines.isEmpty),
                      (area + lines).allSatisfy({ $0.ax.isFinite && $0.ay.isFinite && $0.bx.isFinite && $0.by.isFinite })
                else { continue }
                let start = (degreesArea + degreesLines)[0]
                let rank = Int32(ids.count)
                ids.append(features[member].id)
                positions.append(Position(x: start.ax, y: start.ay))
                let index = Int32(shapeRanks.count)
                shapeRanks.append(rank)
                shapeParts.append((area, lines))
                shapeGroups[0].append(index)
                let vertices = (degreesArea + degreesLines).flatMap { [($0.ax, $0.ay), ($0.bx, $0.by)] }
                for grid in Set(vertices.map(gridHolding)) where grid >= 0 { shapeGroups[group(ofGrid: grid)].append(index) }
            }
            indexes[kind] = FeatureIndex(
                ids: ids, positions: positions,
                points: PointGrid(x: pointX, y: pointY, ranks: pointRanks, groups: pointGroups),
                shapes: FeatureShapes(ranks: shapeRanks, parts: shapeParts, groups: shapeGroups))
        }
        return indexes
    }
}
