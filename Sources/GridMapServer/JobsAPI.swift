import CSV
import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
import HTTPTypes
import Hummingbird

/// The command line's jobs as endpoints under `/jobs/`: locate (one point, or a CSV or GeoJSON
/// batch in the body), nearest (straight or by road), select and counts (residents only as the
/// viewer's role may see them), assign (a ledger), tour and route (GeoJSON back), and the map as
/// SVG or PNG. Each takes the command's options as query parameters with the same names
/// (`max_distance` for `--max-distance`) and answers the command's refusals as 400s.
extension GridMapServer {
    /// How many bad rows a refused batch lists (the count says how many more there were).
    static let listedProblems = 100

    static func addJobRoutes(to router: Router<ServerContext>, _ services: ServerServices) {
        let town = services.town.town
        let locate = LocateJob(atlas: town.atlas)

        router.get("jobs/locate") { request, _ -> Response in
            let parameters = request.uri.queryParameters
            let location = try locate.locate(longitude: try parameters.number("lon", required: true)!, latitude: try parameters.number("lat", required: true)!)
            return FeaturesAPI.bytesResponse(LocateAnswer(location).json.jsonBytes, type: "application/json")
        }

        router.post("jobs/locate") { request, _ -> Response in
            let body = Array(buffer: try await services.body(of: request))
            let parameters = request.uri.queryParameters
            let batch: LocatedBatch
            let type: String
            switch BodyFormat(request.headers[.contentType]) {
            case .csv:
                let settings = PointCSVSettings(xColumn: parameters.get("x_column"), yColumn: parameters.get("y_column"), crs: parameters.get("crs"))
                batch = try locate.locateCSV(body, name: "request body", settings: settings)
                type = "text/csv; charset=utf-8"
            case .geojson:
                batch = try locate.locateGeoJSON(body, name: "request body")
                type = "application/geo+json"
            case nil:
                throw JobError.invalidRequest("Post the points as text/csv or application/geo+json (Content-Type), not \(request.headers[.contentType] ?? "nothing").")
            }
            try checkBadRows(batch.problems, keep: parameters.get("bad_rows"), rows: batch.rows)
            return Response(status: .ok, headers: [.contentType: type, HTTPField.Name("GridMap-Summary")!: "rows \(batch.rows), inside \(batch.inside), outside \(batch.outside), bad \(batch.problems.count)"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: batch.body)))
        }

        router.get("jobs/nearest") { request, _ -> Response in
            let parameters = request.uri.queryParameters
            let kind = try RequestParsing.featureKind(try parameters.needed("kind"), in: town.data)
            var query = NearestQuery(kind: kind, longitude: try parameters.number("lon", required: true)!, latitude: try parameters.number("lat", required: true)!)
            query.k = try parameters.integer("k", in: 1...1000) ?? 1
            query.maxDistance = try parameters.number("max_distance", atLeast: 0) ?? .infinity
            query.sameGrid = try parameters.flag("same_grid")
            let metric = parameters.get("by") ?? "line"
            guard let chosen = NearestQuery.Metric(rawValue: metric) else { throw JobError.invalidRequest("by is line or road, not '\(metric)'.") }
            query.metric = chosen
            var notices: [String] = []
            let answer = try query.answer(on: town) { notices.append($0) }
            return try json(NearestAnswer(answer, kind: kind, metric: chosen, town: town.data, notices: notices))
        }

        router.get("jobs/select") { request, context -> Response in
            let parameters = request.uri.queryParameters
            let selection = try ResidentSelection(store: services.town.store)
            let rows = try selection.residents(of: try selection.categories(parameters.get("category")), in: try ResidentAreaQuery(parameters).area,
                                               as: context.viewer.role)
            if !rows.isEmpty { context.note.readPersonalData("residents selected (\(request.uri.query ?? "whole town")): \(rows.count)") }
            if parameters.get("f") == "geojson" {
                return try geoJSON(rows.map(ResidentSelection.feature))
            }
            try checkFormat(parameters.get("f"), ["csv", "geojson"])
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: ResidentSelection.csv(rows))))
        }

        router.get("jobs/counts") { request, context -> Response in
            let selection = try ResidentSelection(store: services.town.store)
            let counts = try selection.counts(of: try selection.categories(request.uri.queryParameters.get("category")), as: context.viewer.role)
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: counts.csv)))
        }

        router.post("jobs/assign") { request, _ -> Response in
            guard BodyFormat(request.headers[.contentType]) == .csv else { throw JobError.invalidRequest("Post the ledger as text/csv.") }
            let table = try csvTable(Array(buffer: try await services.body(of: request)))
            let job = AssignLedgerJob(data: town.data, atlas: town.atlas)
            let sink = MemorySink()
            let report = try job.run(table, addressColumn: request.uri.queryParameters.get("address_column"), to: sink) { _ in }
            try checkSize(report.tally.rows, LocateJob.maximumBatchRows)
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", HTTPField.Name("GridMap-Summary")!: report.tally.summary],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: sink.bytes)))
        }

        router.post("jobs/tour") { request, _ -> Response in
            guard BodyFormat(request.headers[.contentType]) == .csv else { throw JobError.invalidRequest("Post the stops as text/csv: id,lon,lat[,service_min].") }
            let parameters = request.uri.queryParameters
            var badRows: [String] = []
            let stops = try TourStops.read(try csvTable(Array(buffer: try await services.body(of: request))), planar: false) { badRows.append($0) }
            try checkBadRows(badRows, keep: nil, rows: stops.ids.count + badRows.count)
            let job = TourJob(stops: stops, start: parameters.get("start"), settings: try TripQuery(parameters).settings)
            let mode = try TripQuery.mode(parameters)
            let plan = try job.planOnTheRoads(of: town.data, mode: mode) { _ in }
            let features = plan.routeFeatures { worker in
                ["profile": .string(mode.rawValue), "stop_ids": .array(worker.stops.map { .string(stops.ids[$0]) })]
            }
            return try geoJSON(features, foreign: ["left_out": .array(plan.leftOut.map { .string(stops.ids[$0]) })])
        }

        router.get("jobs/route") { request, context -> Response in
            let parameters = request.uri.queryParameters
            var job = OutreachJob(categories: try parameters.needed("category"))
            job.grids = parameters.getAll("grid")
            (job.microGrid, job.village, job.start) = (parameters.get("micro_grid"), parameters.get("village"), parameters.get("start"))
            job.mode = try TripQuery.mode(parameters)
            job.ownGrid = try parameters.flag("own_grid")
            job.role = context.viewer.role
            job.settings = try TripQuery(parameters).settings
            try job.check()
            let plan = try job.plan(from: services.town.store) { _ in }
            context.note.readPersonalData("homes of residents of \(job.categories) for an outreach route: \(plan.homes.count) homes, \(plan.residentCount) residents")
            let features = plan.trip.routeFeatures { worker in
                ["start": .string(plan.start.id), "profile": .string(job.mode.rawValue), "homes": .array(worker.stops.map { .string(plan.id(ofNode: $0)) })]
            }
            return try geoJSON(features, foreign: ["left_out": .array(plan.trip.leftOut.map { .string(plan.id(ofNode: $0)) })])
        }

        router.get("jobs/map.svg") { request, _ -> Response in
            let map = try TownMapQuery(request.uri.queryParameters).map.render(from: services.town.store)
            return Response(status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: map.svg)))
        }

        router.get("jobs/map.png") { request, _ -> Response in
            let parameters = request.uri.queryParameters
            let map = try TownMapQuery(parameters).map.render(from: services.town.store)
            let png = try MapImages.png(ofSVG: map.svg, dpi: try parameters.integer("dpi", in: 36...600) ?? 150)
            return Response(status: .ok, headers: [.contentType: "image/png"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: png)))
        }
    }

    /// Refuses a batch with bad rows (422, each row's located message), unless the caller said
    /// `bad_rows=keep`: then the rows are answered as the command line writes them, bad ones with
    /// empty codes.
    static func checkBadRows(_ problems: [String], keep: String?, rows: Int) throws {
        if let keep, keep != "keep", keep != "refuse" { throw JobError.invalidRequest("bad_rows is keep or refuse, not '\(keep)'.") }
        guard !problems.isEmpty, keep != "keep" else { return }
        var listed = Array(problems.prefix(listedProblems))
        if problems.count > listedProblems { listed.append("… and \(problems.count - listedProblems) more") }
        throw JobError(.rejected, "\(problems.count) of \(rows) rows are bad; nothing was answered (bad_rows=keep answers them with empty codes).", details: listed)
    }

    static func checkSize(_ rows: Int, _ limit: Int) throws {
        if rows > limit { throw JobError.invalidRequest("The body has \(rows) rows; one request takes at most \(limit): split it.") }
    }

    static func checkFormat(_ value: String?, _ allowed: [String]) throws {
        if let value, !allowed.contains(value) { throw JobError.invalidRequest("f is \(allowed.joined(separator: " or ")), not '\(value)'.") }
    }

    static func csvTable(_ bytes: [UInt8]) throws -> CSVTable {
        do throws(CSVTableError) {
            return try CSVTable(bytes: bytes, name: "request body")
        } catch {
            throw JobError(.invalidRequest, error.message)
        }
    }

    /// `features` as a GeoJSON FeatureCollection with `foreign` members.
    static func geoJSON(_ features: [Feature], foreign: JSONObject = JSONObject()) throws -> Response {
        let sink = MemorySink()
        do throws(GeoJSONError) {
            let writer = GeoJSONWriter(sink: sink)
            try writer.beginCollection(foreignMembers: foreign)
            for feature in features { try writer.write(feature) }
            try writer.finish()
        } catch {
            throw JobError.failed(error, while: "writing GeoJSON")
        }
        return Response(status: .ok, headers: [.contentType: "application/geo+json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: sink.bytes)))
    }
}

/// What a batch body is, by its Content-Type.
enum BodyFormat {
    case csv, geojson

    init?(_ contentType: String?) {
        let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        switch type {
        case "text/csv": self = .csv
        case "application/geo+json", "application/json": self = .geojson
        default: return nil
        }
    }
}
