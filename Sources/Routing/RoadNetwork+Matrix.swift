import Dispatch

extension RoadNetwork {
    /// Costs from every source to every target: one Dijkstra per source over the whole network
    /// (stopped once every target edge's end vertices are settled), finished with the partial
    /// edges at both ends; sources run in parallel (`DispatchQueue.concurrentPerform`). Pairs in
    /// pieces of road the profile cannot travel between get infinity (one-way streets are taken
    /// only their way, so a cost and its reverse may differ); places at one spot (the same origin) get 0. Off-road distances at both ends are added when
    /// `includeOffRoad` is true.
    public func matrix(from sources: [RoadPosition], to targets: [RoadPosition], cost: RouteCost = .distance,
                       includeOffRoad: Bool = true) -> CostMatrix {
        let weights = edgeWeights(cost)
        let columns = targets.count
        var values = [Double](repeating: .infinity, count: sources.count * columns)
        var isGoal = [Bool](repeating: false, count: vertexCount)
        var goalCount = 0
        for target in targets {
            for v in [Int(edgeFrom[target.edge]), Int(edgeTo[target.edge])] where !isGoal[v] {
                isGoal[v] = true
                goalCount += 1
            }
        }
        let goals = isGoal
        let goalTotal = goalCount
        let network = self
        values.withUnsafeMutableBufferPointer { buffer in
            let output = RowOutput(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: sources.count) { row in
                let source = sources[row]
                var remaining = goalTotal
                let tree = ShortestPathTree(network: network, weights: weights,
                                            seeds: network.seeds(leaving: source, weights: weights),
                                            stop: { v, _, _ in
                                                if goals[v] { remaining -= 1 }
                                                return remaining == 0
                                            })
                for (column, target) in targets.enumerated() {
                    // Places at one spot cost nothing between them (not the way to the road and back).
                    if source.origin == target.origin {
                        output.base[row * columns + column] = 0
                        continue
                    }
                    let e = target.edge
                    var best = network.sameEdgeCost(source, target, weights: weights)
                    let a = Int(network.edgeFrom[e]), b = Int(network.edgeTo[e])
                    best = min(best, tree.cost[a] + network.tail(from: a, to: target, weights: weights))
                    best = min(best, tree.cost[b] + network.tail(from: b, to: target, weights: weights))
                    if includeOffRoad, best.isFinite {
                        best += cost.offRoadCost(metres: source.offRoadDistance + target.offRoadDistance)
                    }
                    output.base[row * columns + column] = best
                }
            }
        }
        return CostMatrix(rows: sources.count, columns: columns, values: values)
    }

    /// The square matrix among `positions` (many-to-many), e.g. for ``TourPlanner``.
    public func matrix(among positions: [RoadPosition], cost: RouteCost = .distance,
                       includeOffRoad: Bool = true) -> CostMatrix {
        var result = matrix(from: positions, to: positions, cost: cost, includeOffRoad: includeOffRoad)
        for i in positions.indices { result[i, i] = 0 }
        return result
    }
}

/// The matrix storage handed to parallel rows; each row writes only its own cells, so the
/// `@unchecked Sendable` is sound.
private struct RowOutput: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
}
