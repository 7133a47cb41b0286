// gridmap-bench: GridMap's side of tools/bench. Each benchmark prints one JSON object per line
// ({"bench": ..., "seconds": ..., "items": ..., "peak_rss_mb": ...}) for tools/bench/run to compare.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first else {
    FileHandle.standardError.write(Data("usage: gridmap-bench transform|geojson-write|geojson-read [N] ...\n".utf8))
    exit(2)
}
switch name {
default:
    FileHandle.standardError.write(Data("gridmap-bench: unknown benchmark \(name)\n".utf8))
    exit(2)
}
