import Foundation
import SeededRandom
import Testing

@Suite("gridmap check")
struct CheckCommandTests {
    static let goodPolygon = #"{"type":"Polygon","coordinates":[[[119.7,35.8],[119.8,35.8],[119.8,35.9],[119.7,35.9],[119.7,35.8]]]}"#
    static let bowTie = #"{"type":"Polygon","coordinates":[[[119.7,35.8],[119.8,35.9],[119.8,35.8],[119.7,35.9],[119.7,35.8]]]}"#
    static let openRing = #"{"type":"Polygon","coordinates":[[[119.7,35.8],[119.8,35.8],[119.8,35.9],[119.7,35.9]]]}"#

    static func collection(_ geometries: [String]) -> String {
        let features = geometries.enumerated().map { index, geometry in
            #"{"type":"Feature","id":"f\#(index)","properties":{},"geometry":\#(geometry)}"#
        }
        return #"{"type":"FeatureCollection","features":[\#(features.joined(separator: ",\n"))]}"#
    }

    @Test("a clean file prints no problem and exits 0")
    func cleanFilePasses() throws {
        let result = try GridMapExecutable.run(["check", "-"], stdin: Self.collection([Self.goodPolygon]))
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("1 features checked, ok"))
    }

    @Test("what RFC 7946 says SHOULD not be is a warning line with the feature and leaves the exit status 0; a degenerate line is a problem")
    func shouldNotsAreWarnings() throws {
        let clockwise = #"{"type":"Polygon","coordinates":[[[119.7,35.8],[119.7,35.9],[119.8,35.9],[119.8,35.8],[119.7,35.8]]]}"#
        let fine = #"{"type":"Point","coordinates":[119.123456789,35.9]}"#
        let degenerate = #"{"type":"LineString","coordinates":[[119.7,35.8],[119.7,35.8]]}"#
        let result = try GridMapExecutable.run(["check", "-"], stdin: Self.collection([Self.goodPolygon, clockwise, fine, degenerate]))
        #expect(result.status == 1, "a degenerate line is invalid to GEOS: a problem, not a warning")
        #expect(result.stdout == """
            <stdin>: feature 1 (id "f1"): warning: geometry.coordinates[0]: the exterior ring runs against the right-hand rule (RFC 7946 §3.1.6: counter-clockwise); import writes it reversed
            <stdin>: feature 2 (id "f2"): warning: geometry.coordinates: 119.123456789 has 9 decimals, more than 7 (RFC 7946 §11.2: 6 are about 10 cm); import rounds to 7
            <stdin>: feature 3 (id "f3"): invalid geometry: Too few points in geometry component at (119.7000000, 35.8000000)

            """, "\(result.stdout)")
        #expect(result.stderr.contains("4 features checked, 1 problem, 2 warnings"))
        #expect(try GridMapExecutable.run(["check", "-"], stdin: Self.collection([clockwise, fine])).status == 0)
    }

    @Test("standard input redirected from a file is read in place, and from where the file's offset stands")
    func standardInputFromFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-stdin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = Self.collection([Self.goodPolygon])
        /// `gridmap check -` under `sh -c script` with standard input from `text` in a file.
        func check(_ text: String, _ script: String) throws -> (status: Int32, stderr: String) {
            let file = folder.appendingPathComponent("input.geojson")
            try Data(text.utf8).write(to: file)
            let process = Process(), errors = Pipe()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script, GridMapExecutable.url.path]
            process.standardInput = try FileHandle(forReadingFrom: file)
            process.standardError = errors
            try process.run()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, stderr)
        }
        let whole = try check(document, #"exec "$0" check -"#)
        #expect(whole.status == 0 && whole.stderr.contains("1 features checked, ok"), "\(whole.stderr)")
        // The shell's `read` leaves the offset after the first line: gridmap reads from there.
        let rest = try check("not GeoJSON\n" + document, #"read -r skipped; exec "$0" check -"#)
        #expect(rest.status == 0 && rest.stderr.contains("1 features checked, ok"), "\(rest.stderr)")
    }

    @Test("the bundled sample layers are clean")
    func bundledSamplesAreClean() throws {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../geodata/samples/dacun-sketch.geojson").standardized.path
        let result = try GridMapExecutable.run(["check", sample])
        #expect(result.status == 0, "\(result.stdout)")
    }

    @Test("every bad feature is reported with its index and reason, and the good ones after it are still checked")
    func everyBadFeatureIsReported() throws {
        let input = Self.collection([Self.goodPolygon, Self.bowTie, Self.openRing, Self.goodPolygon, Self.bowTie])
        let result = try GridMapExecutable.run(["check", "-"], stdin: input)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("<stdin>: feature 1 (id \"f1\"): invalid geometry: Self-intersection at (119.7500000, 35.8500000)"))
        #expect(lines[1].hasPrefix("<stdin>: feature 2"))
        #expect(lines[1].contains("not closed") || lines[1].contains("close"))
        #expect(lines[2].hasPrefix("<stdin>: feature 4 (id \"f4\"): invalid geometry: Self-intersection"))
        #expect(result.stderr.contains("5 features checked, 3 problems"))
    }

    @Test("a syntax error is reported with its line and column")
    func syntaxErrorHasLineAndColumn() throws {
        let result = try GridMapExecutable.run(["check", "-"], stdin: "{\"type\": \"FeatureCollection\",\n \"features\": [ oops ]}")
        #expect(result.status == 1)
        #expect(result.stdout.contains("line 2, column"))
    }

    @Test("a missing file is a clear problem, and the other files are still checked")
    func missingFileIsReported() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.geojson")
        try Self.collection([Self.goodPolygon]).write(to: good, atomically: true, encoding: .utf8)
        let result = try GridMapExecutable.run(["check", dir.appendingPathComponent("absent.geojson").path, good.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("absent.geojson"))
        #expect(result.stderr.contains("good.geojson: 1 features checked, ok"))
    }

    @Test("projected coordinates pass with --projected and fail the longitude range without it")
    func projectedCoordinates() throws {
        let metres = Self.collection([#"{"type":"Point","coordinates":[482000.0,3973000.0]}"#])
        #expect(try GridMapExecutable.run(["check", "-"], stdin: metres).status == 1)
        #expect(try GridMapExecutable.run(["check", "--projected", "-"], stdin: metres).status == 0)
    }

    @Test("mangled input never crashes the checker: it exits 0 or 1 every time")
    func mangledInputNeverCrashes() throws {
        let original = Array(Self.collection([Self.goodPolygon, Self.bowTie, #"{"type":"Point","coordinates":[119.8,35.9]}"#]).utf8)
        var random = SplitMix64(seed: 20261129)
        let alphabet = Array(#"{}[],:"0123456789.-eE tnulrfa\"#.utf8) + [0xE5, 0xFF, 0x00]
        for _ in 0..<40 {
            var bytes = original
            for _ in 0..<Int(random.next() % 6 + 1) {
                let at = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes[at] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: at)
                }
            }
            let result = try GridMapExecutable.run(["check", "-"], stdin: String(decoding: bytes, as: UTF8.self))
            #expect(result.status == 0 || result.status == 1, "input: \(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test("check --help explains the output format with examples")
    func helpHasExamples() throws {
        let result = try GridMapExecutable.run(["check", "--help"])
        #expect(result.stdout.contains("FILE: feature N"))
        #expect(result.stdout.contains("Examples:"))
    }
}
