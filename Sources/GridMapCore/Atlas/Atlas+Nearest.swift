import GeoJSON

/// A feature found by ``Atlas/nearest(_:longitude:latitude:k:maxDistance:sameGrid:)``.
public struct NearbyFeature: Sendable, Hashable {
    public var id: String
    /// Straight-line distance in metres, in the town's working CRS.
    public var distance: Double
    /// The feature's WGS84 position.
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
    /// The `k` features of `kind` nearest to (longitude, latitude), nearest first, none farther
    /// than `maxDistance` metres; equally distant features in id order. With `sameGrid`, only
    /// features in the point's own grid count (none when the point is outside the town).
    ///
    /// Straight-line distance in the working CRS; only Point features are indexed. This call
    /// projects one point (a PROJ transformer per call): use ``nearestAll`` for many points.
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

    /// ``nearest(_:longitude:latitude:k:maxDistance:sameGrid:)`` for many points: one batched
    /// projection, then the searches in parallel on all cores.
    public func nearestAll(_ kind: FeatureKind, longitudes: [Double], latitudes: [Double], k: Int = 1,
                           maxDistance: Double = .infinity, sameGrid: Bool = false) throws(AtlasError) -> NearestTable {
        guard longitudes.count == latitudes.count else {
            throw .invalidArgument("nearest: \(longitudes.count) longitudes but \(latitudes.count) latitudes")
        }
        guard k >= 0 else { throw .invalidArgument("nearest: k must be ≥ 0, got \(k)") }
        guard maxDistance >= 0 else { throw .invalidArgument("nearest: maxDistance must be ≥ 0, got \(maxDistance)") }
        let count = longitudes.count
        guard let index = featureIndexes[kind], k > 0, count > 0 else {
            return NearestTable(k: k, ids: featureIndexes[kind]?.ids ?? [],
                                features: [Int32](repeating: -1, count: count * k),
                                distances: [Double](repeating: .infinity, count: count * k))
        }
        let (x, y) = try projection.project(longitudes: longitudes, latitudes: latitudes)
        let grids: [Int32] = sameGrid
            ? locateAll(longitudes: longitudes, latitudes: latitudes).map { $0 >= 0 ? gridOfMicroGrid[Int($0)] : -1 }
            : []
        var features = [Int32](repeating: -1, count: count * k)
        var distances = [Double](repeating: .infinity, count: count * k)
        features.withUnsafeMutableBufferPointer { featureOut in
            distances.withUnsafeMutableBufferPointer { distanceOut in
                index.trees.withView { trees in
                    // Each chunk writes only its own rows.
                    nonisolated(unsafe) let featureOut = featureOut, distanceOut = distanceOut
                    let ranges = index.trees.trees
                    ParallelChunks.run(count: count) { chunk in
                        var best = PointKDTree.Candidates(capacity: k, limit: maxDistance * maxDistance)
                        for i in chunk where x[i].isFinite && y[i].isFinite {
                            if sameGrid && grids[i] < 0 { continue }
                            let tree = sameGrid ? FeatureIndex.tree(ofGrid: grids[i]) : 0
                            trees.nearest(in: ranges[tree], x: x[i], y: y[i], into: &best)
                            var slot = i * k
                            for candidate in 0..<best.count {
                                let found = best[candidate]
                                let distance = found.squaredDistance.squareRoot()
                                guard distance <= maxDistance else { break }
                                featureOut[slot] = found.rank
                                distanceOut[slot] = distance
                                slot += 1
                            }
                        }
                    }
                }
            }
        }
        return NearestTable(k: k, ids: index.ids, features: features, distances: distances)
    }
}
