import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
import Hummingbird

/// An Open311 answer, written as JSON or as XML from the same value: members keep their order,
/// and a list names its XML elements (`<services><service>…`).
indirect enum Open311Value {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case list(String, [Open311Value])
    case object([(String, Open311Value)])

    /// The value as JSON text (members sorted: JSON clients do not read order).
    var json: String {
        let data = (try? JSONSerialization.data(withJSONObject: foundation, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The value as Foundation's JSON objects.
    private var foundation: Any {
        switch self {
        case .string(let text): text
        case .int(let value): value
        case .double(let value): value.isFinite ? value as Any : NSNull()
        case .bool(let value): value
        case .null: NSNull()
        case .list(_, let items): items.map(\.foundation)
        case .object(let members): Dictionary(members.map { ($0.0, $0.1.foundation) }, uniquingKeysWith: { $1 })
        }
    }

    /// The value as the XML element `name`.
    func xml(_ name: String) -> String {
        switch self {
        case .null: "<\(name)/>"
        case .list(let element, let items): "<\(name)>" + items.map { $0.xml(element) }.joined() + "</\(name)>"
        case .object(let members): "<\(name)>" + members.map { $0.1.xml($0.0) }.joined() + "</\(name)>"
        case .string(let text): "<\(name)>\(Markup.escape(text))</\(name)>"
        case .int(let value): "<\(name)>\(value)</\(name)>"
        case .double(let value): value.isFinite ? "<\(name)>\(value)</\(name)>" : "<\(name)/>"
        case .bool(let value): "<\(name)>\(value)</\(name)>"
        }
    }

    static func time(_ date: Date?) -> Open311Value {
        guard let date else { return .null }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = EventClock.shanghai
        return .string(formatter.string(from: date))
    }

    /// A category as an Open311 service: Chinese name, English in the description, the default
    /// departments as the group.
    static func service(_ service: PublicService) -> Open311Value {
        .object([
            ("service_code", .string(service.code)), ("service_name", .string(service.name)),
            ("description", .string(service.englishName)), ("metadata", .bool(false)), ("type", .string("realtime")),
            ("keywords", .string(([service.code] + service.departments.map(\.code)).joined(separator: ","))),
            ("group", .string(service.departments.map(\.name).joined(separator: "、"))),
        ])
    }

    /// An event as an Open311 service request, from what the viewer may see of it.
    static func request(_ record: EventRecord) -> Open311Value {
        let pending = record.departments.filter { $0.state != "resolved" }.flatMap { [$0.state == "awaiting-report-in" ? $0.reportInDue : $0.resolutionDue] }
        let expected = (pending + [record.gridDue].compactMap { $0 }).min()
        let agency = record.departments.isEmpty ? "网格 \(record.grid)" : record.departments.map(\.name).joined(separator: "、")
        let notes = record.history.last(where: { $0.note != nil })?.note
        return .object([
            ("service_request_id", .string(record.id)),
            ("status", .string(record.state == EventPhase.closed.rawValue ? "closed" : "open")),
            ("status_notes", notes.map(Open311Value.string) ?? .null),
            ("service_name", .string(record.categoryName)),
            ("service_code", .string(record.category)),
            ("description", record.description.map(Open311Value.string) ?? .null),
            ("agency_responsible", .string(agency)),
            ("service_notice", .null),
            ("requested_datetime", time(record.raisedAt)),
            ("updated_datetime", time(record.updatedAt)),
            ("expected_datetime", time(expected)),
            ("address", .string("\(record.village) \(record.microGrid)")),
            ("address_id", .null),
            ("zipcode", .null),
            ("lat", record.lat.map(Open311Value.double) ?? .null),
            ("long", record.lon.map(Open311Value.double) ?? .null),
            ("media_url", .null),
            ("grid", .string(record.grid)),
            ("micro_grid", .string(record.microGrid)),
            ("village", .string(record.village)),
            ("gridmap_state", .string(record.state)),
            ("gridmap_departments", .list("department", record.departments.map { part in
                .object([("code", .string(part.department)), ("name", .string(part.name)), ("state", .string(part.state)),
                         ("report_in_due", time(part.reportInDue)), ("reported_in", time(part.reportedInAt)),
                         ("resolution_due", time(part.resolutionDue)), ("resolved", time(part.resolvedAt))])
            })),
        ])
    }
}

/// The filters of `GET requests`: Open311's (`service_request_id`, `service_code`, `start_date`,
/// `end_date`, `status`, each list comma-separated) and GridMap's (`grid`, `micro_grid`, `state`,
/// `limit`).
struct Open311Query {
    var query = PublicRequestQuery()

    init(_ parameters: Parameters) throws {
        func list(_ name: String) -> [String] {
            parameters.getAll(name).flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        query.ids = list("service_request_id")
        query.serviceCodes = list("service_code")
        query.from = try parameters.get("start_date").map { try EventTimes.parse($0, option: "start_date") }
        query.before = try parameters.get("end_date").map { try EventTimes.parse($0, option: "end_date") }
        let statuses = list("status")
        for status in statuses where PublicRequestQuery.Status(rawValue: status) == nil {
            throw JobError.invalidRequest("status is open or closed (comma-separated), not '\(status)'.")
        }
        if Set(statuses).count == 1 { query.status = PublicRequestQuery.Status(rawValue: statuses[0]) }
        query.grid = try parameters.get("grid").map { try RequestParsing.grid($0) }
        if let text = parameters.get("micro_grid") {
            guard let code = GridCode(text), code.isMicroGrid else { throw JobError.invalidRequest("micro_grid wants a micro-grid code like DC-017-2, not '\(text)'.") }
            query.microGrid = code
        }
        if let text = parameters.get("state") {
            guard let phase = EventPhase(rawValue: text) else {
                throw JobError.invalidRequest("state is one of \(EventPhase.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'.")
            }
            query.state = phase
        }
        if let text = parameters.get("limit") {
            guard let limit = Int(text) else { throw JobError.invalidRequest("limit wants a whole number, not '\(text)'.") }
            query.limit = limit
        }
    }
}

/// The body of `POST requests`: `application/x-www-form-urlencoded`, as GeoReport v2 says.
struct Open311Form {
    var fields: [String: String] = [:]

    /// The longest description accepted (Open311's own limit).
    static let maximumDescription = 4000

    init(_ body: ByteBuffer, contentType: String?) throws {
        guard contentType?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            throw JobError.invalidRequest("Post a report as application/x-www-form-urlencoded (GeoReport v2), not \(contentType ?? "no Content-Type").")
        }
        let text = String(buffer: body)
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) -> String? in String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decode(parts[0]), let value = parts.count > 1 ? decode(parts[1]) : "" else {
                throw JobError.invalidRequest("The form has a field that is not percent-encoded: '\(pair.prefix(60))'.")
            }
            fields[name] = value
        }
    }

    /// The report the form describes. The reporter's name, e-mail and phone (`first_name`,
    /// `last_name`, `email`, `phone`) are accepted and not stored: the grid's liaison is the
    /// contact, and GridMap keeps no register of the public.
    func report() throws -> PublicReport {
        guard let code = fields["service_code"], !code.isEmpty else { throw JobError.invalidRequest("service_code is required.") }
        guard let latText = fields["lat"], let longText = fields["long"] else {
            throw JobError.invalidRequest("lat and long are required: GridMap finds the grid of a report by its point"
                + (fields["address_string"] != nil || fields["address_id"] != nil ? " (address_string and address_id are not used)." : "."))
        }
        guard let lat = Double(latText), let long = Double(longText), lat.isFinite, long.isFinite,
              (-90...90).contains(lat), (-180...180).contains(long) else {
            throw JobError.invalidRequest("lat and long are WGS84 degrees (lat -90 to 90, long -180 to 180); got lat '\(latText)', long '\(longText)'.")
        }
        let description = fields["description"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !description.isEmpty else { throw JobError.invalidRequest("description is required: say what the problem is.") }
        guard description.count <= Self.maximumDescription else {
            throw JobError.invalidRequest("description has \(description.count) characters; the limit is \(Self.maximumDescription).")
        }
        return PublicReport(serviceCode: code, description: description, location: Position(x: long, y: lat))
    }
}
