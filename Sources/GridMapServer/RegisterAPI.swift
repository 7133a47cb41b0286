import Foundation
import GridMapApp
import GridMapCore
import Hummingbird

/// The register with its history and the door-to-door survey over HTTP (docs/LEDGERS.md),
/// through the same jobs as `gridmap resident`, `history`, `select --counts --as-of|--monthly`
/// and `gridmap survey`: a resident's history and the history by filters, a change recorded,
/// the category × grid table as of a day or at every month's end; the survey's campaigns, a
/// campaign started, its progress, the homes still to visit, its visits and a visit recorded.
///
/// What a viewer sees and may do is the application layer's (``Disclosure``): the public sees
/// that entries were recorded, never whom they are about; a grid worker the residents of their
/// own grid, and records changes and visits there; the office everything. A refusal is a problem
/// document (403 for the role, 404 for an unknown resident or campaign, 409 for a change the
/// register's rules refuse); every POST goes to the audit log, and so does every answer that
/// carries a person.
extension GridMapServer {
    static func addRegisterRoutes(to router: Router<ServerContext>, _ services: ServerServices) {
        let store = services.town.store
        let register = RegisterDesk(store: store)
        let survey = SurveyDesk(store: store)

        router.get("register/residents/:id/history") { _, context -> Response in
            let id = try pathParameter(context, "id")
            let entries = try register.history(RegisterFilter(subject: .resident(id)), as: context.viewer.role)
            noteReads(entries, context)
            return try json(entries.map(HistoryEntry.init))
        }

        router.get("register/history") { request, context -> Response in
            let parameters = request.uri.queryParameters
            var filter = RegisterFilter(from: try day(parameters, "from"), through: try day(parameters, "through"))
            for text in parameters.getAll("kind") {
                guard let kind = RegisterSubjectKind(rawValue: text) else {
                    throw JobError.invalidRequest("kind is resident, home or team-member, not '\(text)'.")
                }
                filter.kinds.insert(kind)
            }
            let entries = try register.history(filter, as: context.viewer.role)
            noteReads(entries, context)
            return try json(entries.map(HistoryEntry.init))
        }

        router.post("register/changes") { request, context -> Response in
            let body = String(buffer: try await services.body(of: request))
            let change = try register.recordChange(json: body, as: context.viewer.role, by: context.viewer.account ?? "anonymous")
            let entries = try register.disclosed([change], as: context.viewer.role)
            noteReads(entries, context)
            return try json(entries.map(HistoryEntry.init).first, status: .created)
        }

        router.get("register/counts") { request, context -> Response in
            let parameters = request.uri.queryParameters
            let categoriesText = parameters.get("category")
            if let year = try parameters.integer("monthly", in: 1900...9999) {
                if parameters.get("as_of") != nil { throw JobError.invalidRequest("monthly goes without as_of: it answers for every month's end.") }
                let categories = try ResidentSelection(store: store).categories(categoriesText)
                return csv(MonthlyCounts.csv(try MonthlyCounts.tables(of: store, year: year, categories: categories, as: context.viewer.role)))
            }
            if let asOf = try day(parameters, "as_of") {
                // A past day's table from today's counts and what changed since, not the day's whole register.
                let table = try RegisterAsOfCounts(store, asOf: asOf)
                return csv(try table.counts(of: try table.categories(categoriesText), as: context.viewer.role).csv)
            }
            let selection = try ResidentSelection(store: store)
            return csv(try selection.counts(of: try selection.categories(categoriesText), as: context.viewer.role).csv)
        }

        router.get("survey/campaigns") { _, _ -> Response in
            try json(try survey.campaigns().map(CampaignAnswer.init))
        }

        router.post("survey/campaigns") { request, context -> Response in
            let body = try SurveyBody(try await services.body(of: request))
            guard let name = body.campaign else { throw JobError.invalidRequest("campaign (its name) is required.") }
            let start = try body.start.map { text throws(JobError) in try parseDay(text, "start") } ?? RegisterDay(Date())
            let campaign = try survey.start(name: name, grids: body.grids ?? [], start: start, by: context.viewer.account ?? "anonymous",
                                            as: context.viewer.role)
            return try json(CampaignAnswer(campaign), status: .created)
        }

        router.get("survey/campaigns/:name/progress") { _, context -> Response in
            csv(SurveyDesk.progressCSV(try survey.progress(of: try pathParameter(context, "name"))))
        }

        router.get("survey/campaigns/:name/todo") { request, context -> Response in
            let grid = try request.uri.queryParameters.needed("grid")
            let plan = try survey.todo(of: try pathParameter(context, "name"), grid: grid, as: context.viewer.role)
            if let plan, plan.residentCount > 0 {
                context.note.readPersonalData("residents of the homes still to survey in \(grid): \(plan.residentCount)")
            }
            return csv(SurveyDesk.todoCSV(plan))
        }

        router.get("survey/campaigns/:name/visits") { request, context -> Response in
            let grid = try request.uri.queryParameters.get("grid").map { text throws(JobError) in try RequestParsing.grid(text) }
            let visits = try survey.visits(of: try pathParameter(context, "name"), as: context.viewer.role)
            let notes = visits.filter { (grid == nil || $0.grid == grid) && !$0.note.isEmpty && $0.note != "(withheld)" }.count
            if notes > 0 { context.note.readPersonalData("survey visits' notes: \(notes)") }
            return csv(SurveyDesk.visitsCSV(visits, grid: grid))
        }

        router.post("survey/campaigns/:name/visits") { request, context -> Response in
            let body = try SurveyBody(try await services.body(of: request))
            let visit = try survey.visit(try body.visitRequest(campaign: try pathParameter(context, "name")), as: context.viewer.role)
            let entries = try register.disclosed(visit.changes, as: context.viewer.role)
            noteReads(entries, context)
            return try json(VisitAnswer(visit: visit.visit, changes: entries.map(HistoryEntry.init)), status: .created)
        }
    }

    /// Tells the audit log about the entries that name a person.
    static func noteReads(_ entries: [DisclosedRegisterChange], _ context: ServerContext) {
        let shown = entries.filter { !$0.withheld && !$0.subject.hasPrefix("home ") }
        if !shown.isEmpty { context.note.readPersonalData("register history entries: \(shown.map { "#\($0.sequence)" }.joined(separator: " "))") }
    }

    /// A path parameter, percent-decoded (a campaign's name is usually Chinese).
    static func pathParameter(_ context: ServerContext, _ name: String) throws -> String {
        let raw = try context.parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }

    static func parseDay(_ text: String, _ name: String) throws(JobError) -> RegisterDay {
        guard let day = RegisterDay(text) else { throw .invalidRequest("\(name) wants a day YYYY-MM-DD, not '\(text)'.") }
        return day
    }

    static func day(_ parameters: Parameters, _ name: String) throws(JobError) -> RegisterDay? {
        try parameters.get(name).map { text throws(JobError) in try parseDay(text, name) }
    }

    static func csv(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A history entry as JSON.
    struct HistoryEntry: Encodable {
        var sequence: Int
        var action: String
        var effective: String
        var recordedAt: Date
        var recordedBy: String
        var subject: String
        var reason: String?
        var fields: [Field]
        var withheld: Bool

        struct Field: Encodable {
            var field: String
            var before: String
            var after: String
        }

        init(_ entry: DisclosedRegisterChange) {
            (sequence, action, effective, recordedAt, recordedBy) = (entry.sequence, entry.action.rawValue, entry.effective.description,
                                                                     entry.recordedAt, entry.recordedBy)
            (subject, reason, withheld) = (entry.subject, entry.reason, entry.withheld)
            fields = entry.fields.map { Field(field: $0.field, before: $0.before, after: $0.after) }
        }
    }

    struct CampaignAnswer: Encodable {
        var name: String
        var grids: [String]
        var start: String
        var startedBy: String
        var startedAt: Date

        init(_ campaign: SurveyCampaign) {
            (name, grids, start) = (campaign.name, campaign.grids.map(\.description), campaign.start.description)
            (startedBy, startedAt) = (campaign.startedBy, campaign.startedAt)
        }
    }

    struct VisitAnswer: Encodable {
        var visit: Int
        var home: String
        var grid: String
        var visitor: String
        var day: String
        var found: String
        var changes: [HistoryEntry]

        init(visit: SurveyVisit, changes: [HistoryEntry]) {
            (self.visit, home, grid, visitor, day, found) = (visit.sequence, visit.home, visit.grid.description, visit.visitor,
                                                             visit.day.description, visit.finding.rawValue)
            self.changes = changes
        }
    }
}

/// The JSON body of `POST /survey/campaigns` (`campaign`, `grids`, `start`) and of a visit
/// (`home`, `as`, `day`, `found`, `note`; what changed as `survey visit` takes it: `resident`
/// with `add_categories`, `remove_categories`, `categories`, `phone`, `name`, `birth_year`;
/// `left` with `reason`; `new_residents`). An empty body is an empty object.
struct SurveyBody: Decodable {
    var campaign: String?
    var grids: [String]?
    var start: String?
    var home: String?
    var `as`: String?
    var day: String?
    var found: String?
    var note: String?
    var resident: String?
    var addCategories: [String]?
    var removeCategories: [String]?
    var categories: [String]?
    var phone: String?
    var name: String?
    var birthYear: Int?
    var left: [String]?
    var reason: String?
    var newResidents: [String]?

    init(_ body: ByteBuffer) throws {
        guard body.readableBytes > 0 else { return }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            self = try decoder.decode(SurveyBody.self, from: Data(buffer: body))
        } catch {
            throw JobError.invalidRequest("The body is not a JSON object of a survey request: \(error.localizedDescription)")
        }
    }

    func visitRequest(campaign: String) throws -> SurveyDesk.VisitRequest {
        guard let home, let visitor = `as`, let found else { throw JobError.invalidRequest("home, as (the visitor: GRID/ROLE or GRID/NAME) and found are required.") }
        guard let finding = SurveyFinding(rawValue: found) else {
            throw JobError.invalidRequest("found is \(SurveyFinding.allCases.map(\.rawValue).joined(separator: ", ")), not '\(found)'.")
        }
        var changes: [SurveyDesk.FoundChange] = []
        let fields = RegisterDesk.ResidentFields(
            name: name, categories: try RequestParsing.categoryNames(categories, field: "categories"),
            addCategories: try RequestParsing.categoryNames(addCategories, field: "addCategories") ?? [],
            removeCategories: try RequestParsing.categoryNames(removeCategories, field: "removeCategories") ?? [], phone: phone, birthYear: birthYear)
        if let resident { changes.append(.change(resident: resident, fields)) }
        else if fields != RegisterDesk.ResidentFields() { throw JobError.invalidRequest("A resident's fields need resident: whose they are.") }
        changes += (left ?? []).map { .remove(resident: $0, reason: reason ?? "") }
        changes += (newResidents ?? []).map { .add(RegisterDesk.ResidentFields(name: $0)) }
        let visitDay = try day.map { text throws(JobError) in try GridMapServer.parseDay(text, "day") } ?? RegisterDay(Date())
        return SurveyDesk.VisitRequest(campaign: campaign, home: home, visitor: visitor, day: visitDay, finding: finding, note: note ?? "",
                                       changes: changes)
    }
}
