import Foundation
import GeoJSON

/// An immutable, indexed snapshot of one town for queries: which micro-grid holds a point
/// (``locate(longitude:latitude:)``, ``locateAll(longitudes:latitudes:)``) and which features
/// are nearest (``nearest(_:longitude:latitude:k:maxDistance:sameGrid:)``).
///
/// Every index is built once, in `init`, from plain values; the indexes are immutable Swift
/// arrays (no GEOS handle), so the atlas is `Sendable` and any number of threads query it at
/// once without locks. The one PROJ resource, the town's ``Projection`` (WGS84 → working CRS),
/// keeps its transformers in a pool that lends each thread its own.
///
/// ## The locate rule
/// Points are located on the stored WGS84 coordinates, exactly (no tolerance, no projection):
/// a micro-grid *covers* a point when the point is in its interior or on its boundary (GEOS
/// `covers`). **Of all micro-grids that cover a point, the one with the smallest code
/// (``GridCode`` order) wins** — so a point on an edge shared by two micro-grids, or on a vertex
/// shared by several, has exactly one micro-grid, whatever the input order. This is the rule of
/// the store's import-time locator. A point no micro-grid covers is outside the town.
public struct Atlas: Sendable {
    public let town: Town
    /// Sorted by code; query answers index into this array.
    public let microGrids: [MicroGrid]
    /// Sorted by code.
    public let grids: [Grid]
    public let villages: [Village]

    /// Per micro-grid, its grid's index in `grids` (-1 when the town has no such grid).
    let gridOfMicroGrid: [Int32]
    /// Per grid, its village's index in `villages` (-1 when unknown).
    let villageOfGrid: [Int32]
    /// Per grid, its chief and liaison (the first listed of each role).
    let chiefOfGrid: [TeamMember?]
    let liaisonOfGrid: [TeamMember?]

    /// Point → micro-grid, exact (see ``MicroGridLocator`` for the rule).
    public let locator: MicroGridLocator
    let outlines: MetricOutlines
    /// WGS84 ⇄ the town's working CRS, checked to be projected when the atlas was built; share it
    /// with whatever else the town's queries project (e.g. a road network).
    public let projection: Projection
    /// Features by kind, for ``nearest(_:longitude:latitude:k:maxDistance:sameGrid:)``.
    let featureIndexes: [FeatureKind: FeatureIndex]

    /// Builds the atlas from a town's data. `cellsPerMicroGrid` sets the locate grid's
    /// resolution (about that many cells per micro-grid): finer means more points answered by
    /// one array read, at 4 bytes per cell.
    public init(_ data: TownData, cellsPerMicroGrid: Int = 1024) throws(AtlasError) {
        town = data.town
        microGrids = data.microGrids.sorted { $0.code < $1.code }
        grids = data.grids.sorted { $0.code < $1.code }
        villages = data.villages.sorted { $0.code < $1.code }
        let polygons = try MicroGridLocator.edges(ofSorted: microGrids)
        locator = MicroGridLocator(sorted: microGrids, edges: polygons, cellsPerMicroGrid: cellsPerMicroGrid)
        let locateIndex = locator.index

        let gridNumber = Dictionary(grids.enumerated().map { ($1.code, Int32($0)) }, uniquingKeysWith: { first, _ in first })
        let villageNumber = Dictionary(villages.enumerated().map { ($1.code, Int32($0)) }, uniquingKeysWith: { first, _ in first })
        gridOfMicroGrid = microGrids.map { gridNumber[$0.gridCode] ?? -1 }
        villageOfGrid = grids.map { villageNumber[$0.villageCode] ?? -1 }
        var chiefs = [TeamMember?](repeating: nil, count: grids.count)
        var liaisons = [TeamMember?](repeating: nil, count: grids.count)
        for member in data.team {
            guard let grid = gridNumber[member.gridCode].map(Int.init) else { continue }
            if member.role == .chief, chiefs[grid] == nil { chiefs[grid] = member }
            if member.role == .liaison, liaisons[grid] == nil { liaisons[grid] = member }
        }
        (chiefOfGrid, liaisonOfGrid) = (chiefs, liaisons)

        do { projection = try Projection(workingCRS: data.town.workingCRS) } catch { throw .projection("\(error)") }
        outlines = MetricOutlines(projectedPolygons: try PlanarSegment.project(polygons, with: projection))
        featureIndexes = try FeatureIndex.build(data.features, projection: projection,
                                                locate: { [locateIndex] x, y in locateIndex.locate(x, y) },
                                                gridOfMicroGrid: gridOfMicroGrid, gridCount: grids.count)
    }

    // MARK: Locate

    /// The index in ``microGrids`` of the micro-grid holding (longitude, latitude) by the locate
    /// rule, or nil outside the town. Exact, lock-free, no projection.
    public func microGridIndex(longitude: Double, latitude: Double) -> Int? {
        locator.microGridIndex(longitude: longitude, latitude: latitude)
    }

    /// The place of (longitude, latitude): micro-grid, grid, village, chief and liaison; or, for
    /// a point outside the town, the distance in metres to the town and the nearest micro-grid
    /// (this branch projects the point with the pooled ``projection``).
    public func locate(longitude: Double, latitude: Double) throws(AtlasError) -> Location {
        if let index = microGridIndex(longitude: longitude, latitude: latitude) {
            return .inside(place(ofMicroGrid: index))
        }
        guard longitude.isFinite, latitude.isFinite else {
            throw .invalidArgument("locate: (\(longitude), \(latitude)) is not a finite position")
        }
        var x = [longitude], y = [latitude]
        do { try projection.transform(x: &x, y: &y) } catch { throw .projection("\(error)") }
        guard x[0].isFinite, y[0].isFinite, let nearest = outlines.nearest(x: x[0], y: y[0]) else {
            throw .projection("(\(longitude), \(latitude)) cannot be placed in \(town.workingCRS)")
        }
        return .outside(OutsideTown(distance: nearest.distance, nearestMicroGridIndex: nearest.index,
                                    nearestMicroGrid: microGrids[nearest.index].code))
    }

    /// The place of the micro-grid at `index` in ``microGrids``.
    public func place(ofMicroGrid index: Int) -> AtlasPlace {
        let grid = Int(gridOfMicroGrid[index])
        let village = grid >= 0 ? Int(villageOfGrid[grid]) : -1
        return AtlasPlace(microGridIndex: index, microGrid: microGrids[index],
                          grid: grid >= 0 ? grids[grid] : nil,
                          village: village >= 0 ? villages[village] : nil,
                          chief: grid >= 0 ? chiefOfGrid[grid] : nil,
                          liaison: grid >= 0 ? liaisonOfGrid[grid] : nil)
    }

    /// For each point (longitudes[i], latitudes[i]), the index in ``microGrids`` of its
    /// micro-grid, or -1 outside the town. The points are split into chunks run on all cores
    /// (`DispatchQueue.concurrentPerform`); answers are identical to ``microGridIndex(longitude:latitude:)``.
    public func locateAll(longitudes: [Double], latitudes: [Double]) -> [Int32] {
        precondition(longitudes.count == latitudes.count, "\(longitudes.count) longitudes but \(latitudes.count) latitudes")
        let count = longitudes.count
        return [Int32](unsafeUninitializedCapacity: count) { output, initialized in
            longitudes.withUnsafeBufferPointer { xs in
                latitudes.withUnsafeBufferPointer { ys in
                    locator.index.withView { view in
                        // Each chunk writes only its own slice of `output`; the inputs are only read.
                        nonisolated(unsafe) let output = output, xs = xs, ys = ys
                        ParallelChunks.run(count: count) { range in
                            for i in range { output[i] = view.locate(xs[i], ys[i]) }
                        }
                    }
                }
            }
            initialized = count
        }
    }
}
