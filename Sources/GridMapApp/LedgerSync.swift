import CSV
import Foundation
import GridMapCore
import GridStore

/// A new version of an office's ledger compared with the register: what it adds, changes (field
/// by field), moves and no longer has, as ordinary change requests, and the rows that cannot be
/// used, each with its reason (a queue, as `assign` keeps one). ``apply(at:)`` records the
/// requests in one batch, so a sync is applied whole or not at all; a ledger applied twice
/// changes nothing the second time, since the second comparison finds no difference.
///
/// A ledger is a residents table (the columns of a town folder's residents.csv: `id`, `name`,
/// `home`, `categories` separated by `;`, `phone`, `birthYear`; an `address` in words instead of
/// a home is placed by `assign`'s address matcher), or a town folder, whose residents and team
/// are compared. Residents are matched by id; a row without an id, with an id given twice, whose
/// home is not a home of the register, or whose address fits no home or several, is queued.
public struct LedgerSync: Sendable {
    public let store: any TownStore
    public let entry: RegisterDesk.Entry
    /// The changes the ledger makes, in ledger order (additions, changes and moves), then the
    /// removals of residents it no longer has, in register order.
    public private(set) var requests: [RegisterChangeRequest] = []
    /// Rows that cannot be used, with their reason; nothing of them is applied.
    public private(set) var queued: [CSVBadRow] = []
    /// How many ledger rows were read.
    public private(set) var rows = 0
    /// The register's value of each subject a request changes or removes, for the report.
    private var befores: [RegisterSubject: RegisterRecord] = [:]

    /// Compares the residents table at `path` ("-": standard input) with the register.
    public init(csv path: String, store: any TownStore, entry: RegisterDesk.Entry) throws(JobError) {
        self.store = store
        self.entry = entry
        let table: CSVTable
        do {
            table = try CSVTable(path: path)
        } catch {
            throw .cannotStart("cannot read the ledger: \(error)")
        }
        let columns: LedgerColumns
        do {
            columns = try LedgerColumns(table)
        } catch {
            throw .cannotStart("\(error)")
        }
        var ledger: [(line: Int, resident: Resident)] = []
        var matcher: AddressMatcher?
        do {
            while let block = try table.nextRows() {
                for record in block.records {
                    rows += 1
                    switch block.validatedValues(of: record) {
                    case .failure(let problem): queued.append(table.badRow(record, "\(problem)"))
                    case .success(let values):
                        switch columns.resident(values) {
                        case .success(var row):
                            if let address = row.address {
                                if matcher == nil { matcher = try Self.matcher(of: store) }
                                switch matcher?.match(address) {
                                case .matched(let home, _, _)?: row.resident.homeID = home
                                case .ambiguous(let candidates)?:
                                    queued.append(table.badRow(record, "resident \(row.resident.id): the address \(address) fits \(candidates.count) homes (\(candidates.map(\.homeID).joined(separator: ", "))): give the home"))
                                    continue
                                case .unmatched(let reason)?:
                                    queued.append(table.badRow(record, "resident \(row.resident.id): the address \(address) is not placed: \(reason)"))
                                    continue
                                case nil: continue
                                }
                            }
                            ledger.append((record.line, row.resident))
                        case .failure(let reason): queued.append(table.badRow(record, reason.message))
                        }
                    }
                }
            }
        } catch let error as JobError {
            throw error
        } catch {
            throw .cannotStart("cannot read the ledger: \(error)")
        }
        try compare(ledger, source: table.name)
    }

    /// The address matcher of `assign`, over the register's homes.
    private static func matcher(of store: any TownStore) throws(JobError) -> AddressMatcher {
        let homes = try asJobError { try store.features(of: .home) }
        let name = try asJobError { try store.town()?.name } ?? ""
        return AddressMatcher(homes: homes, townName: name)
    }

    /// Compares the residents and team of the town folder at `folder` with the register.
    public init(folder: URL, store: any TownStore, entry: RegisterDesk.Entry) throws(JobError) {
        self.store = store
        self.entry = entry
        let data: TownData
        do {
            data = try TownFolder.read(from: folder)
        } catch {
            throw JobError(.rejected, "The ledger folder \(folder.path) has problems; nothing was compared.",
                           details: error.problems.map(\.description))
        }
        rows = data.residents.count + data.team.count
        try compare(data.residents.enumerated().map { ($0.offset + 2, $0.element) }, source: folder.appendingPathComponent("residents.csv").path)
        try compareTeam(data.team)
    }

    private mutating func compare(_ ledger: [(line: Int, resident: Resident)], source: String) throws(JobError) {
        let today = try asJobError { try store.residents() }
        let current = Dictionary(today.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let homes = Set(try asJobError { try store.bareFeatures(of: .home) }.map(\.id))
        var seen: [String: Int] = [:]
        for row in ledger { seen[row.resident.id, default: 0] += 1 }
        var listed = Set<String>()
        for (line, resident) in ledger {
            listed.insert(resident.id)
            if seen[resident.id, default: 0] > 1 {
                queued.append(CSVBadRow(source: source, line: line, reason: "resident \(resident.id) is on \(seen[resident.id] ?? 0) rows of the ledger"))
                continue
            }
            if !homes.contains(resident.homeID) {
                queued.append(CSVBadRow(source: source, line: line, reason: "home \(resident.homeID) is not a home of the register"))
                continue
            }
            guard let old = current[resident.id] else {
                requests.append(request(.resident(resident.id), .add, .resident(resident), "in the ledger, not on the register"))
                continue
            }
            guard old != resident else { continue }
            befores[.resident(resident.id)] = .resident(old)
            let action: RegisterAction = old.homeID == resident.homeID ? .change : .move
            requests.append(request(.resident(resident.id), action, .resident(resident), "the ledger differs"))
        }
        for resident in today where !listed.contains(resident.id) {
            befores[.resident(resident.id)] = .resident(resident)
            requests.append(request(.resident(resident.id), .remove, nil, "no longer in the ledger"))
        }
    }

    private mutating func compareTeam(_ team: [TeamMember]) throws(JobError) {
        let today = try asJobError { try store.team(of: nil) }
        let key = { (member: TeamMember) in RegisterRecord.teamMember(member).subject }
        let current = Dictionary(today.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        var listed = Set<RegisterSubject>()
        for member in team {
            let subject = key(member)
            guard listed.insert(subject).inserted else { continue }
            if let old = current[subject] {
                befores[subject] = .teamMember(old)
                if old != member { requests.append(request(subject, .change, .teamMember(member), "the ledger differs")) }
            } else {
                requests.append(request(subject, .add, .teamMember(member), "in the ledger, not on the register"))
            }
        }
        for member in today where !listed.contains(key(member)) && current[key(member)] == member {
            listed.insert(key(member))
            befores[key(member)] = .teamMember(member)
            requests.append(request(key(member), .remove, nil, "no longer in the ledger"))
        }
    }

    private func request(_ subject: RegisterSubject, _ action: RegisterAction, _ after: RegisterRecord?, _ why: String) -> RegisterChangeRequest {
        RegisterChangeRequest(subject: subject, action: action, after: after, effective: entry.effective,
                              recordedBy: entry.recordedBy, reason: entry.reason.isEmpty ? "ledger sync: \(why)" : "\(entry.reason): \(why)")
    }

    /// How many requests of each action.
    public var tally: [RegisterAction: Int] {
        var tally: [RegisterAction: Int] = [:]
        for request in requests { tally[request.action, default: 0] += 1 }
        return tally
    }

    /// The change list, one line per request, field by field for changes (what `--dry-run` prints).
    public func report(as role: ResidentRole) -> [String] {
        let disclosure = Disclosure(role)
        var lines: [String] = []
        for request in requests {
            let before = befores[request.subject]
            let fields = RegisterFieldChange.between(before, request.after)
            let seen = disclosure.seesEveryone || request.subject.kind == .home
            let subject = seen ? request.subject.description : "\(request.subject.kind) (withheld)"
            let detail = seen ? fields.map { "\($0.field): \($0.before) → \($0.after)" }.joined(separator: "; ") : ""
            lines.append("\(request.action) \(subject)" + (detail.isEmpty ? "" : ": \(detail)"))
        }
        return lines
    }

    /// Records the requests in one batch (nothing when there are none).
    @discardableResult
    public func apply(at time: Date = Date()) throws(JobError) -> [RegisterChange] {
        guard !requests.isEmpty else { return [] }
        return try RegisterDesk(store: store).record(requests, at: time)
    }
}

/// The columns of a residents ledger.
private struct LedgerColumns {
    let id, name: Int
    let home, address, categories, phone, birthYear: Int?

    init(_ table: CSVTable) throws(CSVTableError) {
        id = try table.column(CSVColumn("id", aliases: ["id", "resident", "编号"]))
        name = try table.column(CSVColumn("name", aliases: ["name", "姓名"]))
        let homeColumn = CSVColumn("home", aliases: ["home", "home_id", "homeID"])
        home = table.optionalColumn(homeColumn)
        address = table.optionalColumn(CSVColumn("address", aliases: ["address", "地址"]))
        if home == nil, address == nil { _ = try table.column(homeColumn) }
        categories = table.optionalColumn(CSVColumn("categories", aliases: ["categories", "category"]))
        phone = table.optionalColumn(CSVColumn("phone", aliases: ["phone", "电话"]))
        birthYear = table.optionalColumn(CSVColumn("birthYear", aliases: ["birthYear", "birth_year"]))
    }

    struct Reason: Error { var message: String }

    /// A row's resident, and its address when it gives one instead of a home.
    struct Row {
        var resident: Resident
        var address: String?
    }

    func resident(_ values: [String]) -> Result<Row, Reason> {
        func value(_ index: Int?) -> String {
            guard let index, index < values.count else { return "" }
            return values[index].trimmingCharacters(in: .whitespaces)
        }
        let id = value(self.id), name = value(self.name), home = value(self.home), address = value(self.address)
        if id.isEmpty { return .failure(Reason(message: "no id: a new resident is added with `gridmap resident add`, or given an id here")) }
        if name.isEmpty { return .failure(Reason(message: "resident \(id) has no name")) }
        if home.isEmpty, address.isEmpty { return .failure(Reason(message: "resident \(id) has no home and no address")) }
        var categories: [ResidentCategory] = []
        for text in value(self.categories).split(separator: ";") {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let category = ResidentCategory(rawValue: trimmed) else {
                return .failure(Reason(message: "resident \(id): '\(trimmed)' is not a category (lower-case words joined by hyphens)"))
            }
            categories.append(category)
        }
        let yearText = value(birthYear)
        var year: Int?
        if !yearText.isEmpty {
            guard let parsed = Int(yearText), (1850...2200).contains(parsed) else {
                return .failure(Reason(message: "resident \(id): birth year '\(yearText)' is not a year"))
            }
            year = parsed
        }
        let phone = value(self.phone)
        return .success(Row(resident: Resident(id: id, name: name, homeID: home, categories: categories, phone: phone.isEmpty ? nil : phone,
                                               birthYear: year),
                            address: home.isEmpty ? address : nil))
    }
}
