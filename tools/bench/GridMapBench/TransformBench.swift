import Foundation
import PROJ

/// `gridmap-bench transform --dir DIR [--count N]`: N lon/lat points around Dacun, EPSG:4326 →
/// EPSG:4549, through the batch path on one core ("transform-1core") and through the parallel
/// path ("transform-parallel"). Peer: tools/bench/peers/transform_pyproj.py, which transforms the
/// same points and compares its eastings and northings with these.
///
/// Files in DIR (raw little-endian float64, one value per point): transform-lon.f64,
/// transform-lat.f64 (the input), transform-x.f64, transform-y.f64 (GridMap's answers).
///
/// Timed: everything from the input arrays to the transformed arrays (the working copy, the
/// `proj_trans_generic` call(s), the failure scan, and for the parallel path the per-thread
/// contexts and `proj_clone`s). Not timed: creating the CRSs and the transformer, generating the
/// points, and one small warm-up batch (as on the pyproj side).
///
/// Each line names the PROJ release ("proj"): both sides end in `proj_trans_generic`, so the
/// PROJ version (system 9.1.1 here; pyproj wheels bundle their own, newer one) decides most of
/// the single-core ratio.
enum TransformBench {
    static func run(_ arguments: [String]) throws {
        let folder = try BenchOptions.directory(in: arguments)
        let count = try BenchOptions.count("--count", in: arguments, default: 1_000_000, least: 1)
        let (lon, lat) = pointsAroundDacun(count: count)
        let transformer = try Transformer(from: .wgs84, to: "EPSG:4549")
        var warmX = Array(lon.prefix(1_000)), warmY = Array(lat.prefix(1_000))
        transformer.transform(x: &warmX, y: &warmY)

        var sequentialX: [Double] = [], sequentialY: [Double] = []
        var sequentialFailures: [Int] = []
        let sequentialSeconds = Measure.seconds {
            sequentialX = lon
            sequentialY = lat
            sequentialFailures = transformer.transform(x: &sequentialX, y: &sequentialY)
        }
        let proj = PROJLibrary.version
        Measure.report(bench: "transform-1core", seconds: sequentialSeconds, items: count, answers: Measure.reference,
                       extra: ["proj": proj])

        var parallelX: [Double] = [], parallelY: [Double] = []
        var parallelFailures: [Int] = []
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let parallelSeconds = try Measure.seconds {
            parallelX = lon
            parallelY = lat
            parallelFailures = try transformer.transformInParallel(x: &parallelX, y: &parallelY, threadCount: threads)
        }
        guard sequentialFailures.isEmpty, parallelFailures.isEmpty else { throw BenchError("some points failed to transform") }
        guard parallelX == sequentialX, parallelY == sequentialY else {
            throw BenchError("parallel and sequential results differ")
        }
        Measure.report(bench: "transform-parallel", seconds: parallelSeconds, items: count,
                       answers: "same as transform-1core, bit for bit", extra: ["proj": proj, "threads": "\(threads)"])
        try folder.writeRaw(lon, to: "transform-lon.f64")
        try folder.writeRaw(lat, to: "transform-lat.f64")
        try folder.writeRaw(sequentialX, to: "transform-x.f64")
        try folder.writeRaw(sequentialY, to: "transform-y.f64")
    }

    /// Deterministic pseudo-random points in 119.5–120.1°E, 35.6–36.2°N (SplitMix64).
    private static func pointsAroundDacun(count: Int) -> (lon: [Double], lat: [Double]) {
        var state: UInt64 = 20_240_601
        func unit() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        var lon = [Double](), lat = [Double]()
        lon.reserveCapacity(count)
        lat.reserveCapacity(count)
        for _ in 0..<count {
            lon.append(119.5 + 0.6 * unit())
            lat.append(35.6 + 0.6 * unit())
        }
        return (lon, lat)
    }
}
