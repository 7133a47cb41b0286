import ByteOutput
import Foundation
import GeoJSON
import GridMapCore
import SeededRandom

/// A province-size synthetic resident register (issue 14): any number of rows, streamed a block
/// at a time to a ``ByteSink`` and never held in memory, a pure function of the seed and the
/// homes it is drawn over.
///
/// Each row is a person at one of the given homes (a district's, or one town's): the columns of a
/// town folder's residents.csv (`id,name,home,categories,phone,birthYear`), with the town's code
/// after the id and the position the register gives at the end, `lon,lat` in WGS84 at 7 decimals
/// — the home's point moved by up to ``jitter`` metres each way, as registers geocoded from
/// addresses are. Names, categories and phones follow Dacun's shares roughly; no real person.
public struct ResidentRegister {
    /// A home the rows are drawn over.
    public struct Home: Sendable, Hashable {
        public var town: String
        public var id: String
        public var longitude: Double
        public var latitude: Double

        public init(town: String, id: String, longitude: Double, latitude: Double) {
            (self.town, self.id, self.longitude, self.latitude) = (town, id, longitude, latitude)
        }
    }

    public static let header = "id,town,name,home,categories,phone,birthYear,lon,lat\n"
    /// How far a row's position may lie from its home, each way, in metres.
    public static let jitter = 3.0

    public let homes: [Home]
    public let seed: UInt64

    public init(homes: [Home], seed: UInt64 = 20_241_207) throws {
        guard !homes.isEmpty else { throw GeneratorError("the register needs at least one home to draw its residents over") }
        self.homes = homes
        self.seed = seed
    }

    /// The homes of a district folder (its `district.json` lists the towns' folders) or of one
    /// town folder.
    public static func homes(in folder: URL) throws -> [Home] {
        let manifest = folder.appendingPathComponent("district.json")
        var towns: [URL] = []
        if FileManager.default.fileExists(atPath: manifest.path) {
            let text = try String(contentsOf: manifest, encoding: .utf8)
            guard let object = try JSONObjectText.decode(text), case .array(let entries)? = object["towns"] else {
                throw GeneratorError("\(manifest.path): not a district manifest (no \"towns\" array)")
            }
            for entry in entries {
                guard let name = entry.objectValue?["folder"]?.stringValue else {
                    throw GeneratorError("\(manifest.path): a town without a \"folder\"")
                }
                towns.append(folder.appendingPathComponent(name))
            }
        } else {
            towns = [folder]
        }
        var homes: [Home] = []
        for town in towns {
            let data = try TownFolder.read(from: town)
            for feature in data.features where feature.kind == .home {
                guard case .point(let p) = feature.geometry else { continue }
                homes.append(Home(town: data.town.code, id: feature.id, longitude: p.x, latitude: p.y))
            }
        }
        return homes
    }

    /// Writes the header and `rows` rows to `sink`, a block of rows at a time.
    public func write(rows: Int, to sink: any ByteSink) throws(OutputError) {
        var rng = SplitMix64(seed: seed, stream: "register")
        // Pools formatted once, so that a row costs copies of bytes and a few draws.
        var names: [[UInt8]] = []
        for _ in 0..<4096 {
            let birthYear = 2024 - rng.int(0...95)
            names.append(Array((Names.surname(&rng) + Names.givenName(male: rng.chance(0.5), birthYear: birthYear, &rng)).utf8))
        }
        let homeBytes = homes.map { (town: Array($0.town.utf8), id: Array($0.id.utf8)) }
        // Categories with about Dacun's shares (per 10,000 residents).
        let categories: [(bytes: [UInt8], share: UInt64)] = [
            ("party-member", 626), ("disabled", 506), ("low-income", 252), ("veteran", 163),
            ("elderly-living-alone", 118), ("left-behind-child", 99), ("disabled;party-member", 49),
            ("party-member;veteran", 26), ("low-income;party-member", 18),
        ].map { (Array($0.0.utf8), UInt64($0.1)) }
        let metresPerDegreeLatitude = 110_950.0
        let buffer = OutputBuffer(capacity: 1 << 20)
        buffer.append(utf8: Self.header)
        for row in 0..<rows {
            let home = Int(rng.next() % UInt64(homes.count))
            let place = homes[home]
            buffer.append(UInt8(ascii: "R"))
            buffer.append(digitsOf: UInt64(row + 1), width: 9)
            buffer.append(UInt8(ascii: ","))
            buffer.append(homeBytes[home].town)
            buffer.append(UInt8(ascii: ","))
            buffer.append(names[Int(rng.next() & 4095)])
            buffer.append(UInt8(ascii: ","))
            buffer.append(homeBytes[home].id)
            buffer.append(UInt8(ascii: ","))
            var draw = rng.next() % 10_000
            for category in categories {
                if draw < category.share {
                    buffer.append(category.bytes)
                    break
                }
                draw -= category.share
            }
            buffer.append(UInt8(ascii: ","))
            let phone = rng.next()
            if phone % 10 < 8 {
                buffer.append(UInt8(ascii: "1"))
                buffer.append(digitsOf: 30 + (phone >> 8) % 70, width: 2)
                buffer.append("****")
                buffer.append(digitsOf: (phone >> 16) % 10_000, width: 4)
            }
            buffer.append(UInt8(ascii: ","))
            buffer.append(digitsOf: UInt64(2024 - Int((phone >> 32) % 96)), width: 4)
            buffer.append(UInt8(ascii: ","))
            let metresPerDegreeLongitude = metresPerDegreeLatitude * cos(place.latitude * .pi / 180)
            let dx = rng.uniform(-Self.jitter, Self.jitter), dy = rng.uniform(-Self.jitter, Self.jitter)
            Self.appendDegrees(place.longitude + dx / metresPerDegreeLongitude, to: buffer)
            buffer.append(UInt8(ascii: ","))
            Self.appendDegrees(place.latitude + dy / metresPerDegreeLatitude, to: buffer)
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 20 - 512 { try buffer.flush(to: sink) }
        }
        try buffer.flush(to: sink)
    }

    /// A positive number of degrees at 7 decimals, by integer arithmetic (the files' precision).
    private static func appendDegrees(_ value: Double, to buffer: OutputBuffer) {
        let scaled = UInt64((value * 1e7).rounded())
        buffer.append(digitsOf: scaled / 10_000_000)
        buffer.append(UInt8(ascii: "."))
        buffer.append(digitsOf: scaled % 10_000_000, width: 7)
    }
}
