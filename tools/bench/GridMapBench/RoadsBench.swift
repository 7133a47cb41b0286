import Foundation
import GridMapCore
import Routing
import SeededRandom

/// `gridmap-bench roads [--town DIR] [--paths N] [--matrix M] [--repeats R]`: shortest paths
/// and cost matrices on the town's road network, against pgRouting and NetworkX
/// (tools/bench/peers/roads_pgrouting.py, roads_networkx.py).
///
/// The graph: `RoadNetwork` built from the town's road layer (default geodata/dacun) in its
/// working CRS, noded by GEOS. Every tool computes on exactly these edges: they are written to
/// /tmp/gridmap-bench-roads-edges.csv (id,source,target,length: 0-based vertex ids, metres as
/// Swift's shortest round-trip decimals), undirected, parallel edges and loops included.
/// The queries, seeded (SplitMix64) among the vertices of the largest component:
/// /tmp/gridmap-bench-roads-pairs.csv holds N (default 1,000) source,target pairs (source ≠
/// target) and GridMap's distance for each; /tmp/gridmap-bench-roads-nodes.csv holds M (default
/// 300) distinct vertices and /tmp/gridmap-bench-roads-matrix.csv GridMap's M × M matrix among
/// them (one row per line). The peers check their answers against these files.
///
/// Timed: "roads-build" builds the network from the road features (projection and noding
/// included); "roads-paths" is N `route(from:to:)` calls one after another (A* and the route's
/// steps and WGS84 path); "roads-matrix" is `matrix(among:)` on the M vertices (one Dijkstra
/// per source, sources in parallel on every core); "roads-matrix-1core" the same rows one source
/// at a time on this thread. The queries take milliseconds on this small network, so each is
/// the fastest of R runs (default 3), as on the peers' side. Not timed: reading the town,
/// picking the queries, writing the files.
enum RoadsBench {
    static let edgesPath = "/tmp/gridmap-bench-roads-edges.csv"
    static let pairsPath = "/tmp/gridmap-bench-roads-pairs.csv"
    static let nodesPath = "/tmp/gridmap-bench-roads-nodes.csv"
    static let matrixPath = "/tmp/gridmap-bench-roads-matrix.csv"

    static func run(_ arguments: [String]) throws {
        let town = try BenchOptions.string("--town", in: arguments) ?? "geodata/dacun"
        let pathCount = try BenchOptions.count("--paths", in: arguments, default: 1_000, least: 1)
        let matrixSize = try BenchOptions.count("--matrix", in: arguments, default: 300, least: 2)
        let repeats = try BenchOptions.count("--repeats", in: arguments, default: 3, least: 1)

        let (network, roadCount, buildSeconds) = try townNetwork(town)
        Measure.report(bench: "roads-build", seconds: buildSeconds, items: roadCount,
                       extra: ["vertices": "\(network.vertexCount)", "edges": "\(network.edgeCount)",
                               "components": "\(network.components.count)"])
        try writeEdges(network)
        let vertices = largestComponentVertices(network)
        guard vertices.count >= matrixSize else {
            throw BenchError("the largest road component has \(vertices.count) vertices, fewer than --matrix \(matrixSize)")
        }
        let at = network.vertexPositions()
        var random = SplitMix64(seed: 509)

        var pairs: [(Int, Int)] = []
        while pairs.count < pathCount {
            let a = vertices.randomElement(using: &random)!, b = vertices.randomElement(using: &random)!
            if a != b { pairs.append((a, b)) }
        }
        var distances: [Double] = []
        let pathSeconds = Measure.bestSeconds(of: repeats) {
            distances = pairs.map { network.route(from: at[$0.0], to: at[$0.1], includeOffRoad: false)?.cost ?? .infinity }
        }
        let missing = distances.count { !$0.isFinite }
        guard missing == 0 else { throw BenchError("\(missing) of \(pathCount) pairs in one component got no route") }
        Measure.report(bench: "roads-paths", seconds: pathSeconds, items: pathCount,
                       extra: ["vertices": "\(network.vertexCount)", "edges": "\(network.edgeCount)", "repeats": "\(repeats)"])
        try write(pairs.indices.map { "\(pairs[$0].0),\(pairs[$0].1),\(distances[$0])" },
                  header: "source,target,gridmap_metres", to: pairsPath)

        var shuffled = vertices
        shuffled.shuffle(using: &random)
        let nodes = Array(shuffled.prefix(matrixSize))
        let positions = nodes.map { at[$0] }
        var matrix: CostMatrix?
        let matrixSeconds = Measure.bestSeconds(of: repeats) { matrix = network.matrix(among: positions, includeOffRoad: false) }
        guard let matrix else { throw BenchError("no matrix") }
        Measure.report(bench: "roads-matrix", seconds: matrixSeconds, items: matrixSize * matrixSize,
                       extra: ["nodes": "\(matrixSize)", "threads": "\(ProcessInfo.processInfo.activeProcessorCount)",
                               "repeats": "\(repeats)"])

        var rows: [CostMatrix] = []
        let oneCoreSeconds = Measure.bestSeconds(of: repeats) {
            // One source per call: `concurrentPerform` with one iteration runs on this thread.
            rows = positions.map { network.matrix(from: [$0], to: positions, includeOffRoad: false) }
        }
        for i in 0..<matrixSize {
            for j in 0..<matrixSize where i != j && rows[i][0, j] != matrix[i, j] {
                throw BenchError("matrix row \(i) differs from its one-source run at column \(j)")
            }
        }
        Measure.report(bench: "roads-matrix-1core", seconds: oneCoreSeconds, items: matrixSize * matrixSize,
                       extra: ["nodes": "\(matrixSize)", "repeats": "\(repeats)"])
        try write(nodes.map(String.init), header: "node", to: nodesPath)
        try write((0..<matrixSize).map { i in (0..<matrixSize).map { "\(matrix[i, $0])" }.joined(separator: ",") },
                  header: nil, to: matrixPath)
    }

    /// The town's road network, its number of road features, and the seconds the build took
    /// from the road features (projection and noding included; reading the town not).
    static func townNetwork(_ town: String) throws -> (RoadNetwork, roads: Int, seconds: Double) {
        let data = try TownFolder.read(from: URL(fileURLWithPath: town))
        let roads = data.features.filter { $0.kind == .road }
        var network: RoadNetwork?
        let seconds = try Measure.seconds { network = try RoadNetwork(roads: roads, workingCRS: data.town.workingCRS) }
        guard let network else { throw BenchError("no road network") }
        return (network, roads.count, seconds)
    }

    /// The vertices of the largest component (component 0), ascending.
    static func largestComponentVertices(_ network: RoadNetwork) -> [Int] {
        (0..<network.vertexCount).filter { network.componentOfVertex[$0] == 0 }
    }

    private static func writeEdges(_ network: RoadNetwork) throws {
        try write((0..<network.edgeCount).map {
            "\($0),\(network.edgeFrom[$0]),\(network.edgeTo[$0]),\(network.edgeLength[$0])"
        }, header: "id,source,target,length", to: edgesPath)
    }

    static func write(_ lines: [String], header: String?, to path: String) throws {
        let text = ((header.map { [$0] } ?? []) + lines).joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

extension RoadNetwork {
    /// A road position exactly at each vertex (offset 0 or the full length of an incident
    /// edge); a vertex without edges cannot occur, as vertices are edge ends.
    func vertexPositions() -> [RoadPosition] {
        var positions = [RoadPosition?](repeating: nil, count: vertexCount)
        for e in 0..<edgeCount {
            let from = Int(edgeFrom[e]), to = Int(edgeTo[e])
            if positions[from] == nil { positions[from] = position(edge: e, offset: 0) }
            if positions[to] == nil { positions[to] = position(edge: e, offset: edgeLength[e]) }
        }
        return positions.map { $0! }
    }
}
