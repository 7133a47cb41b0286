import ArgumentParser
import Foundation
import GridMapApp
import GridMapCore

/// `gridmap survey start | visit | progress | todo | map | import | visits`: the door-to-door survey (地毯式摸排).
struct SurveyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survey",
        abstract: "Run the door-to-door survey: start a campaign, record visits, follow its progress, list the homes still to visit.",
        discussion: """
            A campaign covers some grids from a start day. Each grid's team members visit every \
            home of their grid and record what they found: confirmed (the register is right), \
            changed (the changes are recorded in the register's history as ordinary entries, \
            effective on the visit's day: gridmap history shows them), nobody-home, or \
            empty-house. A home counts as surveyed once a visit found it confirmed, changed or \
            empty; a home whose visits all found nobody home is still to be surveyed, and stays \
            on the list of homes to visit (docs/LEDGERS.md).

            Examples:
              gridmap survey start --campaign 2026秋季摸排 --grid DC-017 --grid DC-018 --start 2026-10-08
              gridmap survey visit home-00042 --campaign 2026秋季摸排 --as DC-017/liaison --found confirmed
              gridmap survey visit home-00043 --campaign 2026秋季摸排 --as DC-017/liaison --found changed --resident R-000123 --add-category disabled
              gridmap survey visit home-00044 --campaign 2026秋季摸排 --as DC-017/李新 --found changed --left R-000130 --reason died
              gridmap survey progress --campaign 2026秋季摸排
              gridmap survey todo --campaign 2026秋季摸排 --grid DC-017 --role grid-worker:DC-017
              gridmap survey map --campaign 2026秋季摸排 --out survey.svg
              gridmap survey import geodata/dacun-survey.jsonl
            """,
        subcommands: [SurveyStart.self, SurveyVisitCommand.self, SurveyProgress.self, SurveyTodo.self, SurveyMap.self, SurveyImport.self, SurveyVisits.self])
}

/// `--campaign NAME`, which every survey command names.
struct CampaignOption: ParsableArguments {
    @Option(help: ArgumentHelp("The survey campaign, by name.", valueName: "name"))
    var campaign: String
}

struct SurveyStart: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Start a survey campaign over some grids.",
        discussion: """
            The campaign's name is its key: a second campaign of the same name is refused. The \
            start day may not be in the future; visits are recorded from it on (a change a \
            visit finds before the register began is refused by the register's rules).

            Example:
              gridmap survey start --campaign 2026秋季摸排 --grid DC-017 --grid DC-018 --start 2026-10-08 --by 王主任
            """)
    @OptionGroup var campaign: CampaignOption
    @Option(help: ArgumentHelp("A grid the survey covers (repeatable).", valueName: "code")) var grid: [String] = []
    @Option(help: ArgumentHelp("The first day of the survey (YYYY-MM-DD; default today).", valueName: "day")) var start: String?
    @Option(help: ArgumentHelp("Who starts it (default: $USER).", valueName: "name")) var by: String?
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let start, RegisterDay(start) == nil { throw ValidationError("--start wants a day YYYY-MM-DD, not '\(start)'.") }
    }

    func run() throws {
        let started = try SurveyDesk(store: store.stores.openWithTown()).start(
            name: campaign.campaign, grids: grid, start: start.flatMap { RegisterDay($0) } ?? RegisterDay(Date()),
            by: by ?? ProcessInfo.processInfo.environment["USER"] ?? "gridmap")
        try StandardOutput.write(lines: ["started survey '\(started.name)' over \(started.grids.map(\.description).joined(separator: ", ")) from \(started.start)"])
    }
}

struct SurveyVisitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visit", abstract: "Record a visit of a home: what the visitor found, and the changes it found.",
        discussion: """
            --as names the visitor, a member of the home's own grid's team: GRID/ROLE (the \
            grid's only chief or liaison) or GRID/NAME. --found is confirmed, changed, \
            nobody-home or empty-house. A visit that found changes says which, about the home's \
            residents: --resident ID with the fields that differ (--add-category, \
            --remove-category, --categories, --phone, --name, --birth-year), --left ID for a \
            resident who died or moved away (--reason says which), --new-resident NAME for \
            someone living there whom the register lacks. The changes are recorded in the \
            register's history, effective on the visit's day and recorded by the visitor, in \
            the same transaction as the visit: all or nothing.

            Refused, with nothing recorded: an unknown campaign or home, a home outside the \
            campaign's grids, a day in the future or before the campaign started, a visitor \
            not on the home's grid's team, changes without --found changed (or --found changed \
            without changes), a change the register refuses.

            Examples:
              gridmap survey visit home-00042 --campaign 2026秋季摸排 --as DC-017/liaison --found nobody-home --day 2026-10-09
              gridmap survey visit home-00042 --campaign 2026秋季摸排 --as DC-017/liaison --found changed --resident R-000123 --phone 13800000000
            """)
    @Argument(help: ArgumentHelp("The home visited (a feature id of the homes layer).", valueName: "home")) var home: String
    @OptionGroup var campaign: CampaignOption
    @Option(name: .customLong("as"), help: ArgumentHelp("The visitor: GRID/ROLE or GRID/NAME of the home's grid's team.", valueName: "who"))
    var visitor: String
    @Option(help: ArgumentHelp("What the visit found: confirmed, changed, nobody-home or empty-house.", valueName: "finding")) var found: String
    @Option(help: ArgumentHelp("The day of the visit (YYYY-MM-DD; default today).", valueName: "day")) var day: String?
    @Option(help: ArgumentHelp("A note (shown only to who sees the grid's residents).", valueName: "text")) var note: String = ""
    @Option(help: ArgumentHelp("A resident of the home whose fields differ (the fields below).", valueName: "id")) var resident: String?
    @Option(help: ArgumentHelp("A resident of the home who died or moved away (repeatable).", valueName: "id")) var left: [String] = []
    @Option(name: .customLong("new-resident"), help: ArgumentHelp("Someone living there the register lacks, by name (repeatable).", valueName: "name"))
    var newResident: [String] = []
    @Option(help: ArgumentHelp("Why residents left: died, moved away, …", valueName: "text")) var reason: String = ""
    @OptionGroup var fields: ResidentFieldOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let day, RegisterDay(day) == nil { throw ValidationError("--day wants a day YYYY-MM-DD, not '\(day)'.") }
        if SurveyFinding(rawValue: found) == nil {
            throw ValidationError("--found is \(SurveyFinding.allCases.map(\.rawValue).joined(separator: ", ")), not '\(found)'.")
        }
        if resident == nil, try fields.fields() != RegisterDesk.ResidentFields() {
            throw ValidationError("The resident's fields (--add-category, --phone, …) need --resident ID: whose they are.")
        }
    }

    func run() throws {
        var changes: [SurveyDesk.FoundChange] = []
        if let resident { changes.append(.change(resident: resident, try fields.fields())) }
        changes += left.map { .remove(resident: $0, reason: reason) }
        changes += newResident.map { .add(RegisterDesk.ResidentFields(name: $0)) }
        let request = SurveyDesk.VisitRequest(
            campaign: campaign.campaign, home: home, visitor: visitor, day: day.flatMap { RegisterDay($0) } ?? RegisterDay(Date()),
            finding: SurveyFinding(rawValue: found) ?? .confirmed, note: note, changes: changes)
        let (visit, recorded) = try SurveyDesk(store: store.stores.openWithTown()).visit(request)
        try StandardOutput.write(lines: ["visit #\(visit.sequence): \(visit.home) \(visit.finding.rawValue) on \(visit.day) by \(visit.grid)/\(visit.visitor)"]
            + recorded.map(RegisterText.recorded))
    }
}

struct SurveyProgress: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress", abstract: "The survey's progress per grid and micro-grid: homes surveyed of homes.",
        discussion: """
            Writes CSV grid,micro_grid,homes,surveyed,nobody_home,share_pct: the whole \
            campaign first (grid and micro_grid empty), then each grid (micro_grid empty) \
            followed by its micro-grids. homes are today's homes; surveyed those with a visit \
            that found them confirmed, changed or empty; nobody_home those whose visits all \
            found nobody home, which are not surveyed yet. Homes are public: every role sees \
            the same counts.

            Example:
              gridmap survey progress --campaign 2026秋季摸排
            """)
    @OptionGroup var campaign: CampaignOption
    @OptionGroup var store: StoreOptions

    func run() throws {
        let rows = try SurveyDesk(store: store.stores.openWithTown()).progress(of: campaign.campaign)
        try StandardOutput.write(SurveyDesk.progressCSV(rows))
    }
}

struct SurveyTodo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "todo", abstract: "The homes of a grid not yet surveyed, in walking order.",
        discussion: """
            Lists the homes of --grid that no visit has surveyed yet (those where nobody was \
            home included), in the order to walk them: one round from the grid's citizen \
            service station or party-masses service centre nearest the homes (else the \
            town's), along the roads, planned as gridmap route plans an outreach route. Writes \
            CSV order,home,residents,leg_m; residents (ids, joined by ";") are listed only for \
            a --role that sees the grid's residents (office, grid-worker:CODE of the grid). \
            Homes no road joins are listed last without an order.

            Example:
              gridmap survey todo --campaign 2026秋季摸排 --grid DC-017 --role grid-worker:DC-017
            """)
    @OptionGroup var campaign: CampaignOption
    @Option(help: ArgumentHelp("The grid, one of the campaign's.", valueName: "code")) var grid: String
    @OptionGroup var reader: RoleOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let notice = { (line: String) in StandardError.write("gridmap survey todo: \(line)") }
        let plan = try SurveyDesk(store: store.stores.openWithTown()).todo(of: campaign.campaign, grid: grid, as: try reader.parsed, notice: notice)
        try StandardOutput.write(SurveyDesk.todoCSV(plan))
        guard let plan else {
            notice("every home of \(grid) is surveyed")
            return
        }
        let distance = plan.trip.workers.reduce(0) { $0 + $1.distance }
        notice("\(plan.homes.count) homes to visit in \(grid), walking \(TripOutput.fixed(distance / 1000, 2)) km from \(plan.start.id)"
            + (plan.start.name.isEmpty ? "" : " (\(plan.start.name))") + " and back")
    }
}

struct SurveyMap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map", abstract: "Draw the survey's progress: micro-grids shaded by the share of homes surveyed.",
        discussion: """
            The grid map of the town (or, with --grid, one grid's sheet) with each micro-grid of \
            the campaign shaded in four classes: none surveyed, under half, half or more, all. \
            The SVG goes to --out, a PNG beside it when rsvg-convert is installed.

            Example:
              gridmap survey map --campaign 2026秋季摸排 --grid DC-017 --out survey-DC-017.svg
            """)
    @OptionGroup var campaign: CampaignOption
    @Option(help: ArgumentHelp("The SVG file to write.", valueName: "file")) var out: String = "survey.svg"
    @Option(help: ArgumentHelp("Draw one grid of the campaign, e.g. DC-017.", valueName: "code")) var grid: String?
    @Option(help: ArgumentHelp("Page: \(TownMap.pageNames.joined(separator: ", ")).", valueName: "size")) var page: String = "a3"
    @Option(help: ArgumentHelp("The map's language: zh or en (default: the town's, as for gridmap map).", valueName: "zh|en")) var lang: String?
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let grid { _ = try validating { () throws(JobError) in try RequestParsing.grid(grid) } }
        try validating { () throws(JobError) in try TownMap(page: page, language: lang).check() }
        if !out.hasSuffix(".svg") { throw ValidationError("--out names an .svg file, not '\(out)'.") }
    }

    func run() throws {
        let request = TownMap(page: page, grid: grid.flatMap(GridCode.init), language: lang)
        let map = try SurveyDesk(store: store.stores.openWithTown()).map(of: campaign.campaign, request)
        try Drawing.write(map.svg, to: out, command: "survey map", detail: " at 1:\(map.scaleDenominator)")
    }
}

struct SurveyImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Record a survey from a JSON Lines file: campaigns started and homes visited.",
        discussion: """
            One JSON object per line:
              {"do":"start","campaign":NAME,"grids":["DC-017",…],"start":"2024-10-08","by":"镇网格中心"}
              {"do":"visit","campaign":NAME,"home":"home-00042","as":"DC-017/liaison","day":"2024-10-09","found":"confirmed","note":"…"}
            Every line is checked as survey start and survey visit check theirs (a visit against \
            the campaigns before it) before anything is recorded; a bad line is refused naming \
            its line, and nothing is kept. A visit with "found":"changed" lists what changed \
            in "changes", as survey visit takes it: {"resident":ID,"phone":…} (or \
            "addCategories", "removeCategories", "name"), {"left":ID,"reason":…}, \
            {"newResident":NAME}; the changes are recorded in the register's history with the \
            visit. The reference town's survey is geodata/dacun-survey.jsonl.

            Example:
              gridmap survey import geodata/dacun-survey.jsonl
            """)
    @Argument(help: ArgumentHelp("The survey file (JSON Lines).", valueName: "file")) var file: String
    @OptionGroup var store: StoreOptions

    func run() throws {
        let (text, name) = try JournalFile.read(file)
        let (campaigns, visits) = try SurveyDesk(store: store.stores.openWithTown()).importJournal(text, name: name)
        StandardError.write("gridmap survey import: \(campaigns) campaigns started, \(visits) visits recorded from \(file)")
    }
}

struct SurveyVisits: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visits", abstract: "List a campaign's visits, as your role may see them.",
        discussion: """
            Writes CSV visit,day,home,grid,visitor,found,changes,note in recording order; \
            changes are the numbers of the register history's entries the visit recorded \
            (gridmap history shows them). A note may name a person: it is shown only to a \
            --role that sees the grid's residents (office, grid-worker:CODE); the visitor's \
            name follows the team rule (chiefs and liaisons are public). Others see \
            "(withheld)".

            Example:
              gridmap survey visits --campaign 2026秋季摸排 --grid DC-017 --role grid-worker:DC-017
            """)
    @OptionGroup var campaign: CampaignOption
    @Option(help: ArgumentHelp("Only the visits of this grid.", valueName: "code")) var grid: String?
    @OptionGroup var reader: RoleOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let only = try grid.map { text throws(JobError) in try RequestParsing.grid(text) }
        let visits = try SurveyDesk(store: store.stores.openWithTown()).visits(of: campaign.campaign, as: try reader.parsed)
        try StandardOutput.write(SurveyDesk.visitsCSV(visits, grid: only))
    }
}
