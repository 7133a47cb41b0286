import GeoJSON

/// A feature found by ``Atlas/nearest(_:longitude:latitude:k:maxDistance:sameGrid:)``.
public struct NearbyFeature: Sendable, Hashable {
    public var id: String
    /// Straight-line distance in metres, in the town's working CRS, to the feature's geometry.
    public var distance: Double
    /// Where the feature is, WGS84: a point's own position; a line's or polygon's first vertex.
    public var position: Position
}

/// Batch answers of ``Atlas/nearestAll(_:longitudes:latitudes:k:maxDistance:sameGrid:)``, flat:
/// row i (entries `i*k ..< (i+1)*k`) holds query i's features nearest first; unused entries have
/// feature -1 and distance +∞.
public struct NearestTable: Sendable {
    public let k: Int
    /// Ids of the features of the kind, sorted; `features` entries index into this.
    public let ids: [String]
    public let features: [Int32]
    public let distances: [Double]
}

extension Atlas {
    /// Points per projection call in a batch: the block's coordinates stay in the L1 cache
    /// between PROJ writing them and the search reading them, and the per-call overhead of
    /// `proj_trans_generic` is spread over many points.
    static let nearestBlock = 1024

    /// The `k` features of `kind` nearest to (longitude, latitude), nearest first, none farther
    /// than `maxDistance` metres; equally distant features in id order. With `sameGrid`, only
    /// features in the point's own grid count (none when the point is outside the town).
    ///
    /// Distance is Euclidean in the working CRS, to the feature's geometry: to a point, to the
    /// nearest segment of a line, and 0 inside a polygon (as GEOS `distance`). The point is
    /// projected with a pooled transformer, so single calls are cheap; ``nearestAll`` is still
    /// faster per point for many points.
    public func nearest(_ kind: FeatureKind, longitude: Double, latitude: Double, k: Int = 1,
                        maxDistance: Double = .infinity, sameGrid: Bool = false) throws(AtlasError) -> [NearbyFeature] {
        let table = try nearestAll(kind, longitudes: [longitude], latitudes: [latitude], k: k,
                                   maxDistance: maxDistance, sameGrid: sameGrid)
        guard let index = featureIndexes[kind] else { return [] }
        return (0..<k).compactMap { slot in
            let feature = Int(table.features[slot])
            guard feature >= 0 else { return nil }
            return NearbyFeature(id: index.ids[feature], distance: table.distances[slot], position: index.positions[feature])
        }
    }

    /// ``nearest(_:longitude:latitude:k:maxDistance:sameGrid:)`` for many points, on all cores:
    /// each chunk of points is projected and searched block by block (``nearestBlock`` points),
    /// so no array of projected points is ever built.
    public func nearestAll(_ kind: FeatureKind, longitudes: [Double], latitudes: [Double], k: Int = 1,
                           maxDistance: Double = .infinity, sameGrid: Bool = false) throws(AtlasError) -> NearestTable {
        guard longitudes.count == latitudes.count else {
            throw .invalidArgument("nearest: \(longitudes.count) longitudes but \(latitudes.count) latitudes")
        }
        guard k >= 0 else { throw .invalidArgument("nearest: k must be ≥ 0, got \(k)") }
        guard maxDistance >= 0 else { throw .invalidArgument("nearest: maxDistance must be ≥ 0, got \(maxDistance)") }
        let count = longitudes.count
        var features = [Int32](repeating: -1, count: count * k)
        var distances = [Double](repeating: .infinity, count: count * k)
        guard let index = featureIndexes[kind], k > 0, count > 0 else {
            return NearestTable(k: k, ids: featureIndexes[kind]?.ids ?? [], features: features, distances: distances)
        }
        let query = NearestQuery(k: k, maxDistance: maxDistance, sameGrid: sameGrid)
        try features.withUnsafeMutableBufferPointer { (featureOut) throws(AtlasError) in
            try distances.withUnsafeMutableBufferPointer { (distanceOut) throws(AtlasError) in
                try index.points.withView { (points) throws(AtlasError) in
                    // Each chunk writes only its own rows.
                    nonisolated(unsafe) let featureOut = featureOut, distanceOut = distanceOut
                    try ParallelChunks.runThrowing(count: count) { (chunk) throws(AtlasError) in
                        try nearest(chunk, of: longitudes, latitudes, in: index, points, query,
                                    features: featureOut, distances: distanceOut)
                    }
                }
            }
        }
        return NearestTable(k: k, ids: index.ids, features: features, distances: distances)
    }

    /// The options of one batch.
    private struct NearestQuery: Sendable {
        var k: Int
        var maxDistance: Double
        var sameGrid: Bool
    }

    /// One chunk of a batch, ``nearestBlock`` points at a time: copy, project in place, search;
    /// writes rows `chunk` of `features` and `distances`.
    private func nearest(_ chunk: Range<Int>, of longitudes: [Double], _ latitudes: [Double],
                         in index: FeatureIndex, _ points: PointGrid.View, _ query: NearestQuery,
                         features: UnsafeMutableBufferPointer<Int32>,
                         distances: UnsafeMutableBufferPointer<Double>) throws(AtlasError) {
        var best = NearestCandidates(capacity: query.k, limit: query.maxDistance * query.maxDistance)
        let blockCapacity = min(Self.nearestBlock, chunk.count)
        let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: blockCapacity)
        let y = UnsafeMutableBufferPointer<Double>.allocate(capacity: blockCapacity)
        defer { x.deallocate(); y.deallocate() }
        for start in stride(from: chunk.lowerBound, to: chunk.upperBound, by: Self.nearestBlock) {
            let block = start..<min(start + Self.nearestBlock, chunk.upperBound)
            let (bx, by) = (UnsafeMutableBufferPointer(rebasing: x[..<block.count]),
                            UnsafeMutableBufferPointer(rebasing: y[..<block.count]))
            _ = bx.update(fromContentsOf: longitudes[block])
            _ = by.update(fromContentsOf: latitudes[block])
            do { try projection.transform(x: bx, y: by) } catch { throw .projection("\(error)") }
            for (j, i) in block.enumerated() where bx[j].isFinite && by[j].isFinite {
                var group = 0
                if query.sameGrid {
                    let microGrid = microGridIndex(longitude: longitudes[i], latitude: latitudes[i])
                    guard let microGrid, gridOfMicroGrid[microGrid] >= 0 else { continue }
                    group = FeatureIndex.group(ofGrid: gridOfMicroGrid[microGrid])
                }
                points.nearest(in: group, x: bx[j], y: by[j], into: &best)
                index.shapes.offer(group: group, x: bx[j], y: by[j], into: &best)
                var slot = i * query.k
                for candidate in 0..<best.count {
                    let found = best[candidate]
                    let distance = found.squaredDistance.squareRoot()
                    guard distance <= query.maxDistance else { break }
                    features[slot] = found.rank
                    distances[slot] = distance
                    slot += 1
                }
            }
        }
    }
}
