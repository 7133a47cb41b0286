import GEOS
import GeoJSON
import GridMapCore

/// Where roads meet, as the source means it: the town manifest's `roadTopology` member.
///
/// - ``sharedVertices`` (`"shared-vertices"`, written by the importer for OpenStreetMap): roads
///   meet only where they share a vertex (exactly equal coordinates), and each line is split at
///   every vertex it shares. A bridge over a street shares no vertex with it, so it never meets it.
/// - ``nodedCrossings`` (`"noded-crossings"`, or no member: the town folder's hand-drawn roads):
///   road ends that nearly meet a road are joined onto it, then roads on one level are split
///   wherever they cross or touch. Roads on different levels (``RoadLevel``: a bridge, a tunnel,
///   another `layer`) meet only where one's end touches the other, never where they merely cross.
public enum RoadTopology: String, Sendable, Hashable, CaseIterable {
    case sharedVertices = "shared-vertices"
    case nodedCrossings = "noded-crossings"

    /// The topology a town manifest's `roadTopology` member names: absent means noded crossings.
    public init(manifestMember value: JSONValue?) throws(RoadTopologyError) {
        guard let value, value != .null else { self = .nodedCrossings; return }
        guard let text = value.stringValue, let topology = RoadTopology(rawValue: text) else {
            throw RoadTopologyError(value: value)
        }
        self = topology
    }

    /// The rule in a person's words, for reports.
    public var sentence: String {
        switch self {
        case .sharedVertices: "roads meet only where they share a vertex (roadTopology shared-vertices)"
        case .nodedCrossings: "roads meet where they cross, bridges, tunnels and other layers only at their ends "
            + "(roadTopology noded-crossings)"
        }
    }

    /// One edge-to-be: its polyline, the index of the line it came from, and whether it runs the
    /// way that line is drawn.
    struct Piece {
        var coordinates: [Coordinate]
        var source: Int
        var alongSource: Bool
    }

    /// Each line split at every vertex it shares with a line (itself included: a way that
    /// closes on itself or passes a point twice); pieces keep the line's direction.
    static func splitAtSharedVertices(_ lines: [[Coordinate]]) -> [Piece] {
        var uses: [Coordinate: Int] = [:]
        for line in lines { for c in line { uses[c, default: 0] += 1 } }
        var pieces: [Piece] = []
        for (index, line) in lines.enumerated() {
            var current = [line[0]]
            for i in 1..<line.count {
                current.append(line[i])
                guard i == line.count - 1 || uses[line[i]]! > 1 else { continue }
                if current.contains(where: { $0 != current[0] }) {
                    pieces.append(Piece(coordinates: current, source: index, alongSource: true))
                }
                current = [line[i]]
            }
        }
        return pieces
    }

    /// Lines on one level split wherever they cross or touch; lines on different levels split
    /// only where an end of one lies on the other (within ``touchTolerance``). `directed` says
    /// which lines' direction matters (one-way tags): only their pieces are checked against it.
    /// One GEOS context lives only inside this call.
    static func nodeCrossings(_ lines: [[Coordinate]], levels: [RoadLevel], directed: [Bool]) throws(GEOSError) -> [Piece] {
        var groups: [RoadLevel: [Int]] = [:]
        for (index, level) in levels.enumerated() { groups[level, default: []].append(index) }
        let context = GEOSContext()
        var pieces: [Piece] = []
        // Ground first, then the other levels in a fixed order, so that edges come out the same every run.
        func rank(_ level: RoadLevel) -> (Int, Int, Int, Int) {
            (level.isGround ? 0 : 1, level.layer, level.bridge ? 1 : 0, level.tunnel ? 1 : 0)
        }
        for level in groups.keys.sorted(by: { rank($0) < rank($1) }) {
            let members = groups[level]!
            for piece in try node(members.map { lines[$0] }, context: context) {
                let source = members[piece.source]
                pieces.append(Piece(coordinates: piece.coordinates, source: source,
                                    alongSource: directed[source] ? runsAlong(piece.coordinates, lines[source]) : true))
            }
        }
        guard groups.count > 1 else { return pieces }
        // Ends that touch a line of another level: that line is split there. Grouped by level,
        // so a ground piece looks only at the few ends of bridges, tunnels and layers.
        var ends: [RoadLevel: [Coordinate]] = [:]
        for (index, line) in lines.enumerated() {
            ends[levels[index], default: []] += [line[0], line[line.count - 1]]
        }
        return pieces.flatMap { piece in
            let level = levels[piece.source]
            let xs = piece.coordinates.map(\.x), ys = piece.coordinates.map(\.y)
            let low = Coordinate(x: xs.min()! - touchTolerance, y: ys.min()! - touchTolerance)
            let high = Coordinate(x: xs.max()! + touchTolerance, y: ys.max()! + touchTolerance)
            var cuts: [(segment: Int, t: Double, point: Coordinate)] = []
            for (other, points) in ends where other != level {
                for point in points where point.x >= low.x && point.x <= high.x && point.y >= low.y && point.y <= high.y {
                    if let cut = Self.cut(piece.coordinates, at: point) { cuts.append(cut) }
                }
            }
            return split(piece, at: cuts)
        }
    }

    /// Metres within which a road end counts as lying on a road of another level.
    static let touchTolerance = 1e-6

    /// Where `point` lies on the interior of `line` (not at its ends): the segment and the
    /// distance along it; nil when it lies farther than ``touchTolerance``.
    static func cut(_ line: [Coordinate], at point: Coordinate) -> (segment: Int, t: Double, point: Coordinate)? {
        if point == line[0] || point == line[line.count - 1] { return nil }
        for s in 0..<(line.count - 1) {
            let (t, d2) = SegmentGrid.project(point.x, point.y, line[s].x, line[s].y, line[s + 1].x, line[s + 1].y)
            if d2 <= touchTolerance * touchTolerance { return (s, t, point) }
        }
        return nil
    }

    /// The piece cut at the given points, each inserted exactly so that the other line's end and
    /// the new vertex are equal.
    static func split(_ piece: Piece, at cuts: [(segment: Int, t: Double, point: Coordinate)]) -> [Piece] {
        guard !cuts.isEmpty else { return [piece] }
        let line = piece.coordinates
        var result: [Piece] = []
        var current = [line[0]]
        let ordered = cuts.sorted { ($0.segment, $0.t) < ($1.segment, $1.t) }
        var next = 0
        for s in 0..<(line.count - 1) {
            while next < ordered.count, ordered[next].segment == s {
                let point = ordered[next].point
                next += 1
                if point == current.last { continue }
                current.append(point)
                result.append(Piece(coordinates: current, source: piece.source, alongSource: piece.alongSource))
                current = [point]
            }
            if line[s + 1] != current.last { current.append(line[s + 1]) }
        }
        if current.count > 1 { result.append(Piece(coordinates: current, source: piece.source, alongSource: piece.alongSource)) }
        return result
    }

    /// Whether `piece` (part of `line`, perhaps turned round by noding) runs the way `line` is
    /// drawn: its first segment against the line's segment nearest that segment's middle.
    static func runsAlong(_ piece: [Coordinate], _ line: [Coordinate]) -> Bool {
        guard let s = piece.indices.dropLast().first(where: { piece[$0] != piece[$0 + 1] }) else { return true }
        let mx = (piece[s].x + piece[s + 1].x) / 2, my = (piece[s].y + piece[s + 1].y) / 2
        var best = (distance: Double.infinity, dot: 1.0)
        for k in 0..<(line.count - 1) {
            let (_, d2) = SegmentGrid.project(mx, my, line[k].x, line[k].y, line[k + 1].x, line[k + 1].y)
            if d2 < best.distance {
                best = (d2, (piece[s + 1].x - piece[s].x) * (line[k + 1].x - line[k].x)
                    + (piece[s + 1].y - piece[s].y) * (line[k + 1].y - line[k].y))
            }
        }
        return best.dot >= 0
    }

    /// The lines split wherever they cross or touch, each piece with the index of the line it
    /// came from (the nearest to its midpoint): the unary union of all lines
    /// (`GEOSUnaryUnion_r`) and `GEOSSTRtree_nearest_generic_r` over the source lines.
    static func node(_ lines: [[Coordinate]], context: GEOSContext) throws(GEOSError) -> [(coordinates: [Coordinate], source: Int)] {
        let sources = try lines.map { line throws(GEOSError) in try GEOSGeometry.lineString(line, context: context) }
        let noded = try GEOSGeometry.multiLineString(lines, context: context).unaryUnion()
        let nodedLines = noded.type == .lineString ? [noded] : try noded.geometries()
        let tree = try STRtree(sources, context: context)
        var pieces: [(coordinates: [Coordinate], source: Int)] = []
        for line in nodedLines where line.type == .lineString {
            let coordinates = try line.coordinates()
            guard coordinates.count >= 2, coordinates.contains(where: { $0 != coordinates[0] }) else { continue }
            let source = try tree.nearest(to: try .point(midpoint(of: coordinates), context: context)) ?? 0
            pieces.append((coordinates, source))
        }
        return pieces
    }

    /// The point halfway along a polyline.
    static func midpoint(of line: [Coordinate]) -> Coordinate {
        var lengths: [Double] = []
        for i in 1..<line.count {
            lengths.append(((line[i].x - line[i - 1].x) * (line[i].x - line[i - 1].x)
                + (line[i].y - line[i - 1].y) * (line[i].y - line[i - 1].y)).squareRoot())
        }
        var remaining = lengths.reduce(0, +) / 2
        for i in 1..<line.count {
            if remaining <= lengths[i - 1], lengths[i - 1] > 0 {
                let t = remaining / lengths[i - 1]
                return Coordinate(x: line[i - 1].x + t * (line[i].x - line[i - 1].x),
                                  y: line[i - 1].y + t * (line[i].y - line[i - 1].y))
            }
            remaining -= lengths[i - 1]
        }
        return line[line.count - 1]
    }
}


/// A town manifest's `roadTopology` that names no topology.
public struct RoadTopologyError: Error, Hashable, CustomStringConvertible {
    public var value: JSONValue
    public var description: String {
        "the town manifest's roadTopology must be \"shared-vertices\" or \"noded-crossings\", not \(value.stringValue.map { "\"\($0)\"" } ?? "a non-string value")"
    }
}
