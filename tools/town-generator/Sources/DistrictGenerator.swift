import Foundation
import GEOS
import GeoJSON
import GridMapCore
import SeededRandom

/// A synthetic district of towns of Dacun's kind, for data at scale (issue 14): `towns` towns,
/// each made by ``TownGenerator`` with Dacun's grids (115 grids, 291 micro-grids) on its own tile
/// of the district, with its own town code, grid-code prefix, name, seed, administrative division
/// code and size: residents drawn between 40,000 and 140,000 (a farm town to a street near the
/// city centre), 1.9 M in all for 23 towns (the Qingdao West Coast New Area's 23 towns and
/// streets), and Dacun's 2.8 residents a home. Everything is a pure function of the district's seed.
///
/// The tiles: a lattice of `columns` × rows cells of about Dacun's area in the working CRS
/// (EPSG:4549), whose inner nodes are moved at random and whose edges wander (each edge drawn
/// once, from its own stream, and used by both towns it divides), filled row by row from the
/// south-west. Neighbouring towns therefore share their boundary vertex for vertex: no gap, no
/// overlap, in metres and after the 7-decimal rounding of the files alike. The edges' straight
/// pieces are short (``maximumPieceLength``), so that what is straight in metres is straight in
/// the files' degrees too, to well below their rounding.
public struct DistrictGenerator {
    public struct Configuration: Sendable, Hashable {
        public var seed: UInt64 = 20_241_207
        public var towns = 23
        /// Tiles per row.
        public var columns = 6
        /// One tile's size in metres (about Dacun's 213 km²).
        public var tileWidth = 16_300.0
        public var tileHeight = 13_070.0
        /// The south-west corner of the lattice in the working CRS (EPSG:4549 easting, northing).
        public var origin = Coordinate(x: 431_000, y: 3_949_000)
        public var name = "合成新区"
        public var latinName = "Synthetic District"
        /// The residents of all the towns; nil: ``residentsPerTown`` for each town (1.9 M for 23).
        public var residents: Int?
        /// The residents one town may have.
        public var townResidents = 40_000...140_000
        /// The district's administrative division code (6 digits); its towns' are this and a
        /// 3-digit number from 101, in order (9 digits, as a town's or street's code). 370299 is
        /// under Qingdao (3702) and assigned to no real district.
        public var divisionCode = "370299"

        public init() {}

        /// The residents asked for in all.
        public var totalResidents: Int { residents ?? towns * DistrictGenerator.residentsPerTown }
    }

    /// The residents of an average town: the Qingdao West Coast New Area's 1.9 M over its 23 towns
    /// and streets.
    public static let residentsPerTown = 1_900_000 / 23

    /// Residents per home, Dacun's (56,000 in 20,000 homes).
    public static let residentsPerHome = 2.8

    /// One town of the district: its code, names, folder, division code and size.
    public struct TownEntry: Sendable, Hashable {
        public var code: String
        public var name: String
        public var latinName: String
        public var folder: String
        /// The district's division code and the town's 3-digit number from 101.
        public var divisionCode: String
        public var residents: Int
        public var homes: Int
    }

    /// Invented town names (none is a real town's data), with their distinct grid-code prefixes.
    static let names: [(name: String, latin: String, code: String)] = [
        ("东岭镇", "Dongling", "DL"), ("西河镇", "Xihe", "XH"), ("南山镇", "Nanshan", "NS"), ("北坡镇", "Beipo", "BP"),
        ("青石镇", "Qingshi", "QS"), ("白沙镇", "Baisha", "BS"), ("黄土镇", "Huangtu", "HT"), ("柳林镇", "Liulin", "LL"),
        ("松岗镇", "Songgang", "SG"), ("石桥镇", "Shiqiao", "SQ"), ("马店镇", "Madian", "MD"), ("高庄镇", "Gaozhuang", "GZ"),
        ("李家镇", "Lijia", "LJ"), ("王台镇", "Wangtai", "WT"), ("红山镇", "Hongshan", "HS"), ("金沟镇", "Jingou", "JG"),
        ("杨树镇", "Yangshu", "YS"), ("枣园镇", "Zaoyuan", "ZY"), ("平安镇", "Ping'an", "PA"), ("丰收镇", "Fengshou", "FS"),
        ("长乐镇", "Changle", "CL"), ("桃源镇", "Taoyuan", "TY"), ("凤鸣镇", "Fengming", "FM"),
    ]

    public static let maximumTowns = names.count

    public let configuration: Configuration

    public init(configuration: Configuration = Configuration()) throws {
        guard (1...Self.maximumTowns).contains(configuration.towns) else {
            throw GeneratorError("a district has 1 to \(Self.maximumTowns) towns, not \(configuration.towns)")
        }
        guard configuration.columns >= 1 else { throw GeneratorError("--columns must be at least 1") }
        let (towns, range, total) = (configuration.towns, configuration.townResidents, configuration.totalResidents)
        guard range.lowerBound >= 1, towns * range.lowerBound <= total, total <= towns * range.upperBound else {
            throw GeneratorError("\(towns) towns of \(range.lowerBound)–\(range.upperBound) residents cannot have \(total) residents in all")
        }
        guard configuration.divisionCode.count == 6, configuration.divisionCode.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw GeneratorError("a district's division code has 6 digits, not \"\(configuration.divisionCode)\"")
        }
        self.configuration = configuration
    }

    public var entries: [TownEntry] {
        let residents = townResidents()
        return (0..<configuration.towns).map { index in
            let (name, latin, code) = Self.names[index]
            let folder = String(format: "%02d-", index + 1) + latin.lowercased().filter { $0.isLetter }
            return TownEntry(code: code, name: name, latinName: latin, folder: folder,
                             divisionCode: configuration.divisionCode + String(101 + index), residents: residents[index],
                             homes: Int((Double(residents[index]) / Self.residentsPerHome).rounded()))
        }
    }

    /// Each town's residents: the smallest town's count each, and the rest shared by weights drawn
    /// as the square of a uniform number (many small towns, a few large ones), a town that would
    /// pass the largest count held at it and the rest shared again among the others.
    func townResidents() -> [Int] {
        let (towns, range) = (configuration.towns, configuration.townResidents)
        var rng = SplitMix64(seed: configuration.seed, stream: "town-residents")
        let weights = (0..<towns).map { _ in
            let u = rng.unit()
            return max(u * u, 1e-6)
        }
        var extra = Array(repeating: 0, count: towns)
        var open = Array(0..<towns)
        let room = range.upperBound - range.lowerBound
        var left = configuration.totalResidents - towns * range.lowerBound
        while !open.isEmpty {
            let shares = Builder.apportion(left, open.map { weights[$0] })
            let full = open.indices.filter { shares[$0] > room }
            guard !full.isEmpty else {
                for (index, town) in open.enumerated() { extra[town] = shares[index] }
                break
            }
            for index in full { extra[open[index]] = room }
            left -= full.count * room
            open = open.enumerated().filter { !full.contains($0.offset) }.map(\.element)
        }
        return extra.map { range.lowerBound + $0 }
    }

    /// Each town's generator configuration: its tile, code, names, seed, residents and homes.
    public func townConfigurations() -> [TownGenerator.Configuration] {
        let tiles = self.tiles()
        return entries.enumerated().map { index, entry in
            var town = TownGenerator.Configuration()
            var mixer = SplitMix64(seed: configuration.seed, stream: "town-\(entry.code)")
            town.seed = mixer.next() >> 1
            town.townCode = entry.code
            town.townName = entry.name
            town.latinName = entry.latinName
            town.outline = tiles[index]
            town.area = abs(Plane.signedArea(Plane.closed(tiles[index])))
            town.residents = entry.residents
            town.homes = entry.homes
            return town
        }
    }

    /// The longest straight piece of a tile's edge, in metres. A line straight in metres is not
    /// straight in degrees: on the district's pieces of up to 2.2 km the straight line in degrees
    /// between a piece's ends strays up to 7.3 × 10⁻⁷° (about 7 cm) from the piece, so a vertex one
    /// town puts on the piece (where a grid meets it, computed in metres) lay that far from its
    /// neighbour's boundary, beyond ``sharedEdgeTolerance``, and left a gap or an overlap (a
    /// 10 m² sliver between BP and NS). The stray grows with the square of the length: under
    /// 200 m it stays below 6 × 10⁻⁹° (under 1 mm), far below the files' 10⁻⁷° rounding.
    public static let maximumPieceLength = 200.0

    /// The tiles of the first `towns` cells, counter-clockwise rings (not closed) in metres.
    public func tiles() -> [[Coordinate]] {
        let c = configuration
        let rows = (c.towns + c.columns - 1) / c.columns
        let (w, h) = (c.tileWidth, c.tileHeight)
        // Lattice nodes: inner ones moved up to 15% of a tile; those on the lattice's border only
        // along it, so the district's outline stays a (possibly notched) rectangle.
        func node(_ i: Int, _ j: Int) -> Point {
            var rng = SplitMix64(seed: c.seed, stream: "node-\(i)-\(j)")
            let (dx, dy) = (rng.uniform(-0.15, 0.15) * w, rng.uniform(-0.15, 0.15) * h)
            let onX = i == 0 || i == c.columns, onY = j == 0 || j == rows
            return Point(x: c.origin.x + Double(i) * w + (onX ? 0 : dx), y: c.origin.y + Double(j) * h + (onY ? 0 : dy))
        }
        // An edge between two nodes, from the first to the second, bending sideways by up to 4% of
        // its length at 9 inner points (whole metres); straight on the lattice's border. Each of its
        // 10 pieces gets evenly spaced vertices at most ``maximumPieceLength`` apart, on it.
        func edge(from a: (Int, Int), to b: (Int, Int)) -> [Point] {
            let (p, q) = (node(a.0, a.1), node(b.0, b.1))
            let forward = (a.0, a.1) < (b.0, b.1)
            let (start, end) = forward ? (p, q) : (q, p)
            let (lo, hi) = forward ? (a, b) : (b, a)
            let border = (lo.0 == hi.0 && (lo.0 == 0 || lo.0 == c.columns)) || (lo.1 == hi.1 && (lo.1 == 0 || lo.1 == rows))
            var rng = SplitMix64(seed: c.seed, stream: "edge-\(lo.0)-\(lo.1)-\(hi.0)-\(hi.1)")
            let along = end - start
            let side = Point(x: -along.y, y: along.x) * (1 / max(along.length, 1))
            var bends = [start]
            for k in 1...9 {
                let t = Double(k) / 10
                let offset = border ? 0 : rng.uniform(-0.04, 0.04) * along.length * sin(.pi * t)
                let point = start + along * t + side * offset
                bends.append(Point(x: point.x.rounded(), y: point.y.rounded()))
            }
            bends.append(end)
            var points = [start]
            for (from, to) in zip(bends, bends.dropFirst()) {
                let parts = max(1, Int((from.distance(to: to) / Self.maximumPieceLength).rounded(.up)))
                for k in 1..<parts { points.append(from + (to - from) * (Double(k) / Double(parts))) }
                points.append(to)
            }
            return forward ? points : points.reversed()
        }
        return (0..<c.towns).map { index in
            let (i, j) = (index % c.columns, index / c.columns)
            let south = edge(from: (i, j), to: (i + 1, j))
            let east = edge(from: (i + 1, j), to: (i + 1, j + 1))
            let north = edge(from: (i + 1, j + 1), to: (i, j + 1))
            let west = edge(from: (i, j + 1), to: (i, j))
            return Array(south.dropLast()) + Array(east.dropLast()) + Array(north.dropLast()) + Array(west.dropLast())
        }
    }

    /// Generates every town into its folder under `directory` and writes `district.json`.
    /// `log` hears each town's time.
    ///
    /// Two passes: each town is generated and written, keeping only its boundary; then each town
    /// whose neighbours put vertices on their shared edge (where their grids, roads or water meet
    /// it, rounded to the files' 10⁻⁷° and so up to about 1 cm off the straight edge) is read back
    /// and gets those vertices too (GEOS snap within ``sharedEdgeTolerance``, in its boundary,
    /// grids and micro-grids alike; villages are written as the unions of their grids), so that neighbours have the same vertices along
    /// their edge and tile exactly; it is validated again and rewritten.
    public func write(to directory: URL, log: ((String) -> Void)? = nil) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var towns: [JSONValue] = []
        var boundaries: [Geometry] = []
        let clock = ContinuousClock()
        let configurations = townConfigurations()
        for (entry, configuration) in zip(entries, configurations) {
            let start = clock.now
            let generator = TownGenerator(configuration: configuration)
            var data = try generator.generate()
            data.town.manifestMembers["divisionCode"] = .string(entry.divisionCode)
            try TownFolder.write(data, to: directory.appendingPathComponent(entry.folder),
                                 options: .init(coordinatePrecision: 7, generator: generator.generatorInfo, replacesFullTown: true))
            boundaries.append(data.town.boundary)
            let homes = data.features.count { $0.kind == .home }
            towns.append(.object([
                "code": .string(entry.code), "divisionCode": .string(entry.divisionCode),
                "name": .string(entry.name), "latinName": .string(entry.latinName), "folder": .string(entry.folder), "seed": .number(JSONNumber(configuration.seed)),
                "grids": .number(JSONNumber(data.grids.count)), "microgrids": .number(JSONNumber(data.microGrids.count)),
                "homes": .number(JSONNumber(homes)), "residents": .number(JSONNumber(data.residents.count)),
            ]))
            log?("\(entry.folder): \(data.microGrids.count) micro-grids, \(homes) homes, \(data.residents.count) residents in \(clock.now - start)")
        }
        // In order, each town against its neighbours as shared so far: where a town's partition
        // moved a vertex of its edge a few centimetres (``NearMisses`` merging it into a vertex
        // beside it), the first town of the two snaps to the other's and the second then finds
        // it in place, instead of each snapping to the other's and the two swapping places.
        for (index, entry) in entries.enumerated() {
            let start = clock.now
            let (changed, boundary) = try shareEdges(of: directory.appendingPathComponent(entry.folder), boundaries: boundaries,
                                                     index: index, generator: TownGenerator(configuration: configurations[index]))
            boundaries[index] = boundary
            log?("\(entry.folder): \(changed) vertices of its neighbours put on its edges in \(clock.now - start)")
        }
        let manifest: JSONObject = [
            "format": "gridmap-district", "formatVersion": 1, "divisionCode": .string(configuration.divisionCode),
            "name": .string(configuration.name), "latinName": .string(configuration.latinName),
            "workingCRS": "EPSG:4549", "crs": "OGC:CRS84",
            "towns": .array(towns),
            "generator": .object([
                "name": "town-generator district", "version": .string(TownGenerator.version),
                "seed": .number(JSONNumber(configuration.seed)), "synthetic": true,
                "note": "Synthetic district of towns of Dacun's kind; names, division codes, homes and people are invented, no real person's data.",
            ]),
        ]
        guard let text = try JSONObjectText.encode(manifest) else { throw GeneratorError("the district manifest could not be written") }
        try Data((text + "\n").utf8).write(to: directory.appendingPathComponent("district.json"), options: .atomic)
    }

    /// How far from a town's edge a neighbour's vertex may lie and still be put on it: the
    /// rounding to 10⁻⁷° (about 1 cm) with room to spare, far below the 0.5 m within which no
    /// micro-grid vertex lies near another's edge (``NearMisses`` in GridMapCore). Not a whole
    /// number of the 10⁻⁷° steps the vertices lie on: two vertices three steps apart (DL's and
    /// HT's, 2.7 cm) are within it, not on its edge, where GEOS neither moved the one onto the
    /// other nor put it on the edge beside it.
    public static let sharedEdgeTolerance = 3.5e-7

    /// Puts the vertices the other towns' `boundaries` have near the town's edge into the town in
    /// `folder`, validates it and writes it back; the number of vertices added (0: left as it is)
    /// and its boundary.
    private func shareEdges(of folder: URL, boundaries: [Geometry], index: Int, generator: TownGenerator) throws -> (added: Int, boundary: Geometry) {
        let context = GEOSContext()
        let own = try boundaries[index].geosGeometry(in: context)
        let box = try own.bounds
        var neighbours: [GEOSGeometry] = []
        for (other, boundary) in boundaries.enumerated() where other != index {
            let shape = try boundary.geosGeometry(in: context)
            guard let otherBox = try shape.bounds, let box, otherBox.intersects(box) else { continue }
            neighbours.append(shape)
        }
        guard !neighbours.isEmpty else { return (0, boundaries[index]) }
        let target = try GEOSGeometry.collection(neighbours, context: context)
        func snapped(_ geometry: Geometry) throws -> Geometry {
            try Geometry(try geometry.geosGeometry(in: context).snapped(to: target, tolerance: Self.sharedEdgeTolerance))
        }
        var data = try TownFolder.read(from: folder)
        let before = Set(data.town.boundary.allPositions)
        data.town.boundary = try snapped(data.town.boundary)
        let added = Set(data.town.boundary.allPositions).subtracting(before).count
        guard added > 0 else { return (0, boundaries[index]) }
        for i in data.grids.indices { data.grids[i].geometry = try snapped(data.grids[i].geometry) }
        for i in data.microGrids.indices { data.microGrids[i].geometry = try snapped(data.microGrids[i].geometry) }
        let coverage = try CoverageValidator().validate(data)
        guard coverage.problems.isEmpty else {
            throw GeneratorError("\(folder.lastPathComponent): sharing its neighbours' edge vertices broke its tiling:\n\(coverage.text())")
        }
        try TownFolder.write(data, to: folder, options: .init(coordinatePrecision: 7, generator: generator.generatorInfo, replacesFullTown: true))
        return (added, data.town.boundary)
    }
}

extension Geometry {
    /// Every position of a polygonal geometry's rings.
    var allPositions: [Position] {
        switch self {
        case .polygon(let rings): rings.flatMap { $0 }
        case .multiPolygon(let polygons): polygons.flatMap { $0.flatMap { $0 } }
        default: []
        }
    }
}
