import Foundation
import GeoJSON
import GridMapCore
import Routing

/// How to get about: the travel profiles by the names people use.
public enum TravelMode: String, CaseIterable, Sendable {
    case walk, bicycle, ebike, car

    var profile: TravelProfile {
        switch self {
        case .walk: .walk
        case .bicycle: .bicycle
        case .ebike: .eBike
        case .car: .car
        }
    }
}

/// What `tour` and `route` are asked about the workers: how many share the stops, where they
/// end, the time spent at each stop and the limits of one worker's day.
public struct TripSettings: Sendable {
    public var workers = 1
    /// End every worker at this stop (tour) or feature (route) instead of returning.
    public var end: String?
    /// End every worker at whichever stop comes last.
    public var open = false
    /// Minutes at each stop (a stop's own service time overrides it).
    public var serviceMinutes: Double = 0
    public var maxStops: Int?
    /// Travel plus service, per worker.
    public var maxMinutes: Double?
    /// The clock time of leaving the start, in minutes after midnight: arrivals and departures
    /// are then clock times.
    public var startMinute: Double?
    /// Seconds the local search may take for the whole plan (every worker's tour; building the
    /// road network and its matrix comes before and is not counted).
    public var timeBudget: Double = 1
    /// Metres within which a stop snaps to a road of the main network the profile may use
    /// rather than a nearer road cut off from it (``RoadNetwork/snap(x:y:weights:tolerance:)``).
    public var snapTolerance = TripSettings.defaultSnapTolerance

    public static let defaultSnapTolerance = Snapped.defaultTolerance

    public init() {}

    /// Whether any setting speaks of minutes (and so needs travel times along the roads).
    public var usesMinutes: Bool { serviceMinutes != 0 || maxMinutes != nil || startMinute != nil }

    /// Refuses values out of range, naming the option.
    public func check() throws(JobError) {
        if !(1...Self.maximumWorkers).contains(workers) {
            throw .invalidRequest("--workers must be from 1 to \(Self.maximumWorkers), got \(workers).")
        }
        if !(timeBudget > 0 && timeBudget <= Self.maximumTimeBudget) {
            throw .invalidRequest("--time-budget must be a number of seconds > 0 and at most \(Int(Self.maximumTimeBudget)) (a day).")
        }
        if !(serviceMinutes >= 0 && serviceMinutes <= Self.maximumMinutes) {
            throw .invalidRequest("--service-min must be a number of minutes from 0 to \(Int(Self.maximumMinutes)) (a week).")
        }
        if !(snapTolerance >= 0 && snapTolerance <= RoadStops.maximumOffRoad) {
            throw .invalidRequest("--snap-tolerance must be a number of metres from 0 to \(Int(RoadStops.maximumOffRoad)).")
        }
        if let maxStops, maxStops < 1 { throw .invalidRequest("--max-stops must be at least 1, got \(maxStops).") }
        if let maxMinutes, !(maxMinutes > 0 && maxMinutes <= Self.maximumMinutes) {
            throw .invalidRequest("--max-minutes must be a number of minutes > 0 and at most \(Int(Self.maximumMinutes)) (a week).")
        }
    }

    /// Bounds that keep the arithmetic finite and the plan's size sane: more workers than this
    /// is no team, a budget beyond a day is a mistake (and overflows a duration in
    /// milliseconds), minutes beyond a week no working plan.
    public static let maximumWorkers = 10_000
    public static let maximumTimeBudget = 86_400.0
    public static let maximumMinutes = 10_080.0

    /// The most places (the stops, the start and any end) one plan takes: a town's households.
    /// Beyond ``matrixPlaces`` no n × n matrix is made (costs are computed when asked), so memory
    /// grows with the places, not their square (20,000 places on Dacun's roads: see
    /// docs/BENCHMARKS.md); past this a plan is refused before any work, with the way to split
    /// it (``checkPlaceCount(_:split:)``).
    public static let maximumPlaces = 20_000

    /// Up to this many places a plan uses the full cost matrix (2,000 places: 32 MB): every pair
    /// known, every position priced when stops move between workers. Beyond it, costs come when
    /// asked: straight lines on the plane, bounded searches with a cache along the roads
    /// (``RoadPlaceCosts``).
    public static let matrixPlaces = 2_000

    /// Refuses a plan of more than ``maximumPlaces`` places, saying how to `split` it.
    public static func checkPlaceCount(_ count: Int, split: String) throws(JobError) {
        guard count > maximumPlaces else { return }
        throw .invalidRequest("\(count) places to plan (stops, start and end) are more than one plan takes, "
            + "\(maximumPlaces): \(split)")
    }

    /// A clock time HH:MM as minutes after midnight.
    public static func minute(ofClock text: String) throws(JobError) -> Double {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0..<24).contains(hours), (0..<60).contains(minutes)
        else { throw .invalidRequest("--start-time must be a clock time HH:MM (00:00 to 23:59), not '\(text)'.") }
        return Double(hours * 60 + minutes)
    }

    /// The ending, with `end` resolved to a node by `node`.
    func ending(_ node: (String) throws(JobError) -> Int) throws(JobError) -> TourPlanner.Ending {
        if let end { return .at(try node(end)) }
        return open ? .open : .returnToStart
    }
}

/// The trips planned for the workers: for each, its stops in visiting order with legs and
/// times; and the stops no worker got. Nodes are indices into the job's list of places (the
/// start is node 0 unless the request names another).
public struct TripPlan: Sendable {
    /// One node of a worker's trip: the start (order 0), a stop, or the end.
    public struct Visit: Sendable, Hashable {
        public var node: Int
        /// The leg into this node: metres along the roads (input units on the plane).
        public var legDistance: Double
        /// The leg's cost: seconds along the roads, input units on the plane.
        public var legCost: Double
        /// Cost spent on arriving and on leaving (seconds along the roads) since the start.
        public var arrival: Double
        public var departure: Double
    }

    public struct WorkerTrip: Sendable {
        /// The worker's name: "2", or "DC-017/1" for a grid's own team.
        public var label: String
        /// The start, the stops, then the end (the start again for a round trip).
        public var visits: [Visit]
        /// How many stops (start and end not counted).
        public var stopCount: Int
        /// Metres along the roads (input units on the plane).
        public var distance: Double
        /// Travel alone, and travel plus service (seconds along the roads).
        public var travelCost: Double
        public var totalCost: Double
        /// The route along the roads in WGS84 (nil on the plane).
        public var route: Geometry?
        /// The nodes of the stops in visiting order.
        public var stops: [Int] { visits.dropFirst().prefix(stopCount).map(\.node) }
    }

    public var workers: [WorkerTrip]
    /// Stops no road joins to the start (or the end).
    public var unreachable: [Int]
    /// Why each stop of ``unreachable`` is (by node), in a person's words: "its nearest road,
    /// road-9, is on a piece of road cut off from the start's".
    public var unreachableReasons: [Int: String] = [:]
    /// Stops that fit no worker within the minutes per worker.
    public var unserved: [Int]
    /// What the roads were taken to mean, for the report: the topology rule (``RoadTopology``),
    /// then the stops that snapped farther than the tolerance or onto a road cut off from the
    /// main network. Empty on the plane.
    public var roadNotes: [String] = []
    /// The stops listed last without a worker.
    public var leftOut: [Int] { unreachable + unserved }
}

/// The costs a plan runs on: the full matrix for a few places, or costs computed when asked
/// for many (``TripSettings/matrixPlaces``).
enum PlanCosts {
    case matrix(CostMatrix)
    case roads(RoadPlaceCosts)
    case plane(PlanarPlaceCosts)

    var tourPlanner: TourPlanner {
        switch self {
        case .matrix(let costs): TourPlanner(costs: costs)
        case .roads(let costs): TourPlanner(costs: costs)
        case .plane(let costs): TourPlanner(costs: costs)
        }
    }

    var multiWorkerPlanner: MultiWorkerPlanner {
        switch self {
        case .matrix(let costs): MultiWorkerPlanner(costs: costs)
        case .roads(let costs): MultiWorkerPlanner(costs: costs)
        case .plane(let costs): MultiWorkerPlanner(costs: costs)
        }
    }
}

/// Plans the tours over a cost matrix and lays them out as a ``TripPlan``.
struct WorkerTrips {
    var settings: TripSettings
    /// Service seconds of single stops (by node), overriding the settings' minutes.
    var stopService: [Int: Double] = [:]

    private var tourOptions: TourPlanner.Options {
        TourPlanner.Options(timeBudget: .milliseconds(Int((settings.timeBudget * 1000).rounded())),
                            serviceCost: settings.serviceMinutes * 60, stopServiceCosts: stopService)
    }

    /// The tours over `costs` (node `start` is the depot): `settings.workers` workers sharing
    /// every other node, or, with `teams`, that many workers per team, each team sharing only its
    /// stops.
    func plan(_ costs: PlanCosts, start: Int, ending: TourPlanner.Ending, teams: [MultiWorkerPlanner.Team]? = nil) throws(JobError)
        -> Tours {
        try asJobError(.invalidRequest, "Cannot plan the tour") {
            if teams == nil, settings.workers == 1, settings.maxStops == nil, settings.maxMinutes == nil {
                let tour = timed(try costs.tourPlanner.plan(start: start, ending: ending, options: tourOptions), costs)
                return Tours(tours: [tour], unreachable: tour.unreachable, unserved: [])
            }
            let options = MultiWorkerPlanner.Options(tour: tourOptions, maxStopsPerWorker: settings.maxStops,
                                                     maxCostPerWorker: settings.maxMinutes.map { $0 * 60 })
            let planner = costs.multiWorkerPlanner
            let plan = if let teams {
                try planner.plan(depot: start, teams: teams, ending: ending, options: options)
            } else {
                try planner.plan(depot: start, workers: settings.workers, ending: ending, options: options)
            }
            return Tours(tours: plan.tours.map { timed($0, costs) }, unreachable: plan.unreachable, unserved: plan.unserved)
        }
    }

    /// A tour planned over road costs without a matrix, timed with the directed costs where
    /// one-way streets make them differ (the planners search the larger of the two directions:
    /// ``RoadPlaceCosts``); any other tour as planned.
    private func timed(_ tour: Tour, _ costs: PlanCosts) -> Tour {
        guard case .roads(let roads) = costs else { return tour }
        return roads.retimed(tour, options: tourOptions)
    }

    /// The planners' answer: one tour per worker, and the stops none got.
    struct Tours {
        var tours: [Tour]
        var unreachable: [Int]
        var unserved: [Int]
    }

    /// A plan on the plane: legs are the costs themselves.
    static func planar(_ plan: Tours, labels: [String]) -> TripPlan {
        TripPlan(workers: plan.tours.enumerated().map { worker, tour in
            trip(tour, label: labels[worker], legDistances: tour.legs, distance: tour.totalCost, route: nil)
        }, unreachable: plan.unreachable, unserved: plan.unserved)
    }

    static func trip(_ tour: Tour, label: String, legDistances: [Double], distance: Double, route: Geometry?) -> TripPlan.WorkerTrip {
        let visits = tour.order.enumerated().map { order, node in
            TripPlan.Visit(node: node, legDistance: order == 0 ? 0 : legDistances[order - 1], legCost: order == 0 ? 0 : tour.legs[order - 1],
                           arrival: tour.arrivals[order], departure: tour.departures[order])
        }
        return TripPlan.WorkerTrip(label: label, visits: visits, stopCount: tour.stops.count, distance: distance,
                                   travelCost: tour.travelCost, totalCost: tour.totalCost, route: route)
    }
}

/// Places snapped onto the town's roads for a profile, with their travel times: the matrix, or
/// bounded searches and a cache for more than ``TripSettings/matrixPlaces`` places.
struct RoadStops {
    let network: RoadNetwork
    /// The edge costs under ``cost``: which roads the profile may use, and which way.
    let weights: EdgeWeights
    let positions: [RoadPosition]
    let cost: RouteCost
    let costs: PlanCosts
    /// The stops that snapped farther than the tolerance or onto a road cut off from the main
    /// network (``reportSnaps(_:ids:network:profile:tolerance:)``), for the plan's report.
    let snapNotes: [String]

    /// Farther than this from every road, a stop is refused as not on the road network.
    static let maximumOffRoad = 2000.0

    /// Builds the network (telling `notice` what the build joined or found apart), snaps every
    /// place to a road `profile` may use — one of the main network within `snapTolerance` metres
    /// rather than a nearer one cut off from it — noting every place that went farther or lies
    /// cut off (``snapNotes``), and measures the costs under `profile`.
    init(data: TownData, positions wgs84: [Position], ids: [String], profile: TravelProfile,
         snapTolerance: Double = Snapped.defaultTolerance, notice: (String) -> Void) throws(JobError) {
        network = try Self.network(of: data, orElse: "The town has no roads to route along (features of kind road).", notice: notice)
        let network = network
        cost = .time(profile)
        weights = network.edgeWeights(cost)
        let weights = weights
        let snapped = try asJobError { try network.snap(wgs84, weights: weights, tolerance: snapTolerance) }
        var problems: [String] = []
        var positions: [RoadPosition] = []
        for (i, snap) in snapped.enumerated() {
            guard let snap, snap.position.offRoadDistance <= Self.maximumOffRoad else {
                problems.append("\(ids[i]) at \(wgs84[i].x),\(wgs84[i].y)"
                    + (snapped[i].map { " is \(String(format: "%.0f", $0.position.offRoadDistance)) m from the nearest road" }
                        ?? " has no road a \(profile.name) may use"))
                continue
            }
            positions.append(snap.position)
        }
        if !problems.isEmpty {
            throw .invalidRequest("Cannot snap \(problems.count) stops to the roads (farther than \(Int(Self.maximumOffRoad)) m): "
                + problems.joined(separator: "; ") + ".")
        }
        self.positions = positions
        snapNotes = Self.reportSnaps(snapped.compactMap { $0 }, ids: ids, network: network, profile: profile,
                                     tolerance: snapTolerance)
        costs = positions.count <= TripSettings.matrixPlaces ? .matrix(network.matrix(among: positions, cost: cost))
            : .roads(RoadPlaceCosts(network: network, positions: positions, cost: cost))
    }

    /// One sentence for the places farther than `tolerance` from every road of the main network
    /// the profile may use, and one for those whose nearest usable road is cut off from it.
    static func reportSnaps(_ snapped: [Snapped], ids: [String], network: RoadNetwork, profile: TravelProfile,
                            tolerance: Double) -> [String] {
        var notes: [String] = []
        func list(_ indices: [Int]) -> String {
            indices.prefix(20).map { i in
                let road = network.roadIDs[Int(network.edgeRoad[snapped[i].position.edge])]
                return "\(ids[i]) (\(String(format: "%.1f", snapped[i].position.offRoadDistance)) m to \(road))"
            }.joined(separator: ", ") + (indices.count > 20 ? ", …" : "")
        }
        let farther = snapped.indices.filter { snapped[$0].piece == 0 && snapped[$0].position.offRoadDistance > tolerance }
        let cutOff = snapped.indices.filter { snapped[$0].piece != 0 }
        if !farther.isEmpty {
            notes.append("\(farther.count) of \(snapped.count) places are farther than \(String(format: "%g", tolerance)) m from every road "
                + "a \(profile.name) may use: \(list(farther))")
        }
        if !cutOff.isEmpty {
            notes.append("\(cutOff.count) of \(snapped.count) places have no road of the main network a \(profile.name) may use within "
                + "\(String(format: "%g", tolerance)) m and took a road cut off from it: \(list(cutOff))")
        }
        return notes
    }

    /// The town's road network, built by the topology the manifest names (``RoadTopology``),
    /// refusing a town without roads with the message `noRoads`; `notice` hears roads of a class
    /// GridMap does not know, every road end the build joined onto a road it nearly met, and
    /// the pieces no road connects to the largest (stops there cannot be reached from stops on
    /// it). A `projection` made already (an atlas's) saves making another.
    static func network(of data: TownData, projection: Projection? = nil, orElse noRoads: String,
                        notice: (String) -> Void) throws(JobError) -> RoadNetwork {
        let network = try asJobError(.invalidRequest, "Cannot build the road network") {
            let topology = try RoadTopology(manifestMember: data.town.manifestMembers["roadTopology"])
            return try RoadNetwork(roads: data.features, projection: projection ?? Projection(workingCRS: data.town.workingCRS),
                                   options: .init(topology: topology))
        }
        guard network.edgeCount > 0 else { throw .invalidRequest(noRoads) }
        network.buildNotes.forEach(notice)
        return network
    }

    /// The plan laid onto the roads, each worker's trip with its road metres and route.
    func lay(_ plan: WorkerTrips.Tours, labels: [String]) throws(JobError) -> TripPlan {
        var workers: [TripPlan.WorkerTrip] = []
        for (worker, tour) in plan.tours.enumerated() {
            guard let laid = network.roadTour(tour, positions: positions, cost: cost) else {
                throw .invalidRequest("A leg of the tour has no road route.")
            }
            let distance = tour.stops.isEmpty ? 0 : laid.legDistances.reduce(0, +)
            workers.append(WorkerTrips.trip(tour, label: labels[worker], legDistances: laid.legDistances, distance: distance,
                                            route: laid.geometry))
        }
        var trip = TripPlan(workers: workers, unreachable: plan.unreachable, unserved: plan.unserved,
                            roadNotes: [network.topology.sentence] + snapNotes)
        for stop in plan.unreachable {
            trip.unreachableReasons[stop] = "its nearest road, \(road(of: stop)), is on a piece of road cut off from the start's"
        }
        return trip
    }

    /// The road a place snapped to, by its source id.
    func road(of node: Int) -> String { network.roadIDs[Int(network.edgeRoad[positions[node].edge])] }

    /// The connected piece of road a place snapped to.
    /// The piece of road (of those the profile may use) a place snapped to.
    func piece(of node: Int) -> Int { Int(weights.pieceOfEdge[positions[node].edge]) }

    /// Refuses a plan whose start or end is cut off: an end on a piece of road no road joins to
    /// the start's, or a start from which not one stop can be reached (every stop on other
    /// pieces). Stops cut off while the start reaches others are not refused: the plan lists
    /// them apart, with their reason.
    func checkReach(start: Int, ending: TourPlanner.Ending, ids: [String]) throws(JobError) {
        var end: Int?
        if case .at(let node) = ending { end = node }
        if let end, end != start, piece(of: end) != piece(of: start) {
            throw .invalidRequest("The end \(ids[end]) cannot be reached from the start \(ids[start]): their nearest roads, "
                + "\(road(of: end)) and \(road(of: start)), are on pieces of road that no road joins.")
        }
        let stops = positions.indices.filter { $0 != start && $0 != end }
        if !stops.isEmpty, stops.allSatisfy({ piece(of: $0) != piece(of: start) }) {
            throw .invalidRequest("The start \(ids[start]) cannot reach any of the \(stops.count) stops: its nearest road, "
                + "\(road(of: start)), is on a piece of road cut off from every stop's. Start from a place on the main roads (--start ID).")
        }
    }
}

extension RoadNetwork {
    /// What building the network changed or found, one sentence each: every road end joined onto
    /// a road it nearly met, and the pieces no road connects to the largest one.
    var buildNotes: [String] {
        var notes: [String] = []
        if !unknownClasses.isEmpty {
            notes.append("\(unknownClasses.count) roads have a class GridMap does not know and are routed as tracks: "
                + unknownClasses.prefix(10).map { "\($0.road) (\($0.value))" }.joined(separator: ", ")
                + (unknownClasses.count > 10 ? ", …" : ""))
        }
        for joined in joinedEnds {
            let end = joined.end == .first ? "first" : "last"
            let onto = switch joined.onto {
            case .end: "its end"
            case .vertex: "its vertex"
            case .segment: "a point between its vertices"
            }
            notes.append("joined \(joined.road)'s \(end) end onto \(joined.ontoRoad) (moved "
                + String(format: "%.3f m onto %@) at %.6f, %.6f", joined.distance, onto, joined.position.x, joined.position.y))
        }
        if !joinedEnds.isEmpty {
            let ends = joinedEnds.count == 1 ? "1 road end" : "\(joinedEnds.count) road ends"
            notes.append("\(ends) joined onto a road within \(BuildOptions.defaultEndSnapTolerance) m")
        }
        guard components.count > 1 else { return notes }
        let roads = components.dropFirst().flatMap(\.roadIDs)
        notes.append("the roads form \(components.count) unconnected pieces; "
            + (roads.count == 1 ? "1 road lies" : "\(roads.count) roads lie") + " apart from the largest: \(roads.prefix(10).joined(separator: ", "))"
            + (roads.count > 10 ? ", …" : ""))
        return notes
    }
}
