import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
import Hummingbird

/// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the event desk, under
/// `/open311/v2/`: `discovery`, `services` (the event catalogue), `services/{code}`, `requests`
/// (GET with filters; POST to report a problem at a point) and `requests/{id}`, each as `.json`
/// or `.xml`.
///
/// GridMap's extensions, documented in docs/SERVER.md: a request carries `grid`, `micro_grid`,
/// `village`, `gridmap_state` (the flow's full state; `status` is `closed` only when the event is
/// closed) and `gridmap_departments` (each whistled department's part and deadlines); the list
/// filters by `grid`, `micro_grid` and `state` too; a POST's answer adds the grid, micro-grid,
/// village and the grid's public team. Errors inside `/open311/v2/` are Open311's own error list
/// (`[{"code":400,"description":"…"}]`, or `<errors>` in XML), with the same HTTP status a
/// problem document would have: Open311 clients parse that shape, not RFC 9457.
extension GridMapServer {
    static func addOpen311Routes(to router: Router<ServerContext>, _ services: ServerServices) {
        let group = router.group("open311/v2").add(middleware: Open311ErrorMiddleware())
        let desk = services.town.desk

        // A route per format: a path component is matched whole, so `services.json` and
        // `services.xml` are two routes.
        for format in Open311Format.allCases {
            addOpen311Routes(to: group, format, services, desk)
        }

        group.get("services/:file") { _, context -> Response in
            let (code, format) = try Open311Format.split(context)
            let service = try desk.publicService(code)
            return format.response(.object([("service_code", .string(service.code)), ("attributes", .list("attribute", []))]),
                                   root: "service_definition")
        }

        group.get("requests/:file") { _, context -> Response in
            let (id, format) = try Open311Format.split(context)
            let record = EventRecord(try desk.event(id), for: context.viewer, desk: desk, now: Date())
            return format.response(.list("request", [.request(record)]), root: "service_requests")
        }
    }

    /// The routes whose path ends in `.json` or `.xml`, for `format`.
    private static func addOpen311Routes(to group: RouterGroup<ServerContext>, _ format: Open311Format, _ services: ServerServices, _ desk: EventDesk) {
        let suffix = format.rawValue
        group.get("discovery.\(suffix)") { request, context -> Response in
            let base = "\(request.head.scheme ?? "http")://\(request.head.authority ?? "127.0.0.1")/open311/v2"
            let endpoint: Open311Value = .object([
                ("specification", .string("http://wiki.open311.org/GeoReport_v2")), ("url", .string(base)),
                ("changeset", .string(Open311Format.changeset)), ("type", .string("production")),
                ("formats", .list("format", [.string("application/json"), .string("text/xml")])),
            ])
            return format.response(.object([
                ("changeset", .string(Open311Format.changeset)),
                ("contact", .string("\(services.town.name) 网格化服务管理中心 (the town's grid office)")),
                ("key_service", .string("No API key: a report from the public is raised by the grid's liaison on its behalf.")),
                ("endpoints", .list("endpoint", [endpoint])),
            ]), root: "discovery")
        }

        group.get("services.\(suffix)") { _, _ -> Response in
            format.response(.list("service", desk.publicServices.map(Open311Value.service)), root: "services")
        }

        group.get("requests.\(suffix)") { request, context -> Response in
            let query = try Open311Query(request.uri.queryParameters).query
            let now = Date()
            let records = try desk.publicRequests(query).map { Open311Value.request(EventRecord($0, for: context.viewer, desk: desk, now: now)) }
            return format.response(.list("request", records), root: "service_requests")
        }

        group.post("requests.\(suffix)") { request, context -> Response in
            let form = try Open311Form(try await services.body(of: request), contentType: request.headers[.contentType])
            let receipt = try desk.report(try form.report(), as: context.viewer, at: Date())
            let event = receipt.event.report
            let answer: Open311Value = .object([
                ("service_request_id", .string(receipt.event.id)),
                ("service_notice", .string("Raised for you by grid \(event.grid)'s \(Self.raiserText(receipt.raisedBy)); call the team below about it.")),
                ("account_id", .null),
                ("grid", .string(event.grid.description)), ("micro_grid", .string(event.microGrid.description)),
                ("village", .string(event.villageCode)),
                ("team", .list("member", receipt.team.map { member in
                    .object([("role", .string(member.role.rawValue)), ("name", .string(member.name)), ("phone", member.phone.map(Open311Value.string) ?? .null)])
                })),
            ])
            var response = format.response(.list("request", [answer]), root: "service_requests")
            response.status = .created
            return response
        }
    }

    /// Who raised a public report, as its notice says it.
    static func raiserText(_ actor: EventActor) -> String {
        switch actor {
        case .teamMember(_, let role, _): role == .liaison ? "liaison (民情联络员)" : "\(role.rawValue)"
        case .office: "town office"
        case .department, .system: "team"
        }
    }
}

/// The answer's format, from the path's `.json` or `.xml`.
enum Open311Format: String, CaseIterable {
    case json, xml

    /// The version of the interface, for discovery.
    static let changeset = "2026-05-01T00:00:00Z"

    /// `{name}.{format}` of the path's last part.
    static func split(_ context: ServerContext) throws -> (String, Open311Format) {
        let file = context.parameters.get("file") ?? ""
        guard let dot = file.lastIndex(of: "."), let format = Open311Format(rawValue: String(file[file.index(after: dot)...])) else {
            throw JobError.notFound("Open311 answers \(file).json or \(file).xml.")
        }
        return (String(file[..<dot]), format)
    }

    /// The format of a request's path (for its errors): XML when it ends in `.xml`.
    init(path: String) { self = path.hasSuffix(".xml") ? .xml : .json }

    func response(_ value: Open311Value, root: String, status: HTTPResponse.Status = .ok) -> Response {
        let (text, type) = switch self {
        case .json: (value.json, "application/json; charset=utf-8")
        case .xml: ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + value.xml(root), "text/xml; charset=utf-8")
        }
        return Response(status: status, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Turns every error inside `/open311/v2/` into Open311's error list, with the status the
/// problem document would have had (``ProblemMiddleware`` decides the status and wording).
struct Open311ErrorMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            if !ProblemDocument.showsDetail(of: error) { context.logger.error("\(request.method) \(request.uri.path): \(error)") }
            let problem = ProblemDocument(of: error)
            let detail = ([problem.detail ?? problem.title] + (problem.errors ?? [])).joined(separator: "\n")
            let list: Open311Value = .list("error", [.object([("code", .int(problem.status)), ("description", .string(detail))])])
            return Open311Format(path: request.uri.path).response(list, root: "errors", status: HTTPResponse.Status(code: problem.status, reasonPhrase: problem.title))
        }
    }
}
