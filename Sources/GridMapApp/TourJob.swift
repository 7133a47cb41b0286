import CSV
import Foundation
import GeoJSON
import GridMapCore
import GridStore
import Routing

/// The visiting order of any list of stops: along the town's roads, or on the plane
/// (straight-line distance in the given coordinates, no town needed).
public struct TourJob {
    public var stops: TourStops
    /// The stop to start from (default: the first).
    public var start: String?
    public var settings: TripSettings

    public init(stops: TourStops, start: String?, settings: TripSettings) {
        (self.stops, self.start, self.settings) = (stops, start, settings)
    }

    /// Plans on straight-line distance between the stops' coordinates.
    public func planOnThePlane() throws(JobError) -> TripPlan {
        let n = stops.ids.count
        var values = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                values[i * n + j] = hypot(stops.first[i] - stops.first[j], stops.second[i] - stops.second[j])
            }
        }
        let tours = try planner.plan(CostMatrix(rows: n, columns: n, values: values), start: try startNode(), ending: try ending())
        return WorkerTrips.planar(tours, labels: labels)
    }

    /// Plans on travel time along the town's roads under `mode`; `notice` hears what building the
    /// road network found.
    public func planOnTheRoads(of data: TownData, mode: TravelMode, notice: (String) -> Void) throws(JobError) -> TripPlan {
        let road = try RoadStops(data: data, positions: zip(stops.first, stops.second).map { Position(x: $0, y: $1) },
                                 ids: stops.ids, profile: mode.profile, notice: notice)
        let tours = try planner.plan(road.costs, start: try startNode(), ending: try ending())
        return try road.lay(tours, labels: labels)
    }

    private var labels: [String] { (1...settings.workers).map(String.init) }

    private var planner: WorkerTrips {
        var planner = WorkerTrips(settings: settings)
        for (node, minutes) in stops.serviceMinutes.enumerated() { planner.stopService[node] = minutes.map { $0 * 60 } }
        return planner
    }

    private func node(_ id: String, _ option: String) throws(JobError) -> Int {
        guard let node = stops.ids.firstIndex(of: id) else { throw .invalidRequest("\(option) \(id) is not a stop in \(stops.source).") }
        return node
    }

    private func startNode() throws(JobError) -> Int {
        guard let start else { return 0 }
        return try node(start, "--start")
    }

    private func ending() throws(JobError) -> TourPlanner.Ending {
        try settings.ending { (id) throws(JobError) in try node(id, "--end") }
    }
}

/// The stops of a tour CSV: ids, two coordinate columns (lon,lat or, on the plane, x,y) and the
/// optional service minutes.
public struct TourStops: Sendable {
    /// Where the stops came from, for messages.
    public var source: String
    public var ids: [String] = []
    public var first: [Double] = []
    public var second: [Double] = []
    /// Minutes spent at each stop from the service_min column; nil when absent or empty.
    public var serviceMinutes: [Double?] = []

    public init(source: String) { self.source = source }

    /// Reads `path` ("-" for standard input): a header `id,lon,lat` (`id,x,y` when `planar`),
    /// an optional `service_min` column. Every bad row goes to `badRow` with its line; then the
    /// job is refused, as it is for an empty list.
    public static func read(_ path: String, planar: Bool, badRow: (String) -> Void) throws(JobError) -> TourStops {
        guard let reader = CSVRecordReader(path: path) else {
            throw .invalidRequest("Cannot read \(path): \(String(cString: strerror(errno))).")
        }
        var reading = StopReading(path: path, planar: planar)
        do {
            while let block = try reader.nextBlock() {
                for record in block.records { try reading.add(record, of: block) }
            }
        } catch let error as JobError {
            throw error
        } catch {
            throw .invalidRequest("Cannot read \(path): \(error).")
        }
        guard reading.names != nil else { throw .invalidRequest("\(path) is empty: it needs a header id,\(reading.wanted) and stops.") }
        if !reading.bad.isEmpty {
            for problem in reading.bad { badRow("\(path): \(problem)") }
            throw .invalidRequest("\(path): \(reading.bad.count) bad rows; nothing planned.")
        }
        if reading.list.ids.isEmpty { throw .invalidRequest("\(path) lists no stops.") }
        return reading.list
    }

    /// The stops read so far, record by record: the header's columns, then each stop or why
    /// its row is bad.
    private struct StopReading {
        static let longitudeNames = ["lon", "lng", "long", "longitude"]
        static let latitudeNames = ["lat", "latitude"]

        let path: String
        let planar: Bool
        var names: [String]?
        var idColumn = 0, xColumn = 0, yColumn = 0
        var serviceColumn: Int?
        var list: TourStops
        var seen: [String: Int] = [:]
        var bad: [String] = []

        init(path: String, planar: Bool) {
            (self.path, self.planar) = (path, planar)
            list = TourStops(source: path)
        }

        /// The coordinate columns wanted, for messages.
        var wanted: String { planar ? "x,y" : "lon,lat" }

        mutating func add(_ record: CSVRecord, of block: CSVBlock) throws(JobError) {
            guard let names else { return try readHeader(record, of: block) }
            if block.isBlank(record) { return }
            let lineNumber = record.line
            if let problem = record.problem {
                bad.append("line \(lineNumber): \(problem)")
                return
            }
            guard record.fieldCount > max(idColumn, xColumn, yColumn) else {
                bad.append("line \(lineNumber): \(record.fieldCount) fields, the header has \(names.count)")
                return
            }
            let id = block.value(idColumn, of: record)
            guard !id.isEmpty else { bad.append("line \(lineNumber): no id"); return }
            guard let x = CSVNumber.parse(block.field(xColumn, of: record)),
                  let y = CSVNumber.parse(block.field(yColumn, of: record)) else {
                bad.append("line \(lineNumber): \(wanted) of \(id) are not numbers")
                return
            }
            if !planar, !(abs(x) <= 180 && abs(y) <= 90) {
                bad.append("line \(lineNumber): \(x),\(y) is not a WGS84 longitude,latitude (use --planar for x,y)")
                return
            }
            if let earlier = seen[id] { bad.append("line \(lineNumber): stop \(id) again (first on line \(earlier))"); return }
            var service: Double?
            if let serviceColumn, serviceColumn < record.fieldCount, !block.value(serviceColumn, of: record).isEmpty {
                guard let minutes = CSVNumber.parse(block.field(serviceColumn, of: record)), minutes >= 0 else {
                    bad.append("line \(lineNumber): service_min of \(id) is not a number of minutes ≥ 0")
                    return
                }
                service = minutes
            }
            seen[id] = lineNumber
            list.ids.append(id)
            list.first.append(x)
            list.second.append(y)
            list.serviceMinutes.append(service)
        }

        /// The first record: the header, which must name the id and coordinate columns.
        private mutating func readHeader(_ record: CSVRecord, of block: CSVBlock) throws(JobError) {
            let names = block.values(of: record).map { $0.lowercased() }
            let xNames = planar ? ["x"] : Self.longitudeNames
            let yNames = planar ? ["y"] : Self.latitudeNames
            guard let idColumn = names.firstIndex(of: "id"),
                  let xColumn = names.firstIndex(where: xNames.contains),
                  let yColumn = names.firstIndex(where: yNames.contains)
            else {
                throw .invalidRequest("\(path): line 1 must be the header id,\(wanted)"
                    + (planar ? "" : " (or id,x,y with --planar)") + ", not '\(String(decoding: block.bytes(of: record), as: UTF8.self))'.")
            }
            (self.names, self.idColumn, self.xColumn, self.yColumn) = (names, idColumn, xColumn, yColumn)
            serviceColumn = names.firstIndex(of: "service_min")
        }
    }
}
