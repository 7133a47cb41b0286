import GridMapApp
import GridMapCore
import Testing

@Suite("Planning tours and outreach routes in process")
struct PlanningJobTests {
    /// The corners of a 3 × 4 rectangle, on the plane.
    static func rectangle() -> TourStops {
        var stops = TourStops(source: "rectangle")
        stops.ids = ["a", "b", "c", "d"]
        stops.first = [0, 3, 3, 0]
        stops.second = [0, 0, 4, 4]
        stops.serviceMinutes = [nil, nil, nil, nil]
        return stops
    }

    @Test("on the plane, one worker goes round the rectangle's edge and back: 14 units in four legs")
    func planarTour() throws {
        let plan = try TourJob(stops: Self.rectangle(), start: nil, settings: TripSettings()).planOnThePlane()
        #expect(plan.workers.count == 1)
        let worker = plan.workers[0]
        #expect(worker.visits.first?.node == 0 && worker.visits.last?.node == 0)
        #expect(worker.stopCount == 3)
        #expect(abs(worker.distance - 14) < 1e-9)
        #expect(worker.visits.map(\.legDistance).reduce(0, +) == worker.distance)
        #expect(plan.leftOut.isEmpty)
    }

    @Test("on the plane, stops too far apart to measure are refused by name, never left out")
    func planarOverflow() {
        var stops = Self.rectangle()
        stops.first[2] = 1e308
        stops.first[3] = -1e308
        #expect(throws: JobError.self) { try TourJob(stops: stops, start: nil, settings: TripSettings()).planOnThePlane() }
        do {
            _ = try TourJob(stops: stops, start: nil, settings: TripSettings()).planOnThePlane()
        } catch {
            #expect(error.message.hasPrefix("The distance between stops c and d is too large to measure"), "\(error)")
        }
    }

    @Test("more stops than one plan takes are refused before any work, on the plane and along the roads, saying how to split them")
    func tooManyStops() throws {
        var stops = TourStops(source: "big.csv")
        let count = TripSettings.maximumPlaces + 1
        stops.ids = (1...count).map { "s\($0)" }
        stops.first = (1...count).map(Double.init)
        stops.second = Array(repeating: 0, count: count)
        stops.serviceMinutes = Array(repeating: nil, count: count)
        let refusal = JobError.invalidRequest("20001 places to plan (stops, start and end) are more than one plan takes, 20000: "
            + "split big.csv into lists of at most 20000 stops, by area, and plan each (with --workers to share one list).")
        let job = TourJob(stops: stops, start: nil, settings: TripSettings())
        #expect(throws: refusal) { try job.planOnThePlane() }
        // Refused before the road network is built: this town has no roads, which would be the error otherwise.
        let town = try TestTown(roads: false)
        defer { town.remove() }
        #expect(throws: refusal) { try job.planOnTheRoads(of: try LoadedTown.data(from: town.store), mode: .walk) { _ in } }
        #expect(throws: Never.self) { try TripSettings.checkPlaceCount(TripSettings.maximumPlaces, split: "") }
    }

    @Test("along the roads, a start or end cut off from the stops is refused by id; a cut-off stop is listed with its reason")
    func cutOff() throws {
        let town = try TestTown()
        defer { town.remove() }
        let data = try LoadedTown.data(from: town.store)
        // "lost" lies on road-9, a track joined to nothing.
        var stops = TourStops(source: "stops.csv")
        stops.ids = ["w1", "h1", "lost"]
        stops.first = [119.805, 119.803, 119.8196]
        stops.second = [35.902, 35.903, 35.9094]
        stops.serviceMinutes = [nil, nil, nil]
        let plan = try TourJob(stops: stops, start: nil, settings: TripSettings()).planOnTheRoads(of: data, mode: .walk) { _ in }
        #expect(plan.unreachable == [2] && plan.workers[0].stops == [1])
        #expect(plan.unreachableReasons[2] == "its nearest road, road-9, is on a piece of road cut off from the start's")
        #expect(throws: JobError.invalidRequest("The start lost cannot reach any of the 2 stops: its nearest road, road-9, is on a piece "
            + "of road cut off from every stop's. Start from a place on the main roads (--start ID).")) {
            try TourJob(stops: stops, start: "lost", settings: TripSettings()).planOnTheRoads(of: data, mode: .walk) { _ in }
        }
        var ending = TripSettings()
        ending.end = "lost"
        #expect(throws: JobError.invalidRequest("The end lost cannot be reached from the start w1: their nearest roads, road-9 and road-4, "
            + "are on pieces of road that no road joins.")) {
            try TourJob(stops: stops, start: nil, settings: ending).planOnTheRoads(of: data, mode: .walk) { _ in }
        }
    }

    @Test("on the plane there are no travel times: service minutes, a minutes limit or a start time are refused")
    func planarHasNoMinutes() {
        var settings = TripSettings()
        settings.serviceMinutes = 5
        #expect(throws: JobError.invalidRequest("--service-min, --max-minutes and --start-time need travel times along the roads; they do not go with --planar.")) {
            try TourJob(stops: Self.rectangle(), start: nil, settings: settings).planOnThePlane()
        }
    }

    @Test("an --end or --start that is not a stop is refused by its id")
    func unknownEnds() {
        var settings = TripSettings()
        settings.end = "z"
        #expect(throws: JobError.invalidRequest("--end z is not a stop in rectangle.")) {
            try TourJob(stops: Self.rectangle(), start: nil, settings: settings).planOnThePlane()
        }
        #expect(throws: JobError.invalidRequest("--start y is not a stop in rectangle.")) {
            try TourJob(stops: Self.rectangle(), start: "y", settings: TripSettings()).planOnThePlane()
        }
    }

    @Test("settings out of range and clock times that are not HH:MM are refused")
    func settingsChecks() throws {
        var settings = TripSettings()
        settings.workers = 0
        #expect(throws: JobError.invalidRequest("--workers must be from 1 to 10000, got 0.")) { try settings.check() }
        settings.workers = 1
        // Past these bounds the arithmetic overflows (a budget in milliseconds) or the plan is no plan.
        for edit: (inout TripSettings) -> Void in [{ $0.timeBudget = 1e308 }, { $0.timeBudget = .infinity }, { $0.serviceMinutes = 1e300 },
                                                     { $0.maxMinutes = 1e300 }, { $0.workers = 1_000_000_000 }] {
            var wrong = settings
            edit(&wrong)
            #expect(throws: JobError.self) { try wrong.check() }
        }
        #expect(throws: JobError.self) { try TripSettings.minute(ofClock: "8:30") }
        #expect(throws: JobError.self) { try TripSettings.minute(ofClock: "24:00") }
        #expect(try TripSettings.minute(ofClock: "08:30") == 510)
    }

    @Test("the veterans of TT-001 are visited from the service station along the roads and back")
    func outreachRoute() throws {
        let town = try TestTown()
        defer { town.remove() }
        var job = OutreachJob(categories: "veteran")
        (job.grids, job.role) = (["TT-001"], .gridWorker(GridCode("TT-001")!))
        var notices: [String] = []
        let plan = try job.plan(from: town.store) { notices.append($0) }
        #expect(plan.start.id == "svc-1")
        #expect(plan.homes.map(\.id) == ["home-1"])
        #expect(plan.homes[0].residents == ["R-1"])
        #expect(plan.residentCount == 1)
        let worker = try #require(plan.trip.workers.first)
        #expect(worker.visits.map { plan.id(ofNode: $0.node) } == ["svc-1", "home-1", "svc-1"])
        // There and back along the same roads.
        #expect(abs(worker.visits[1].legDistance - worker.visits[2].legDistance) < 0.01)
        #expect(worker.route != nil)
        #expect(notices == ["the roads form 2 unconnected pieces; 1 road lies apart from the largest: road-9"], "\(notices)")
        // The report says which topology rule made the junctions (the fixture's manifest names none).
        #expect(plan.trip.roadNotes.count == 1 && plan.trip.roadNotes[0].hasSuffix("(roadTopology noded-crossings)"), "\(plan.trip.roadNotes)")
    }

    @Test("outreach refuses an area given twice, an unknown grid, and a team too small for --own-grid")
    func outreachRefusals() throws {
        let town = try TestTown()
        defer { town.remove() }
        var twice = OutreachJob(categories: "veteran")
        (twice.grids, twice.village) = (["TT-001"], "TT-V01")
        #expect(throws: JobError.invalidRequest("Give one area: --grid (repeatable), --micro-grid or --village.")) { try twice.check() }
        var unknown = OutreachJob(categories: "veteran")
        unknown.grids = ["TT-009"]
        #expect(throws: JobError.invalidRequest("Unknown grid TT-009: the town has TT-001, TT-002.")) {
            try unknown.plan(from: town.store) { _ in }
        }
        var own = OutreachJob(categories: "disabled")
        (own.grids, own.ownGrid, own.role) = (["TT-002"], true, .office)
        #expect(throws: JobError.self) { try own.plan(from: town.store) { _ in } }
        do {
            _ = try own.plan(from: town.store) { _ in }
        } catch {
            #expect(error.message.hasPrefix("Grid TT-002 has 1 homes to visit but 0 team members"))
        }
    }

    @Test("outreach needs a role that sees every grid of the area: the public and another grid's worker are refused")
    func outreachRoles() throws {
        let town = try TestTown()
        defer { town.remove() }
        var job = OutreachJob(categories: "veteran,disabled")
        job.village = "TT-V01"
        #expect { try job.plan(from: town.store) { _ in } } throws: { error in
            (error as? JobError)?.kind == .forbidden && "\(error)".contains("the public sees no resident")
        }
        job.role = .gridWorker(GridCode("TT-001")!)
        #expect(throws: JobError.forbidden("--role grid-worker:TT-001 sees the residents of its own grid only, not those of grid TT-002.")) {
            try job.plan(from: town.store) { _ in }
        }
        job.role = .gridWorker(GridCode("TT-009")!)
        #expect(throws: JobError.self) { try job.plan(from: town.store) { _ in } }
        job.role = .office
        #expect(try job.plan(from: town.store) { _ in }.homes.map(\.id).sorted() == ["home-1", "home-2"])
    }

    @Test("the nearest well by road is never nearer than by straight line, and is the same well here")
    func nearestByRoadAndLine() throws {
        let town = try TestTown()
        defer { town.remove() }
        let data = try LoadedTown.data(from: town.store, .features)
        let kind = try RequestParsing.featureKind("wells", in: data)
        let loaded = try LoadedTown(data: data, indexing: [kind])
        var query = NearestQuery(kind: kind, longitude: 119.803, latitude: 35.903)
        let line = try query.answer(on: loaded) { _ in }
        query.metric = .road
        let road = try query.answer(on: loaded) { _ in }
        #expect(line.features.map(\.id) == ["well-1"])
        #expect(road.features.map(\.id) == ["well-1"])
        #expect(road.features[0].distance >= line.features[0].distance)
        #expect(throws: JobError.self) { try RequestParsing.featureKind("volcanoes", in: data) }
    }
}
