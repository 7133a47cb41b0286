import Foundation
import GridMapApp
import GridMapCore
import Hummingbird

/// The whistle flow over HTTP: list, read and raise events, take their steps as the viewer's own
/// actor (`context.viewer.actor`: a grid's team member, a department or the town office), a
/// department's queue with its deadlines, the overdue steps, the rates and their chart.
///
/// Everyone may read events as ``EventRecord`` shows them to their role. Acting needs an actor:
/// without one, or when the flow's rules on who acts refuse the viewer (a department on another's
/// part, a part-time member whistling), 403; a step the event's state does not allow, 409; an
/// unknown event, 404.
extension GridMapServer {
    static func addEventRoutes(to router: Router<ServerContext>, _ services: ServerServices) {
        let desk = services.town.desk

        router.get("events") { request, context -> Response in
            let now = Date()
            let records = try desk.events(try EventFilters(request.uri.queryParameters).query).map { EventRecord($0, for: context.viewer, desk: desk, now: now) }
            noteReads(records, context)
            return try json(records)
        }

        router.post("events") { request, context -> Response in
            let body = try EventBody(try await services.body(of: request))
            let event = try desk.raise(try body.raiseRequest(), as: context.viewer, at: Date())
            let record = EventRecord(event, for: context.viewer, desk: desk, now: Date())
            noteReads([record], context)
            return try json(record, status: .created)
        }

        router.get("events/overdue") { request, context -> Response in
            let now = Date()
            let overdue = try desk.overdue(try EventFilters(request.uri.queryParameters).query, now: now)
            return try json(overdue.flatMap { event, steps in
                steps.map { step in
                    OverdueStep(event: event.id, grid: event.report.grid.description, step: step.kind.rawValue, department: step.department,
                                due: step.deadline, hoursOverdue: (now.timeIntervalSince(step.deadline) / 360).rounded() / 10,
                                escalated: event.escalated.contains(step))
                }
            })
        }

        router.get("events/rates") { request, _ -> Response in
            let parameters = request.uri.queryParameters
            let text = parameters.get("by") ?? "town"
            guard let grouping = EventGrouping(rawValue: text) else {
                throw JobError.invalidRequest("by is one of \(EventGrouping.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'.")
            }
            let table = try desk.rates(by: grouping, try EventFilters(parameters).query, now: Date())
            return try json(RatesAnswer(table))
        }

        router.get("events/chart.svg") { request, _ -> Response in
            let parameters = request.uri.queryParameters
            let title = parameters.get("title") ?? "\(services.town.name)民生事件月度指标"
            let svg = try desk.ratesChart(try EventFilters(parameters).query, now: Date(), title: title)
            return Response(status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: svg)))
        }

        router.get("events/:id") { _, context -> Response in
            let record = EventRecord(try desk.event(try context.parameters.require("id")), for: context.viewer, desk: desk, now: Date())
            noteReads([record], context)
            return try json(record)
        }

        router.post("events/:id/:action") { request, context -> Response in
            let id = try context.parameters.require("id")
            let body = try EventBody(try await services.body(of: request))
            let event = try desk.act(try body.actionRequest(try context.parameters.require("action")), on: id, as: context.viewer, at: Date())
            let record = EventRecord(event, for: context.viewer, desk: desk, now: Date())
            noteReads([record], context)
            return try json(record)
        }

        router.get("departments/:code/queue") { _, context -> Response in
            let queue = try desk.queue(of: try context.parameters.require("code"), for: context.viewer, now: Date())
            noteReads(queue.map(\.event), context)
            return try json(queue)
        }
    }

    /// Tells the audit log what personal data `records` carry.
    static func noteReads(_ records: [EventRecord], _ context: ServerContext) {
        for record in records where !record.personalData.isEmpty { context.note.readPersonalData(record.personalData) }
    }

    /// `value` as JSON: snake_case keys, times in ISO 8601 (UTC), keys sorted.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    struct OverdueStep: Encodable {
        var event: String
        var grid: String
        var step: String
        var department: String?
        var due: Date
        var hoursOverdue: Double
        var escalated: Bool
    }
}

/// The filters of the event lists: `grid`, `village`, `state`, `department`, `category`, `from`,
/// `to` (raised at or after, before; ISO 8601 or a local time in Asia/Shanghai), as the command
/// line's `event list` takes them.
struct EventFilters {
    var query = EventQuery()

    init(_ parameters: Parameters) throws {
        query.grid = try parameters.get("grid").map { try RequestParsing.grid($0) }
        query.village = parameters.get("village")
        if let text = parameters.get("state") {
            guard let phase = EventPhase(rawValue: text) else {
                throw JobError.invalidRequest("state is one of \(EventPhase.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'.")
            }
            query.phase = phase
        }
        query.department = parameters.get("department")
        query.category = parameters.get("category")
        query.from = try parameters.get("from").map { try EventTimes.parse($0, option: "from") }
        query.before = try parameters.get("to").map { try EventTimes.parse($0, option: "to") }
    }
}

/// The JSON body of `POST /events` and of an action: the raise's `category`, `urgency`,
/// `description`, `lon`, `lat`, `residents`, `reported_by_resident`; an action's `departments`,
/// `note`, `reason`, `satisfaction`, `deadline`. An empty body is an empty object.
struct EventBody: Decodable {
    var category: String?
    var urgency: String?
    var description: String?
    var lon: Double?
    var lat: Double?
    var residents: [String]?
    var reportedByResident: String?
    var departments: [String]?
    var note: String?
    var reason: String?
    var satisfaction: String?
    var deadline: String?

    init(_ body: ByteBuffer) throws {
        guard body.readableBytes > 0 else { return }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            self = try decoder.decode(EventBody.self, from: Data(buffer: body))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw JobError.invalidRequest("The JSON body's \(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type: \(context.debugDescription)")
        } catch {
            throw JobError.invalidRequest("The body is not a JSON object: \(error.localizedDescription)")
        }
    }

    func raiseRequest() throws -> RaiseRequest {
        guard let category else { throw JobError.invalidRequest("category is required.") }
        guard let lon, let lat else { throw JobError.invalidRequest("lon and lat (WGS84) are required: an event belongs to a micro-grid.") }
        guard let description else { throw JobError.invalidRequest("description is required.") }
        let level = try urgency.map { text in
            guard let level = Urgency(rawValue: text) else { throw JobError.invalidRequest("urgency is urgent or normal, not '\(text)'.") }
            return level
        } ?? .normal
        return RaiseRequest(category: category, urgency: level, description: description, location: .init(x: lon, y: lat),
                            reportedByResident: reportedByResident, residents: residents ?? [])
    }

    func actionRequest(_ action: String) throws -> EventActionRequest {
        var request = EventActionRequest(action: action)
        request.departments = departments ?? []
        request.note = note ?? ""
        (request.reason, request.satisfaction) = (reason, satisfaction)
        request.deadline = try deadline.map { try EventTimes.parse($0, option: "deadline") }
        return request
    }
}

/// The rates table as JSON: one row per group and the total (`definitions` in docs/EVENTS.md).
struct RatesAnswer: Encodable {
    struct Row: Encodable {
        var group: String
        var collected, whistled, dispatches, reportedIn, reportedInOnTime, resolved, resolvedOnTime, closed, satisfied, sentBack, overdueNow, escalations: Int
        var reportInRate, onTimeReportInRate, resolutionRate, onTimeResolutionRate, satisfactionRate: Double?
        /// Per stage, hours: average and 90th percentile.
        var stageHours: [String: [String: Double?]]

        init(_ group: String, _ tally: EventTally) {
            self.group = group
            (collected, whistled, dispatches, reportedIn) = (tally.collected, tally.whistled, tally.dispatches, tally.reportedIn)
            (reportedInOnTime, resolved, resolvedOnTime, closed) = (tally.reportedInOnTime, tally.resolved, tally.resolvedOnTime, tally.closed)
            (satisfied, sentBack, overdueNow, escalations) = (tally.satisfied, tally.sentBack, tally.overdueNow, tally.escalations)
            (reportInRate, onTimeReportInRate, resolutionRate) = (tally.reportInRate, tally.onTimeReportInRate, tally.resolutionRate)
            (onTimeResolutionRate, satisfactionRate) = (tally.onTimeResolutionRate, tally.satisfactionRate)
            stageHours = Dictionary(uniqueKeysWithValues: EventStage.allCases.map { stage in
                (stage.rawValue, ["average": tally.average(stage).map { $0 / 3600 }, "p90": tally.percentile90(stage).map { $0 / 3600 }])
            })
        }
    }

    var by: String
    var rows: [Row]
    var total: Row

    init(_ table: EventRateTable) {
        by = table.grouping.rawValue
        // A town's table by town is its total alone; a district's has a row per town.
        rows = table.grouping == .town && !table.isDistrict ? [] : table.rows.map { Row($0.group, $0.tally) }
        total = Row(table.grouping == .department ? "any department" : table.isDistrict ? "district" : "town", table.total)
    }
}
