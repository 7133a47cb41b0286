import PROJ
import Foundation
import GridMapCore
import Routing
import SeededRandom

/// `gridmap-bench roads --dir DIR [--town TOWN] [--paths N] [--matrix M] [--repeats R]`:
/// shortest paths and cost matrices on the town's road network, against pgRouting and NetworkX
/// (tools/bench/peers/roads_pgrouting.py, roads_networkx.py).
///
/// The graph: `RoadNetwork` built from the town's road layer (default TOWN geodata/dacun) in its
/// working CRS, noded by GEOS. Every tool computes on exactly these edges: they are written to
/// DIR/roads-edges.csv (id,source,target,length: 0-based vertex ids, metres as Swift's shortest
/// round-trip decimals), undirected, parallel edges and loops included. The queries, seeded
/// (SplitMix64) among the vertices of the largest component: DIR/roads-pairs.csv holds N
/// (default 1,000) source,target pairs (source ≠ target) and GridMap's distance for each;
/// DIR/roads-nodes.csv holds M (default 300) distinct vertices and DIR/roads-matrix.csv GridMap's
/// M × M matrix among them (one row per line). The peers check their answers against these files.
///
/// Timed: "roads-build" builds the network from the road features (projection, noding and
/// components); "roads-paths" is N `route(from:to:)` calls one after another (A* and the route's
/// steps and WGS84 path) on the built network; "roads-matrix" is `matrix(among:)` on the M
/// vertices (one Dijkstra per source, sources in parallel on every core) on the built network;
/// "roads-matrix-1core" the same rows one source at a time on this thread; and
/// "roads-matrix-with-build" builds the network from the road features and then computes the
/// matrix, as pgRouting builds its graph from the edge table in every call. The queries take
/// milliseconds on this small network, so each is the fastest of R runs (default 3), as on the
/// peers' side. Not timed: reading the town, picking the queries, writing the files.
enum RoadsBench {
    static func run(_ arguments: [String]) throws {
        let folder = try BenchOptions.directory(in: arguments)
        let town = try BenchOptions.string("--town", in: arguments) ?? "geodata/dacun"
        let pathCount = try BenchOptions.count("--paths", in: arguments, default: 1_000, least: 1)
        let matrixSize = try BenchOptions.count("--matrix", in: arguments, default: 300, least: 2)
        let repeats = try BenchOptions.count("--repeats", in: arguments, default: 3, least: 1)

        let roads = try townRoads(town)
        let (network, buildSeconds) = try build(roads)
        Measure.report(bench: "roads-build", seconds: buildSeconds, items: roads.features.count,
                       answers: "not compared: builds the network, whose edges every tool reads",
                       extra: ["vertices": "\(network.vertexCount)", "edges": "\(network.edgeCount)",
                               "components": "\(network.components.count)"])
        try writeEdges(network, to: folder)
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
        Measure.report(bench: "roads-paths", seconds: pathSeconds, items: pathCount, answers: Measure.reference,
                       extra: ["vertices": "\(network.vertexCount)", "edges": "\(network.edgeCount)", "repeats": "\(repeats)"])
        try folder.write(pairs.indices.map { "\(pairs[$0].0),\(pairs[$0].1),\(distances[$0])" },
                         header: "source,target,gridmap_metres", to: "roads-pairs.csv")

        var shuffled = vertices
        shuffled.shuffle(using: &random)
        let nodes = Array(shuffled.prefix(matrixSize))
        let positions = nodes.map { at[$0] }
        var matrix: CostMatrix?
        let matrixSeconds = Measure.bestSeconds(of: repeats) { matrix = network.matrix(among: positions, includeOffRoad: false) }
        guard let matrix else { throw BenchError("no matrix") }
        Measure.report(bench: "roads-matrix", seconds: matrixSeconds, items: matrixSize * matrixSize, answers: Measure.reference,
                       extra: ["nodes": "\(matrixSize)", "threads": "\(ProcessInfo.processInfo.activeProcessorCount)",
                               "repeats": "\(repeats)", "graph": "built before"])
        try folder.write(nodes.map(String.init), header: "node", to: "roads-nodes.csv")
        try folder.write((0..<matrixSize).map { i in (0..<matrixSize).map { "\(matrix[i, $0])" }.joined(separator: ",") },
                         header: nil, to: "roads-matrix.csv")

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
                       answers: "same as roads-matrix, cell for cell",
                       extra: ["nodes": "\(matrixSize)", "repeats": "\(repeats)", "graph": "built before"])

        var rebuilt: CostMatrix?
        let withBuildSeconds = try Measure.bestSeconds(of: repeats) {
            let (network, _) = try build(roads)
            let at = network.vertexPositions()
            rebuilt = network.matrix(among: nodes.map { at[$0] }, includeOffRoad: false)
        }
        guard rebuilt?.values == matrix.values else { throw BenchError("the matrix on a rebuilt network differs") }
        Measure.report(bench: "roads-matrix-with-build", seconds: withBuildSeconds, items: matrixSize * matrixSize,
                       answers: "same as roads-matrix, cell for cell",
                       extra: ["nodes": "\(matrixSize)", "repeats": "\(repeats)",
                               "graph": "built in the timed run from the road features (projection, noding)"])
    }

    /// roads-edges.csv: id,source,target,length of every edge (the graph every peer reads).
    static func writeEdges(_ network: RoadNetwork, to folder: BenchFolder) throws {
        try folder.write((0..<network.edgeCount).map {
            "\($0),\(network.edgeFrom[$0]),\(network.edgeTo[$0]),\(network.edgeLength[$0])"
        }, header: "id,source,target,length", to: "roads-edges.csv")
    }

    /// The town's road features and its working CRS (reading the town folder).
    static func townRoads(_ town: String) throws -> (features: [MapFeature], workingCRS: CRSDefinition) {
        let data = try TownFolder.read(from: URL(fileURLWithPath: town))
        return (data.features.filter { $0.kind == .road }, data.town.workingCRS)
    }

    /// The road network and the seconds its build took (projection and noding included).
    static func build(_ roads: (features: [MapFeature], workingCRS: CRSDefinition)) throws -> (RoadNetwork, seconds: Double) {
        var network: RoadNetwork?
        let seconds = try Measure.seconds { network = try RoadNetwork(roads: roads.features, workingCRS: roads.workingCRS) }
        guard let network else { throw BenchError("no road network") }
        return (network, seconds)
    }

    /// The vertices of the largest component (component 0), ascending.
    static func largestComponentVertices(_ network: RoadNetwork) -> [Int] {
        (0..<network.vertexCount).filter { network.componentOfVertex[$0] == 0 }
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
