import Foundation
import GEOS
import GeoJSON
import GridMapCore
import PROJ
import SeededRandom

/// `gridmap-bench locate|nearest --dir DIR [--count N]`: the atlas's point location and
/// nearest well on a synthetic town, against Shapely 2, GeoPandas and PostGIS
/// (tools/bench/peers/locate_shapely.py, locate_postgis.py), which check their answers against
/// the answers written here.
///
/// The town: the Voronoi diagram (`GEOSVoronoiDiagram_r`) of 291 seeded sites in a 15 km square
/// near 119.8°E 35.9°N, clipped to the square, in WGS84 — Dacun's micro-grid count and size.
/// Query points: N seeded uniform points over the square grown by 2 % (a few fall outside).
/// Wells: 10,000 seeded uniform points in the square. Files in DIR, which both sides read:
/// microgrids.geojson (in code order, so a peer's polygon index is GridMap's micro-grid index),
/// points.csv (lon,lat) and wells.csv (id,lon,lat), in Swift's shortest round-trip decimals so
/// both sides see the same doubles. GridMap's answers, raw little-endian: locate-answers.i32
/// (per point, the micro-grid index, -1 outside), nearest-wells.i32 (per point, the row of its
/// nearest well in wells.csv) and nearest-metres.f64 (the distance in EPSG:4549 metres).
///
/// Timed: "locate-build" builds the atlas (all indexes); "locate" is `locateAll` on the N points
/// (all cores) and "locate-1core" the same one point at a time on one thread; "nearest" is
/// `nearestAll(.well, k: 1)` on the N points, including projecting them to EPSG:4549 (its
/// "project_seconds" is that projection alone, measured apart); "nearest-single" is
/// `nearest(.well)` one point at a time on one thread, for the first 20,000 points.
/// Not timed: making the town and the points, writing the files.
enum LocateBench {
    static let side = 15_000.0
    static let origin = (longitude: 119.74, latitude: 35.83)
    /// Metres per degree near 35.9°N (WGS84), for laying the town out in metres.
    static let metresPerDegree = (longitude: 90_290.0, latitude: 110_950.0)

    static func locate(_ arguments: [String]) throws {
        let folder = try BenchOptions.directory(in: arguments)
        let (data, longitudes, latitudes) = try prepare(arguments, in: folder)
        var atlas: Atlas?
        let buildSeconds = try Measure.seconds { atlas = try Atlas(data) }
        guard let atlas else { throw BenchError("atlas not built") }
        Measure.report(bench: "locate-build", seconds: buildSeconds, items: data.microGrids.count,
                       answers: "not compared: builds the indexes")
        guard atlas.microGrids.map(\.code) == data.microGrids.map(\.code) else {
            throw BenchError("the atlas's micro-grid order is not the order of microgrids.geojson")
        }

        _ = atlas.locateAll(longitudes: Array(longitudes.prefix(10_000)), latitudes: Array(latitudes.prefix(10_000)))
        var found: [Int32] = []
        let seconds = Measure.seconds { found = atlas.locateAll(longitudes: longitudes, latitudes: latitudes) }
        let inside = found.count { $0 >= 0 }
        let threads = ProcessInfo.processInfo.activeProcessorCount
        Measure.report(bench: "locate", seconds: seconds, items: longitudes.count, answers: Measure.reference,
                       extra: ["inside": "\(inside)", "threads": "\(threads)", "rule": "covers, smallest code"])
        try folder.writeRaw(found, to: "locate-answers.i32")

        var sequential = [Int32](repeating: -1, count: longitudes.count)
        let sequentialSeconds = Measure.seconds {
            for i in longitudes.indices {
                sequential[i] = Int32(atlas.microGridIndex(longitude: longitudes[i], latitude: latitudes[i]) ?? -1)
            }
        }
        guard sequential == found else { throw BenchError("parallel and sequential answers differ") }
        Measure.report(bench: "locate-1core", seconds: sequentialSeconds, items: longitudes.count,
                       answers: "same as locate, point for point", extra: ["inside": "\(inside)"])
    }

    static func nearest(_ arguments: [String]) throws {
        let folder = try BenchOptions.directory(in: arguments)
        let (data, longitudes, latitudes) = try prepare(arguments, in: folder)
        let atlas = try Atlas(data)
        _ = try atlas.nearestAll(.well, longitudes: Array(longitudes.prefix(10_000)), latitudes: Array(latitudes.prefix(10_000)))
        var table: NearestTable?
        let seconds = try Measure.seconds {
            table = try atlas.nearestAll(.well, longitudes: longitudes, latitudes: latitudes, k: 1)
        }
        guard let table else { throw BenchError("no nearest table") }
        let found = table.features.count { $0 >= 0 }
        // The share of the projection in "nearest": the same points, in parallel, through the
        // atlas's own projection (its transformers are made once, when the atlas is built).
        let threads = ProcessInfo.processInfo.activeProcessorCount
        var x = longitudes, y = latitudes
        let projectSeconds = try Measure.seconds { try atlas.projection.transform(x: &x, y: &y) }
        Measure.report(bench: "nearest", seconds: seconds, items: longitudes.count, answers: Measure.reference,
                       extra: ["wells": "\(data.features.count)", "found": "\(found)", "threads": "\(threads)",
                               "project_seconds": String(format: "%.3f", projectSeconds), "metric": "EPSG:4549 metres"])
        // The answers as rows of wells.csv, which lists the wells in `data.features` order.
        let row = Dictionary(uniqueKeysWithValues: data.features.enumerated().map { ($1.id, Int32($0)) })
        try folder.writeRaw(table.features.map { $0 >= 0 ? row[table.ids[Int($0)]] ?? -1 : -1 }, to: "nearest-wells.i32")
        try folder.writeRaw(table.distances, to: "nearest-metres.f64")

        // Single queries, one after another on one thread: the pooled transformer's cost per call.
        let single = min(20_000, longitudes.count)
        var agree = 0
        let singleSeconds = try Measure.seconds {
            for i in 0..<single {
                let nearest = try atlas.nearest(.well, longitude: longitudes[i], latitude: latitudes[i])
                let batch = Int(table.features[i])
                if let first = nearest.first, batch >= 0, table.ids[batch] == first.id { agree += 1 }
            }
        }
        guard agree == single else { throw BenchError("single and batch nearest differ (\(single - agree) of \(single))") }
        Measure.report(bench: "nearest-single", seconds: singleSeconds, items: single,
                       answers: "same as nearest, point for point")
    }

    /// The town (micro-grids and wells) and the query points; writes the shared files.
    private static func prepare(_ arguments: [String], in folder: BenchFolder) throws -> (TownData, [Double], [Double]) {
        let count = try BenchOptions.count("--count", in: arguments, default: 1_000_000, least: 1)
        var random = SplitMix64(seed: 291)
        func position(_ x: Double, _ y: Double) -> Coordinate {
            Coordinate(x: origin.longitude + x / metresPerDegree.longitude, y: origin.latitude + y / metresPerDegree.latitude)
        }
        let context = GEOSContext()
        let sites = (0..<291).map { _ in
            position(Double.random(in: 0...side, using: &random), Double.random(in: 0...side, using: &random))
        }
        let square = try GEOSGeometry.polygon(
            exterior: [position(0, 0), position(side, 0), position(side, side), position(0, side), position(0, 0)], context: context)
        let diagram = try GEOSGeometry.multiPoint(sites, context: context).voronoiDiagram(envelope: square)
        var microGrids: [MicroGrid] = []
        for (number, cell) in try diagram.geometries().enumerated() {
            let clipped = try cell.intersection(square)
            guard try !clipped.isEmpty else { continue }
            let code = GridCode(town: "DC", grid: number / 3 + 1, microGrid: number % 3 + 1)!
            microGrids.append(MicroGrid(code: code, name: "\(code)", geometry: try Geometry(clipped)))
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
        let data = TownData(town: town, microGrids: microGrids.sorted { $0.code < $1.code }, features: wells)
        try writeFiles(data, longitudes, latitudes, in: folder)
        return (data, longitudes, latitudes)
    }

    private static func writeFiles(_ data: TownData, _ longitudes: [Double], _ latitudes: [Double], in folder: BenchFolder) throws {
        var geojson = "{\"type\": \"FeatureCollection\", \"features\": [\n"
        for (index, microGrid) in data.microGrids.enumerated() {
            guard case .polygon(let rings) = microGrid.geometry else { throw BenchError("\(microGrid.code) is not a polygon") }
            let coordinates = rings.map { ring in "[" + ring.map { "[\($0.x), \($0.y)]" }.joined(separator: ", ") + "]" }
            geojson += (index > 0 ? ",\n" : "") + "{\"type\": \"Feature\", \"properties\": {\"code\": \"\(microGrid.code)\"}, "
                + "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [" + coordinates.joined(separator: ", ") + "]}}"
        }
        geojson += "\n]}\n"
        try geojson.write(toFile: folder.path("microgrids.geojson"), atomically: true, encoding: .utf8)
        var points = "lon,lat\n"
        points.reserveCapacity(longitudes.count * 40)
        for i in longitudes.indices { points += "\(longitudes[i]),\(latitudes[i])\n" }
        try points.write(toFile: folder.path("points.csv"), atomically: true, encoding: .utf8)
        var wells = "id,lon,lat\n"
        for feature in data.features {
            guard case .point(let position) = feature.geometry else { throw BenchError("\(feature.id) is not a point") }
            wells += "\(feature.id),\(position.x),\(position.y)\n"
        }
        try wells.write(toFile: folder.path("wells.csv"), atomically: true, encoding: .utf8)
    }
}
