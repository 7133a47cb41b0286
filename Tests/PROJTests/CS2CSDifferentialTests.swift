import Foundation
import Testing
@testable import PROJ

/// Compares our transformations with PROJ's own `cs2cs` on random points, when cs2cs is installed.
@Suite("Transformer agrees with cs2cs")
struct CS2CSDifferentialTests {
    static let cs2cs = URL(fileURLWithPath: "/usr/bin/cs2cs")
    static var cs2csIsInstalled: Bool { FileManager.default.isExecutableFile(atPath: cs2cs.path) }

    /// Runs `cs2cs -f %.6f source target` on "lat lon" lines (EPSG:4326 is latitude first) and
    /// returns its first two output columns per line, in cs2cs's (the target's) axis order.
    private func runCS2CS(source: String, target: String, lon: [Double], lat: [Double]) throws -> [(Double, Double)] {
        let process = Process()
        process.executableURL = Self.cs2cs
        process.arguments = ["-f", "%.6f", source, target]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let lines = zip(lat, lon).map { "\($0) \($1)\n" }.joined()
        input.fileHandleForWriting.write(Data(lines.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
            let columns = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) }
            return (columns[0], columns[1])
        }
    }

    @Test("random points to EPSG:4549 (northing-first for cs2cs) agree within 1e-5 m",
          .enabled(if: cs2csIsInstalled))
    func gaussKruger() throws {
        let (lon, lat) = pointsAroundDacun(count: 300, seed: 2024)
        let reference = try runCS2CS(source: "EPSG:4326", target: "EPSG:4549", lon: lon, lat: lat)
        try #require(reference.count == lon.count)
        var x = lon, y = lat
        #expect(try Transformer(from: "EPSG:4326", to: "EPSG:4549").transform(x: &x, y: &y).isEmpty)
        for index in x.indices {
            let (northing, easting) = reference[index]
            #expect(abs(x[index] - easting) < 1e-5 && abs(y[index] - northing) < 1e-5, "point \(lon[index]), \(lat[index])")
        }
    }

    @Test("random points to EPSG:32650 (easting-first) agree within 1e-5 m", .enabled(if: cs2csIsInstalled))
    func utm() throws {
        let (lon, lat) = pointsAroundDacun(count: 300, seed: 4242)
        let reference = try runCS2CS(source: "EPSG:4326", target: "EPSG:32650", lon: lon, lat: lat)
        try #require(reference.count == lon.count)
        let transformer = try Transformer(from: "EPSG:4326", to: "EPSG:32650")
        for index in lon.indices {
            let (easting, northing) = reference[index]
            let point = try transformer.forward(x: lon[index], y: lat[index])
            #expect(abs(point.x - easting) < 1e-5 && abs(point.y - northing) < 1e-5)
        }
    }
}
