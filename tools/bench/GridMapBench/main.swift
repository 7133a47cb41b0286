// gridmap-bench: GridMap's side of tools/bench. Each benchmark prints one JSON object per line
// ({"bench": ..., "seconds": ..., "items": ..., "peak_rss_mb": ..., "answers": ...}) for
// tools/bench/run to compare, and writes its inputs and answers into the folder given by --dir,
// where the peers read them and check their own answers against GridMap's.
import Foundation

let benchmarks: [String: ([String]) throws -> Void] = [
    "transform": TransformBench.run,        // TransformBench.swift
    "geojson-write": GeoJSONBench.write,    // GeoJSONBench.swift
    "geojson-read": GeoJSONBench.read,      // GeoJSONBench.swift
    "locate": LocateBench.locate, "nearest": LocateBench.nearest,  // LocateBench.swift
    "tour": TourBench.run,                  // TourBench.swift
    "tour-scale": TourScaleBench.run,       // TourScaleBench.swift
    "roads": RoadsBench.run,                // RoadsBench.swift
    "roads-nearest": NearestRoadBench.run,  // NearestRoadBench.swift
    "split": SplitBench.run,                // SplitBench.swift
    "events": EventsBench.run,              // EventsBench.swift
    "district-locate": DistrictLocateBench.run,  // DistrictLocateBench.swift
    "register-asof": RegisterAsOfBench.run,  // RegisterAsOfBench.swift
]

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, let bench = benchmarks[name] else {
    let names = benchmarks.keys.sorted().joined(separator: "|")
    FileHandle.standardError.write(Data("usage: gridmap-bench \(names) [options]\n".utf8))
    exit(2)
}
do {
    try bench(Array(arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("gridmap-bench \(name): \(error)\n".utf8))
    exit(1)
}
