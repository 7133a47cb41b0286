/// A planned tour over the nodes of a cost matrix.
public struct Tour: Sendable, Hashable {
    /// Node indices in visiting order: the start, the stops, then the end (the start again for a
    /// round trip, the fixed end node if there is one, nothing more for an open path).
    public var order: [Int]
    /// `legs[i]` is the cost from `order[i]` to `order[i + 1]`.
    public var legs: [Double]
    /// The cost spent on arriving at each node of `order` (0 at the start): the legs so far plus
    /// the service cost of every stop already left.
    public var arrivals: [Double]
    /// The cost spent on leaving each node of `order`: its arrival plus its service (none at the
    /// start and the end).
    public var departures: [Double]
    /// The whole tour's cost: legs plus service at every stop.
    public var totalCost: Double
    /// The legs alone, without service.
    public var travelCost: Double { legs.reduce(0, +) }
    /// Stops that no finite route joins to the start or the end; they are not in `order`.
    public var unreachable: [Int]
    /// Whether the order is proven optimal (the exact method ran).
    public var isOptimal: Bool

    /// The stops in visiting order (`order` without start and end).
    public var stops: [Int] { Array(order.dropFirst().prefix(max(0, order.count - 1 - endCount))) }
    let endCount: Int
}

/// Why a tour cannot be planned.
public enum TourError: Error, Hashable, CustomStringConvertible {
    case nodeOutOfRange(Int, count: Int)
    case duplicateStop(Int)
    case endUnreachable(start: Int, end: Int)
    case notEnoughCapacity(stops: Int, workers: Int, maxStopsPerWorker: Int)
    case noWorkers
    case teamWithoutWorkers(team: Int, stops: Int)

    public var description: String {
        switch self {
        case .nodeOutOfRange(let node, let count): "node \(node) is outside the \(count)×\(count) cost matrix"
        case .duplicateStop(let node): "stop \(node) is listed twice (or is the start or end)"
        case .endUnreachable(let start, let end): "no route joins the start \(start) to the end \(end)"
        case .notEnoughCapacity(let stops, let workers, let limit):
            "\(stops) stops do not fit \(workers) workers of at most \(limit) stops each"
        case .noWorkers: "at least one worker is needed"
        case .teamWithoutWorkers(let team, let stops): "team \(team + 1) has \(stops) stops but no worker"
        }
    }
}
