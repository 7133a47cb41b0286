import ArgumentParser
import CSV
import Foundation
import GeoJSON
import GridMapCore
import Routing

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

            --by road (one point only) ranks by distance along the town's roads instead, \
            plus the straight stretches between the point or feature and its nearest road (a \
            line or polygon is reached at its first vertex). The answer is exact: features are \
            measured along the roads nearest first by straight line until no farther one can \
            beat the k-th (a road is never shorter than the straight line). A feature no road \
            joins to the point is left out and named.

            With LON LAT, prints one line per feature, nearest first: rank, id, name, distance. \
            With --csv FILE ("-" for standard input), writes every row with nearest_id and \
            nearest_distance_m added (the single nearest; empty when there is none), streaming \
            like `gridmap locate --csv`, with the same column, --crs and bad-row rules.

            Examples:
              gridmap nearest --kind wells 119.805 35.902
              gridmap nearest --kind clinic 119.805 35.902 -k 3 --max-distance 2000
              gridmap nearest --kind wells 119.805 35.902 -k 2 --by road
              gridmap nearest --kind wells --same-grid --csv homes.csv > homes-wells.csv
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The kind of feature (well) or its layer (wells).", valueName: "kind"))
    var kind: String

    @Argument(help: ArgumentHelp("Longitude (WGS84 degrees) of a single point.", valueName: "lon"))
    var longitude: Double?

    @Argument(help: ArgumentHelp("Latitude (WGS84 degrees) of a single point.", valueName: "lat"))
    var latitude: Double?

    @Option(name: .short, help: ArgumentHelp("How many features to list for a single point.", valueName: "n"))
    var k: Int = 1

    @Option(name: .customLong("max-distance"), help: ArgumentHelp("Ignore features farther than this many metres.", valueName: "m"))
    var maxDistance: Double?

    enum Metric: String, ExpressibleByArgument, CaseIterable {
        case line, road
    }

    @Option(help: ArgumentHelp("line (default; straight-line metres) or road (along the roads; one point only).", valueName: "metric"))
    var by: Metric = .line

    @Flag(name: .customLong("same-grid"), help: "Only features in the point's own grid.")
    var sameGrid = false

    @OptionGroup var csv: PointCSVOptions

    func validate() throws {
        if csv.csv == nil, longitude == nil || latitude == nil {
            throw ValidationError("Give a point as LON LAT, or --csv FILE.")
        }
        if csv.csv != nil, longitude != nil { throw ValidationError("Give LON LAT or --csv FILE, not both.") }
        if csv.csv != nil, k != 1 { throw ValidationError("--csv adds the single nearest feature; -k is for one point.") }
        if csv.csv != nil, by == .road { throw ValidationError("--by road ranks the features for one point; --csv uses straight lines.") }
        if k < 1 { throw ValidationError("-k must be at least 1, got \(k).") }
        if let maxDistance, !(maxDistance >= 0) { throw ValidationError("--max-distance must be a distance in metres ≥ 0.") }
    }

    func run() throws {
        let data = try TownAtlas.load(store, .features).data
        let kind = try featureKind(in: data)
        let town = try TownAtlas(data: data, indexing: [kind])
        let limit = maxDistance ?? .infinity
        if csv.csv != nil {
            let annotator = NearestAnnotator(atlas: town.atlas, kind: kind, maxDistance: limit, sameGrid: sameGrid)
            let summary = try csv.stream(command: "nearest", annotator: annotator)
            StandardError.write("gridmap nearest: \(summary.rows) rows, \(annotator.found) with a \(kind), \(summary.bad) bad")
            if summary.bad > 0 { throw ExitCode(1) }
            return
        }
        let found: [NearbyFeature]
        do {
            found = by == .road
                ? try nearestByRoad(kind, town: town, k: k, maxDistance: limit)
                : try town.atlas.nearest(kind, longitude: longitude!, latitude: latitude!, k: k, maxDistance: limit, sameGrid: sameGrid)
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(error)")
        }
        if found.isEmpty {
            let outside = sameGrid && town.atlas.microGridIndex(longitude: longitude!, latitude: latitude!) == nil
            StandardError.write("gridmap nearest: no \(kind)" + (maxDistance.map { " within \($0) m" } ?? "")
                + (outside ? ": the point is outside the town, so it has no grid for --same-grid"
                           : sameGrid ? " in the point's grid" : ""))
            return
        }
        let names = Dictionary(town.data.features.filter { $0.kind == kind }.map { ($0.id, $0.name) },
                               uniquingKeysWith: { first, _ in first })
        for (rank, feature) in found.enumerated() {
            print("\(rank + 1)  \(feature.id)  \(names[feature.id] ?? "")  \(String(format: "%.2f", feature.distance)) m")
        }
    }

    /// The `k` features of `kind` nearest the point along the roads, within `maxDistance`, ties
    /// by id; features no road joins to the point are reported and left out.
    ///
    /// Exact without measuring every feature: a road distance is never shorter than the straight
    /// line (off-road stretches are straight, and a road piece is at least as long as the chord
    /// between its ends), so candidates are taken by straight line, nearest first, in growing
    /// batches, until the k-th road distance is no longer than the straight-line distance of the
    /// farthest candidate — no feature farther out can then be nearer by road.
    private func nearestByRoad(_ kind: FeatureKind, town: TownAtlas, k: Int, maxDistance: Double) throws -> [NearbyFeature] {
        let network = try RoadNetwork(roads: town.data.features, projection: town.atlas.projection)
        guard network.edgeCount > 0 else { throw ValidationError("--by road: the town has no roads (features of kind road).") }
        network.reportBuild(command: "nearest")
        guard let origin = try network.snap([Position(x: longitude!, y: latitude!)])[0] else { return [] }
        var batch = 4 * k
        while true {
            let candidates = try town.atlas.nearest(kind, longitude: longitude!, latitude: latitude!, k: batch,
                                                    maxDistance: maxDistance, sameGrid: sameGrid)
            let snapped = try network.snap(candidates.map(\.position))
            let reachable = candidates.indices.filter { snapped[$0] != nil }
            let costs = network.matrix(from: [origin], to: reachable.map { snapped[$0]! })
            var measured = reachable.indices.map { column in
                var feature = candidates[reachable[column]]
                feature.distance = costs[0, column]
                return feature
            }
            let unjoined = measured.filter { !$0.distance.isFinite }
            measured = measured.filter { $0.distance <= maxDistance }
            measured.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.id < $1.id }
            let settled = measured.count >= k && measured[k - 1].distance <= candidates.last!.distance
            if candidates.count < batch || settled {
                if !unjoined.isEmpty {
                    StandardError.write("gridmap nearest: no road joins the point to \(unjoined.map(\.id).joined(separator: ", "))")
                }
                return Array(measured.prefix(k))
            }
            batch *= 4
        }
    }

    /// The kind named by `--kind` (a kind or a layer name), refused unless the town has some.
    private func featureKind(in data: TownData) throws -> FeatureKind {
        let present = Set(data.features.map(\.kind))
        for candidate in [FeatureKind(rawValue: kind), FeatureKind(layerName: kind)] {
            if let candidate, present.contains(candidate) { return candidate }
        }
        let names = present.sorted().map { "\($0) (\($0.layerName))" }.joined(separator: ", ")
        throw ValidationError("Unknown kind '\(kind)': this town has \(names.isEmpty ? "no features" : names).")
    }
}

/// Adds `nearest_id,nearest_distance_m` to each row (empty when no feature qualifies).
final class NearestAnnotator: PointAnnotator {
    let columns = ["nearest_id", "nearest_distance_m"]
    private let atlas: Atlas
    private let kind: FeatureKind
    private let maxDistance: Double
    private let sameGrid: Bool
    private(set) var found = 0

    init(atlas: Atlas, kind: FeatureKind, maxDistance: Double, sameGrid: Bool) {
        (self.atlas, self.kind, self.maxDistance, self.sameGrid) = (atlas, kind, maxDistance, sameGrid)
    }

    func annotate(longitudes: [Double], latitudes: [Double]) throws -> any PointAnnotations {
        let table = try atlas.nearestAll(kind, longitudes: longitudes, latitudes: latitudes, k: 1,
                                         maxDistance: maxDistance, sameGrid: sameGrid)
        found += table.features.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        return NearestAnswers(ids: table.ids.map { Array(CSVField.escaped($0).utf8) },
                              features: table.features, distances: table.distances)
    }
}

/// One batch's nearest features: each point's feature (index into `ids`, -1 for none) and
/// its distance in metres.
struct NearestAnswers: PointAnnotations {
    /// Feature ids as CSV fields.
    let ids: [[UInt8]]
    let features: [Int32]
    let distances: [Double]

    func append(_ index: Int, to output: inout OutputBuffer) {
        let feature = features[index]
        guard feature >= 0 else { return output.appendComma() }
        output.append(ids[Int(feature)])
        output.appendComma()
        output.appendFixed(distances[index], precision: 2)
    }
}
