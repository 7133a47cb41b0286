import Foundation
import GEOS
import GeoJSON
import GridMapCore
import PROJ
import SeededRandom

/// `gridmap-bench locate|nearest [--count N]`: the atlas's point location and k-nearest on a
/// synthetic town, against Shapely 2 and GeoPandas (tools/bench/peers/locate_shapely.py).
///
/// The town: the Voronoi diagram (`GEOSVoronoiDiagram_r`) of 291 seeded sites in a 15 km square
/// near 119.8°E 35.9°N, clipped to the square, in WGS84 — Dacun's micro-grid count and size.
/// Query points: N seeded uniform points over the square grown by 2 % (a few fall outside).
/// Wells: 10,000 seeded uniform points in the square. Both sides read the same files, written
/// here: /tmp/gridmap-bench-microgrids.geojson, /tmp/gridmap-bench-points.csv,
/// /tmp/gridmap-bench-wells.csv (lon,lat; Swift's shortest round-trip decimals, so both sides
/// see the same doubles).
///
/// Timed: "locate-build" builds the atlas (all indexes); "locate" is `locateAll` on the N points
/// (all cores) and "locate-1core" the same one point at a time on one thread; "nearest" is
/// `nearestAll(.well, k: 1)` on the N points, including projecting them to EPSG:4549 (its
/// "project_seconds" is that projection alone, measured apart); "nearest-single" is
/// `nearest(.well)` one point at a time on one thread, for the first 20,000 points.
/// Not timed: making the town and the points, writing the files.
enum LocateBench {
    static let microGridsPath = "/tmp/gridmap-bench-microgrids.geojson"
    static let pointsPath = "/tmp/gridmap-bench-points.csv"
    static let wellsPath = "/tmp/gridmap-bench-wells.csv"
    static let side = 15_000.0
    static let origin = (longitude: 119.74, latitude: 35.83)
    /// Metres per degree near 35.9°N (WGS84), for laying the town out in metres.
    static let metresPerDegree = (longitude: 90_290.0, latitude: 110_950.0)

    static func locate(_ arguments: [String]) throws {
        let (data, longitudes, latitudes) = try prepare(arguments)
        var atlas: Atlas?
        let buildSeconds = try Measure.seconds { atlas = try Atlas(data) }
        guard let atlas else { throw BenchError("atlas not built") }
        Measure.report(bench: "locate-build", seconds: buildSeconds, items: data.microGrids.count)

        _ = atlas.locateAll(longitudes: Array(longitudes.prefix(10_000)), latitudes: Array(latitudes.prefix(10_000)))
        var found: [Int32] = []
        let seconds = Measure.seconds { found = atlas.locateAll(longitudes: longitudes, latitudes: latitudes) }
        let inside = found.count { $0 >= 0 }
        let threads = ProcessInfo.processInfo.activeProcessorCount
        Measure.report(bench: "locate", seconds: seconds, items: longitudes.count,
                       extra: ["inside": "\(inside)", "threads": "\(threads)"])

        var sequential = [Int32](repeating: -1, count: longitudes.count)
        let sequentialSeconds = Measure.seconds {
            for i in longitudes.indices {
                sequential[i] = Int32(atlas.microGridIndex(longitude: longitudes[i], latitude: latitudes[i]) ?? -1)
            }
        }
        Measure.report(bench: "locate-1core", seconds: sequentialSeconds, items: longitudes.count, extra: ["inside": "\(inside)"])
        guard sequential == found else { throw BenchError("parallel and sequential answers differ") }
    }

    static func nearest(_ arguments: [String]) throws {
        let (data, longitudes, latitudes) = try prepare(arguments)
        let atlas = try Atlas(data)
        _ = try atlas.nearestAll(.well, longitudes: Array(longitudes.prefix(10_000)), latitudes: Array(latitudes.prefix(10_000)))
        var table: NearestTable?
        let seconds = try Measure.seconds {
            table = try atlas.nearestAll(.well, longitudes: longitudes, latitudes: latitudes, k: 1)
        }
        let found = table?.features.count { $0 >= 0 } ?? 0
        // The share of the projection in "nearest": the same points, in parallel, through the
        // atlas's own projection (its transformers are made once, when the atlas is built).
        let threads = ProcessInfo.processInfo.activeProcessorCount
        var x = longitudes, y = latitudes
        let projectSeconds = try Measure.seconds { try atlas.projection.transform(x: &x, y: &y) }
        Measure.report(bench: "nearest", seconds: seconds, items: longitudes.count,
                       extra: ["wells": "\(data.features.count)", "found": "\(found)", "threads": "\(threads)",
                               "project_seconds": String(format: "%.3f", projectSeconds)])

        // Single queries, one after another on one thread: the pooled transformer's cost per call.
        let single = min(20_000, longitudes.count)
        var agree = 0
        let singleSeconds = try Measure.seconds {
            for i in 0..<single {
                let nearest = try atlas.nearest(.well, longitude: longitudes[i], latitude: latitudes[i])
                if nearest.first.map({ table?.ids[Int(table!.features[i])] == $0.id }) ?? false { agree += 1 }
            }
        }
        guard agree == single else { throw BenchError("single and batch nearest differ (\(single - agree) of \(single))") }
        Measure.report(bench: "nearest-single", seconds: singleSeconds, items: single)
    }

    /// The town (micro-grids and wells) and the query points; writes the shared files.
    private static func prepare(_ arguments: [String]) throws -> (TownData, [Double], [Double]) {
        let count = try pointCount(arguments)
        var random = SplitMix64(seed: 291)
        func position(_ x: Double, _ y: Double) -> Coordinate {
            Coordinate(x: origin.longitude + x / metresPerDegree.longitude, y: origin.latitude + y / metresPerDegree.latitude)
        }
        let context = GEOSContext()
        let sites = (0..<291).map { _ in
            position(Double.random(in: 0...side, using: &random), Double.random(in: 0...side, using: &random))
        }
        let square = try GEOS.Geometry.polygon(
            exterior: [position(0, 0), position(side, 0), position(side, side), position(0, side), position(0, 0)], context: context)
        let diagram = try GEOS.Geometry.multiPoint(sites, context: context).voronoiDiagram(envelope: square)
        var microGrids: [MicroGrid] = []
        for (number, cell) in try diagram.geometries().enumerated() {
            let clipped = try cell.intersection(square)
            guard try !clipped.isEmpty else { continue }
            let code = GridCode(town: "DC", grid: number / 3 + 1, microGrid: number % 3 + 1)!
            microGrids.append(MicroGrid(code: code, name: "\(code)", geometry: try GeoJSON.Geometry(clipped)))
        }
        let wells = (0..<10_000).map { index in
            let point = position(Double.random(in: 0...side, using: &random), Double.random(in: 0...side, using: &random))
            return MapFeature(id: "well-" + String(format: "%05d", index), kind: .well, name: "",
                              geometry: .point(Position(point)))
        }
        var longitudes: [Double] = [], latitudes: [Double] = []
        longitudes.reserveCapacity(count)
        latitudes.reserveCapacity(count)
        for _ in 0..<count {
            let point = position(Double.random(in: -0.02 * side...1.02 * side, using: &random),
                                 Double.random(in: -0.02 * side...1.02 * side, using: &random))
            longitudes.append(point.x)
            latitudes.append(point.y)
        }
        let town = Town(code: "DC", name: "基准镇", latinName: "Bench", workingCRS: "EPSG:4549",
                        boundary: .polygon([[position(0, 0), position(side, 0), position(side, side), position(0, side),
                                             position(0, 0)].map(Position.init)]))
        let data = TownData(town: town, microGrids: microGrids, features: wells)
        try writeFiles(data, longitudes, latitudes)
        return (data, longitudes, latitudes)
    }

    private static func writeFiles(_ data: TownData, _ longitudes: [Double], _ latitudes: [Double]) throws {
        var geojson = "{\"type\": \"FeatureCollection\", \"features\": [\n"
        for (index, microGrid) in data.microGrids.enumerated() {
            guard case .polygon(let rings) = microGrid.geometry else { throw BenchError("\(microGrid.code) is not a polygon") }
            let coordinates = rings.map { ring in "[" + ring.map { "[\($0.x), \($0.y)]" }.joined(separator: ", ") + "]" }
            geojson += (index > 0 ? ",\n" : "") + "{\"type\": \"Feature\", \"properties\": {\"code\": \"\(microGrid.code)\"}, "
                + "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [" + coordinates.joined(separator: ", ") + "]}}"
        }
        geojson += "\n]}\n"
        try geojson.write(toFile: microGridsPath, atomically: true, encoding: .utf8)
        var points = "lon,lat\n"
        points.reserveCapacity(longitudes.count * 40)
        for i in longitudes.indices { points += "\(longitudes[i]),\(latitudes[i])\n" }
        try points.write(toFile: pointsPath, atomically: true, encoding: .utf8)
        var wells = "id,lon,lat\n"
        for feature in data.features {
            guard case .point(let position) = feature.geometry else { continue }
            wells += "\(feature.id),\(position.x),\(position.y)\n"
        }
        try wells.write(toFile: wellsPath, atomically: true, encoding: .utf8)
    }

    /// `--count N` (default 1,000,000).
    private static func pointCount(_ arguments: [String]) throws -> Int {
        guard let flag = arguments.firstIndex(of: "--count") else { return 1_000_000 }
        guard flag + 1 < arguments.count, let count = Int(arguments[flag + 1]), count > 0 else {
            throw BenchError("--count needs a positive integer")
        }
        return count
    }
}
