import GEOS
import GridMapCore
import PROJ

/// A routable road graph in the town's working CRS (metres), kept in Swift arrays only so that it
/// is `Sendable` and every query runs without locks on any thread.
///
/// Vertices are the noded road intersections and ends; each edge is one noded road piece with its
/// polyline (in metres and in WGS84), its length, its road class and the id of the road it came
/// from, and whether it runs the way that road is drawn (one-way roads are one-way along their
/// drawing). The graph itself is undirected; which way an edge may be taken, and at what cost,
/// is decided per profile by ``edgeWeights(_:)`` (``RoadRules``). Vertices are made by the
/// ``RoadTopology`` the network was built with (``topology``). Build it with ``init(roads:projection:options:)`` or
/// ``init(lines:projection:options:)``; ``components`` and ``joinedEnds`` report how it went.
public struct RoadNetwork: Sendable {
    /// The town's projection (WGS84 → working CRS) the network was built with; it snaps WGS84
    /// points onto the network.
    public let projection: Projection
    /// The metric CRS of every x/y and length, e.g. "EPSG:4549".
    public var workingCRS: CRSDefinition { projection.target }

    /// Vertex coordinates in metres.
    public let vertexX: [Double]
    public let vertexY: [Double]

    /// Edge end vertices, length in metres, class and source road (an index into `roadIDs`).
    public let edgeFrom: [Int32]
    public let edgeTo: [Int32]
    public let edgeLength: [Double]
    public let edgeClass: [RoadClass]
    public let edgeRoad: [Int32]
    /// The ids of the source road features.
    public let roadIDs: [String]
    /// The tags of each source road (same index as `roadIDs`).
    public let roadTags: [RoadTags]
    /// Whether edge e runs the way its source road is drawn (noding may turn a piece round).
    public let edgeAlongRoad: [Bool]
    /// Where roads were taken to meet (see ``RoadTopology``).
    public let topology: RoadTopology
    /// Roads whose `class` names no ``RoadClass``: routed as tracks, and listed here so that
    /// the report can say so.
    public internal(set) var unknownClasses: [UnknownClass] = []

    /// Edge `e`'s polyline is points `pointStart[e]..<pointStart[e + 1]`: in metres, in WGS84,
    /// and the distance along the edge at each point.
    let pointStart: [Int32]
    let pointX: [Double]
    let pointY: [Double]
    let pointLongitude: [Double]
    let pointLatitude: [Double]
    let pointOffset: [Double]

    /// Compressed adjacency: vertex v's incident edges are `adjacencyEdge[adjacencyStart[v]..<adjacencyStart[v + 1]]`,
    /// leading to `adjacencyVertex` at the same positions.
    let adjacencyStart: [Int32]
    let adjacencyEdge: [Int32]
    let adjacencyVertex: [Int32]
    /// Whether the slot's vertex is its edge's `edgeFrom` end (the slot leads along the edge).
    let adjacencyForward: [Bool]

    /// The connected pieces of the network, largest first; `componentOfVertex[v]` indexes it.
    public let components: [Component]
    public let componentOfVertex: [Int32]

    /// The road ends moved onto a road they nearly met before noding, in the order moved (see
    /// ``BuildOptions/endSnapTolerance``); with ``components`` the report of how the build went.
    public let joinedEnds: [JoinedEnd]

    /// Index of edge segments for snapping.
    let segments: SegmentGrid

    public var vertexCount: Int { vertexX.count }
    public var edgeCount: Int { edgeFrom.count }

    /// One connected piece of the network.
    public struct Component: Sendable, Hashable {
        public var vertexCount: Int
        public var edgeCount: Int
        /// Total road length in metres.
        public var length: Double
        /// The source roads with at least one piece here, sorted.
        public var roadIDs: [String]
    }

    /// One noded road piece, the input of the graph assembly.
    struct Piece {
        var metres: [Coordinate]
        var wgs84: [Coordinate]
        var roadClass: RoadClass
        var road: Int32
        /// Whether the piece runs the way its road is drawn.
        var alongRoad: Bool
    }

    /// A road whose class is not one ``RoadClass`` knows.
    public struct UnknownClass: Sendable, Hashable {
        public var road: String
        public var value: String
    }

    /// Assembles the graph: vertices are piece ends deduplicated by exact coordinate equality,
    /// adjacency is compressed sparse rows, components come from a union–find over the edges
    /// (union by size, path halving).
    init(projection: Projection, roadIDs: [String], roadTags: [RoadTags], topology: RoadTopology, pieces: [Piece],
         joinedEnds: [JoinedEnd] = []) {
        self.projection = projection
        self.joinedEnds = joinedEnds
        self.roadIDs = roadIDs
        self.roadTags = roadTags
        self.topology = topology
        edgeAlongRoad = pieces.map(\.alongRoad)
        var vertexIndex: [Coordinate: Int32] = [:]
        var vx: [Double] = [], vy: [Double] = []
        func vertex(_ c: Coordinate) -> Int32 {
            if let index = vertexIndex[c] { return index }
            let index = Int32(vx.count)
            vertexIndex[c] = index
            vx.append(c.x)
            vy.append(c.y)
            return index
        }
        var from: [Int32] = [], to: [Int32] = [], length: [Double] = [], classes: [RoadClass] = [], roads: [Int32] = []
        var start: [Int32] = [0], px: [Double] = [], py: [Double] = [], lon: [Double] = [], lat: [Double] = [], offset: [Double] = []
        for piece in pieces {
            from.append(vertex(piece.metres[0]))
            to.append(vertex(piece.metres[piece.metres.count - 1]))
            var along = 0.0
            for (i, c) in piece.metres.enumerated() {
                if i > 0 {
                    let p = piece.metres[i - 1]
                    along += ((c.x - p.x) * (c.x - p.x) + (c.y - p.y) * (c.y - p.y)).squareRoot()
                }
                px.append(c.x)
                py.append(c.y)
                lon.append(piece.wgs84[i].x)
                lat.append(piece.wgs84[i].y)
                offset.append(along)
            }
            start.append(Int32(px.count))
            length.append(along)
            classes.append(piece.roadClass)
            roads.append(piece.road)
        }
        vertexX = vx; vertexY = vy
        edgeFrom = from; edgeTo = to; edgeLength = length; edgeClass = classes; edgeRoad = roads
        pointStart = start; pointX = px; pointY = py; pointLongitude = lon; pointLatitude = lat; pointOffset = offset

        // Adjacency (each edge listed at both ends; a loop edge twice at its one vertex).
        var degree = [Int32](repeating: 0, count: vx.count + 1)
        for e in from.indices { degree[Int(from[e]) + 1] += 1; degree[Int(to[e]) + 1] += 1 }
        for v in 0..<vx.count { degree[v + 1] += degree[v] }
        var fill = degree
        var adjEdge = [Int32](repeating: 0, count: from.count * 2)
        var adjVertex = [Int32](repeating: 0, count: from.count * 2)
        var adjForward = [Bool](repeating: false, count: from.count * 2)
        for e in from.indices {
            let a = Int(from[e]), b = Int(to[e])
            adjEdge[Int(fill[a])] = Int32(e); adjVertex[Int(fill[a])] = Int32(b); adjForward[Int(fill[a])] = true; fill[a] += 1
            adjEdge[Int(fill[b])] = Int32(e); adjVertex[Int(fill[b])] = Int32(a); fill[b] += 1
        }
        adjacencyStart = degree; adjacencyEdge = adjEdge; adjacencyVertex = adjVertex; adjacencyForward = adjForward

        // Components.
        var parent = Array(0..<vx.count), size = [Int](repeating: 1, count: vx.count)
        func find(_ v: Int) -> Int {
            var v = v
            while parent[v] != v { parent[v] = parent[parent[v]]; v = parent[v] }
            return v
        }
        for e in from.indices {
            var a = find(Int(from[e])), b = find(Int(to[e]))
            if a == b { continue }
            if size[a] < size[b] { swap(&a, &b) }
            parent[b] = a
            size[a] += size[b]
        }
        var rootComponents: [Int: Component] = [:]
        var rootRoads: [Int: Set<Int32>] = [:]
        var firstVertex: [Int: Int] = [:]
        for v in 0..<vx.count {
            let root = find(v)
            rootComponents[root, default: Component(vertexCount: 0, edgeCount: 0, length: 0, roadIDs: [])].vertexCount += 1
            if firstVertex[root] == nil { firstVertex[root] = v }
        }
        for e in from.indices {
            let root = find(Int(from[e]))
            rootComponents[root]!.edgeCount += 1
            rootComponents[root]!.length += length[e]
            rootRoads[root, default: []].insert(roads[e])
        }
        // Largest first; ties by the lowest vertex, so the order is deterministic.
        let roots = rootComponents.keys.sorted {
            let a = rootComponents[$0]!, b = rootComponents[$1]!
            return a.vertexCount != b.vertexCount ? a.vertexCount > b.vertexCount : firstVertex[$0]! < firstVertex[$1]!
        }
        var label: [Int: Int32] = [:]
        var components: [Component] = []
        for (i, root) in roots.enumerated() {
            label[root] = Int32(i)
            var component = rootComponents[root]!
            component.roadIDs = (rootRoads[root] ?? []).map { roadIDs[Int($0)] }.sorted()
            components.append(component)
        }
        self.components = components
        componentOfVertex = (0..<vx.count).map { label[find($0)]! }
        segments = SegmentGrid(pointStart: start, x: px, y: py)
    }

    /// The component an edge belongs to.
    public func component(ofEdge edge: Int) -> Int { Int(componentOfVertex[Int(edgeFrom[edge])]) }

    /// Whether the whole network is one connected piece.
    public var isConnected: Bool { components.count <= 1 }

    /// The points of edge `edge` as index range into the point arrays.
    func points(of edge: Int) -> Range<Int> { Int(pointStart[edge])..<Int(pointStart[edge + 1]) }
}
