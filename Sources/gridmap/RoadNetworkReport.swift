import Foundation
import Routing

extension RoadNetwork {
    /// Tells the user, on standard error, what building the network changed or found: every road
    /// end joined onto a road it nearly met, and the pieces no road connects to the largest one
    /// (stops there cannot be reached from stops on it).
    func reportBuild(command: String) {
        for joined in joinedEnds {
            let end = joined.end == .first ? "first" : "last"
            let onto = switch joined.onto {
            case .end: "its end"
            case .vertex: "its vertex"
            case .segment: "a point between its vertices"
            }
            StandardError.write("gridmap \(command): joined \(joined.road)'s \(end) end onto \(joined.ontoRoad) (moved "
                + String(format: "%.3f m onto %@) at %.6f, %.6f", joined.distance, onto, joined.position.x, joined.position.y))
        }
        if !joinedEnds.isEmpty {
            let ends = joinedEnds.count == 1 ? "1 road end" : "\(joinedEnds.count) road ends"
            StandardError.write("gridmap \(command): \(ends) joined onto a road within \(BuildOptions.defaultEndSnapTolerance) m")
        }
        guard components.count > 1 else { return }
        let apart = components.dropFirst()
        let roads = apart.flatMap(\.roadIDs)
        StandardError.write("gridmap \(command): the roads form \(components.count) unconnected pieces; "
            + (roads.count == 1 ? "1 road lies" : "\(roads.count) roads lie") + " apart from the largest: \(roads.prefix(10).joined(separator: ", "))"
            + (roads.count > 10 ? ", …" : ""))
    }
}
