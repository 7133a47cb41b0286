import SeededRandom
import Foundation
import GEOS
import GeoJSON
import GridMapCore
import PROJ

/// The deterministic generator of GridMap's bundled reference town, Dacun (大村镇, Qingdao): a
/// synthetic town sized and shaped like the real one from public facts (about 213 km² near
/// 119.8°E 35.9°N, 20 administrative villages, 115 grids, 291 micro-grids, ~46% forest,
/// ~20,000 homes, ~56,000 residents). Nothing in it is a real person's data.
///
/// All randomness comes from ``SplitMix64`` streams derived from the seed; no clock, no system
/// randomness and no hash-ordered iteration reaches the output, so the same seed gives the same
/// `TownData` and, through `TownFolder.write`, byte-identical files (given the same GEOS and
/// PROJ versions, which compute the geometry).
///
/// Work happens in the metric working CRS EPSG:4549 (CGCS2000 3° Gauss–Krüger, CM 120°E);
/// coordinates are transformed to WGS84 with PROJ at the end and rounded to 7 decimals, the
/// precision the files keep, so the data written is exactly the data generated.
public struct TownGenerator {
    public struct Configuration: Sendable, Hashable {
        public var seed: UInt64 = 20_240_601
        public var townCode = "DC"
        public var townName = "大村镇"
        public var latinName = "Dacun"
        public var workingCRS: CRSDefinition = "EPSG:4549"
        /// Where the town lies, WGS84.
        public var longitude = 119.8
        public var latitude = 35.9
        /// Town area in m² (in the working CRS).
        public var area = 213_000_000.0
        public var forestShare = 0.46
        public var villages = 20
        public var grids = 115
        public var microGrids = 291
        public var homes = 20_000
        public var residents = 56_000
        /// The year ages are counted from (birth years are `referenceYear - age`).
        public var referenceYear = 2024
        /// The town's outline in the working CRS (metres, counter-clockwise), instead of Dacun's
        /// oval around `longitude`/`latitude`: a district's towns share their edges this way.
        /// Its area should be `area`.
        public var outline: [Coordinate]?

        public init() {}
    }

    public static let version = "1.0.0"

    public let configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        precondition(configuration.grids * 2 <= configuration.microGrids && configuration.microGrids <= configuration.grids * 3,
                     "every grid has 2 or 3 provisional cells (Builder.tile)")
        self.configuration = configuration
    }

    /// Generates the town.
    /// The town carries its `generator` manifest member, so that it survives import and export
    /// like any town's (``Town/manifestMembers``), and `registerSince`: its register is the one of
    /// 1 January of the reference year, which the year of changes (``RegisterYear``) brings to
    /// its end, so the register's history begins that day (docs/LEDGERS.md).
    public func generate(log: ((String) -> Void)? = nil) throws -> TownData {
        let builder = try Builder(configuration: configuration, log: log)
        var data = try builder.build()
        data.town.manifestMembers = ["registerSince": .string(RegisterYear.since(configuration.referenceYear)),
                                     "generator": .object(generatorInfo)]
        return data
    }

    /// The manifest's `generator` member for this configuration.
    public var generatorInfo: JSONObject {
        [
            "name": "town-generator",
            "version": .string(Self.version),
            "seed": .number(JSONNumber(configuration.seed)),
            "synthetic": true,
            "note": "Synthetic reference town shaped like Dacun (大村镇, Qingdao) from public facts; names, homes and people are invented, no real person's data.",
        ]
    }

    /// Generates the town and writes it as a town folder, and its resident ledger (see
    /// ``ResidentLedger``) to `ledger` when given. The ledger is not part of the town folder: it
    /// is what `gridmap assign` reads, not what `gridmap import` reads.
    /// Writes the year of events (see ``EventYear``) to `events` when given, and the survey
    /// campaign (see ``SurveyCampaignFile``) to `survey` when given, and the year of register
    /// changes (see ``RegisterYear``) to `register` when given.
    public func write(to directory: URL, ledger: URL? = nil, events: URL? = nil, survey: URL? = nil, register: URL? = nil,
                      log: ((String) -> Void)? = nil) throws {
        let data = try generate(log: log)
        try TownFolder.write(data, to: directory, options: .init(coordinatePrecision: 7, generator: generatorInfo, replacesFullTown: true))
        if let ledger {
            try Data(self.ledger(of: data).csv.utf8).write(to: ledger, options: .atomic)
        }
        if let events {
            try Data(try self.events(of: data).text.utf8).write(to: events, options: .atomic)
        }
        if let survey {
            try Data(try SurveyCampaignFile(town: data, year: configuration.referenceYear, seed: configuration.seed,
                                            register: try self.register(of: data)).text.utf8)
                .write(to: survey, options: .atomic)
        }
        if let register {
            try Data(try self.register(of: data).text.utf8).write(to: register, options: .atomic)
        }
    }

    /// The year of register changes of a town this generator made, in its reference year.
    public func register(of town: TownData) throws -> RegisterYear {
        try RegisterYear(town: town, year: configuration.referenceYear, seed: configuration.seed)
    }

    /// The year of events of a town this generator made, in its reference year.
    public func events(of town: TownData) throws -> EventYear {
        try EventYear(town: town, year: configuration.referenceYear, seed: configuration.seed)
    }

    /// The resident ledger of a town this generator made.
    public func ledger(of town: TownData) -> ResidentLedger {
        ResidentLedger(town: town, seed: configuration.seed)
    }
}

struct GeneratorError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One generation: every intermediate result, step by step (see the extensions).
final class Builder {
    let config: TownGenerator.Configuration
    let geos = GEOSContext()
    /// The working CRS (easting, northing) → WGS84 (longitude, latitude): the direction the town is
    /// written in, so that its coordinates are PROJ's forward answers.
    let toWGS84: Projection
    let log: ((String) -> Void)?
    private var clock = ContinuousClock.now

    // Outline
    var centre = Point(x: 0, y: 0)
    var axisU = Point(x: 1, y: 0)
    var axisV = Point(x: 0, y: 1)
    var semiA = 0.0
    var semiB = 0.0
    var outline: [Point] = []
    var town: GEOSGeometry!
    var townPrepared: PreparedGeometry!
    var townInner: PreparedGeometry!
    var townInset: GEOSGeometry!

    // Terrain
    struct Hill {
        var name: String
        var centre: Point
        var semiU: Double
        var semiV: Double
        var rotation: Double
        var shape: [Double]
    }
    var hills: [Hill] = []
    var lake: GEOSGeometry!
    var river: [Point] = []
    var riverLine: GEOSGeometry!
    var forest: GEOSGeometry!
    var forestScale = 1.0

    // Grids (internal index g = order of drawing; numbers come later)
    var seeds: [Point] = []
    var isHillGrid: [Bool] = []
    var seat = 0
    var homeCount: [Int] = []
    var villageRadius: [Double] = []
    var clearingRadius: [Double] = []
    var clearings: [GEOSGeometry] = []
    var microCount: [Int] = []
    /// The provisional micro-grids: Voronoi cells around seeds near each village centre, which
    /// make the grids and place fields, tracks and homes; the micro-grids written are designed
    /// from the assembled town instead (Builder+Partition).
    var microSeeds: [[Point]] = []
    /// Metric provisional cell polygons per grid, per micro seed.
    var cells: [[GEOSGeometry]] = []
    /// WGS84 micro-grid rings (rounded, closed, counter-clockwise) per grid, per micro seed.
    var microRings: [[[Position]]] = []
    var microPrepared: [[PreparedGeometry]] = []
    var gridShapes: [Geometry] = []
    var townShape: Geometry!

    // Administrative villages (index v in final order) and numbering
    var villageOf: [Int] = []
    var villageGrids: [[Int]] = []
    var principal: [Int] = []
    var isPrincipal: [Bool] = []
    /// Grid number (1-based) of each internal grid, and micro-grid numbers per micro seed.
    var gridNumber: [Int] = []
    var microNumber: [[Int]] = []
    var gridOrder: [Int] = []
    var gridNames: [String] = []
    var gridPrefixes: [String] = []
    var villageNames: [String] = []

    // Land use, network, settlements
    struct Field {
        var grid: Int
        var micro: Int
        var polygon: GEOSGeometry
        var area: Double
    }
    var fields: [Field] = []
    struct Road {
        var points: [Point]
        var roadClass: String
        var name: String
        var ref: String?
    }
    var roads: [Road] = []
    struct Home {
        var grid: Int
        var point: Point
        var position: Position
        var row: Int
        var column: Int
        var number = 0
    }
    var homes: [Home] = []
    struct Facility {
        var kind: FeatureKind
        var grid: Int
        var name: String
        var geometry: Geometry
        var properties: JSONObject
    }
    var facilities: [Facility] = []
    var residents: [Resident] = []
    /// Per resident: grid, age, party member, for choosing team members.
    var residentInfo: [(grid: Int, age: Int, party: Bool)] = []
    var team: [TeamMember] = []

    init(configuration: TownGenerator.Configuration, log: ((String) -> Void)?) throws {
        config = configuration
        self.log = log
        toWGS84 = try Projection(from: configuration.workingCRS, to: .wgs84)
    }

    func step(_ text: String) {
        guard let log else { return }
        let now = ContinuousClock.now
        let elapsed = now - clock
        clock = now
        let ms = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        log("\(text) (\(ms) ms)")
    }

    func rng(_ stream: String) -> SplitMix64 { SplitMix64(seed: config.seed, stream: stream) }

    /// A point in the town's own frame: u along the long axis (in units of the semi-major
    /// axis), v across it (in units of the semi-minor axis).
    func local(_ u: Double, _ v: Double) -> Point { centre + axisU * (u * semiA) + axisV * (v * semiB) }

    func build() throws -> TownData {
        try makeOutline(); step("outline")
        try makeTerrain(); step("hills, lake, river")
        try placeGridSeeds(); step("grid seeds")
        try makeForest(); step("forest")
        try tile(); step("micro-grids and grids")
        try groupVillages(); step("administrative villages")
        nameEverything(); step("names")
        try makeFields(); step("fields")
        try makeRoads(); step("roads")
        try placeHomesAndFacilities(); step("homes and facilities")
        makeResidents(); step("residents")
        makeTeams(); step("teams")
        let data = try assemble(); step("assembled")
        let designed = try partitioned(data); step("micro-grids along roads and water")
        return designed
    }

    // MARK: WGS84 output

    /// Transforms metric points to WGS84 and rounds them to 7 decimals (what the files keep).
    func wgs84(_ points: [Point]) -> [Position] {
        var xs = points.map(\.x), ys = points.map(\.y)
        // The generator's own points are all in the town: a failure here is a bug, not bad data.
        let failed: [Int]
        do { failed = try toWGS84.transform(x: &xs, y: &ys) } catch { preconditionFailure("\(error)") }
        precondition(failed.isEmpty, "PROJ could not transform \(failed.count) points")
        return (0..<points.count).map { Position(x: Self.round7(xs[$0]), y: Self.round7(ys[$0])) }
    }

    static func round7(_ value: Double) -> Double { (value * 1e7).rounded(.toNearestOrAwayFromZero) / 1e7 }

    /// A ring without consecutive repeats, oriented as RFC 7946 wants; nil if it degenerates.
    static func oriented(_ ring: [Position], exterior: Bool) -> [Position]? {
        var clean: [Position] = []
        for position in ring where clean.last != position { clean.append(position) }
        if clean.first != clean.last, let first = clean.first { clean.append(first) }
        guard clean.count >= 4 else { return nil }
        let origin = clean[0]
        var area = 0.0
        for index in 0..<(clean.count - 1) {
            let a = clean[index], b = clean[index + 1]
            area += (a.x - origin.x) * (b.y - origin.y) - (b.x - origin.x) * (a.y - origin.y)
        }
        guard area != 0 else { return nil }
        return (area > 0) == exterior ? clean : clean.reversed()
    }

    /// A metric polygonal GEOS geometry as a rounded WGS84 GeoJSON Polygon or MultiPolygon.
    func wgs84Polygonal(_ geometry: GEOSGeometry) throws -> Geometry? {
        var polygons: [[[Position]]] = []
        for polygon in try geometry.polygons() {
            let rings = try polygon.rings()
            guard let shell = Self.oriented(wgs84(rings[0]), exterior: true) else { continue }
            var result = [shell]
            for hole in rings.dropFirst() {
                if let ring = Self.oriented(wgs84(hole), exterior: false) { result.append(ring) }
            }
            polygons.append(result)
        }
        switch polygons.count {
        case 0: return nil
        case 1: return .polygon(polygons[0])
        default: return .multiPolygon(polygons)
        }
    }

    /// A metric polyline as a rounded WGS84 LineString (repeated positions dropped).
    func wgs84Line(_ points: [Point]) -> Geometry? {
        var clean: [Position] = []
        for position in wgs84(points) where clean.last != position { clean.append(position) }
        return clean.count >= 2 ? .lineString(clean) : nil
    }

    func wgs84Point(_ point: Point) -> Geometry { .point(wgs84([point])[0]) }
}
