import GEOS
import GeoJSON

/// A box in longitude and latitude (CRS84), as a `bbox` asks for it: west, south, east, north.
/// A box whose west is greater than its east crosses the antimeridian (OGC API – Features §7.15.3).
public struct LonLatBox: Sendable, Hashable, CustomStringConvertible {
    public var west: Double
    public var south: Double
    public var east: Double
    public var north: Double

    /// Checks the numbers: finite, south ≤ north, longitudes within ±180 and latitudes within ±90.
    /// The messages say what is wrong; the caller says where the box came from.
    public init(west: Double, south: Double, east: Double, north: Double) throws(JobError) {
        guard [west, south, east, north].allSatisfy(\.isFinite) else {
            throw .invalidRequest("every number must be finite")
        }
        guard south <= north else {
            throw .invalidRequest("the south edge (\(south)) is above the north edge (\(north))")
        }
        guard (-180...180).contains(west), (-180...180).contains(east), (-90...90).contains(south), (-90...90).contains(north) else {
            throw .invalidRequest("longitudes lie in -180…180 and latitudes in -90…90 (CRS84)")
        }
        (self.west, self.south, self.east, self.north) = (west, south, east, north)
    }

    /// The box as one or two envelopes (two when it crosses the antimeridian).
    var envelopes: [Envelope] {
        if west <= east { return [Envelope(minX: west, minY: south, maxX: east, maxY: north)] }
        return [Envelope(minX: west, minY: south, maxX: 180, maxY: north), Envelope(minX: -180, minY: south, maxX: east, maxY: north)]
    }

    public var description: String { "\(west),\(south),\(east),\(north)" }
}

/// Whether a geometry and an axis-aligned box share a point, exactly: a vertex in the box, an
/// edge crossing it (Liang–Barsky clipping), or the box inside a polygon (crossing number at one
/// of its corners, holes included). Boundaries count: a point on the box's edge is in it.
enum BoxIntersection {
    static func intersects(_ geometry: Geometry, _ box: Envelope) -> Bool {
        switch geometry {
        case .point(let p): return box.contains(x: p.x, y: p.y)
        case .multiPoint(let points): return points.contains { box.contains(x: $0.x, y: $0.y) }
        case .lineString(let line): return lineMeets(line, box)
        case .multiLineString(let lines): return lines.contains { lineMeets($0, box) }
        case .polygon(let rings): return polygonMeets(rings, box)
        case .multiPolygon(let polygons): return polygons.contains { polygonMeets($0, box) }
        case .geometryCollection(let members): return members.contains { intersects($0, box) }
        }
    }

    /// The envelope of a geometry; nil when it has no position.
    static func envelope(of geometry: Geometry) -> Envelope? {
        var box: Envelope?
        geometry.forEachPosition { p in
            if var b = box {
                (b.minX, b.minY, b.maxX, b.maxY) = (min(b.minX, p.x), min(b.minY, p.y), max(b.maxX, p.x), max(b.maxY, p.y))
                box = b
            } else {
                box = Envelope(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y)
            }
        }
        return box
    }

    private static func lineMeets(_ line: [Position], _ box: Envelope) -> Bool {
        guard let first = line.first else { return false }
        if line.count == 1 { return box.contains(x: first.x, y: first.y) }
        for index in line.indices.dropFirst() where segmentMeets(line[index - 1], line[index], box) { return true }
        return false
    }

    private static func polygonMeets(_ rings: [[Position]], _ box: Envelope) -> Bool {
        if rings.contains(where: { lineMeets($0, box) }) { return true }
        // No edge meets the box: either the box lies wholly inside the polygon (then its corner
        // does) or wholly outside it.
        return contains(rings, x: box.minX, y: box.minY)
    }

    /// Crossing number over every ring: inside the exterior and outside every hole.
    private static func contains(_ rings: [[Position]], x: Double, y: Double) -> Bool {
        var inside = false
        for ring in rings {
            var j = ring.count - 1
            for i in ring.indices {
                let (a, b) = (ring[i], ring[j])
                if (a.y > y) != (b.y > y), x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
                j = i
            }
        }
        return inside
    }

    /// Liang–Barsky: whether the segment a–b has a point in the box.
    private static func segmentMeets(_ a: Position, _ b: Position, _ box: Envelope) -> Bool {
        let (dx, dy) = (b.x - a.x, b.y - a.y)
        var (low, high) = (0.0, 1.0)
        for (p, q) in [(-dx, a.x - box.minX), (dx, box.maxX - a.x), (-dy, a.y - box.minY), (dy, box.maxY - a.y)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let t = q / p
                if p < 0 { low = max(low, t) } else { high = min(high, t) }
                if low > high { return false }
            }
        }
        return true
    }
}

/// Which items' envelopes meet a box: a uniform grid of cells over the items' extent, each cell
/// listing the items whose envelope meets it (about four items a cell). Answers come in item
/// order, without repeats (a bit set of the candidates, read in order), so that pages over them
/// are stable. Immutable, so any number of requests share it.
struct BoxIndex: Sendable {
    private let extent: Envelope
    private let columns: Int
    private let rows: Int
    private let cellStarts: [Int32]
    private let cellItems: [Int32]
    let envelopes: [Envelope?]

    init(envelopes: [Envelope?]) {
        self.envelopes = envelopes
        let present = envelopes.compactMap { $0 }
        let extent = present.dropFirst().reduce(present.first ?? Envelope(minX: 0, minY: 0, maxX: 0, maxY: 0)) {
            Envelope(minX: min($0.minX, $1.minX), minY: min($0.minY, $1.minY), maxX: max($0.maxX, $1.maxX), maxY: max($0.maxY, $1.maxY))
        }
        let side = min(1024, max(1, Int(Double(present.count / 4).squareRoot())))
        let (columns, rows) = (side, side)
        (self.extent, self.columns, self.rows) = (extent, columns, rows)
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        var cellsOf: [(Int, Int, Int, Int)?] = []
        cellsOf.reserveCapacity(envelopes.count)
        for envelope in envelopes {
            let cells = envelope.map { Self.cells($0, extent: extent, columns: columns, rows: rows) }
            cellsOf.append(cells)
            guard let (c0, r0, c1, r1) = cells else { continue }
            for r in r0...r1 { for c in c0...c1 { counts[r * columns + c + 1] += 1 } }
        }
        for index in 1..<counts.count { counts[index] += counts[index - 1] }
        var fill = counts
        var items = [Int32](repeating: 0, count: Int(counts.last ?? 0))
        for (item, cells) in cellsOf.enumerated() {
            guard let (c0, r0, c1, r1) = cells else { continue }
            for r in r0...r1 {
                for c in c0...c1 {
                    items[Int(fill[r * columns + c])] = Int32(item)
                    fill[r * columns + c] += 1
                }
            }
        }
        (cellStarts, cellItems) = (counts, items)
    }

    /// The cells (first column, first row, last column, last row) a box meets, clamped to the grid.
    private static func cells(_ box: Envelope, extent: Envelope, columns: Int, rows: Int) -> (Int, Int, Int, Int) {
        let width = max(extent.maxX - extent.minX, .leastNormalMagnitude)
        let height = max(extent.maxY - extent.minY, .leastNormalMagnitude)
        // Clamped while still a Double: a client's box may lie anywhere (a bbox of 1e16 degrees),
        // and converting a position past Int's range to Int would trap.
        func cell(_ value: Double, _ origin: Double, _ size: Double, _ count: Int) -> Int {
            let position = ((value - origin) / size * Double(count)).rounded(.down)
            guard position > 0 else { return 0 }
            return position >= Double(count - 1) ? count - 1 : Int(position)
        }
        return (cell(box.minX, extent.minX, width, columns), cell(box.minY, extent.minY, height, rows),
                cell(box.maxX, extent.minX, width, columns), cell(box.maxY, extent.minY, height, rows))
    }

    /// The items whose envelope meets any of `boxes`, in item order.
    func candidates(meeting boxes: [Envelope]) -> [Int] {
        var marks = [UInt64](repeating: 0, count: (envelopes.count + 63) / 64)
        for box in boxes where box.intersects(extent) {
            let (c0, r0, c1, r1) = Self.cells(box, extent: extent, columns: columns, rows: rows)
            for r in r0...r1 {
                for c in c0...c1 {
                    let cell = r * columns + c
                    for slot in Int(cellStarts[cell])..<Int(cellStarts[cell + 1]) {
                        let item = Int(cellItems[slot])
                        if let envelope = envelopes[item], envelope.intersects(box) { marks[item >> 6] |= 1 << UInt64(item & 63) }
                    }
                }
            }
        }
        var result: [Int] = []
        for (word, bits) in marks.enumerated() where bits != 0 {
            var rest = bits
            while rest != 0 {
                result.append(word << 6 | rest.trailingZeroBitCount)
                rest &= rest - 1
            }
        }
        return result
    }
}
