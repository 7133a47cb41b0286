import ArgumentParser
import ByteOutput
import Foundation
import GeoJSON
import GridMapApp
import GridMapCore

/// What every register change takes: the day it took effect, who records it and why.
struct EntryOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The day the change took effect (YYYY-MM-DD; default today). Not in the future, not before the register began, not before the subject's latest change.", valueName: "day"))
    var effective: String?

    @Option(help: ArgumentHelp("Who records it, as the history shows it (default: $USER).", valueName: "name"))
    var by: String?

    @Option(help: ArgumentHelp("Why: died, moved away, the survey found it, …", valueName: "text"))
    var reason: String = ""

    func validate() throws {
        if let effective, RegisterDay(effective) == nil { throw ValidationError("--effective wants a day YYYY-MM-DD, not '\(effective)'.") }
    }

    var entry: RegisterDesk.Entry {
        RegisterDesk.Entry(effective: effective.flatMap { RegisterDay($0) } ?? RegisterDay(Date()),
                           recordedBy: by ?? ProcessInfo.processInfo.environment["USER"] ?? "gridmap", reason: reason)
    }
}

/// `gridmap resident add | change | move | remove`.
struct ResidentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resident",
        abstract: "Change the resident register, keeping the history: add, change, move, remove.",
        discussion: """
            Every change is an entry of the register's history (gridmap history): the day it \
            took effect (--effective, default today), who recorded it (--by) and why (--reason), \
            with the resident's values before and after. Nothing is overwritten without its \
            history, and --as-of on select, info and export reads the register of any day \
            since the import that began it (docs/LEDGERS.md).

            Examples:
              gridmap resident add --name 王小明 --home home-00042 --categories left-behind-child --effective 2026-03-02 --reason born
              gridmap resident change R-000123 --add-category disabled --effective 2026-05-10 --reason "disability certificate"
              gridmap resident move R-000123 --home home-00077 --effective 2026-06-01
              gridmap resident remove R-000123 --effective 2026-07-15 --reason died
            """,
        subcommands: [ResidentAdd.self, ResidentChange.self, ResidentMove.self, ResidentRemove.self, ResidentImport.self])
}

struct ResidentAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a resident (born, or moved into the town).")
    @Option(help: ArgumentHelp("The id (default: the next free R-nnnnnn).", valueName: "id")) var id: String?
    @Option(help: ArgumentHelp("The home (a feature id of the homes layer).", valueName: "home")) var home: String
    @OptionGroup var fields: ResidentFieldOptions
    @OptionGroup var entry: EntryOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let change = try RegisterDesk(store: store.stores.openWithTown()).addResident(id: id, try fields.fields(home: home), entry.entry)
        try StandardOutput.write(lines: [RegisterText.recorded(change)])
    }
}

struct ResidentChange: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "change", abstract: "Change a resident's name, categories, phone or year of birth.")
    @Argument(help: ArgumentHelp("The resident's id.", valueName: "id")) var id: String
    @OptionGroup var fields: ResidentFieldOptions
    @OptionGroup var entry: EntryOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let change = try RegisterDesk(store: store.stores.openWithTown()).changeResident(id, try fields.fields(), entry.entry)
        try StandardOutput.write(lines: [RegisterText.recorded(change)])
    }
}

struct ResidentMove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "move", abstract: "Move a resident to another home of the town (out of the town: remove).")
    @Argument(help: ArgumentHelp("The resident's id.", valueName: "id")) var id: String
    @Option(help: ArgumentHelp("The new home (a feature id of the homes layer).", valueName: "home")) var home: String
    @OptionGroup var entry: EntryOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let change = try RegisterDesk(store: store.stores.openWithTown()).moveResident(id, to: home, entry.entry)
        try StandardOutput.write(lines: [RegisterText.recorded(change)])
    }
}

struct ResidentRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a resident (died, moved away: say which with --reason).")
    @Argument(help: ArgumentHelp("The resident's id.", valueName: "id")) var id: String
    @OptionGroup var entry: EntryOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let change = try RegisterDesk(store: store.stores.openWithTown()).removeResident(id, entry.entry)
        try StandardOutput.write(lines: [RegisterText.recorded(change)])
    }
}

struct ResidentImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Record a file of register changes (JSON Lines), all or nothing.",
        discussion: """
            One change a line, the actions of the commands above and of `gridmap team-member`:
              {"do":"add","resident":"R-056001","name":"王小明","home":"home-00042","categories":[],"birthYear":2024,"effective":"2024-03-02","by":"派出所户籍室","reason":"born"}
              {"do":"change","resident":"R-000123","addCategories":["disabled"],"removeCategories":["low-income"],"effective":"2024-05-10","reason":"…"}
              {"do":"move","resident":"R-000123","home":"home-00077","effective":"2024-06-01","reason":"moved within the town"}
              {"do":"remove","resident":"R-000123","effective":"2024-07-15","reason":"died"}
              {"do":"add","teamMember":"DC-017/李新","role":"chief","phone":"131****0001","effective":"2024-04-01","reason":"elected"}
              {"do":"remove","teamMember":"DC-017/李家辉","effective":"2024-04-01","reason":"retired"}
            A resident's change may also set "categories", "name", "phone" or "birthYear"; a team \
            member's "role", "unit" or "phone". Homes change with the map (import, ledger sync). A line without \
            "by" is recorded by --by. The whole file is checked first, each line against the \
            register as the lines before it leave it and the batch by the register's rules; a bad \
            line is refused by its number and nothing of the file is recorded. The reference \
            town's year of changes is geodata/dacun-register.jsonl.

            Example:
              gridmap resident import geodata/dacun-register.jsonl
            """)
    @Argument(help: ArgumentHelp("The file of changes (JSON Lines).", valueName: "file")) var file: String
    @Option(help: ArgumentHelp("Who records the lines that do not say (default: $USER).", valueName: "name")) var by: String?
    @OptionGroup var store: StoreOptions

    func run() throws {
        let (text, name) = try JournalFile.read(file)
        let changes = try RegisterDesk(store: store.stores.openWithTown())
            .importJournal(text, name: name, by: by ?? ProcessInfo.processInfo.environment["USER"] ?? "gridmap")
        var tally: [RegisterAction: Int] = [:]
        for change in changes { tally[change.action, default: 0] += 1 }
        let counts = RegisterAction.allCases.map { "\(tally[$0] ?? 0) \($0)" }.joined(separator: ", ")
        let days = changes.map(\.effective)
        let span = if let first = days.min(), let last = days.max() { ", effective \(first) to \(last)" } else { "" }
        StandardError.write("gridmap resident import: \(changes.count) changes recorded from \(file) (\(counts))\(span)")
    }
}

/// `gridmap team-member add | change | remove`.
struct TeamMemberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team-member",
        abstract: "Change a grid's team, keeping the history: add, change, remove.",
        discussion: """
            A member is named by grid and name. A new chief is the old one removed and the new \
            one added, each with its day.

            Examples:
              gridmap team-member add --grid DC-017 --name 李新 --role chief --phone 131****0001 --effective 2026-04-01
              gridmap team-member change --grid DC-017 --name 李新 --phone 131****0002
              gridmap team-member remove --grid DC-017 --name 李家辉 --reason retired
            """,
        subcommands: [TeamMemberEdit.self, TeamMemberChange.self, TeamMemberRemove.self])
}

/// The options naming a team member and setting its fields.
struct TeamMemberOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The grid.", valueName: "code")) var grid: String
    @Option(help: ArgumentHelp("The member's name.", valueName: "name")) var name: String
    @Option(help: ArgumentHelp("chief, liaison, functional or volunteer.", valueName: "role")) var role: String?
    @Option(help: ArgumentHelp("The member's unit (functional staff).", valueName: "unit")) var unit: String?
    @Option(help: ArgumentHelp("The phone.", valueName: "phone")) var phone: String?

    var code: GridCode {
        get throws {
            guard let code = GridCode(grid), !code.isMicroGrid else { throw ValidationError("--grid wants a grid code such as DC-017, not '\(grid)'.") }
            return code
        }
    }

    func member(changing old: TeamMember?) throws -> TeamMember {
        var member = if let old { old } else { TeamMember(gridCode: try code, role: .volunteer, name: name) }
        if let role {
            guard let parsed = TeamRole(rawValue: role) else { throw ValidationError("--role is chief, liaison, functional or volunteer, not '\(role)'.") }
            member.role = parsed
        } else if old == nil {
            throw ValidationError("A new team member needs --role.")
        }
        if let unit { member.unit = unit.isEmpty ? nil : unit }
        if let phone { member.phone = phone.isEmpty ? nil : phone }
        return member
    }
}

struct TeamMemberEdit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a member to a grid's team.")
    @OptionGroup var member: TeamMemberOptions
    @OptionGroup var entry: EntryOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let change = try RegisterDesk(store: store.stores.openWithTown())
            .teamMember(grid: try member.code, name: member.name, .add, after: try member.member(changing: nil), entry.entry)
        try StandardOutput.write(lines: [RegisterText.recorded(change)])
    }
}

struct TeamMemberChange: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "change", abstract: "Change a team member's role, unit or phone.")
    @OptionGroup var member: TeamMemberOptions
    @OptionGroup var entry: EntryOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let desk = RegisterDesk(store: try store.stores.openWithTown())
        guard let old = try desk.teamMember(grid: try member.code, name: member.name) else {
            throw JobError.notFound("Grid \(member.grid) has no team member \(member.name).")
        }
        let change = try desk.teamMember(grid: try member.code, name: member.name, .change, after: try member.member(changing: old), entry.entry)
        try StandardOutput.write(lines: [RegisterText.recorded(change)])
    }
}

struct TeamMemberRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a member from a grid's team.")
    @OptionGroup var member: TeamMemberOptions
    @OptionGroup var entry: EntryOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let change = try RegisterDesk(store: store.stores.openWithTown())
            .teamMember(grid: try member.code, name: member.name, .remove, after: nil, entry.entry)
        try StandardOutput.write(lines: [RegisterText.recorded(change)])
    }
}

/// `gridmap history`.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "The register's history: every change, who recorded it, when and why.",
        discussion: """
            One line per entry, in recording order: its number, the day it took effect, the \
            action and subject, who recorded it and when, the reason, and the fields that \
            changed (before → after). Residents are shown as --role may see them (docs/PRIVACY.md): \
            to the public an entry about a resident says only that one was recorded.

            Examples:
              gridmap history --resident R-000123 --role office
              gridmap history --kind team-member --from 2026-01-01 --through 2026-06-30
              gridmap history --role grid-worker:DC-017
            """)

    @Option(help: ArgumentHelp("Only this resident's entries.", valueName: "id")) var resident: String?
    @Option(help: ArgumentHelp("Only this home's entries.", valueName: "id")) var home: String?
    @Option(help: ArgumentHelp("Only entries about residents, homes or team-members (repeatable).", valueName: "kind")) var kind: [String] = []
    @Option(help: ArgumentHelp("Only entries effective on or after this day.", valueName: "day")) var from: String?
    @Option(help: ArgumentHelp("Only entries effective on or before this day.", valueName: "day")) var through: String?
    @OptionGroup var reader: RoleOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        for text in [from, through].compactMap({ $0 }) where RegisterDay(text) == nil {
            throw ValidationError("--from and --through want a day YYYY-MM-DD, not '\(text)'.")
        }
        for text in kind where RegisterSubjectKind(rawValue: text.hasSuffix("s") ? String(text.dropLast()) : text) == nil {
            throw ValidationError("--kind is resident, home or team-member, not '\(text)'.")
        }
    }

    func run() throws {
        let subject: RegisterSubject? = resident.map { .resident($0) } ?? home.map { .home($0) }
        let filter = RegisterFilter(subject: subject,
                                    kinds: Set(kind.compactMap { RegisterSubjectKind(rawValue: $0.hasSuffix("s") ? String($0.dropLast()) : $0) }),
                                    from: from.flatMap { RegisterDay($0) }, through: through.flatMap { RegisterDay($0) })
        let entries = try RegisterDesk(store: store.stores.openWithTown()).history(filter, as: reader.parsed)
        if entries.isEmpty { StandardError.write("gridmap history: no entries") }
        try StandardOutput.write(lines: entries.map(RegisterText.line))
    }
}

/// `gridmap ledger sync`.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Bring a new version of an office's ledger into the register.",
        subcommands: [LedgerSyncCommand.self])
}

struct LedgerSyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Compare a ledger with the register and record the differences as changes.",
        discussion: """
            LEDGER is a residents table (CSV with the columns of a town folder's residents.csv: \
            id, name, home, categories separated by ';', phone, birthYear) or a town folder \
            (its residents and team are compared). Residents are matched by id: a row the \
            register lacks is added, one that differs is changed (field by field) or moved (a \
            new home), and a resident the ledger no longer has is removed. Rows that cannot be \
            used (no id, an id twice, a home the register lacks, a bad category) are queued \
            with their reason, as `assign` does, and nothing of them is applied.

            --dry-run prints the change list and changes nothing. Otherwise the changes are \
            recorded in one transaction, each an ordinary entry of the history effective \
            --effective (default today); if any is refused, none is. A ledger synced twice \
            changes nothing the second time. Exit status 1 when rows were queued.

            Examples:
              gridmap ledger sync ledger-2026-06.csv --dry-run --role office
              gridmap ledger sync ledger-2026-06.csv --effective 2026-06-30 --by 民政办 --queue queued.txt
            """)

    @Argument(help: ArgumentHelp("The ledger: a CSV file, or a town folder.", valueName: "ledger")) var ledger: String
    @Flag(help: "Print the change list; record nothing.") var dryRun = false
    @Option(help: ArgumentHelp("Write the queued rows (FILE:LINE: reason) to this file instead of standard error.", valueName: "file")) var queue: String?
    @OptionGroup var entry: EntryOptions
    @OptionGroup var reader: RoleOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let store = try store.stores.openWithTown()
        var isFolder: ObjCBool = false
        let url = URL(fileURLWithPath: ledger)
        let sync = FileManager.default.fileExists(atPath: ledger, isDirectory: &isFolder) && isFolder.boolValue
            ? try LedgerSync(folder: url, store: store, entry: entry.entry)
            : try LedgerSync(csv: ledger, store: store, entry: entry.entry)
        let queued = sync.queued.map(\.description)
        if let queue {
            do {
                // The queued rows quote the ledger (names, addresses): the file is its owner's alone.
                try AtomicFile.write(to: URL(fileURLWithPath: queue), ownerOnly: true) { file in
                    try FileSink(path: file.path, permissions: 0o600).write(queued.joined(separator: "\n") + (queued.isEmpty ? "" : "\n"))
                }
            } catch {
                throw JobError.cannotStart("cannot write --queue \(queue): \((error as? OutputError)?.message ?? error.localizedDescription)")
            }
        } else {
            for line in queued { StandardError.write(line) }
        }
        let tally = sync.tally
        let counts = RegisterAction.allCases.map { "\(tally[$0] ?? 0) \($0 == .add ? "added" : $0 == .change ? "changed" : $0 == .move ? "moved" : "removed")" }
        if dryRun {
            try StandardOutput.write(lines: sync.report(as: try reader.parsed))
            StandardError.write("gridmap ledger sync: \(sync.rows) rows; would record \(counts.joined(separator: ", ")); \(queued.count) queued; nothing recorded (--dry-run)")
        } else {
            let changes = try sync.apply()
            StandardError.write("gridmap ledger sync: \(sync.rows) rows; recorded \(changes.count) changes (\(counts.joined(separator: ", "))); \(queued.count) queued")
        }
        if !queued.isEmpty { throw ExitCode(1) }
    }
}
