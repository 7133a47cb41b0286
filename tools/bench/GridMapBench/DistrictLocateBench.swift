import ByteOutput
import CSV
import Foundation
import GridMapApp
import GridMapCore

/// `gridmap-bench district-locate --district DIR --register FILE [--out FILE] [--name BENCH]`:
/// a streamed resident register (`town-generator register`, lon/lat columns) located in a
/// synthetic district's micro-grids (`town-generator district`) by the code `gridmap locate
/// --csv` runs — ``LocatePointsJob`` over a ``CSVTable`` read a block at a time, the ``Atlas``
/// rule (covers, smallest code), every row written back with `microgrid,grid` appended to
/// `--out` (default /dev/null: the formatting is timed, the disk is not).
///
/// A store holds one town today, so the district's atlas is built here from the town folders
/// directly: every town's micro-grids, grids and villages in one ``TownData`` (codes are unique
/// across the district: each town has its own prefix). The peer (locate_district_postgis.py)
/// reads the annotated CSV written for a sample and compares its answers row by row.
///
/// Timed: "district-locate-build" reads the folders and builds the atlas; the locate line
/// (`--name`, default "district-locate") streams the register through the job. Its
/// "peak_rss_mb" is the whole process's (the atlas and the streaming buffers).
enum DistrictLocateBench {
    static func run(_ arguments: [String]) throws {
        guard let district = try BenchOptions.string("--district", in: arguments) else { throw BenchError("--district DIR is needed") }
        guard let register = try BenchOptions.string("--register", in: arguments) else { throw BenchError("--register FILE is needed (- for standard input)") }
        let output = try BenchOptions.string("--out", in: arguments) ?? "/dev/null"
        let name = try BenchOptions.string("--name", in: arguments) ?? "district-locate"

        var atlas: Atlas?
        var towns = 0
        let buildSeconds = try Measure.seconds {
            let data = try districtData(URL(fileURLWithPath: district))
            towns = data.towns
            atlas = try Atlas(data.data)
        }
        guard let atlas else { throw BenchError("atlas not built") }
        Measure.report(bench: "district-locate-build", seconds: buildSeconds, items: atlas.microGrids.count,
                       answers: "not compared: reads the town folders, builds the indexes", extra: ["towns": "\(towns)"])

        let table = try CSVTable(path: register)
        let sink = try FileSink(path: output)
        var summary = LocatePointsJob.Summary()
        let (seconds, cpuSeconds) = try Measure.times {
            summary = try LocatePointsJob(atlas: atlas).run(table, PointCSVSettings(), to: sink) { _ in }
        }
        try sink.synchronize()
        Measure.report(bench: name, seconds: seconds, cpuSeconds: cpuSeconds, items: summary.rows, answers: Measure.reference,
                       extra: ["inside": "\(summary.inside)", "outside": "\(summary.outside)", "bad": "\(summary.bad)",
                               "micro_grids": "\(atlas.microGrids.count)", "towns": "\(towns)",
                               "threads": "\(ProcessInfo.processInfo.activeProcessorCount)", "rule": "covers, smallest code"])
    }

    /// The micro-grids, grids and villages of every town the district's `district.json` lists,
    /// as one town's data (the first town's CRS and code; the boundary is not used to locate).
    static func districtData(_ folder: URL) throws -> (data: TownData, towns: Int) {
        let manifest = folder.appendingPathComponent("district.json")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        guard let object = try JSONObjectText.decode(text), case .array(let entries)? = object["towns"] else {
            throw BenchError("\(manifest.path): not a district manifest (no \"towns\" array)")
        }
        var merged: TownData?
        for entry in entries {
            guard let name = entry.objectValue?["folder"]?.stringValue else { throw BenchError("\(manifest.path): a town without a \"folder\"") }
            let town = try TownFolder.read(from: folder.appendingPathComponent(name))
            if merged == nil {
                merged = TownData(town: town.town, villages: town.villages, grids: town.grids, microGrids: town.microGrids)
            } else {
                merged?.villages += town.villages
                merged?.grids += town.grids
                merged?.microGrids += town.microGrids
            }
        }
        guard let merged else { throw BenchError("\(manifest.path) lists no towns") }
        return (merged, entries.count)
    }
}
