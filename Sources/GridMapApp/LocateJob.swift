import ByteOutput
import CSV
import GeoJSON
import GridMapCore

/// Where one point is, as an answer a shell can write: inside the town, its micro-grid, grid,
/// village and the grid's public team (chief and liaison, as on a village notice board); outside,
/// how far and which micro-grid is nearest.
public struct LocateAnswer: Sendable, Encodable {
    public struct Member: Sendable, Encodable {
        public var role: String
        public var name: String
        public var phone: String?
    }

    public var inside: Bool
    public var microGrid: String?
    public var microGridName: String?
    public var grid: String?
    public var gridName: String?
    public var village: String?
    public var villageName: String?
    public var team: [Member]?
    /// Outside: metres to the nearest micro-grid.
    public var distanceM: Double?
    public var nearestMicroGrid: String?

    public init(_ location: Location) {
        switch location {
        case .inside(let place):
            inside = true
            (microGrid, microGridName) = (place.microGrid.code.description, place.microGrid.name)
            (grid, gridName) = (place.grid?.code.description, place.grid?.name)
            (village, villageName) = (place.village?.code, place.village?.name)
            team = [place.chief, place.liaison].compactMap { $0 }.map { Member(role: $0.role.rawValue, name: $0.name, phone: $0.phone) }
        case .outside(let outside):
            inside = false
            distanceM = (outside.distance * 10).rounded() / 10
            nearestMicroGrid = outside.nearestMicroGrid.description
        }
    }

    /// The answer as the server sends it: what `JSONEncoder` with sorted, snake_case keys writes
    /// (absent members left out), made by hand because the encoder was a fifth of a locate
    /// request's time. A test decodes both and compares them.
    public var json: JSONObject {
        var object = JSONObject()
        func put(_ key: String, _ value: String?) { if let value { object[key] = .string(value) } }
        if let distanceM { object["distance_m"] = .number(JSONNumber(distanceM)) }
        put("grid", grid)
        put("grid_name", gridName)
        object["inside"] = .bool(inside)
        put("micro_grid", microGrid)
        put("micro_grid_name", microGridName)
        put("nearest_micro_grid", nearestMicroGrid)
        if let team {
            object["team"] = .array(team.map { member in
                var entry = JSONObject()
                entry["name"] = .string(member.name)
                if let phone = member.phone { entry["phone"] = .string(phone) }
                entry["role"] = .string(member.role)
                return .object(entry)
            })
        }
        put("village", village)
        put("village_name", villageName)
        return object
    }
}

/// A batch's located answer, built whole: the input's rows or features with the micro-grid and
/// grid added, and one located message per bad row or feature (``problems``), worded as the
/// command line words them.
public struct LocatedBatch: Sendable {
    public var body: [UInt8]
    public var rows = 0, inside = 0, outside = 0
    public var problems: [String] = []
}

/// `locate`: one point, or a batch of points as CSV (the command line's `--csv` rules) or as a
/// GeoJSON FeatureCollection of points, for every shell.
public struct LocateJob: Sendable {
    public let atlas: Atlas
    /// The most rows or features one batch request may hold.
    public static let maximumBatchRows = 100_000

    public init(atlas: Atlas) { self.atlas = atlas }

    /// Where `longitude`,`latitude` (WGS84) is.
    public func locate(longitude: Double, latitude: Double) throws(JobError) -> Location {
        guard longitude.isFinite, latitude.isFinite, (-180...180).contains(longitude), (-90...90).contains(latitude) else {
            throw .invalidRequest("lon must be -180 to 180 and lat -90 to 90 (WGS84 degrees); got \(longitude),\(latitude).")
        }
        return try asJobError(.invalidRequest, "the point \(longitude),\(latitude)") { try atlas.locate(longitude: longitude, latitude: latitude) }
    }

    /// Every row of the CSV `bytes` (named `name` in messages) with `microgrid,grid` added, as
    /// ``LocatePointsJob`` streams it for the command line.
    public func locateCSV(_ bytes: [UInt8], name: String, settings: PointCSVSettings = .init()) throws(JobError) -> LocatedBatch {
        let table: CSVTable
        do throws(CSVTableError) {
            table = try CSVTable(bytes: bytes, name: name)
        } catch {
            throw JobError(error)
        }
        let sink = MemorySink()
        var problems: [String] = []
        let summary = try LocatePointsJob(atlas: atlas).run(table, settings, to: sink) { problems.append($0.description) }
        try Self.checkSize(summary.rows, name: name)
        return LocatedBatch(body: sink.bytes, rows: summary.rows, inside: summary.inside, outside: summary.outside, problems: problems)
    }

    /// Every feature of the GeoJSON `bytes` with `micro_grid` and `grid` added to its properties
    /// (null outside the town). A feature that is not a point, or not valid GeoJSON, is a problem
    /// named by its index and written back without the two properties; JSON that cannot be read
    /// stops the batch (``JobError/Kind/rejected``).
    public func locateGeoJSON(_ bytes: [UInt8], name: String) throws(JobError) -> LocatedBatch {
        var features: [Feature?] = []
        var points: [(feature: Int, position: Position)] = []
        var problems: [String] = []
        for result in FeatureReader(bytes: bytes) {
            switch result {
            case .success(let feature):
                if case .point(let position)? = feature.geometry {
                    points.append((features.count, position))
                } else {
                    problems.append("\(name): feature \(features.count): not a Point geometry; nothing to locate")
                }
                features.append(feature)
            case .failure(let error):
                if error.featureIndex == nil { throw JobError(.rejected, "\(name): \(error)") }
                problems.append("\(name): \(error)")
                features.append(nil)
            }
            try Self.checkSize(features.count, name: name)
        }
        let indices = atlas.locateAll(longitudes: points.map(\.position.x), latitudes: points.map(\.position.y))
        var codes: [Int: MicroGrid] = [:]
        for (index, point) in points.enumerated() where indices[index] >= 0 { codes[point.feature] = atlas.microGrids[Int(indices[index])] }
        let located = Set(points.map(\.feature))
        let sink = MemorySink()
        do throws(GeoJSONError) {
            let writer = GeoJSONWriter(sink: sink)
            try writer.beginCollection()
            for (index, feature) in features.enumerated() {
                guard var feature else { continue }
                if located.contains(index) {
                    var properties = feature.properties ?? JSONObject()
                    properties["micro_grid"] = codes[index].map { .string($0.code.description) } ?? .null
                    properties["grid"] = codes[index].map { .string($0.gridCode.description) } ?? .null
                    feature.properties = properties
                }
                try writer.write(feature)
            }
            try writer.finish()
        } catch {
            throw .failed(error, while: "writing the located features")
        }
        return LocatedBatch(body: sink.bytes, rows: features.count, inside: codes.count, outside: points.count - codes.count, problems: problems)
    }

    private static func checkSize(_ rows: Int, name: String) throws(JobError) {
        if rows > maximumBatchRows {
            throw .invalidRequest("\(name): more than \(maximumBatchRows) rows; split the batch.")
        }
    }
}
