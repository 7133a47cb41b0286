import ArgumentParser
import Foundation
import GeoJSON
import GridMapApp
import GridMapCore

/// `gridmap event`: the livelihood-event list (民生事件清单) and the whistle (吹哨报到).
struct EventCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event",
        abstract: "Raise problems at a place, whistle to departments, and follow them to closing.",
        discussion: """
            An event is a problem at a place: the micro-grid it lies in decides the grid whose \
            "1+1+N+X" team answers for it. The flow: raise → the grid takes it (handled within \
            its team) or whistles to departments → each department reports in, handles it and \
            resolves its part → the grid verifies on the spot → close with the resident's \
            satisfaction; or send back (not fixed, or the resident is not satisfied) → handled \
            again. A step that misses its deadline is escalated to the town office, as an entry \
            dated when the deadline passed. Every action appends to the event's history; nothing \
            is changed in place. docs/EVENTS.md has the flow, the deadlines and the rates.

            Who acts is --as: GRID/ROLE or GRID/NAME of the grid's team (e.g. DC-017/liaison), \
            department:CODE[/PERSON], or office[/PERSON]. Times are Asia/Shanghai unless they \
            carry an offset; --time records an action after the fact (never ahead of now).

            Examples:
              gridmap event raise --as DC-017/liaison --category roads-and-water --point 119.81,35.90 --description "水沟堵塞"
              gridmap event whistle EV-000001 --as DC-017/chief
              gridmap event report-in EV-000001 --as department:water/周工
              gridmap event resolve EV-000001 --as department:water
              gridmap event verify EV-000001 --as DC-017/liaison --attach well-repaired.jpg
              gridmap event attachment EV-000001 1 --role office --out well-repaired.jpg
              gridmap event close EV-000001 --as DC-017/liaison --satisfaction satisfied
              gridmap event list --grid DC-017 --state whistled
              gridmap event overdue
              gridmap event stats --by month
            """,
        subcommands: [
            EventRaise.self, EventTake.self, EventWhistle.self, EventReportIn.self, EventResolve.self, EventVerify.self,
            EventSendBack.self, EventClose.self, EventShow.self, EventAttachmentCommand.self, EventList.self, EventOverdue.self, EventStats.self, EventChart.self, EventMap.self, EventImport.self,
        ])
}

/// What every action on an existing event takes: the event, who acts, when, and a note.
struct EventActionOptions: ParsableArguments {
    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The event, e.g. EV-000001.", valueName: "id"))
    var id: String

    @Option(name: .customLong("as"), help: ArgumentHelp("Who acts: GRID/ROLE, GRID/NAME, department:CODE[/PERSON] or office[/PERSON].", valueName: "who"))
    var actor: String

    @Option(help: ArgumentHelp("When it happened (default: now), e.g. \"2026-06-30 08:30\" (Asia/Shanghai).", valueName: "time"))
    var time: String?

    @Option(help: ArgumentHelp("What was found or done, for the history.", valueName: "text"))
    var note: String = ""

    /// Records `action` (built from the actor) with the files `attaching` names, and prints the
    /// event's new state.
    func record(attaching files: AttachOptions? = nil, _ action: (EventActor) throws(JobError) -> EventAction) throws {
        let now = Date()
        let desk = try EventDesk(store: store.stores.openWithTown())
        let actor = try desk.actor(self.actor)
        let event = try desk.act(on: id, try action(actor), by: actor, note: note, at: try EventTimes.happened(time, now: now, option: "--time"),
                                 attaching: files?.files ?? [])
        try StandardOutput.write(lines: [EventText.stateLine(event, catalogue: desk.catalogue)])
    }
}

/// `--attach`, on the actions that bring files: raise, report-in, resolve, verify.
struct AttachOptions: ParsableArguments {
    @Option(name: .customLong("attach"), help: ArgumentHelp(
        "A file to attach: \(AttachOptions.rule); repeat for several.", valueName: "file"))
    var paths: [String] = []

    /// The limits in words, from the catalogue the desk uses.
    static var rule: String {
        let limits = EventCatalogue.standard.attachmentLimits
        return "\(limits.typesText) (recognised by its content, not its name), at most "
            + "\(AttachmentLimits.sizeText(limits.maximumBytes)) each and \(limits.maximumCount) per entry, stored once per SHA-256"
    }

    var files: [AttachmentFile] { paths.map { AttachmentFile(path: $0) } }
}

struct EventRaise: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raise", abstract: "Put a problem on the event list, at the place it is.",
        discussion: """
            The point (WGS84 longitude,latitude) is placed in its micro-grid; a point outside the \
            town is refused. Categories and their departments come from the catalogue (gridmap \
            event list --help names them). Prints the new event's id and where it belongs.
            """)

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("as"), help: ArgumentHelp("Who raises it: GRID/ROLE, GRID/NAME or office[/PERSON].", valueName: "who"))
    var actor: String

    @Option(help: ArgumentHelp("The category's code, e.g. roads-and-water, safety-hazard, dispute-mediation.", valueName: "code"))
    var category: String

    @Flag(help: "Urgent: report-in and resolution deadlines are the catalogue's urgent ones (usually 2 h and 24 h).")
    var urgent = false

    @Option(help: ArgumentHelp("Where: longitude,latitude (WGS84).", valueName: "lon,lat"))
    var point: String

    @Option(help: ArgumentHelp("What the problem is.", valueName: "text"))
    var description: String

    @Option(name: .customLong("reported-by"), help: ArgumentHelp("The resident who brought it to the grid worker (register id).", valueName: "id"))
    var reportedBy: String?

    @Option(name: .customLong("resident"), help: ArgumentHelp("A resident it concerns (register id); repeat for several.", valueName: "id"))
    var residents: [String] = []

    @Option(help: ArgumentHelp("When it was raised (default: now).", valueName: "time"))
    var time: String?

    @OptionGroup var attach: AttachOptions

    func run() throws {
        let now = Date()
        let location = try EventTimes.point(point, option: "--point")
        let desk = try EventDesk(store: store.stores.openWithTown())
        let actor = try desk.actor(self.actor)
        let when = try EventTimes.happened(time, now: now, option: "--time")
        let request = RaiseRequest(category: category, urgency: urgent ? .urgent : .normal, description: description,
                                   location: location, reportedByResident: reportedBy, residents: residents)
        let event = try desk.raise(request, by: actor, at: when, attaching: attach.files)
        try StandardOutput.write(lines: [EventText.stateLine(event, catalogue: desk.catalogue)])
    }
}

struct EventTake: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "take", abstract: "The grid handles the event within its own team.")
    @OptionGroup var options: EventActionOptions
    @Option(help: ArgumentHelp("The resolution deadline, instead of the catalogue's.", valueName: "time"))
    var deadline: String?

    func run() throws {
        let deadline = try self.deadline.map { text throws(JobError) in try EventTimes.parse(text, option: "--deadline") }
        try options.record { _ in .take(deadline: deadline) }
    }
}

struct EventWhistle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whistle", abstract: "Blow the whistle: call departments to the event (the category's by default).",
        discussion: "By the grid's chief or liaison, or the town office. A joint whistle names several departments; each keeps its own state and deadlines.")
    @OptionGroup var options: EventActionOptions
    @Option(name: .customLong("department"), help: ArgumentHelp("A department's code; repeat for a joint whistle.", valueName: "code"))
    var departments: [String] = []
    @Option(help: ArgumentHelp("The resolution deadline (e.g. an inspection's rectification date), instead of the catalogue's.", valueName: "time"))
    var deadline: String?

    func run() throws {
        let deadline = try self.deadline.map { text throws(JobError) in try EventTimes.parse(text, option: "--deadline") }
        try options.record { _ in .whistle(departments: departments, resolutionDeadline: deadline) }
    }
}

struct EventReportIn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report-in", abstract: "A department acknowledges the whistle and takes its part (--as department:CODE).")
    @OptionGroup var options: EventActionOptions
    @OptionGroup var attach: AttachOptions

    func run() throws {
        try options.record(attaching: attach) { actor throws(JobError) in .reportIn(department: try Self.department(actor)) }
    }

    static func department(_ actor: EventActor) throws(JobError) -> String {
        guard case .department(let code, _) = actor else { throw .invalidRequest("--as: a department reports in and resolves its part; say --as department:CODE") }
        return code
    }
}

struct EventResolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve", abstract: "Say the problem is fixed: a department for its part, or the grid's team for an event it took.")
    @OptionGroup var options: EventActionOptions
    @OptionGroup var attach: AttachOptions

    func run() throws {
        try options.record(attaching: attach) { actor in
            if case .department(let code, _) = actor { return .resolve(department: code) }
            return .resolve(department: nil)
        }
    }
}

struct EventVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "The grid checks on the spot that the problem is fixed (chief, liaison or office).")
    @OptionGroup var options: EventActionOptions
    @OptionGroup var attach: AttachOptions

    func run() throws { try options.record(attaching: attach) { _ in .verify } }
}

struct EventSendBack: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-back", abstract: "Not fixed, or the resident is not satisfied: back to its handlers to be done again.")
    @OptionGroup var options: EventActionOptions
    @Option(help: ArgumentHelp("Why it goes back.", valueName: "text"))
    var reason: String
    @Option(name: .customLong("department"), help: ArgumentHelp("Send back only this department's part; repeat for several (default: all).", valueName: "code"))
    var departments: [String] = []

    func run() throws { try options.record { _ in .sendBack(departments: departments, reason: reason) } }
}

struct EventClose: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close", abstract: "Close a verified event with the resident's satisfaction.")
    @OptionGroup var options: EventActionOptions
    @Option(help: ArgumentHelp("satisfied, basically-satisfied or dissatisfied.", valueName: "rating"))
    var satisfaction: String

    func run() throws {
        guard let rating = Satisfaction(rawValue: satisfaction) else {
            throw ValidationError("--satisfaction is satisfied, basically-satisfied or dissatisfied; got '\(satisfaction)'.")
        }
        try options.record { _ in .close(rating) }
    }
}

struct EventShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "An event and its whole history, times in Asia/Shanghai.",
        discussion: "The residents an event concerns, and for such an event its exact point, are shown to the office and to the grid worker of the event's grid (--role), to nobody else: the public sees its micro-grid.")
    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The event, e.g. EV-000001.", valueName: "id"))
    var id: String
    @OptionGroup var role: RoleOptions

    func run() throws {
        let desk = try EventDesk(store: store.stores.openWithTown())
        let event = try desk.event(id)
        try StandardOutput.write(lines: EventText.show(event, catalogue: desk.catalogue, as: Disclosure(try role.parsed)))
    }
}

/// The filters `list`, `overdue` and `stats` share.
struct EventQueryOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only this grid's events, e.g. DC-017.", valueName: "code"))
    var grid: String?
    @Option(help: ArgumentHelp("Only this village's events, e.g. DC-V07.", valueName: "code"))
    var village: String?
    @Option(help: ArgumentHelp("Only events whistled to this department.", valueName: "code"))
    var department: String?
    @Option(help: ArgumentHelp("Only this category.", valueName: "code"))
    var category: String?
    @Option(help: ArgumentHelp("Only events raised on or after this time (or date).", valueName: "time"))
    var from: String?
    @Option(help: ArgumentHelp("Only events raised before this time (or date).", valueName: "time"))
    var until: String?
    @Option(name: .customLong("as-of"), help: ArgumentHelp("The events as they stood at this time: later entries left out, overdue counted then.", valueName: "time"))
    var asOf: String?

    func query(phase: EventPhase? = nil) throws(JobError) -> EventQuery {
        var grid: GridCode?
        if let text = self.grid {
            guard let code = GridCode(text), !code.isMicroGrid else { throw .invalidRequest("--grid wants a grid code like DC-017, not '\(text)'.") }
            grid = code
        }
        return EventQuery(grid: grid, village: village, phase: phase, department: department, category: category,
                          from: try from.map { text throws(JobError) in try EventTimes.parse(text, option: "--from") },
                          before: try until.map { text throws(JobError) in try EventTimes.parse(text, option: "--until") },
                          asOf: try asOf.map { text throws(JobError) in try EventTimes.parse(text, option: "--as-of") })
    }
}

struct EventList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Events as CSV: id, raised, category, urgency, grid, micro-grid, village, state, departments, overdue steps.",
        discussion: """
            States: \(EventPhase.allCases.map(\.rawValue).joined(separator: ", ")).
            Categories: \(EventCatalogue.standard.categories.map { "\($0.code) (\($0.name))" }.joined(separator: ", ")).
            Departments: \(EventCatalogue.standard.departments.map { "\($0.code) (\($0.name))" }.joined(separator: ", ")).
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: EventQueryOptions
    @Option(help: ArgumentHelp("Only events in this state.", valueName: "state"))
    var state: String?

    func run() throws {
        var phase: EventPhase?
        if let state {
            guard let value = EventPhase(rawValue: state) else {
                throw ValidationError("--state is one of \(EventPhase.allCases.map(\.rawValue).joined(separator: ", ")); got '\(state)'.")
            }
            phase = value
        }
        let desk = try EventDesk(store: store.stores.openWithTown())
        let events = try desk.events(try filters.query(phase: phase))
        try StandardOutput.write(EventText.listCSV(events, now: Date()))
    }
}

struct EventOverdue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overdue", abstract: "Escalate every missed deadline to the town office, then list the steps overdue now.",
        discussion: "Output (CSV): event, grid, step, department, due, hours_overdue, escalated. The escalations are appended to the histories (dated when each deadline passed) and counted on standard error.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: EventQueryOptions

    func run() throws {
        let query = try filters.query()
        let now = query.asOf ?? Date()
        let desk = try EventDesk(store: store.stores.openWithTown())
        let escalated = try desk.escalateOverdue(now: now)
        StandardError.write("gridmap event overdue: \(escalated.count) new escalation\(escalated.count == 1 ? "" : "s") to the town office")
        try StandardOutput.write(EventText.overdueCSV(try desk.overdue(query, now: now), now: now))
    }
}

struct EventStats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "The rates a town reports, by town, grid, village, department or month (CSV).",
        discussion: """
            Columns: group, collected, whistled, dispatches, report_in_rate, on_time_report_in_rate, \
            resolved, resolution_rate, on_time_resolution_rate, closed, satisfaction_rate, sent_back, \
            overdue_now, escalations, then the average and 90th-percentile hours of each stage \
            (dispatch, report-in, handling, verification, closing). Rates are percentages with one \
            decimal, empty when there is nothing to divide by. docs/EVENTS.md defines each one.

            In a district without --town, --by town gives one row per town and a last row, \
            district, for all of them; the other groupings add up across the towns.
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: EventQueryOptions
    @Option(help: ArgumentHelp("town (default), grid, village, department or month.", valueName: "group"))
    var by: String = "town"

    func run() throws {
        guard let grouping = EventGrouping(rawValue: by) else {
            throw ValidationError("--by is one of \(EventGrouping.allCases.map(\.rawValue).joined(separator: ", ")); got '\(by)'.")
        }
        if let district = try store.districtWide() {
            try StandardOutput.write(EventText.statsCSV(try DistrictRates.rates(in: district, by: grouping, try filters.query(), now: Date())))
            return
        }
        let desk = try EventDesk(store: store.stores.openWithTown())
        try StandardOutput.write(EventText.statsCSV(try desk.rates(by: grouping, try filters.query(), now: Date())))
    }
}

struct EventImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Record a journal of what happened (JSON Lines) in one transaction: events, actions, inspections, activities.",
        discussion: """
            One JSON object per line, in time order, each with "do", "at" and "as" (who acts, as \
            --as): raise (with "key", "category", "point", "description"), take, whistle, \
            report-in, resolve, verify, send-back, close (with "event": a key or an EV- id), \
            plan-inspection, finding, activity. Every line goes through the same checks as the \
            commands; the first refusal names its line and nothing is recorded. docs/EVENTS.md \
            (Journals) has every field; geodata/dacun-events.jsonl is Dacun's year.

            Example line:
              {"do":"raise","key":"E1","at":"2024-03-02 09:10","as":"DC-017/liaison","category":"roads-and-water","point":[119.81,35.9],"description":"水沟堵塞"}
            """)
    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The journal (JSON Lines), or - for standard input.", valueName: "file"))
    var file: String

    func run() throws {
        let desk = try EventDesk(store: store.stores.openWithTown())
        let summary = try EventJournal(desk: desk, name: file == "-" ? "standard input" : file).record(file: file, now: Date())
        StandardError.write("gridmap event import: \(summary.events) events, \(summary.actions) actions, \(summary.inspections) inspections "
            + "with \(summary.findings) findings, \(summary.activities) activities recorded")
    }
}

struct EventChart: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chart", abstract: "Draw the monthly rates chart: events collected, report-in, on-time report-in, resolution and satisfaction rates (SVG, and PNG beside it).")
    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: EventQueryOptions
    @Option(help: ArgumentHelp("The SVG file to write (a PNG is written beside it when rsvg-convert is installed).", valueName: "file.svg"))
    var out: String
    @Option(help: ArgumentHelp("The chart's title (default: 网格事件月度指标 · monthly event rates, or in English Monthly event rates).", valueName: "text"))
    var title: String?
    @Option(help: ArgumentHelp("The chart's language: zh or en (default: the town's, as for gridmap map).", valueName: "zh|en"))
    var lang: String?

    func validate() throws {
        if !out.hasSuffix(".svg") { throw ValidationError("--out names an .svg file, not '\(out)'.") }
    }

    func run() throws {
        let desk = try EventDesk(store: store.stores.openWithTown())
        let chart = try desk.ratesChart(try filters.query(), now: Date(), title: title, language: lang)
        try Drawing.write(chart, to: out, command: "event chart")
    }
}

struct EventMap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map", abstract: "Draw the events on the grid map: each grid labelled with its number of events, a symbol at each event (SVG, and PNG beside it).",
        discussion: "With --grid, that grid's sheet. An event about residents is drawn only for --role office or the grid's worker; the public sees it counted in its grid.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: EventQueryOptions
    @OptionGroup var role: RoleOptions
    @Option(help: ArgumentHelp("The SVG file to write.", valueName: "file.svg"))
    var out: String
    @Option(help: ArgumentHelp("Paper size: \(TownMap.pageNames.joined(separator: ", ")).", valueName: "size"))
    var page: String = "a3"
    @Option(help: ArgumentHelp("The map's language: zh or en (default: the town's, as for gridmap map).", valueName: "zh|en"))
    var lang: String?

    func validate() throws {
        if !out.hasSuffix(".svg") { throw ValidationError("--out names an .svg file, not '\(out)'.") }
    }

    func run() throws {
        let desk = try EventDesk(store: store.stores.openWithTown())
        let map = try desk.eventMap(try filters.query(), as: try role.parsed, page: page, language: lang, now: Date())
        try Drawing.write(map.svg, to: out, command: "event map", detail: " at 1:\(map.scaleDenominator)")
    }
}
