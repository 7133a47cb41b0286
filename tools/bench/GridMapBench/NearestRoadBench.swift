import Foundation
import GeoJSON
import GridMapCore
import Routing

/// `gridmap-bench roads-nearest --dir DIR [--town TOWN] [--kind KIND] [--repeats R]`: every home's
/// nearest facility (default: citizen service stations) along the roads, on foot in metres, by
/// one multi-source search (`NearestFacility`), against NetworkX `multi_source_dijkstra` on the
/// same edges (tools/bench/peers/roads_nearest_networkx.py).
///
/// The graph is the town's `RoadNetwork` (roads-edges.csv as in `gridmap-bench roads`). Every home
/// and facility is snapped onto it by GridMap and written with its edge, offset along it and
/// off-road metres (nearest-facilities.csv, nearest-homes.csv with GridMap's answer), so the peer
/// computes on the very same positions: distance = off-road + partial edge + road + partial edge
/// + off-road, ties by facility id.
///
/// Timed (the fastest of R runs, default 3): "roads-nearest" from the homes' longitude/latitude
/// to every answer (projection and snapping of the homes, the search from the facilities, one
/// answer per home), the network and the facilities' snapping made before; "roads-nearest-search"
/// the search and the answers from the snapped positions, the peer's work.
enum NearestRoadBench {
    static func run(_ arguments: [String]) throws {
        let folder = try BenchOptions.directory(in: arguments)
        let town = try BenchOptions.string("--town", in: arguments) ?? "geodata/dacun"
        let name = try BenchOptions.string("--kind", in: arguments) ?? FeatureKind.citizenServiceStation.rawValue
        guard let kind = FeatureKind(rawValue: name) else { throw BenchError("--kind \(name) is not a feature kind") }
        let repeats = try BenchOptions.count("--repeats", in: arguments, default: 3, least: 1)
        let data = try TownFolder.read(from: URL(fileURLWithPath: town))
        let (network, _) = try RoadsBench.build((data.features.filter { $0.kind == .road }, data.town.workingCRS))
        func points(_ kind: FeatureKind) -> [(id: String, position: Position)] {
            data.features.compactMap { feature in
                guard feature.kind == kind, case .point(let position) = feature.geometry else { return nil }
                return (feature.id, position)
            }.sorted { $0.id < $1.id }
        }
        let facilities = points(kind), homes = points(.home)
        guard !facilities.isEmpty, !homes.isEmpty else { throw BenchError("the town has no \(kind) or no homes") }
        let facilityPositions = try network.snap(facilities.map(\.position)).map { position in
            guard let position else { throw BenchError("a facility does not snap") }
            return position
        }
        let homePoints = homes.map(\.position)
        var answers: [(facility: Int, cost: Double)?] = []
        let seconds = try Measure.bestSeconds(of: repeats) {
            let field = NearestFacility(network: network, facilities: facilityPositions)
            answers = try network.snap(homePoints).map { $0.flatMap(field.nearest(to:)) }
        }
        let snapped = try network.snap(homePoints)
        let homePositions = snapped.compactMap { $0 }
        guard homePositions.count == homes.count else { throw BenchError("a home does not snap") }
        let searchSeconds = Measure.bestSeconds(of: repeats) {
            let field = NearestFacility(network: network, facilities: facilityPositions)
            answers = homePositions.map(field.nearest(to:))
        }
        let extra = ["facilities": "\(facilities.count)", "kind": kind.rawValue, "repeats": "\(repeats)",
                     "vertices": "\(network.vertexCount)", "edges": "\(network.edgeCount)"]
        Measure.report(bench: "roads-nearest", seconds: seconds, items: homes.count, answers: Measure.reference,
                       extra: extra.merging(["work": "homes' lon/lat projected and snapped, one search from the facilities, one answer per home"]) { $1 })
        Measure.report(bench: "roads-nearest-search", seconds: searchSeconds, items: homes.count, answers: Measure.reference,
                       extra: extra.merging(["work": "from snapped positions: one search from the facilities, one answer per home"]) { $1 })

        try RoadsBench.writeEdges(network, to: folder)
        func row(_ position: RoadPosition) -> String { "\(position.edge),\(position.offset),\(position.offRoadDistance)" }
        try folder.write(facilities.indices.map { "\(facilities[$0].id),\(row(facilityPositions[$0]))" },
                         header: "id,edge,offset,off_road", to: "nearest-facilities.csv")
        try folder.write(homes.indices.map { i in
            "\(homes[i].id),\(row(homePositions[i])),\(answers[i].map { facilities[$0.facility].id } ?? ""),\(answers[i]?.cost ?? .infinity)"
        }, header: "id,edge,offset,off_road,gridmap_facility,gridmap_metres", to: "nearest-homes.csv")
    }
}
