import GEOS
import GeoJSON

extension RoadNetwork {
    /// A road end that missed another road by at most the build's ``BuildOptions/endSnapTolerance``
    /// and was moved onto it before noding, so that the two roads meet in a junction.
    public struct JoinedEnd: Sendable, Hashable {
        /// Which end of the road's line moved.
        public enum End: Sendable, Hashable { case first, last }
        /// What the end landed on.
        public enum Target: Sendable, Hashable {
            /// The other road's first or last point.
            case end
            /// An interior vertex of the other road.
            case vertex
            /// A point between two vertices of the other road (inserted there as a vertex).
            case segment
        }

        /// The id of the road whose end moved, and which end.
        public var road: String
        public var end: End
        /// The id of the road it now meets, and where on it.
        public var ontoRoad: String
        public var onto: Target
        /// Metres the end moved.
        public var distance: Double
        /// The junction in metres (working CRS) and in WGS84.
        public var point: Coordinate
        public var position: Position
    }
}

/// Moves near-miss road ends onto the road they were meant to meet, before noding.
///
/// Surveyed ends often stop a rounding error short of (or past) the road they join, and a
/// point projected exactly onto a line in WGS84 may land a hair off it in metres; noding leaves
/// such an end dead and the network falls apart. Each line end that touches no other line (a
/// *free* end) but lies within the tolerance of one moves, in this order of preference, to
/// 1. the nearest vertex of another line that is not a free end (an interior vertex, or an end
///    that touches a line or was joined already), so no sliver edge appears;
/// 2. the nearest point on another line's segments, inserted there as a vertex so that noding
///    meets exactly there (points within the tolerance of that line's own free end are left to 3);
/// 3. the nearest free end of another line.
/// So where several ends nearly meet a through road they all land on it, not on each other, and
/// ends that only nearly meet each other join at one of them. Ends are handled one after the
/// other on the updated lines, in input order, so the result is deterministic. Interior
/// vertices never move, closed lines are left alone, and a move that would make a line touch or
/// cross itself is not made.
///
/// Candidates come from a ``SegmentGrid`` over the input lines, queried within twice the
/// tolerance because ends already moved may have come up to one tolerance closer.
struct RoadEndJoiner {
    struct Join {
        var line: Int
        var end: RoadNetwork.JoinedEnd.End
        var target: Int
        var onto: RoadNetwork.JoinedEnd.Target
        var distance: Double
        var point: Coordinate
    }

    /// Where an end would move: onto `line` at `point`, inserted before `insertAt` if a new vertex.
    private struct Target {
        var line: Int
        var point: Coordinate
        var onto: RoadNetwork.JoinedEnd.Target
        var insertAt: Int?
        var distance: Double
    }

    /// One end of one line.
    private struct EndKey: Hashable {
        var line: Int
        var end: RoadNetwork.JoinedEnd.End
    }

    let tolerance: Double

    /// Joins the near-miss ends of `lines` in place and lists the moves in the order made.
    func join(_ lines: inout [[Coordinate]]) -> [Join] {
        guard tolerance > 0, lines.count > 1 else { return [] }
        var pointStart: [Int32] = [0], xs: [Double] = [], ys: [Double] = [], lineOfPoint: [Int] = []
        for (i, line) in lines.enumerated() {
            for c in line { xs.append(c.x); ys.append(c.y); lineOfPoint.append(i) }
            pointStart.append(Int32(xs.count))
        }
        let grid = SegmentGrid(pointStart: pointStart, x: xs, y: ys)
        func candidates(near p: Coordinate, except line: Int) -> [Int] {
            var lines = Set(grid.segments(nearX: p.x, y: p.y, within: 2 * tolerance).map { lineOfPoint[$0] })
            lines.remove(line)
            return lines.sorted()
        }
        let ends = lines.indices.filter { lines[$0].first != lines[$0].last }
            .flatMap { [EndKey(line: $0, end: .first), EndKey(line: $0, end: .last)] }
        var free = Set(ends.filter { key in
            let p = Self.point(of: key, in: lines)
            return !candidates(near: p, except: key.line).contains { Self.distance(from: p, to: lines[$0]) == 0 }
        })
        var joins: [Join] = []
        for key in ends where free.contains(key) {
            let i = key.line, index = key.end == .first ? 0 : lines[i].count - 1
            let p = lines[i][index]
            guard let target = target(for: p, among: candidates(near: p, except: i), in: lines, free: free),
                  Self.staysSimple(lines[i], movingPoint: index, to: target.point)
            else { continue }
            if let insertAt = target.insertAt { lines[target.line].insert(target.point, at: insertAt) }
            lines[i][index] = target.point
            free.remove(key)
            if target.onto == .end {
                free.remove(EndKey(line: target.line, end: lines[target.line].first == target.point ? .first : .last))
            }
            joins.append(Join(line: i, end: key.end, target: target.line, onto: target.onto,
                              distance: target.distance, point: target.point))
        }
        return joins
    }

    private static func point(of key: EndKey, in lines: [[Coordinate]]) -> Coordinate {
        key.end == .first ? lines[key.line][0] : lines[key.line][lines[key.line].count - 1]
    }

    private static func distance(_ a: Coordinate, _ b: Coordinate) -> Double {
        ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
    }

    /// The distance from `p` to the nearest point of `line`.
    private static func distance(from p: Coordinate, to line: [Coordinate]) -> Double {
        (0..<(line.count - 1)).map { k in
            SegmentGrid.project(p.x, p.y, line[k].x, line[k].y, line[k + 1].x, line[k + 1].y).squaredDistance
        }.min()!.squareRoot()
    }

    /// The best place within the tolerance for the free end `p` among the candidate lines, in the
    /// order of preference above; nil when there is none.
    private func target(for p: Coordinate, among candidates: [Int], in lines: [[Coordinate]],
                        free: Set<EndKey>) -> Target? {
        var anchored: Target?, onSegment: Target?, freeEnd: Target?
        func consider(_ target: Target, as best: inout Target?) {
            if target.distance <= tolerance, target.distance < best?.distance ?? .infinity { best = target }
        }
        for j in candidates {
            let line = lines[j], last = line.count - 1
            let freeEnds = [(0, RoadNetwork.JoinedEnd.End.first), (last, .last)]
                .filter { free.contains(EndKey(line: j, end: $0.1)) }.map { line[$0.0] }
            for (k, v) in line.enumerated() {
                let isEnd = k == 0 || k == last
                let target = Target(line: j, point: v, onto: isEnd ? .end : .vertex, insertAt: nil,
                                    distance: Self.distance(p, v))
                if isEnd && freeEnds.contains(v) { consider(target, as: &freeEnd) } else { consider(target, as: &anchored) }
            }
            for k in 0..<last {
                let a = line[k], b = line[k + 1]
                let t = SegmentGrid.project(p.x, p.y, a.x, a.y, b.x, b.y).t
                let point = Coordinate(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y))
                guard !freeEnds.contains(where: { Self.distance($0, point) <= tolerance }) else { continue }
                consider(Target(line: j, point: point, onto: .segment, insertAt: k + 1, distance: Self.distance(p, point)),
                         as: &onSegment)
            }
        }
        return anchored ?? onSegment ?? freeEnd
    }

    /// Whether `line` with its end point `index` moved to `point` still neither touches nor
    /// crosses itself: the point is none of its vertices, the moved end segment does not fold
    /// back over its neighbour and meets no other segment of the line.
    static func staysSimple(_ line: [Coordinate], movingPoint index: Int, to point: Coordinate) -> Bool {
        guard !line.contains(point) else { return false }
        let last = line.count - 1
        let q = line[index == 0 ? 1 : last - 1]
        // Segments are numbered by their first point; the moved one is 0 or last - 1.
        let moved = index == 0 ? 0 : last - 1
        let neighbour = index == 0 ? 1 : last - 2
        for k in 0..<last where k != moved {
            let a = line[k], b = line[k + 1]
            if k == neighbour {
                // Shares q with the moved segment: only a collinear fold-back overlaps it.
                let r = index == 0 ? b : a
                if orientation(r, q, point) == 0, (q.x - r.x) * (point.x - q.x) + (q.y - r.y) * (point.y - q.y) < 0 {
                    return false
                }
            } else if segmentsMeet(q, point, a, b) {
                return false
            }
        }
        return true
    }

    /// The sign of the turn a → b → c (+1 left, −1 right, 0 collinear).
    static func orientation(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate) -> Int {
        let cross = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
        return cross > 0 ? 1 : cross < 0 ? -1 : 0
    }

    /// Whether the closed segments p1–p2 and p3–p4 share a point.
    static func segmentsMeet(_ p1: Coordinate, _ p2: Coordinate, _ p3: Coordinate, _ p4: Coordinate) -> Bool {
        let d1 = orientation(p3, p4, p1), d2 = orientation(p3, p4, p2)
        let d3 = orientation(p1, p2, p3), d4 = orientation(p1, p2, p4)
        if d1 * d2 < 0, d3 * d4 < 0 { return true }
        func within(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate) -> Bool {
            min(a.x, b.x) <= c.x && c.x <= max(a.x, b.x) && min(a.y, b.y) <= c.y && c.y <= max(a.y, b.y)
        }
        return (d1 == 0 && within(p3, p4, p1)) || (d2 == 0 && within(p3, p4, p2))
            || (d3 == 0 && within(p1, p2, p3)) || (d4 == 0 && within(p1, p2, p4))
    }
}
