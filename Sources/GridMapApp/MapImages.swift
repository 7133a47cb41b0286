import Foundation
import MapRender

/// A drawing (a map, a chart) as PNG bytes, for a shell that answers with the image rather than
/// writing files: the SVG goes through the same converter as `gridmap map` (rsvg-convert), in a
/// private temporary folder removed afterwards.
public enum MapImages {
    /// `svg` rendered at `dpi`; refused when no converter is installed (the SVG is there instead).
    public static func png(ofSVG svg: String, dpi: Int) throws(JobError) -> Data {
        guard (36...600).contains(dpi) else { throw .invalidRequest("dpi must be 36 to 600, not \(dpi).") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-png-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("map.svg")
        try asJobError(.failed, "writing the SVG to convert") {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            try Data(svg.utf8).write(to: file)
        }
        switch try asJobError(.failed, "converting the SVG to PNG", { try PNGConverter().convert(svgFile: file, to: folder.appendingPathComponent("map.png"), dpi: dpi) }) {
        case .written(let png): return try asJobError(.failed, "reading the PNG") { try Data(contentsOf: png) }
        case .skipped(let reason): throw .failed(MapImageUnavailable(reason: reason))
        }
    }

    struct MapImageUnavailable: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }
}
