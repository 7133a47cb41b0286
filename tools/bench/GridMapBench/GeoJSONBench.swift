import Foundation
import GeoJSON

/// GeoJSON write and read throughput on N point features with three properties (id, name,
/// value) — the same data tools/bench/peers/geojson_geopandas.py gives GeoPandas.
///
/// Usage: gridmap-bench geojson-write --dir DIR [--count N]
///        gridmap-bench geojson-read  --dir DIR
///
/// Both use DIR/gridmap.geojson. The peer checks the answers: it reads GridMap's file and
/// compares every feature with its own frame (the write), and compares the count and the sum
/// of "value" it reads from its own file with those GridMap's read reports (the read).
enum GeoJSONBench {
    static let fileName = "gridmap.geojson"
    static let defaultCount = 1_000_000

    /// The i-th benchmark point: a lattice of points over Dacun's neighbourhood (≈119.5–120.2°E, 35.6–36.0°N).
    static func feature(_ index: Int) -> Feature {
        let longitude = 119.5 + Double(index % 1000) * 0.000_731
        let latitude = 35.6 + Double(index / 1000) * 0.000_417
        return Feature(
            geometry: .point(Position(x: longitude, y: latitude)),
            properties: [
                "id": .number(JSONNumber(index)),
                "name": .string("大村镇-\(index)"),
                "value": .number(JSONNumber(Double(index % 10_007) / 7)),
            ])
    }

    static func write(_ arguments: [String]) throws {
        let count = try BenchOptions.count("--count", in: arguments, default: defaultCount, least: 0)
        let path = try BenchOptions.directory(in: arguments).path(fileName)
        // Streaming: each feature is made and written in turn, so memory stays flat.
        let streamed = try Measure.seconds {
            let writer = GeoJSONWriter(sink: try FileSink(path: path))
            for index in 0..<count { try writer.write(feature(index)) }
            try writer.finish()
        }
        Measure.report(bench: "geojson-make-and-write", seconds: streamed, items: count, answers: Measure.reference)
        // Like GeoPandas' to_file, which writes a frame built before its clock starts.
        let features = (0..<count).map(feature)
        let written = try Measure.seconds {
            let writer = GeoJSONWriter(sink: try FileSink(path: path))
            for feature in features { try writer.write(feature) }
            try writer.finish()
        }
        Measure.report(bench: "geojson-write", seconds: written, items: count, answers: Measure.reference)
    }

    static func read(_ arguments: [String]) throws {
        let path = try BenchOptions.directory(in: arguments).path(fileName)
        var count = 0
        var valueSum = 0.0
        let seconds = try Measure.seconds {
            let reader = try FeatureReader(path: path)
            while let result = reader.next() {
                let feature = try result.get()
                count += 1
                valueSum += feature.properties?["value"]?.doubleValue ?? 0
            }
        }
        Measure.report(bench: "geojson-read", seconds: seconds, items: count, answers: Measure.reference,
                       extra: ["value_sum": String(format: "%.3f", valueSum)])
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
