import GEOS
import GeoJSON

/// The town cut into blocks: the faces of the planar graph made by the regions' outlines (grids
/// or villages, which no block crosses), the roads, the water (rivers, ditches, lake shores) and
/// any extra cut lines, noded together by snap-rounding to ``TownPartition/gridSize``, with the
/// near misses closed (``NearMisses``: no vertex left within half a metre of a line without being
/// on it), and polygonized (GEOS). Because every face comes from one noded graph whose vertices all lie on
/// the grid the town's files are written at, two blocks that meet share exactly the same edge
/// segments — that is how their neighbours and the length they share are found — and a union
/// of blocks, or of micro-grids into a grid, dissolves without slivers, in memory and on disk.
struct BlockArrangement {
    struct Block {
        /// Exterior ring first, then holes, in longitude/latitude.
        var rings: [[Coordinate]]
        /// The region (index into the partition's regions) the block lies in.
        var region: Int
        /// A point inside the block, in longitude/latitude.
        var inside: Coordinate
        /// Area in square metres (``LocalMetres``).
        var area: Double
        /// The homes in the block, as indices into the partition's home points.
        var homes: [Int]
    }

    var blocks: [Block]
    /// For each block, its neighbours and the metres of edge it shares with each.
    var neighbours: [[(block: Int, shared: Double)]]
    /// Homes in no block (outside every region).
    var homesOutside: [Int]

    /// Builds the blocks of `regions` cut by `lines`, and places `homes` in them, all in
    /// longitude/latitude. One GEOS
    /// context lives only inside this call.
    init(regions: [[[Coordinate]]], lines: [[Coordinate]], homes: [Coordinate], metres: LocalMetres) throws(GEOSError) {
        let context = GEOSContext()
        var allLines: [[Coordinate]] = []
        for region in regions { allLines.append(contentsOf: region) }
        allLines.append(contentsOf: lines)
        // A line of one repeated point encloses nothing and GEOS refuses it.
        let noded = try GEOSGeometry.multiLineString(allLines.filter { Set($0).count >= 2 }, context: context)
            .unaryUnion(gridSize: TownPartition.gridSize)
        let pieces = try NearMisses.closed(noded.type == .lineString ? [noded] : try noded.geometries(), metres: metres, context: context)
        let faces = try GEOSGeometry.polygonize(pieces, context: context)

        let regionShapes = try regions.map { rings throws(GEOSError) in
            try PreparedGeometry(try GEOSGeometry.polygon(exterior: rings[0], holes: Array(rings.dropFirst()), context: context))
        }
        let regionBoxes = regions.map { Envelope(covering: $0[0]) }
        var blocks: [Block] = []
        var shapes: [GEOSGeometry] = []
        for face in faces {
            let inside = try face.pointOnSurface().pointCoordinate()
            var found: Int?
            for index in regionShapes.indices where regionBoxes[index].contains(x: inside.x, y: inside.y) {
                if try regionShapes[index].containsXY(x: inside.x, y: inside.y) { found = index; break }
            }
            guard let region = found else { continue }
            var rings = [try face.exteriorRing().coordinates()]
            for hole in try face.interiorRings() { rings.append(try hole.coordinates()) }
            blocks.append(Block(rings: rings, region: region, inside: inside,
                                area: metres.squareMetres(try face.area()), homes: []))
            shapes.append(face)
        }

        var outside: [Int] = []
        if !shapes.isEmpty {
            let tree = try STRtree(shapes, context: context)
            let prepared = try shapes.map { shape throws(GEOSError) in try PreparedGeometry(shape) }
            for (index, home) in homes.enumerated() {
                let candidates = try tree.query(envelope: Envelope(covering: [home]))
                var found: Int?
                for candidate in candidates.sorted() where try prepared[candidate].coversXY(x: home.x, y: home.y) {
                    found = candidate
                    break
                }
                if let block = found { blocks[block].homes.append(index) } else { outside.append(index) }
            }
        } else {
            outside = Array(homes.indices)
        }
        self.blocks = blocks
        self.homesOutside = outside
        self.neighbours = Self.sharedEdges(blocks, metres: metres)
    }

    /// Blocks that share an edge segment, and how long their shared edges are.
    private static func sharedEdges(_ blocks: [Block], metres: LocalMetres) -> [[(block: Int, shared: Double)]] {
        struct Segment: Hashable {
            let a: Coordinate, b: Coordinate
            init(_ p: Coordinate, _ q: Coordinate) {
                if (p.x, p.y) < (q.x, q.y) { a = p; b = q } else { a = q; b = p }
            }
        }
        var owners: [Segment: [Int]] = [:]
        for (index, block) in blocks.enumerated() {
            for ring in block.rings where ring.count >= 2 {
                for i in 1..<ring.count where ring[i] != ring[i - 1] {
                    owners[Segment(ring[i - 1], ring[i]), default: []].append(index)
                }
            }
        }
        var shared: [[Int: Double]] = Array(repeating: [:], count: blocks.count)
        for (segment, blocksOfSegment) in owners where blocksOfSegment.count >= 2 {
            let length = metres.distance(segment.a, segment.b)
            for x in blocksOfSegment {
                for y in blocksOfSegment where y != x { shared[x][y, default: 0] += length }
            }
        }
        return shared.map { $0.map { (block: $0.key, shared: $0.value) }.sorted { $0.block < $1.block } }
    }
}

extension Envelope {
    /// The smallest box around `coordinates` (which must not be empty).
    init(covering coordinates: [Coordinate]) {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for c in coordinates {
            minX = Swift.min(minX, c.x); maxX = Swift.max(maxX, c.x)
            minY = Swift.min(minY, c.y); maxY = Swift.max(maxY, c.y)
        }
        self.init(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
    }
}
