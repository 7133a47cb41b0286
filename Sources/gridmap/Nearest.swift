import ArgumentParser
import CSV
import Foundation
import GeoJSON
import GridMapApp
import GridMapCore

/// `gridmap nearest`: the features of one kind nearest to a point, or to every row of a CSV.
struct Nearest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the nearest features of a kind (wells, clinics, …) to a point or to every row of a CSV.",
        discussion: """
            Distances are straight lines in metres, measured in the town's working CRS to the \
            feature's geometry: to a point, to the nearest stretch of a line or of a polygon's \
            edge, and 0 inside a polygon. Equally distant features come in id order. --kind takes a \
            kind (well) or its layer's name (wells). --same-grid only counts features in the \
            point's own grid (a point outside the town then has none). --max-distance drops \
            anything farther.

            --by road ranks by distance along the town's roads instead, \
            plus the straight stretches between the point or feature and its nearest road (a \
            line or polygon is reached at its first vertex). The answer is exact: features are \
            measured along the roads nearest first by straight line until no farther one can \
            beat the k-th (a road is never shorter than the straight line). A feature no road \
            joins to the point is left out and named; a point whose piece of road reaches no \
            feature of the kind is refused (exit 64). --max-distance applies to the distance \
            along the roads.

            With LON LAT, prints one line per feature, nearest first: rank, id, name, distance. \
            With --csv FILE ("-" for standard input), writes every row with nearest_id and \
            nearest_distance_m added (the single nearest; empty when there is none), streaming \
            like `gridmap locate --csv`, with the same column, --crs and bad-row rules. With \
            --by road every row is answered from one search along the roads from all the features \
            at once, with the same answers as one point at a time; a row no road joins to any \
            feature gets empty fields.

            Examples:
              gridmap nearest --kind wells 119.805 35.902
              gridmap nearest --kind clinic 119.805 35.902 -k 3 --max-distance 2000
              gridmap nearest --kind wells 119.805 35.902 -k 2 --by road
              gridmap nearest --kind wells --same-grid --csv homes.csv > homes-wells.csv
              gridmap nearest --kind clinics --by road --csv homes.csv > homes-clinics.csv
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The kind of feature (well) or its layer (wells).", valueName: "kind"))
    var kind: String

    @Argument(help: ArgumentHelp("Longitude (WGS84 degrees, or x in --crs) of a single point.", valueName: "lon"))
    var longitude: Double?

    @Argument(help: ArgumentHelp("Latitude (WGS84 degrees, or y in --crs) of a single point.", valueName: "lat"))
    var latitude: Double?

    @Option(name: .short, help: ArgumentHelp("How many features to list for a single point.", valueName: "n"))
    var k: Int = 1

    @Option(name: .customLong("max-distance"), help: ArgumentHelp("Ignore features farther than this many metres.", valueName: "m"))
    var maxDistance: Double?

    @Option(help: ArgumentHelp("line (default; straight-line metres) or road (along the roads).", valueName: "metric"))
    var by: NearestQuery.Metric = .line

    @Flag(name: .customLong("same-grid"), help: "Only features in the point's own grid.")
    var sameGrid = false

    @OptionGroup var csv: PointCSVOptions

    func validate() throws {
        if csv.csv == nil, longitude == nil || latitude == nil {
            throw ValidationError("Give a point as LON LAT, or --csv FILE.")
        }
        if csv.csv != nil, longitude != nil { throw ValidationError("Give LON LAT or --csv FILE, not both.") }
        if csv.csv != nil, k != 1 { throw ValidationError("--csv adds the single nearest feature; -k is for one point.") }
        if csv.csv != nil, by == .road, sameGrid { throw ValidationError("--same-grid is for straight lines with --csv; --by road --csv finds the nearest anywhere along the roads.") }
        if !(1...100_000).contains(k) { throw ValidationError("-k must be from 1 to 100000, got \(k).") }
        if let maxDistance, !(maxDistance >= 0) { throw ValidationError("--max-distance must be a distance in metres ≥ 0.") }
    }

    func run() throws {
        let (kind, town) = try NearestQuery.town(from: store.stores.openWithTown(), kind: self.kind, withRoads: by == .road)
        let limit = maxDistance ?? .infinity
        if csv.csv != nil {
            let job = by == .road
                ? try NearestPointsJob(roadsOf: town, kind: kind, maxDistance: limit) { StandardError.write("gridmap nearest: \($0)") }
                : NearestPointsJob(atlas: town.atlas, kind: kind, maxDistance: limit, sameGrid: sameGrid)
            let summary = try csv.stream { table, settings, sink throws(JobError) in
                try job.run(table, settings, to: sink, badRow: reportBadRow)
            }
            StandardError.write("gridmap nearest: \(summary.rows) rows, \(summary.found) with a \(kind), \(summary.bad) bad")
            if summary.bad > 0 { throw ExitCode(1) }
            return
        }
        let point = try csv.wgs84Point(longitude!, latitude!)
        var query = NearestQuery(kind: kind, longitude: point.longitude, latitude: point.latitude)
        (query.k, query.maxDistance, query.sameGrid, query.metric) = (k, limit, sameGrid, by)
        let answer = try query.answer(on: town) { StandardError.write("gridmap nearest: \($0)") }
        if !answer.unjoined.isEmpty {
            StandardError.write("gridmap nearest: no road joins the point to \(answer.unjoined.joined(separator: ", "))")
        }
        if answer.features.isEmpty {
            StandardError.write("gridmap nearest: no \(kind)" + (maxDistance.map { " within \($0) m" } ?? "")
                + (answer.outsideTown ? ": the point is outside the town, so it has no grid for --same-grid"
                                      : sameGrid ? " in the point's grid" : ""))
            return
        }
        // The names of the features listed only (a layer can hold a million).
        let listed = Set(answer.features.map(\.id))
        var names: [String: String] = [:]
        for feature in town.data.features where feature.kind == kind && listed.contains(feature.id) && names[feature.id] == nil {
            names[feature.id] = feature.name
        }
        try StandardOutput.write(lines: answer.features.enumerated().map { rank, feature in
            "\(rank + 1)  \(feature.id)  \(names[feature.id] ?? "")  \(String(format: "%.2f", feature.distance)) m"
        })
    }
}

extension NearestQuery.Metric: ExpressibleByArgument {}
