import SeededRandom
import Foundation
import GEOS
import GeoJSON
import GridMapCore

extension Builder {
    // MARK: Outline

    /// An irregular oval of exactly `config.area` m²: 40 vertices on a perturbed ellipse whose
    /// long axis runs east-north-east, scaled about the centre to the area.
    func makeOutline() throws {
        if let given = config.outline {
            try useOutline(given)
            return
        }
        var rng = rng("outline")
        let c = try toWGS84.transform([Position(x: config.longitude, y: config.latitude)], direction: .inverse)[0]
        centre = Point(x: c.x.rounded(), y: c.y.rounded())
        let phi = 18.0 * Double.pi / 180
        axisU = .unit(phi)
        axisV = axisU.perpendicular
        let (ellipseA, ellipseB) = (1.3, 0.85)
        var harmonics: [(k: Double, amplitude: Double, phase: Double)] = []
        for k in 2...5 {
            harmonics.append((Double(k), rng.uniform(0.02, 0.06) * 2 / Double(k), rng.uniform(0, 2 * .pi)))
        }
        let count = 40
        var points: [Point] = []
        for index in 0..<count {
            let theta = 2 * Double.pi * (Double(index) + rng.uniform(-0.3, 0.3)) / Double(count)
            let relative = theta - phi
            var radius = 1 / ((cos(relative) / ellipseA) * (cos(relative) / ellipseA) + (sin(relative) / ellipseB) * (sin(relative) / ellipseB)).squareRoot()
            for harmonic in harmonics { radius *= 1 + harmonic.amplitude * cos(harmonic.k * theta + harmonic.phase) }
            radius *= 1 + rng.uniform(-0.04, 0.04)
            points.append(Point.unit(theta) * radius)
        }
        let scale = (config.area / Plane.signedArea(Plane.closed(points))).squareRoot()
        outline = Plane.closed(points.map { centre + $0 * scale })
        semiA = ellipseA * scale
        semiB = ellipseB * scale
        try prepareTown()
    }

    /// A district's town: the outline is its tile of the district (``DistrictGenerator``), and
    /// the town's own frame is the tile's box — east along u, north along v — so that hills,
    /// lake and river fall inside it as they do inside Dacun's oval.
    private func useOutline(_ given: [Point]) throws {
        outline = Plane.closed(given)
        let xs = outline.map(\.x), ys = outline.map(\.y)
        let (minX, maxX, minY, maxY) = (xs.min() ?? 0, xs.max() ?? 0, ys.min() ?? 0, ys.max() ?? 0)
        centre = Point(x: ((minX + maxX) / 2).rounded(), y: ((minY + maxY) / 2).rounded())
        axisU = Point(x: 1, y: 0)
        axisV = Point(x: 0, y: 1)
        semiA = (maxX - minX) / 2
        semiB = (maxY - minY) / 2
        try prepareTown()
    }

    private func prepareTown() throws {
        town = try geos.polygon(outline)
        townPrepared = try PreparedGeometry(town)
        townInner = try PreparedGeometry(town.buffer(width: -20, quadrantSegments: 2))
        townInset = try town.buffer(width: -1, quadrantSegments: 2)
    }

    // MARK: Terrain

    func makeTerrain() throws {
        var rng = rng("terrain")
        let specs: [(String, Double, Double, Double, Double)] = [
            ("藏马山", -0.6, -0.55, 0.7, 0.62),
            ("南岭", 0.55, -0.9, 0.26, 0.26),
            ("北岭", -0.2, 0.95, 0.26, 0.24),
            ("东山", 0.95, 0.25, 0.16, 0.32),
        ]
        for (name, u, v, su, sv) in specs {
            var shape: [Double] = []
            var harmonics: [(Double, Double, Double)] = []
            for k in 2...6 { harmonics.append((Double(k), rng.uniform(0.03, 0.12) * 2 / Double(k), rng.uniform(0, 2 * .pi))) }
            for index in 0..<72 {
                let theta = 2 * Double.pi * Double(index) / 72
                var factor = 1.0
                for (k, amplitude, phase) in harmonics { factor *= 1 + amplitude * cos(k * theta + phase) }
                shape.append(factor * (1 + rng.uniform(-0.025, 0.025)))
            }
            hills.append(Hill(name: name, centre: local(u, v), semiU: su * semiA, semiV: sv * semiB,
                              rotation: rng.uniform(-0.3, 0.3), shape: shape))
        }

        // The reservoir: an elongated blob at the foot of the hills.
        let lakeCentre = local(0.1, -0.36)
        var lakeRing: [Point] = []
        let lakePhase = rng.uniform(0, 2 * .pi)
        for index in 0..<40 {
            let theta = 2 * Double.pi * Double(index) / 40
            let relative = theta - 0.5
            var radius = 1 / ((cos(relative) / 900) * (cos(relative) / 900) + (sin(relative) / 420) * (sin(relative) / 420)).squareRoot()
            radius *= 1 + 0.12 * cos(3 * theta + lakePhase) + rng.uniform(-0.04, 0.04)
            lakeRing.append(lakeCentre + Point.unit(theta) * radius)
        }
        lake = try geos.polygon(lakeRing)
        guard try town.buffer(width: -400).contains(lake) else { throw GeneratorError("the lake does not fit in the town") }

        // 白马河: a meandering line across the town from west to east.
        let (p1, p2, p3) = (rng.uniform(0, 2 * .pi), rng.uniform(0, 2 * .pi), rng.uniform(0, 2 * .pi))
        var line: [Point] = []
        for index in 0...90 {
            let u = -1.5 + 3 * Double(index) / 90
            let v = 0.3 + 0.1 * sin(2 * u + p1) + 0.04 * sin(4.7 * u + p2) + 0.015 * sin(11 * u + p3)
            line.append(local(u, v))
        }
        let pieces = try town.intersection(geos.line(line)).lineStrings()
        guard var longest = try pieces.max(by: { try $0.length() < $1.length() })?.coordinates() else {
            throw GeneratorError("the river misses the town")
        }
        // Stop 5 m inside the boundary so that rounding never puts an end outside.
        longest[0] = longest[0] + (longest[1] - longest[0]) * (5 / longest[0].distance(to: longest[1]))
        let last = longest.count - 1
        longest[last] = longest[last] + (longest[last - 1] - longest[last]) * (5 / longest[last].distance(to: longest[last - 1]))
        river = longest
        riverLine = try geos.line(river)
    }

    func hillRing(_ hill: Hill, scale: Double) -> [Point] {
        (0..<hill.shape.count).map { index in
            let theta = 2 * Double.pi * Double(index) / Double(hill.shape.count)
            let relative = theta - hill.rotation - atan2(axisU.y, axisU.x)
            let (a, b) = (hill.semiU * scale, hill.semiV * scale)
            let radius = 1 / ((cos(relative) / a) * (cos(relative) / a) + (sin(relative) / b) * (sin(relative) / b)).squareRoot()
            return hill.centre + Point.unit(theta) * (radius * hill.shape[index])
        }
    }

    /// The hills at `scale`, within the town less `exclusion`. The forest stops 1 m inside the
    /// town boundary so that rounding never pushes it out.
    func hillsForest(scale: Double, excluding exclusion: GEOSGeometry) throws -> GEOSGeometry {
        let union = try geos.union(hills.map { try geos.polygon(hillRing($0, scale: scale)) })
        return try union.intersection(townInset).difference(exclusion)
    }

    /// The forest whose area is `share` of the town, found by bisection on the hills' size.
    func forest(share: Double, excluding exclusion: GEOSGeometry) throws -> (GEOSGeometry, Double) {
        let target = share * config.area
        var (low, high) = (0.05, 4.0)
        for _ in 0..<48 {
            let middle = (low + high) / 2
            if try hillsForest(scale: middle, excluding: exclusion).area() < target { low = middle } else { high = middle }
        }
        return (try hillsForest(scale: high, excluding: exclusion), high)
    }

    // MARK: Grid seeds

    /// 115 village centres: the town seat near the middle, then well-spread points (Mitchell's
    /// best candidate) on the plains, then a few mountain villages in the hills.
    func placeGridSeeds() throws {
        var rng = rng("seeds")
        let waterExclusion = try geos.union([lake.buffer(width: 20), riverLine.buffer(width: 25)])
        let (preliminary, _) = try forest(share: config.forestShare + 0.04, excluding: waterExclusion)
        let keepOut = try geos.union([lake.buffer(width: 450), riverLine.buffer(width: 250, quadrantSegments: 4)])
        let plains = try town.buffer(width: -350).difference(preliminary.buffer(width: 200, quadrantSegments: 4)).difference(keepOut)
        let mountains = try town.buffer(width: -450).intersection(preliminary.buffer(width: -350, quadrantSegments: 4)).difference(keepOut)
        let plainsPrepared = try PreparedGeometry(plains)
        let mountainsPrepared = try PreparedGeometry(mountains)

        // The seat: the plains point nearest the centre.
        var best: Point?
        for _ in 0..<600 {
            let p = centre + Point.unit(rng.uniform(0, 2 * .pi)) * (2500 * rng.unit().squareRoot())
            if try plainsPrepared.containsXY(x: p.x, y: p.y), best.map({ p.distance(to: centre) < $0.distance(to: centre) }) ?? true {
                best = p
            }
        }
        guard let seatPoint = best else { throw GeneratorError("no room for the town seat near the centre") }
        seeds = [Point(x: seatPoint.x.rounded(), y: seatPoint.y.rounded())]
        isHillGrid = [false]
        seat = 0
        let mountainCount = max(1, config.grids * 13 / 100)
        try bestCandidates(config.grids - 1 - mountainCount, in: plainsPrepared, &rng)
        isHillGrid += Array(repeating: false, count: config.grids - 1 - mountainCount)
        try bestCandidates(mountainCount, in: mountainsPrepared, &rng)
        isHillGrid += Array(repeating: true, count: mountainCount)

        // Homes per grid: the seat is large, mountain villages small.
        var weights: [Double] = []
        for g in seeds.indices {
            weights.append(g == seat ? 3.0 : isHillGrid[g] ? rng.uniform(0.35, 0.65) : rng.uniform(0.7, 1.4))
        }
        homeCount = Self.apportion(config.homes, weights)
        let cellArea = 18.0 * 26.0
        villageRadius = homeCount.map { (Double($0) * cellArea * 1.3 / Double.pi).squareRoot() }
        clearingRadius = villageRadius.map { $0 * 1.3 + 45 }
        // The largest villages get three micro-grids, the others two.
        let threes = config.microGrids - 2 * config.grids
        let bySize = seeds.indices.sorted { (homeCount[$0], -$0) > (homeCount[$1], -$1) }
        microCount = Array(repeating: 2, count: seeds.count)
        for g in bySize.prefix(threes) { microCount[g] = 3 }
        clearings = try seeds.indices.map { g in
            try geos.polygon((0..<24).map { seeds[g] + Point.unit(2 * Double.pi * Double($0) / 24) * clearingRadius[g] })
        }
    }

    private func bestCandidates(_ count: Int, in region: PreparedGeometry, _ rng: inout SplitMix64) throws {
        guard let bounds = region.bounds else { throw GeneratorError("empty region for village centres") }
        for _ in 0..<count {
            var best = Point(x: 0, y: 0)
            var bestScore = -1.0
            for _ in 0..<30 {
                var candidate: Point?
                for _ in 0..<2000 {
                    let p = Point(x: rng.uniform(bounds.minX, bounds.maxX), y: rng.uniform(bounds.minY, bounds.maxY))
                    if try region.containsXY(x: p.x, y: p.y) {
                        candidate = p
                        break
                    }
                }
                guard let candidate else { throw GeneratorError("cannot find a point in a region for village centres") }
                let score = seeds.reduce(Double.infinity) { min($0, $1.distance(to: candidate)) }
                if score > bestScore {
                    bestScore = score
                    best = candidate
                }
            }
            seeds.append(Point(x: best.x.rounded(), y: best.y.rounded()))
        }
    }

    /// Splits `total` in proportion to `weights` (largest remainder, ties to the lower index).
    static func apportion(_ total: Int, _ weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        let exact = weights.map { Double(total) * $0 / sum }
        var result = exact.map { Int($0.rounded(.down)) }
        let remainders = exact.indices.sorted { (exact[$0] - Double(result[$0]), -$0) > (exact[$1] - Double(result[$1]), -$1) }
        for index in remainders.prefix(total - result.reduce(0, +)) { result[index] += 1 }
        return result
    }

    // MARK: Forest

    func makeForest() throws {
        let exclusion = try geos.union(clearings + [lake.buffer(width: 20), riverLine.buffer(width: 25)])
        (forest, forestScale) = try forest(share: config.forestShare, excluding: exclusion)
    }

    // MARK: Micro-grids and grids

    /// One Voronoi diagram of all provisional micro-grid seeds clipped to the town; grids are
    /// unions of their cells (the micro-grids written are designed later, in Builder+Partition). Shared vertices are made identical before rounding, so the tiling stays exact
    /// in the rounded WGS84 coordinates. A grid whose micro-grids or union come out in pieces
    /// draws new micro seeds, until every grid is one polygon.
    func tile() throws {
        var attempts = Array(repeating: 0, count: seeds.count)
        for _ in 0..<60 {
            microSeeds = seeds.indices.map { drawMicroSeeds($0, attempt: attempts[$0]) }
            let failing = try buildTiling()
            if failing.isEmpty { return }
            for g in failing { attempts[g] += 1 }
        }
        throw GeneratorError("could not tile the town into single-polygon grids")
    }

    private func drawMicroSeeds(_ g: Int, attempt: Int) -> [Point] {
        var rng = rng("micro-\(g)-\(attempt)")
        let count = microCount[g]
        let start = rng.uniform(0, 2 * .pi)
        return (0..<count).map { j in
            let angle = start + 2 * Double.pi * Double(j) / Double(count) + rng.uniform(-0.35, 0.35)
            var radius = villageRadius[g] * rng.uniform(0.35, 0.6)
            var p = seeds[g] + Point.unit(angle) * radius
            while nearestSeed(p) != g {
                radius *= 0.7
                p = seeds[g] + Point.unit(angle) * radius
            }
            return Point(x: p.x.rounded(), y: p.y.rounded())
        }
    }

    func nearestSeed(_ p: Point) -> Int {
        var best = 0
        for g in seeds.indices where seeds[g].distance(to: p) < seeds[best].distance(to: p) { best = g }
        return best
    }

    /// Builds cells, micro-grid rings and grid shapes; returns the grids that failed.
    private func buildTiling() throws -> [Int] {
        let flat = microSeeds.flatMap { $0 }
        let owner = microSeeds.indices.flatMap { g in microSeeds[g].indices.map { (g, $0) } }
        let sites = try GEOSGeometry.multiPoint(flat, context: geos)
        guard let bounds = try town.bounds else { throw GeneratorError("empty town") }
        let frame = try GEOSGeometry.rectangle(bounds.expanded(by: 20_000), context: geos)
        let diagram = try sites.voronoiDiagram(envelope: frame).polygons()
        guard diagram.count == flat.count else { throw GeneratorError("Voronoi diagram has \(diagram.count) cells for \(flat.count) seeds") }

        // Match cells to seeds.
        var cellOf = Array(repeating: -1, count: flat.count)
        let cellBounds = try diagram.map { try $0.bounds! }
        for (s, site) in flat.enumerated() {
            let point = try geos.point(site)
            for c in diagram.indices where cellBounds[c].contains(x: site.x, y: site.y) {
                if try diagram[c].contains(point) {
                    cellOf[s] = c
                    break
                }
            }
            guard cellOf[s] >= 0 else { throw GeneratorError("no Voronoi cell holds seed \(s)") }
        }

        // Clip each cell to the town; a cell in two pieces fails its grid.
        var failing = Set<Int>()
        var rings: [[Point]] = Array(repeating: [], count: flat.count)
        for s in flat.indices {
            let pieces = try diagram[cellOf[s]].intersection(town).polygons()
            guard pieces.count == 1 else {
                failing.insert(owner[s].0)
                continue
            }
            rings[s] = try pieces[0].exteriorRing().coordinates()
        }
        if !failing.isEmpty { return failing.sorted() }

        // Make coincident vertices identical: neighbours compute the points where their shared
        // edge meets the town boundary separately, which can differ in the last bits.
        var buckets: [Int64: [Point]] = [:]
        func canonical(_ p: Point) -> Point {
            let kx = Int64((p.x * 1000).rounded(.down)), ky = Int64((p.y * 1000).rounded(.down))
            for dx in -1...1 {
                for dy in -1...1 {
                    for q in buckets[(kx + Int64(dx)) &* 10_000_000_000 &+ (ky + Int64(dy))] ?? [] where q.distance(to: p) < 1e-6 {
                        return q
                    }
                }
            }
            buckets[kx &* 10_000_000_000 &+ ky, default: []].append(p)
            return p
        }
        for s in flat.indices {
            var ring: [Point] = []
            for p in rings[s] {
                let q = canonical(p)
                if ring.last != q { ring.append(q) }
            }
            rings[s] = ring
        }

        // Transform every distinct vertex once and round it.
        var vertexIndex: [Point: Int] = [:]
        var vertices: [Point] = []
        for ring in rings {
            for p in ring where vertexIndex[p] == nil {
                vertexIndex[p] = vertices.count
                vertices.append(p)
            }
        }
        let rounded = wgs84(vertices)
        cells = microSeeds.map { _ in [] }
        microRings = microSeeds.map { _ in [] }
        microPrepared = microSeeds.map { _ in [] }
        gridShapes = []
        var gridGeometries: [GEOSGeometry] = []
        for g in microSeeds.indices {
            var parts: [GEOSGeometry] = []
            for j in microSeeds[g].indices {
                let s = owner.firstIndex { $0 == (g, j) }!
                cells[g].append(try geos.polygon(rings[s]))
                guard let ring = Self.oriented(rings[s].map { rounded[vertexIndex[$0]!] }, exterior: true) else {
                    failing.insert(g)
                    continue
                }
                let polygon = try GEOSGeometry.polygon(exterior: ring.map(\.coordinate), context: geos)
                if try !polygon.isValid { failing.insert(g) }
                microRings[g].append(ring)
                microPrepared[g].append(try PreparedGeometry(polygon))
                parts.append(polygon)
            }
            guard !failing.contains(g) else { continue }
            let union = try geos.union(parts)
            guard union.type == .polygon, try union.interiorRings().isEmpty, try union.isValid else {
                failing.insert(g)
                continue
            }
            gridGeometries.append(union)
            gridShapes.append(try orientedShape(union))
        }
        if !failing.isEmpty { return failing.sorted() }
        let whole = try geos.union(gridGeometries)
        guard whole.type == .polygon, try whole.interiorRings().isEmpty else {
            throw GeneratorError("the grids do not make one town polygon")
        }
        townShape = try orientedShape(whole)
        return []
    }

    /// A WGS84 GEOS polygon as GeoJSON with RFC 7946 ring orientation.
    func orientedShape(_ polygon: GEOSGeometry) throws -> Geometry {
        let rings = try polygon.rings()
        var result: [[Position]] = []
        for (index, ring) in rings.enumerated() {
            guard let oriented = Self.oriented(ring.map(Position.init), exterior: index == 0) else {
                throw GeneratorError("degenerate ring in a grid")
            }
            result.append(oriented)
        }
        return .polygon(result)
    }

    // MARK: Administrative villages

    /// Groups the grids into edge-connected administrative villages of similar size, then
    /// numbers villages, grids and micro-grids.
    func groupVillages() throws {
        let count = config.villages
        // Grid adjacency: rounded grid polygons sharing a boundary line.
        var adjacent = Array(repeating: [Int](), count: seeds.count)
        let polygons = try gridShapes.map { try $0.geosGeometry(in: geos) }
        let bounds = try polygons.map { try $0.bounds! }
        for a in polygons.indices {
            for b in (a + 1)..<polygons.count where bounds[a].intersects(bounds[b]) {
                if try polygons[a].relate(polygons[b], matches: "F***1****") {
                    adjacent[a].append(b)
                    adjacent[b].append(a)
                }
            }
        }
        // Centres: farthest-point traversal from the seat, then balanced region growing over the
        // adjacency graph (the smallest village takes its nearest free neighbour), re-centred a
        // few times. Villages come out edge-connected and of similar grid counts.
        var centres = [seat]
        while centres.count < count {
            let next = seeds.indices.max { a, b in
                let da = centres.map { seeds[$0].distance(to: seeds[a]) }.min()!
                let db = centres.map { seeds[$0].distance(to: seeds[b]) }.min()!
                return (da, -a) < (db, -b)
            }!
            centres.append(next)
        }
        var assignment = Array(repeating: -1, count: seeds.count)
        for _ in 0..<8 {
            assignment = Array(repeating: -1, count: seeds.count)
            var sizes = Array(repeating: 1, count: count)
            for (v, g) in centres.enumerated() { assignment[g] = v }
            var remaining = seeds.count - count
            while remaining > 0 {
                var grown = false
                for v in (0..<count).sorted(by: { (sizes[$0], $0) < (sizes[$1], $1) }) {
                    var best: Int?
                    for g in seeds.indices where assignment[g] == v {
                        for h in adjacent[g] where assignment[h] < 0 {
                            let d = seeds[h].distance(to: seeds[centres[v]])
                            if best.map({ (d, h) < (seeds[$0].distance(to: seeds[centres[v]]), $0) }) ?? true { best = h }
                        }
                    }
                    if let best {
                        assignment[best] = v
                        sizes[v] += 1
                        remaining -= 1
                        grown = true
                        break
                    }
                }
                guard grown else { throw GeneratorError("the grids are not connected") }
            }
            // Re-centre each village on its grid nearest to the mean of its grids.
            let previous = centres
            for v in 0..<count {
                let members = seeds.indices.filter { assignment[$0] == v }
                let mean = members.reduce(Point(x: 0, y: 0)) { $0 + seeds[$1] } * (1 / Double(members.count))
                centres[v] = members.min { (seeds[$0].distance(to: mean), $0) < (seeds[$1].distance(to: mean), $1) }!
            }
            if centres == previous { break }
        }
        let groups = (0..<count).map { v in seeds.indices.filter { assignment[$0] == v } }
        guard groups.allSatisfy({ !$0.isEmpty }) else { throw GeneratorError("an administrative village has no grid") }

        // Each village's seat: its largest natural village.
        let seatsOfGroups = groups.map { members in members.max { (homeCount[$0], -$0) < (homeCount[$1], -$1) }! }
        // Order: the town seat's village first, then clockwise from north around the town centre.
        let first = groups.firstIndex { $0.contains(seat) }!
        let order = [first] + groups.indices.filter { $0 != first }.sorted {
            (seeds[seatsOfGroups[$0]].bearing(from: seeds[seat]), $0) < (seeds[seatsOfGroups[$1]].bearing(from: seeds[seat]), $1)
        }
        villageOf = Array(repeating: 0, count: seeds.count)
        villageGrids = []
        principal = []
        isPrincipal = Array(repeating: false, count: seeds.count)
        gridNumber = Array(repeating: 0, count: seeds.count)
        gridOrder = []
        for (v, group) in order.enumerated() {
            let head = seatsOfGroups[group]
            let others = groups[group].filter { $0 != head }.sorted {
                (seeds[$0].bearing(from: seeds[head]), $0) < (seeds[$1].bearing(from: seeds[head]), $1)
            }
            let members = [head] + others
            villageGrids.append(members)
            principal.append(head)
            isPrincipal[head] = true
            for g in members {
                villageOf[g] = v
                gridOrder.append(g)
                gridNumber[g] = gridOrder.count
            }
        }
        // Micro-grids: clockwise from north around the grid's centre.
        microNumber = seeds.indices.map { g in
            let sorted = microSeeds[g].indices.sorted {
                (microSeeds[g][$0].bearing(from: seeds[g]), $0) < (microSeeds[g][$1].bearing(from: seeds[g]), $1)
            }
            var numbers = Array(repeating: 0, count: sorted.count)
            for (rank, j) in sorted.enumerated() { numbers[j] = rank + 1 }
            return numbers
        }
    }

    /// Natural-village names for the grids (in grid-number order) and the administrative
    /// villages' names after their seat village.
    func nameEverything() {
        var rng = rng("names")
        var used = Set<String>()
        gridNames = Array(repeating: "", count: seeds.count)
        gridPrefixes = Array(repeating: "", count: seeds.count)
        for g in gridOrder {
            let prefix = Names.villagePrefix(&rng, used: &used)
            gridPrefixes[g] = prefix
            gridNames[g] = prefix + Names.villageSuffix(&rng)
        }
        villageNames = principal.map { gridPrefixes[$0] + "村" }
    }

    // MARK: Fields

    /// Farmland: the town less forest, water and village land, cut by micro-grid (2 m inside each
    /// micro-grid's edge, so every field lies in one micro-grid).
    func makeFields() throws {
        let blocked = try geos.union(clearings + [
            forest.buffer(width: 5, quadrantSegments: 2), lake.buffer(width: 15), riverLine.buffer(width: 30, quadrantSegments: 2),
        ])
        let farmland = try town.difference(blocked)
        for g in gridOrder {
            for j in microSeeds[g].indices.sorted(by: { microNumber[g][$0] < microNumber[g][$1] }) {
                let inner = try cells[g][j].buffer(width: -2, quadrantSegments: 2)
                let pieces = try inner.intersection(farmland).polygons()
                var kept: [(GEOSGeometry, Double)] = []
                for piece in pieces {
                    let area = try piece.area()
                    if area >= 3000 { kept.append((piece, area)) }
                }
                kept.sort { $0.1 > $1.1 }
                for (piece, area) in kept { fields.append(Field(grid: g, micro: j, polygon: piece, area: area)) }
            }
        }
    }
}
