import Foundation
import GEOS
import GeoJSON

extension Builder {
    // MARK: Roads

    /// County roads join the administrative villages' seats (a minimum spanning tree, a few
    /// extra links and exits to the neighbouring towns); a village road joins every other grid
    /// centre to the nearest road; a field track runs from each grid centre to each of its
    /// micro-grids' largest field. Crossings are noded and every road is split where another
    /// ends or crosses it, so roads meet exactly at their end points.
    func makeRoads() throws {
        var rng = rng("roads")
        let inner = try PreparedGeometry(town.buffer(width: -10, quadrantSegments: 2))
        func covered(_ points: [Point]) throws -> Bool { try inner.covers(geos.line(points)) }
        func bent(_ a: Point, _ b: Point, amplitude: Double) throws -> [Point] {
            let length = a.distance(to: b)
            let pieces = max(1, Int(length / 450))
            let side = rng.chance(0.5) ? 1.0 : -1.0
            let normal = (b - a).perpendicular * (1 / length)
            var points = [a]
            for index in 1..<(pieces + 1) where pieces > 1 || length > 300 {
                let t = Double(index) / Double(pieces + 1)
                let offset = length * (amplitude * sin(Double.pi * t) * side + 0.008 * rng.uniform(-1, 1))
                points.append(a + (b - a) * t + normal * offset)
            }
            points.append(b)
            if points.count > 2, try covered(points) { return points }
            return [a, b]
        }

        var edges: [Road] = []
        let nodes = principal.map { seeds[$0] }
        var candidates: [(a: Int, b: Int, length: Double)] = []
        for a in nodes.indices {
            for b in (a + 1)..<nodes.count where try covered([nodes[a], nodes[b]]) {
                candidates.append((a, b, nodes[a].distance(to: nodes[b])))
            }
        }
        candidates.sort { ($0.length, $0.a, $0.b) < ($1.length, $1.a, $1.b) }
        var parent = Array(nodes.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { x = parent[x] }
            return x
        }
        var links: [(Int, Int)] = []
        var spare: [(a: Int, b: Int, length: Double)] = []
        for candidate in candidates {
            let (ra, rb) = (find(candidate.a), find(candidate.b))
            if ra != rb {
                parent[max(ra, rb)] = min(ra, rb)
                links.append((candidate.a, candidate.b))
            } else {
                spare.append(candidate)
            }
        }
        guard Set(nodes.indices.map(find)).count == 1 else { throw GeneratorError("the county roads cannot join every village") }
        // A few loops: short links that cross no county road and leave their ends at a clear angle.
        let medianLength = links.map { nodes[$0.0].distance(to: nodes[$0.1]) }.sorted()[links.count / 2]
        var added = 0
        for candidate in spare where added < 6 && candidate.length < 1.9 * medianLength {
            let (a, b) = (nodes[candidate.a], nodes[candidate.b])
            let crosses = links.contains { link in
                Plane.properIntersection(a, b, nodes[link.0], nodes[link.1]) != nil
            }
            let sharp = links.contains { link in
                for (end, other) in [(candidate.a, candidate.b), (candidate.b, candidate.a)] where link.0 == end || link.1 == end {
                    let far = link.0 == end ? link.1 : link.0
                    let u = nodes[other] - nodes[end], w = nodes[far] - nodes[end]
                    if u.dot(w) / (u.length * w.length) > cos(30 * Double.pi / 180) { return true }
                }
                return false
            }
            if !crosses && !sharp {
                links.append((candidate.a, candidate.b))
                added += 1
            }
        }
        for (index, link) in links.enumerated() {
            let ref = "X\(601 + index)"
            edges.append(Road(points: try bent(nodes[link.0], nodes[link.1], amplitude: 0.035), roadClass: "county", name: "县道" + ref, ref: ref))
        }
        // Exits towards the neighbouring towns, ending 3 m inside the boundary.
        let baseAngle = atan2(axisU.y, axisU.x)
        for (offset, angle) in [0.15, 1.75, 3.3, 4.6].enumerated() {
            let direction = Point.unit(baseAngle + angle)
            guard let boundary = rayExit(direction) else { continue }
            let end = boundary + (centre - boundary) * (3 / boundary.distance(to: centre))
            let start = nodes.indices.min { (nodes[$0].distance(to: end), $0) < (nodes[$1].distance(to: end), $1) }!
            guard try covered([nodes[start], end]) else { continue }
            let ref = "X\(601 + links.count + offset)"
            edges.append(Road(points: try bent(nodes[start], end, amplitude: 0.03), roadClass: "county", name: "县道" + ref, ref: ref))
        }

        // Village roads: each other grid centre to the nearest point of the roads so far.
        for g in gridOrder where !isPrincipal[g] {
            let s = seeds[g]
            var options: [(distance: Double, edge: Int, segment: Int, point: Point, t: Double)] = []
            for (e, edge) in edges.enumerated() {
                var best: (distance: Double, edge: Int, segment: Int, point: Point, t: Double)?
                for index in 0..<(edge.points.count - 1) {
                    let hit = Plane.closest(s, edge.points[index], edge.points[index + 1])
                    if best.map({ hit.distance < $0.distance }) ?? true { best = (hit.distance, e, index, hit.point, hit.t) }
                }
                if let best { options.append(best) }
            }
            options.sort { ($0.distance, $0.edge) < ($1.distance, $1.edge) }
            var attached = false
            for option in options.prefix(6) {
                // Snap to a vertex within 25 m; otherwise add the meeting point to that road.
                let edge = edges[option.edge]
                let a = edge.points[option.segment], b = edge.points[option.segment + 1]
                var target = option.point
                if target.distance(to: a) < 25 {
                    target = a
                } else if target.distance(to: b) < 25 {
                    target = b
                }
                guard target != s, try covered([s, target]) else { continue }
                if target != a && target != b {
                    edges[option.edge].points.insert(target, at: option.segment + 1)
                }
                edges.append(Road(points: try bent(s, target, amplitude: 0.05), roadClass: "village", name: gridNames[g] + "进村路", ref: nil))
                attached = true
                break
            }
            guard attached else { throw GeneratorError("no road reaches grid \(gridNumber[g])") }
        }

        // Field tracks: from the grid centre to each micro-grid's largest field.
        var largest: [Int: Int] = [:]
        for (index, field) in fields.enumerated() where largest[field.grid * 10 + field.micro] == nil {
            largest[field.grid * 10 + field.micro] = index
        }
        for g in gridOrder {
            for j in microSeeds[g].indices.sorted(by: { microNumber[g][$0] < microNumber[g][$1] }) {
                guard let index = largest[g * 10 + j] else { continue }
                let target = try fields[index].polygon.pointOnSurface().pointCoordinate()
                guard try covered([seeds[g], target]) else { continue }
                edges.append(Road(points: try bent(seeds[g], target, amplitude: 0.08), roadClass: "track",
                                  name: gridNames[g] + "机耕路", ref: nil))
            }
        }

        roads = node(edges)
        try checkConnected()
    }

    /// Where the ray from the centre in `direction` leaves the town outline.
    func rayExit(_ direction: Point) -> Point? {
        let far = centre + direction * 100_000
        var best: Point?
        for index in 0..<(outline.count - 1) {
            if let hit = Plane.properIntersection(centre, far, outline[index], outline[index + 1]) {
                let p = centre + (far - centre) * hit.t
                if best.map({ p.distance(to: centre) > $0.distance(to: centre) }) ?? true { best = p }
            }
        }
        return best
    }

    /// Inserts every crossing into both roads and splits roads at every vertex that is another
    /// road's end or a crossing.
    func node(_ edges: [Road]) -> [Road] {
        var segments: [(edge: Int, index: Int)] = []
        for (e, edge) in edges.enumerated() {
            for index in 0..<(edge.points.count - 1) { segments.append((e, index)) }
        }
        let cell = 400.0
        func key(_ x: Int, _ y: Int) -> Int64 { Int64(x) &* 1_000_003 &+ Int64(y) }
        var buckets: [Int64: [Int]] = [:]
        var ranges: [(x0: Int, x1: Int, y0: Int, y1: Int)] = []
        for (s, segment) in segments.enumerated() {
            let a = edges[segment.edge].points[segment.index], b = edges[segment.edge].points[segment.index + 1]
            let range = (Int((min(a.x, b.x) / cell).rounded(.down)), Int((max(a.x, b.x) / cell).rounded(.down)),
                         Int((min(a.y, b.y) / cell).rounded(.down)), Int((max(a.y, b.y) / cell).rounded(.down)))
            ranges.append(range)
            for x in range.0...range.1 { for y in range.2...range.3 { buckets[key(x, y), default: []].append(s) } }
        }
        var crossings = Array(repeating: [(index: Int, t: Double, point: Point)](), count: edges.count)
        var nodes = Set<Point>()
        for (s, segment) in segments.enumerated() {
            var others = Set<Int>()
            for x in ranges[s].x0...ranges[s].x1 {
                for y in ranges[s].y0...ranges[s].y1 {
                    for other in buckets[key(x, y)] ?? [] where other > s { others.insert(other) }
                }
            }
            let a = edges[segment.edge].points[segment.index], b = edges[segment.edge].points[segment.index + 1]
            for other in others.sorted() {
                let o = segments[other]
                if o.edge == segment.edge && abs(o.index - segment.index) <= 1 { continue }
                let c = edges[o.edge].points[o.index], d = edges[o.edge].points[o.index + 1]
                guard let hit = Plane.properIntersection(a, b, c, d) else { continue }
                let p = a + (b - a) * hit.t
                crossings[segment.edge].append((segment.index, hit.t, p))
                crossings[o.edge].append((o.index, hit.u, p))
                nodes.insert(p)
            }
        }
        for edge in edges {
            nodes.insert(edge.points[0])
            nodes.insert(edge.points[edge.points.count - 1])
        }
        var result: [Road] = []
        for (e, edge) in edges.enumerated() {
            let sorted = crossings[e].sorted { ($0.index, $0.t) < ($1.index, $1.t) }
            var points: [Point] = []
            var next = 0
            for index in edge.points.indices {
                if points.last != edge.points[index] { points.append(edge.points[index]) }
                while next < sorted.count, sorted[next].index == index {
                    if points.last != sorted[next].point { points.append(sorted[next].point) }
                    next += 1
                }
            }
            var piece: [Point] = []
            for (index, p) in points.enumerated() {
                piece.append(p)
                if index > 0, index < points.count - 1, nodes.contains(p) {
                    result.append(Road(points: piece, roadClass: edge.roadClass, name: edge.name, ref: edge.ref))
                    piece = [p]
                }
            }
            if piece.count >= 2 { result.append(Road(points: piece, roadClass: edge.roadClass, name: edge.name, ref: edge.ref)) }
        }
        return result
    }

    /// Every road reachable from every other through shared end points.
    func checkConnected() throws {
        var index: [Point: Int] = [:]
        var parent: [Int] = []
        func id(_ p: Point) -> Int {
            if let known = index[p] { return known }
            index[p] = parent.count
            parent.append(parent.count)
            return parent.count - 1
        }
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { x = parent[x] }
            return x
        }
        for road in roads {
            let (a, b) = (find(id(road.points[0])), find(id(road.points[road.points.count - 1])))
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        let components = Set(parent.indices.map(find)).count
        guard components == 1 else { throw GeneratorError("the road network falls into \(components) pieces") }
    }

    // MARK: Ditches

    /// Irrigation and drainage ditches straight across some large fields.
    func makeDitches() throws -> [(grid: Int, points: [Point], purpose: String)] {
        var rng = rng("ditches")
        var ditches: [(grid: Int, points: [Point], purpose: String)] = []
        let base = atan2(axisU.y, axisU.x)
        for field in fields where field.area >= 60_000 && rng.chance(0.4) {
            let centre = try field.polygon.pointOnSurface().pointCoordinate()
            let direction = Point.unit(base + Double(rng.int(0...1)) * Double.pi / 2 + rng.uniform(-0.15, 0.15))
            let line = try geos.line([centre - direction * 3000, centre + direction * 3000])
            let pieces = try field.polygon.intersection(line).lineStrings()
            guard let longest = try pieces.max(by: { try $0.length() < $1.length() }), try longest.length() >= 150 else { continue }
            ditches.append((field.grid, try longest.coordinates(), rng.chance(0.6) ? "irrigation" : "drainage"))
        }
        return ditches
    }
}
