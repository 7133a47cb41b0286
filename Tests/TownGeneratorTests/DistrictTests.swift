import ByteOutput
import Foundation
import GEOS
import GeoJSON
import GridMapCore
import PROJ
import Testing
import TownGenerator

@Suite("Town generator: a synthetic district and its resident register")
struct DistrictTests {
    @Test("the 23 towns' tiles are valid, about Dacun's size, and meet without gap or overlap")
    func tilesTile() throws {
        let generator = try DistrictGenerator()
        let context = GEOSContext()
        let tiles = try generator.tiles().map { try GEOSGeometry.polygon(exterior: $0 + [$0[0]], holes: [], context: context) }
        #expect(tiles.count == 23)
        var sum = 0.0
        for (index, tile) in tiles.enumerated() {
            #expect(try tile.isValid, "tile \(index) is valid")
            let area = try tile.area()
            #expect((150e6...280e6).contains(area), "tile \(index): \(area / 1e6) km²")
            sum += area
            for other in tiles[(index + 1)...] {
                #expect(try tile.intersection(other).area() < 1e-3, "tile \(index) overlaps another")
            }
        }
        let union = try GEOSGeometry.collection(tiles, context: context).unaryUnion()
        #expect(union.type == .polygon, "the district is one piece")
        #expect(try union.interiorRings().isEmpty, "no gap between the towns")
        #expect(abs(try union.area() - sum) < 1, "the union's area is the sum of the towns'")
    }

    @Test("a point a town puts on its tile's edge lies on its neighbour's edge to the files' rounding: the edges are straight in degrees as in metres")
    func tileEdgesStraightInDegrees() throws {
        // Where a grid meets its tile's edge the town computes the point in metres, and its
        // neighbour's boundary runs straight in degrees between the edge's vertices; edge sharing
        // puts the one on the other only within `sharedEdgeTolerance` (3.5 × 10⁻⁷°). Pieces of
        // 2.2 km strayed 7.3 × 10⁻⁷° and left a 10 m² sliver between BP and NS.
        let projection = try Projection(workingCRS: "EPSG:4549")
        func degrees(_ points: [Coordinate]) throws -> [Position] {
            try projection.transform(points.map { Position(x: $0.x, y: $0.y) }, direction: .inverse)
                .map { Position(x: ($0.x * 1e7).rounded() / 1e7, y: ($0.y * 1e7).rounded() / 1e7) }
        }
        var farthest = 0.0
        for tile in try DistrictGenerator().tiles() {
            let ring = tile + [tile[0]]
            let vertices = try degrees(ring)
            for index in 0..<(ring.count - 1) {
                let (a, b) = (ring[index], ring[index + 1])
                #expect(hypot(b.x - a.x, b.y - a.y) <= DistrictGenerator.maximumPieceLength + 1e-6)
                let inner = try degrees([0.25, 0.5, 0.75].map { t in Coordinate(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t) })
                let (p, q) = (vertices[index], vertices[index + 1])
                let length = hypot(q.x - p.x, q.y - p.y)
                for point in inner {
                    farthest = max(farthest, abs((q.x - p.x) * (point.y - p.y) - (q.y - p.y) * (point.x - p.x)) / length)
                }
            }
        }
        // The rounding moves each point by up to 0.71 × 10⁻⁷°: the point and the chord's ends.
        #expect(farthest < DistrictGenerator.sharedEdgeTolerance / 2, "a point on a tile's edge lies \(farthest)° from the straight line in degrees")
    }

    @Test("towns have distinct codes, names, folders and seeds, and the same seed gives the same district")
    func townsDistinct() throws {
        let generator = try DistrictGenerator()
        let entries = generator.entries
        #expect(Set(entries.map(\.code)).count == 23)
        #expect(Set(entries.map(\.name)).count == 23)
        #expect(Set(entries.map(\.folder)).count == 23)
        #expect(entries.allSatisfy { GridCode(town: $0.code, grid: 1) != nil })
        let configurations = generator.townConfigurations()
        #expect(Set(configurations.map(\.seed)).count == 23)
        #expect(try DistrictGenerator().townConfigurations() == configurations)
        var other = DistrictGenerator.Configuration()
        other.seed += 1
        #expect(try DistrictGenerator(configuration: other).tiles() != generator.tiles())
        var tooMany = DistrictGenerator.Configuration()
        tooMany.towns = 24
        #expect(throws: (any Error).self) { try DistrictGenerator(configuration: tooMany) }
    }

    @Test("the towns' residents lie within 40,000–140,000, add up to the district's 1.9 M, with 2.8 a home, the same for the same seed")
    func townSizes() throws {
        let entries = try DistrictGenerator().entries
        #expect(entries.reduce(0) { $0 + $1.residents } == 23 * DistrictGenerator.residentsPerTown)
        #expect((1_890_000...1_910_000).contains(entries.reduce(0) { $0 + $1.residents }))
        #expect(entries.allSatisfy { (40_000...140_000).contains($0.residents) })
        #expect(entries.allSatisfy { $0.homes == Int((Double($0.residents) / 2.8).rounded()) })
        #expect(Set(entries.map(\.residents)).count > 15, "the towns differ in size")
        #expect(try DistrictGenerator().entries == entries)
        let configurations = try DistrictGenerator().townConfigurations()
        #expect(configurations.map(\.residents) == entries.map(\.residents) && configurations.map(\.homes) == entries.map(\.homes))
        var other = DistrictGenerator.Configuration()
        other.seed += 1
        let reseeded = try DistrictGenerator(configuration: other).entries.map(\.residents)
        #expect(reseeded != entries.map(\.residents) && reseeded.reduce(0, +) == entries.reduce(0) { $0 + $1.residents })
        var asked = DistrictGenerator.Configuration()
        (asked.towns, asked.residents) = (5, 500_000)
        #expect(try DistrictGenerator(configuration: asked).entries.map(\.residents).reduce(0, +) == 500_000)
        asked.residents = 5 * 140_000 + 1
        #expect(throws: (any Error).self) { try DistrictGenerator(configuration: asked) }
        asked.residents = 5 * 40_000 - 1
        #expect(throws: (any Error).self) { try DistrictGenerator(configuration: asked) }
    }

    @Test("the district and its towns carry administrative division codes: 370299, then 370299101, 370299102, …")
    func divisionCodes() throws {
        let entries = try DistrictGenerator().entries
        #expect(entries.map(\.divisionCode) == (101...123).map { "370299\($0)" })
        var other = DistrictGenerator.Configuration()
        other.divisionCode = "3702"
        #expect(throws: (any Error).self) { try DistrictGenerator(configuration: other) }
    }

    @Test("two neighbouring towns written as a district share their boundary exactly: no gap, no overlap, in the files' coordinates")
    func neighboursShareTheirEdge() throws {
        var configuration = DistrictGenerator.Configuration()
        configuration.towns = 2
        let district = try DistrictGenerator(configuration: configuration)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-district-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try district.write(to: folder)
        let towns = try district.entries.map { try TownFolder.read(from: folder.appendingPathComponent($0.folder)) }
        #expect(try CoverageValidator().validate(towns[0]).isClean && CoverageValidator().validate(towns[1]).isClean)
        #expect(towns.map(\.town.code) == ["DL", "XH"])
        #expect(towns.allSatisfy { $0.microGrids.count == 291 && $0.microGrids.allSatisfy { $0.code.description.hasPrefix($0.code.town) } })
        // Each town has the residents and homes drawn for it, and its division code in its
        // manifest (kept through reading with the manifest's other members) and in district.json.
        #expect(towns.map(\.residents.count) == district.entries.map(\.residents))
        #expect(towns.map { $0.features.count { $0.kind == .home } } == district.entries.map(\.homes))
        #expect(towns.map { $0.town.manifestMembers["divisionCode"] } == [.string("370299101"), .string("370299102")])
        func object(_ file: URL) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        }
        for entry in district.entries {
            let manifest = try object(folder.appendingPathComponent(entry.folder).appendingPathComponent("manifest.json"))
            #expect(manifest["divisionCode"] as? String == entry.divisionCode)
        }
        let listing = try object(folder.appendingPathComponent("district.json"))
        #expect(listing["divisionCode"] as? String == "370299")
        let listed = try #require(listing["towns"] as? [[String: Any]])
        #expect(listed.map { $0["divisionCode"] as? String } == ["370299101", "370299102"])
        #expect(listed.map { $0["residents"] as? Int } == district.entries.map(\.residents))
        let context = GEOSContext()
        let projection = try Projection(workingCRS: "EPSG:4549")
        let shapes = try towns.map { try projection.transform($0.town.boundary).geosGeometry(in: context) }
        #expect(try shapes[0].intersection(shapes[1]).area() < 1e-3, "the towns overlap")
        let coverage = try DistrictCoverageValidator().validate(towns.map { .init(code: $0.town.code, boundary: $0.town.boundary) },
                                                                workingCRS: "EPSG:4549")
        #expect(coverage.problems.isEmpty, "the district's coverage check: \(coverage.text())")
        let union = try GEOSGeometry.collection(shapes, context: context).unaryUnion()
        #expect(union.type == .polygon, "the towns leave a gap")
        #expect(try union.interiorRings().isEmpty, "the towns leave a gap")
        let shared = try shapes[0].intersection(shapes[1]).length()
        #expect(shared > 10_000, "they share \(shared) m of boundary")
        for (town, tile) in zip(towns, district.tiles()) {
            let area = try projection.area(of: town.town.boundary, context: context)
            // The tile's vertices rounded to 7 decimals (≤ 1 cm) on pieces of at most 200 m.
            #expect(abs(area - abs(Self.signedArea(tile))) < 1e-5 * area, "\(town.town.code) keeps its tile's area")
        }
    }

    static func signedArea(_ ring: [Coordinate]) -> Double {
        var sum = 0.0
        for index in ring.indices {
            let (a, b) = (ring[index], ring[(index + 1) % ring.count])
            sum += a.x * b.y - b.x * a.y
        }
        return sum / 2
    }

    // MARK: The register

    /// Counts what is written, keeping only the largest write: a register of any size passes
    /// through it in blocks.
    final class CountingSink: ByteSink {
        var bytes = 0, writes = 0, largestWrite = 0
        var lines = 0
        func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
            self.bytes += bytes.count
            writes += 1
            largestWrite = max(largestWrite, bytes.count)
            lines += bytes.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        }
    }

    static let homes = [
        ResidentRegister.Home(town: "DL", id: "home-00001", longitude: 119.8005332, latitude: 35.9040539),
        ResidentRegister.Home(town: "XH", id: "home-00002", longitude: 120.0412345, latitude: 36.0123456),
    ]

    @Test("the register has residents.csv's columns plus town and position, each row within a few metres of its home, the same for the same seed")
    func registerRows() throws {
        let register = try ResidentRegister(homes: Self.homes, seed: 7)
        let (first, second) = (MemorySink(), MemorySink())
        try register.write(rows: 1_000, to: first)
        try register.write(rows: 1_000, to: second)
        #expect(first.bytes == second.bytes)
        let lines = first.string.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 1_002 && lines.last == "")
        #expect(lines[0] == "id,town,name,home,categories,phone,birthYear,lon,lat")
        let home = Dictionary(uniqueKeysWithValues: Self.homes.map { ($0.id, $0) })
        var towns: Set<String> = []
        for (number, line) in lines.dropFirst().dropLast().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == 9, "\(line)")
            #expect(fields[0] == "R" + String(format: "%09d", number + 1))
            let place = try #require(home[fields[3]])
            #expect(fields[1] == place.town)
            towns.insert(fields[1])
            #expect(!fields[2].isEmpty)
            #expect(fields[5].isEmpty || fields[5].range(of: #"^1[0-9]{2}\*{4}[0-9]{4}$"#, options: .regularExpression) != nil, "\(fields[5])")
            #expect((1928...2024).contains(Int(fields[6]) ?? 0))
            let (lon, lat) = (try #require(Double(fields[7])), try #require(Double(fields[8])))
            let dx = (lon - place.longitude) * 111_320 * cos(place.latitude * .pi / 180), dy = (lat - place.latitude) * 110_950
            #expect(abs(dx) <= ResidentRegister.jitter + 0.05 && abs(dy) <= ResidentRegister.jitter + 0.05, "\(line)")
            #expect(fields[7].split(separator: ".").last?.count == 7)
        }
        #expect(towns == ["DL", "XH"])
        let other = MemorySink()
        try ResidentRegister(homes: Self.homes, seed: 8).write(rows: 1_000, to: other)
        #expect(other.bytes != first.bytes)
    }

    @Test("the register streams: 300,000 rows reach the sink in blocks of at most 1 MiB")
    func registerStreams() throws {
        let sink = CountingSink()
        try ResidentRegister(homes: Self.homes).write(rows: 300_000, to: sink)
        #expect(sink.lines == 300_001)
        #expect(sink.writes > 10)
        #expect(sink.largestWrite <= 1 << 20)
    }

    @Test("a register needs homes")
    func registerNeedsHomes() {
        #expect(throws: (any Error).self) { try ResidentRegister(homes: []) }
    }
}
