import Foundation
import GridMapApp

/// Writing a drawing: the SVG (folders made as needed, replaced whole), then a PNG beside it when
/// rsvg-convert is installed, each told on standard error.
enum Drawing {
    static func write(_ svg: String, to out: String, command: String, detail: String = "", dpi: Int = 150) throws {
        let file = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(to: file) { target in try Data(svg.utf8).write(to: target) }
        StandardError.write("gridmap \(command): \(out)\(detail)")
        switch try TownMap.writePNG(ofSVG: file, dpi: dpi) {
        case .written(let png): StandardError.write("gridmap \(command): \(png.path)")
        case .skipped(let reason): StandardError.write("gridmap \(command): no PNG: \(reason)")
        }
    }
}
