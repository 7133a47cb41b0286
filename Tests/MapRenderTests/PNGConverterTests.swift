import Foundation
import Testing
@testable import MapRender

@Suite("PNG conversion")
struct PNGConverterTests {
    @Test("an SVG map becomes a PNG file when rsvg-convert is installed",
          .enabled(if: PNGConverter().isAvailable, "rsvg-convert (librsvg2-bin) is not installed"))
    func convertsToPNG() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("maprender-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = directory.appendingPathComponent("map.svg")
        let png = directory.appendingPathComponent("map.png")
        try Data(try MapRenderer(options: MapOptions(page: .a4Landscape)).render(Fixture.town()).svg.utf8).write(to: svg)
        let result = try PNGConverter().convert(svgFile: svg, to: png, dpi: 50)
        #expect(result == .written(png))
        let bytes = try Data(contentsOf: png)
        #expect(bytes.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }

    @Test("without rsvg-convert on the path, conversion is skipped with a message naming the package")
    func skipsWithoutConverter() throws {
        let converter = PNGConverter(searchPath: "/nonexistent-directory")
        #expect(!converter.isAvailable)
        let result = try converter.convert(svgFile: URL(fileURLWithPath: "/tmp/none.svg"), to: URL(fileURLWithPath: "/tmp/none.png"))
        guard case .skipped(let message) = result else {
            Issue.record("expected a skip, got \(result)")
            return
        }
        #expect(message.contains("librsvg2-bin"))
    }
}
