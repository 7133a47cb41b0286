import GEOS
import GeoJSON

/// What `gridmap partition` is asked for.
public struct PartitionRequest: Sendable, Hashable {
    /// The households a micro-grid should hold, e.g. 60...80.
    public var homesPerMicroGrid: ClosedRange<Int>
    /// Keep the town's grids and design only their micro-grids (true), or design the grids too,
    /// inside each village (false).
    public var keepGrids: Bool
    /// When the grids are designed: how many micro-grids a grid should hold.
    public var microGridsPerGrid: ClosedRange<Int>
    /// Exactly this many micro-grids in all, shared among the grids (or villages) by their
    /// households, instead of each grid's count following `homesPerMicroGrid` (the town generator
    /// keeps Dacun's 291 this way).
    public var microGridTotal: Int?

    public init(homesPerMicroGrid: ClosedRange<Int> = 60...80, keepGrids: Bool = true,
                microGridsPerGrid: ClosedRange<Int> = 2...4, microGridTotal: Int? = nil) {
        self.homesPerMicroGrid = homesPerMicroGrid
        self.keepGrids = keepGrids
        self.microGridsPerGrid = microGridsPerGrid
        self.microGridTotal = microGridTotal
    }
}

/// Why a partition could not be made.
public struct PartitionError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The grids and micro-grids a partition designed, and its report.
///
/// Every vertex lies on a grid of ``gridSize`` degrees, the precision town folders are written
/// at, and grids are the unions of their micro-grids and the boundary the union of the grids, so
/// the three levels tile each other exactly as stored. Kept grids and the town's boundary
/// therefore come back with the vertices where roads and water meet their edges, each moved by
/// at most half a cell (about 5 mm).
public struct TownPartition: Sendable {
    public var boundary: Geometry
    public var grids: [Grid]
    public var microGrids: [MicroGrid]
    public var report: PartitionReport

    /// 10⁻⁷ degrees (about 1 cm): the seven decimals of the town folder's GeoJSON.
    public static let gridSize = 1e-7
}

/// How a partition came out: the households per micro-grid, and every micro-grid that missed the
/// target with the reason.
public struct PartitionReport: Sendable, Hashable {
    public struct Miss: Sendable, Hashable {
        public var microGrid: GridCode
        public var homes: Int
        public var reason: String
    }

    /// Blocks the roads and water cut the town into (after crowded blocks were cut).
    public var blocks: Int
    /// Households in each micro-grid, by code.
    public var homes: [GridCode: Int]
    public var misses: [Miss]
    /// Homes that lie in no grid of the town.
    public var homesOutside: [String]
    /// Things the user should know (a team dropped because the grids changed, …).
    public var notes: [String]

    public var minimum: Int { homes.values.min() ?? 0 }
    public var maximum: Int { homes.values.max() ?? 0 }
    /// The median households per micro-grid (the lower middle of an even count).
    public var median: Int {
        let sorted = homes.values.sorted()
        return sorted.isEmpty ? 0 : sorted[(sorted.count - 1) / 2]
    }
}

extension TownPartition {
    /// The kinds whose lines cut the town into blocks: roads and water.
    static let cuttingKinds: Set<FeatureKind> = [.road, .river, .ditch, .lake]

    /// Designs `data`'s micro-grids (and its grids, unless kept) from its grids or villages, its
    /// homes, roads and water. The town's other layers, residents and (with kept grids) team are
    /// untouched; the caller puts the result into the town.
    public static func design(_ data: TownData, _ request: PartitionRequest) throws(PartitionError) -> TownPartition {
        guard request.homesPerMicroGrid.lowerBound >= 1 else {
            throw PartitionError("--homes must be at least 1 household per micro-grid, not \(request.homesPerMicroGrid.lowerBound).")
        }
        guard request.microGridsPerGrid.lowerBound >= 1 else {
            throw PartitionError("--micro-grids-per-grid must be at least 1, not \(request.microGridsPerGrid.lowerBound).")
        }
        do {
            return try Designer(data: data, request: request).design()
        } catch let error as PartitionError {
            throw error
        } catch {
            throw PartitionError("The partition failed in GEOS: \(error)")
        }
    }
}

/// One partition's work: regions, blocks, groups, then codes and names.
private struct Designer {
    let data: TownData
    let request: PartitionRequest
    let metres: LocalMetres

    init(data: TownData, request: PartitionRequest) throws {
        self.data = data
        self.request = request
        let box = Envelope(covering: data.town.boundary.allCoordinates)
        metres = LocalMetres(origin: Coordinate(x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2))
    }

    /// A region: a kept grid, or a village (the union of its grids) whose grids are designed.
    struct Region {
        var polygons: [[[Coordinate]]]
        var grid: Grid?
        var village: Village
    }

    func design() throws -> TownPartition {
        let regions = try makeRegions()
        var polygonRegion: [Int] = []
        var polygons: [[[Coordinate]]] = []
        for (index, region) in regions.enumerated() {
            polygons.append(contentsOf: region.polygons)
            polygonRegion.append(contentsOf: Array(repeating: index, count: region.polygons.count))
        }
        let homeFeatures = data.features.filter { $0.kind == .home }
        let homes = try homeFeatures.map { try Self.point(of: $0.geometry) }
        let lines = data.features.filter { TownPartition.cuttingKinds.contains($0.kind) }.flatMap(\.geometry.lines)

        var arrangement = try BlockArrangement(regions: polygons, lines: lines, homes: homes, metres: metres)
        let range = request.homesPerMicroGrid
        var regionHomes = Array(repeating: 0, count: regions.count)
        for block in arrangement.blocks { regionHomes[polygonRegion[block.region]] += block.homes.count }
        let counts = request.microGridTotal.map { BlockGrouping.share($0, by: regionHomes) }
            ?? regionHomes.map { Self.count(of: $0, per: range) }
        // A block is cut when it holds more than two thirds of its region's average micro-grid,
        // into parts of half that average: blocks that small let the grouping even the
        // micro-grids out, while most blocks still follow the roads.
        let rules = regions.indices.map { r in
            let average = max(1, regionHomes[r] / max(1, counts[r]))
            return BlockCuts.Rule(limit: max(1, average * 2 / 3), partSize: max(1, average / 2))
        }
        let cuts = try BlockCuts.lines(for: arrangement, homes: homes, rule: { rules[polygonRegion[arrangement.blocks[$0].region]] }, metres: metres)
        if !cuts.lines.isEmpty {
            arrangement = try BlockArrangement(regions: polygons, lines: lines + cuts.lines, homes: homes, metres: metres)
        }

        var grids: [Grid] = []
        var microGrids: [MicroGrid] = []
        var homesIn: [GridCode: Int] = [:]
        var misses: [PartitionReport.Miss] = []
        let blocksOf = Dictionary(grouping: arrangement.blocks.indices, by: { polygonRegion[arrangement.blocks[$0].region] })
        var nextGrid = 1
        for (regionIndex, region) in regions.enumerated() {
            let blocks = blocksOf[regionIndex] ?? []
            guard !blocks.isEmpty else { continue }
            let groups = groupBlocks(blocks, arrangement, count: counts[regionIndex])
            let designed = try groups.map { members in
                (shape: try Self.union(members.map { arrangement.blocks[$0].rings }),
                 homes: members.reduce(0) { $0 + arrangement.blocks[$1].homes.count }, centre: centre(members, arrangement))
            }
            if let grid = region.grid {
                for (k, part) in ordered(designed, by: \.centre).enumerated() {
                    guard let code = grid.code.microGrid(k + 1) else { throw PartitionError("grid \(grid.code) would need more than 99 micro-grids") }
                    microGrids.append(MicroGrid(code: code, name: Self.microGridName(grid.name, k + 1), geometry: part.shape))
                    homesIn[code] = part.homes
                }
                var kept = grid
                kept.geometry = try Self.union(designed.flatMap(\.shape.polygonRings))
                grids.append(kept)
            } else {
                // Grids designed inside the village from its micro-grids.
                let parts = ordered(designed, by: \.centre)
                let gridGroups = try groupMicroGrids(parts.map(\.centre), adjacency: microGridAdjacency(groups: groups.map(Set.init), arrangement))
                let orderedGroups = ordered(gridGroups.map { ($0, centre(of: $0.map { parts[$0].centre })) }, by: \.1).map(\.0)
                for (g, members) in orderedGroups.enumerated() {
                    guard let code = GridCode(town: data.town.code, grid: nextGrid) else { throw PartitionError("the town would need more than 999 grids") }
                    nextGrid += 1
                    let name = orderedGroups.count == 1 ? region.village.name : "\(region.village.name) \(g + 1)"
                    let shape = try Self.union(members.flatMap { parts[$0].shape.polygonRings })
                    grids.append(Grid(code: code, name: name, villageCode: region.village.code, geometry: shape))
                    for (k, member) in ordered(members.map { ($0, parts[$0].centre) }, by: \.1).enumerated() {
                        guard let microCode = code.microGrid(k + 1) else { throw PartitionError("grid \(code) would need more than 99 micro-grids") }
                        microGrids.append(MicroGrid(code: microCode, name: Self.microGridName(name, k + 1), geometry: parts[member.0].shape))
                        homesIn[microCode] = parts[member.0].homes
                    }
                }
            }
        }

        let unsplitBlocks = Set(cuts.unsplit.map(\.block))
        for micro in microGrids {
            let count = homesIn[micro.code] ?? 0
            guard !range.contains(count) else { continue }
            misses.append(PartitionReport.Miss(microGrid: micro.code, homes: count,
                                               reason: missReason(micro, count, microGrids, homesIn, unsplit: !unsplitBlocks.isEmpty)))
        }
        var notes: [String] = []
        if !cuts.lines.isEmpty { notes.append("\(cuts.lines.count) cut line(s) divided blocks holding more households than a micro-grid should.") }
        for block in cuts.unsplit {
            notes.append("A block of \(block.homes) households could not be divided: its homes stand too close together for a line between them.")
        }
        let boundary = try Self.union(grids.flatMap(\.geometry.polygonRings))
        return TownPartition(boundary: boundary, grids: grids, microGrids: microGrids,
                             report: PartitionReport(blocks: arrangement.blocks.count, homes: homesIn, misses: misses,
                                                     homesOutside: arrangement.homesOutside.map { homeFeatures[$0].id }, notes: notes))
    }

    private func makeRegions() throws -> [Region] {
        let villages = Dictionary(data.villages.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        func village(_ code: String) -> Village { villages[code] ?? Village(code: code, name: code) }
        if request.keepGrids {
            return data.grids.map { Region(polygons: $0.geometry.polygonRings, grid: $0, village: village($0.villageCode)) }
        }
        var regions: [Region] = []
        let byVillage = Dictionary(grouping: data.grids, by: \.villageCode)
        for code in byVillage.keys.sorted() {
            let shape = try Self.union(byVillage[code, default: []].flatMap(\.geometry.polygonRings))
            regions.append(Region(polygons: shape.polygonRings, grid: nil, village: village(code)))
        }
        if regions.isEmpty {
            regions.append(Region(polygons: data.town.boundary.polygonRings, grid: nil,
                                  village: data.villages.first ?? Village(code: "\(data.town.code)-V01", name: data.town.name)))
        }
        return regions
    }

    /// The number of parts of about `range` each that `total` makes: the one whose average is in
    /// the range and nearest its middle, or else the nearest to it; at least one.
    static func count(of total: Int, per range: ClosedRange<Int>) -> Int {
        guard total > 0 else { return 1 }
        let middle = Double(range.lowerBound + range.upperBound) / 2
        let guess = max(1, Int((Double(total) / middle).rounded()))
        let candidates = [guess - 1, guess, guess + 1].filter { $0 >= 1 }
        return candidates.min { a, b in
            let averageA = Double(total) / Double(a), averageB = Double(total) / Double(b)
            let inA = range.contains(Int(averageA.rounded())), inB = range.contains(Int(averageB.rounded()))
            if inA != inB { return inA }
            return (abs(averageA - middle), a) < (abs(averageB - middle), b)
        } ?? guess
    }

    private func groupBlocks(_ blocks: [Int], _ arrangement: BlockArrangement, count: Int) -> [[Int]] {
        let local = Dictionary(uniqueKeysWithValues: blocks.enumerated().map { ($1, $0) })
        let nodes = blocks.map { block in
            let p = metres.point(arrangement.blocks[block].inside)
            return BlockGrouping.Node(weight: arrangement.blocks[block].homes.count, x: p.x, y: p.y)
        }
        let neighbours = blocks.map { block in arrangement.neighbours[block].compactMap { local[$0.block] } }
        let owner = BlockGrouping(nodes: nodes, neighbours: neighbours).groups(count: count)
        var groups = Array(repeating: [Int](), count: (owner.max() ?? -1) + 1)
        for (i, g) in owner.enumerated() { groups[g].append(blocks[i]) }
        return groups.filter { !$0.isEmpty }
    }

    private func microGridAdjacency(groups: [Set<Int>], _ arrangement: BlockArrangement) -> [[Int]] {
        var groupOf: [Int: Int] = [:]
        for (g, members) in groups.enumerated() { for block in members { groupOf[block] = g } }
        return groups.map { members in
            Array(Set(members.flatMap { arrangement.neighbours[$0].compactMap { groupOf[$0.block] } }).subtracting([groupOf[members.first ?? -1] ?? -1])).sorted()
        }
    }

    private func groupMicroGrids(_ centres: [Coordinate], adjacency: [[Int]]) throws -> [[Int]] {
        let nodes = centres.map { c in
            let p = metres.point(c)
            return BlockGrouping.Node(weight: 1, x: p.x, y: p.y)
        }
        let count = Self.count(of: centres.count, per: request.microGridsPerGrid)
        let owner = BlockGrouping(nodes: nodes, neighbours: adjacency).groups(count: count)
        var groups = Array(repeating: [Int](), count: (owner.max() ?? -1) + 1)
        for (i, g) in owner.enumerated() { groups[g].append(i) }
        return groups.filter { !$0.isEmpty }
    }

    private func centre(_ blocks: [Int], _ arrangement: BlockArrangement) -> Coordinate {
        centre(of: blocks.map { arrangement.blocks[$0].inside }, weights: blocks.map { arrangement.blocks[$0].area })
    }

    private func centre(of points: [Coordinate], weights: [Double]? = nil) -> Coordinate {
        let w = weights ?? Array(repeating: 1, count: points.count)
        let total = max(w.reduce(0, +), .leastNonzeroMagnitude)
        return Coordinate(x: zip(points, w).reduce(0) { $0 + $1.0.x * $1.1 } / total,
                          y: zip(points, w).reduce(0) { $0 + $1.0.y * $1.1 } / total)
    }

    /// Items in reading order of their centres: north to south in bands of about 300 m, west to
    /// east within a band, so that codes read like the map.
    private func ordered<T>(_ items: [T], by centre: (T) -> Coordinate) -> [T] {
        items.map { (item: $0, p: metres.point(centre($0))) }
            .sorted { a, b in
                let bandA = Int((-a.p.y / 300).rounded(.down)), bandB = Int((-b.p.y / 300).rounded(.down))
                return (bandA, a.p.x, a.p.y) < (bandB, b.p.x, b.p.y)
            }
            .map(\.item)
    }

    private func missReason(_ micro: MicroGrid, _ homes: Int, _ all: [MicroGrid], _ homesIn: [GridCode: Int], unsplit: Bool) -> String {
        let siblings = all.filter { $0.code.gridCode == micro.code.gridCode }
        let gridHomes = siblings.reduce(0) { $0 + (homesIn[$1.code] ?? 0) }
        let range = request.homesPerMicroGrid
        if siblings.count == 1, gridHomes < range.lowerBound {
            return "its grid holds only \(gridHomes) households in all"
        }
        if homes > range.upperBound, unsplit { return "a block of homes standing too close together to divide" }
        if request.microGridTotal != nil {
            return "its grid's \(gridHomes) households are shared among \(siblings.count) micro-grids to make the total asked for"
        }
        return "the blocks between roads and water do not add up closer to the target (its grid: \(gridHomes) households in \(siblings.count) micro-grids)"
    }

    // MARK: Geometry

    static func point(of geometry: Geometry) throws -> Coordinate {
        if case .point(let p) = geometry { return Coordinate(x: p.x, y: p.y) }
        let context = GEOSContext()
        return try geometry.geosGeometry(in: context).pointOnSurface().pointCoordinate()
    }

    /// The union of polygons given as rings, as a Polygon or MultiPolygon in longitude/latitude
    /// on the grid of ``TownPartition/gridSize``.
    static func union(_ polygons: [[[Coordinate]]]) throws -> Geometry {
        let context = GEOSContext()
        let shapes = try polygons.map { rings in try GEOSGeometry.polygon(exterior: rings[0], holes: Array(rings.dropFirst()), context: context) }
        let merged = try GEOSGeometry.collection(shapes, context: context).unaryUnion(gridSize: TownPartition.gridSize)
        return try Geometry(merged)
    }

    static func microGridName(_ gridName: String, _ number: Int) -> String {
        let chinese = gridName.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
        return chinese ? "\(gridName)第\(chineseNumber(number))微网格" : "\(gridName) micro-grid \(number)"
    }

    /// 1 … 99 in Chinese numerals: 一, 十, 十一, 二十, 二十一.
    static func chineseNumber(_ n: Int) -> String {
        let digits = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        guard n >= 1, n <= 99 else { return String(n) }
        if n < 10 { return digits[n] }
        return (n / 10 == 1 ? "" : digits[n / 10]) + "十" + digits[n % 10]
    }
}

extension Geometry {
    /// Every position of the geometry, flattened.
    var allCoordinates: [Coordinate] {
        switch self {
        case .point(let p): [Coordinate(x: p.x, y: p.y)]
        case .multiPoint(let ps), .lineString(let ps): ps.map { Coordinate(x: $0.x, y: $0.y) }
        case .multiLineString(let lines), .polygon(let lines): lines.flatMap { $0.map { Coordinate(x: $0.x, y: $0.y) } }
        case .multiPolygon(let polygons): polygons.flatMap { $0.flatMap { $0.map { Coordinate(x: $0.x, y: $0.y) } } }
        case .geometryCollection(let parts): parts.flatMap(\.allCoordinates)
        }
    }

    /// The polygons of a Polygon or MultiPolygon, each as its rings.
    var polygonRings: [[[Coordinate]]] {
        switch self {
        case .polygon(let rings): [rings.map { $0.map { Coordinate(x: $0.x, y: $0.y) } }]
        case .multiPolygon(let polygons): polygons.map { $0.map { $0.map { Coordinate(x: $0.x, y: $0.y) } } }
        case .geometryCollection(let parts): parts.flatMap(\.polygonRings)
        default: []
        }
    }

    /// The lines that cut: a line's own positions, a polygon's rings.
    var lines: [[Coordinate]] {
        switch self {
        case .lineString(let ps): [ps.map { Coordinate(x: $0.x, y: $0.y) }]
        case .multiLineString(let lines), .polygon(let lines): lines.map { $0.map { Coordinate(x: $0.x, y: $0.y) } }
        case .multiPolygon(let polygons): polygons.flatMap { $0.map { $0.map { Coordinate(x: $0.x, y: $0.y) } } }
        case .geometryCollection(let parts): parts.flatMap(\.lines)
        default: []
        }
    }
}
