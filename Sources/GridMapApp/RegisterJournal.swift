import Foundation
import GridMapCore
import GridStore

/// The register's changes as a file (JSON Lines), as the town generator writes the reference
/// town's year or as an office types in a month of paper slips: one change a line — a
/// resident's with the same four actions as `gridmap resident`, a team member's with the three
/// of `gridmap team-member` (a member is named `GRID/NAME`).
///
///     {"do":"add","resident":ID,"name":…,"home":…,"categories":[…],"phone":…,"birthYear":…,"effective":DAY,"by":WHO,"reason":…}
///     {"do":"change","resident":ID,"addCategories":[…],"removeCategories":[…],"categories":[…],"name":…,"phone":…,"birthYear":…,"effective":…,"by":…,"reason":…}
///     {"do":"move","resident":ID,"home":…,"effective":…,"by":…,"reason":…}
///     {"do":"remove","resident":ID,"effective":…,"by":…,"reason":…}
///     {"do":"add","teamMember":"DC-017/李新","role":"chief","unit":…,"phone":…,"effective":…,"by":…,"reason":…}
///     {"do":"change","teamMember":"DC-017/李新","role":…,"unit":…,"phone":…,"effective":…}   ("" clears unit or phone)
///     {"do":"remove","teamMember":"DC-017/李家辉","effective":…,"reason":"retired"}
///
/// Homes are not changed here: a home is a place on the map, changed by importing the town or
/// syncing a ledger (`gridmap ledger sync`).
///
/// The whole file is read and checked before anything is kept — each line against the
/// register as the lines before it leave it, then the whole batch by the register's rules —
/// and recorded in one transaction: a bad line is refused by its number and nothing of the
/// file is kept.
extension RegisterDesk {
    private struct Line: Decodable {
        var `do`: String
        var resident: String?
        var teamMember: String?
        var role: String?
        var unit: String?
        var name: String?
        var home: String?
        var categories: [String]?
        var addCategories: [String]?
        var removeCategories: [String]?
        var phone: String?
        var birthYear: Int?
        var effective: String?
        var by: String?
        var reason: String?
    }

    /// Records the changes of `text` (from the file `name`, for messages), all or none; the
    /// changes as kept. A line without `"by"` is recorded by `recorder`.
    @discardableResult
    public func importJournal(_ text: String, name: String, by recorder: String, at time: Date = Date()) throws(JobError) -> [RegisterChange] {
        // Each resident and team member as the lines read so far leave them (nil: removed by a line).
        var residents = try residentsToday()
        var team = try teamToday()
        var requests: [RegisterChangeRequest] = []
        var lines: [Int] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            do throws(JobError) {
                let request = try Self.request(trimmed, residents: residents, team: team, by: recorder)
                switch request.subject {
                case .resident(let id):
                    residents[id] = .some(request.after.flatMap { record in
                        if case .resident(let resident) = record { resident } else { nil }
                    })
                case .teamMember:
                    team[request.subject.key] = .some(request.after.flatMap { record in
                        if case .teamMember(let member) = record { member } else { nil }
                    })
                case .home: break
                }
                requests.append(request)
                lines.append(index + 1)
            } catch {
                throw JobError(error.kind, "\(name) line \(index + 1): \(error.message)", details: error.details)
            }
        }
        do {
            return try store.recordChanges(requests, at: time)
        } catch {
            guard case .refused(let refusal) = error else { throw Self.jobError(error) }
            // The rules number a change by its place in the batch; a reader wants the file's line.
            let places = refusal.problems.map { "\(name) line \(lines[$0.index]): \($0.subject) \($0.message)" }
            if places.count == 1 { throw .conflict("Nothing was recorded: \(places[0]).") }
            throw JobError(.rejected, "Nothing was recorded: \(places.count) changes of \(name) were refused.", details: places)
        }
    }

    /// Today's residents by id.
    private func residentsToday() throws(JobError) -> [String: Resident?] {
        let today = try asJobError { try store.residents() }
        var residents: [String: Resident?] = [:]
        for resident in today { residents[resident.id] = resident }
        return residents
    }

    /// Today's team by member key (`GRID/NAME`, as ``RegisterSubject/key`` names them).
    private func teamToday() throws(JobError) -> [String: TeamMember?] {
        let today = try asJobError { try store.team(of: nil) }
        var team: [String: TeamMember?] = [:]
        for member in today { team[RegisterSubject.teamMember(grid: member.gridCode, name: member.name).key] = member }
        return team
    }

    /// The request of one line, checked against `residents` and `team` (the register as the
    /// lines before it leave it).
    private static func request(_ text: String, residents: [String: Resident?], team: [String: TeamMember?],
                                by recorder: String) throws(JobError) -> RegisterChangeRequest {
        let line: Line
        do {
            line = try JSONDecoder().decode(Line.self, from: Data(text.utf8))
        } catch {
            throw .invalidRequest("not a register change line (\(error))")
        }
        guard let action = RegisterAction(rawValue: line.do) else {
            throw .invalidRequest("\"do\" is add, change, move or remove, not '\(line.do)'")
        }
        guard let effectiveText = line.effective, let effective = RegisterDay(effectiveText) else {
            throw .invalidRequest("\"effective\" wants a day YYYY-MM-DD")
        }
        if let key = line.teamMember {
            guard line.resident == nil else { throw .invalidRequest("a line changes a \"resident\" or a \"teamMember\", not both") }
            return try teamRequest(line, key: key, action: action, effective: effective, team: team, by: recorder)
        }
        guard let id = line.resident, !id.isEmpty else { throw .invalidRequest("a change names its \"resident\" (an id) or its \"teamMember\" (GRID/NAME)") }
        if line.role != nil || line.unit != nil { throw .invalidRequest("\"role\" and \"unit\" are a team member's, not a resident's") }
        func categories(_ texts: [String]?, _ key: String) throws(JobError) -> [ResidentCategory]? {
            try RequestParsing.categoryNames(texts, field: "\"\(key)\"")
        }
        let fields = ResidentFields(name: line.name, home: line.home, categories: try categories(line.categories, "categories"),
                                    addCategories: try categories(line.addCategories, "addCategories") ?? [],
                                    removeCategories: try categories(line.removeCategories, "removeCategories") ?? [],
                                    phone: line.phone, birthYear: line.birthYear)
        let known = residents[id] ?? nil
        let after: RegisterRecord?
        switch action {
        case .add:
            if known != nil { throw .conflict("resident \(id) is on the register already") }
            guard let name = line.name, let home = line.home else { throw .invalidRequest("a new resident needs a \"name\" and a \"home\"") }
            after = .resident(fields.applied(to: Resident(id: id, name: name, homeID: home)))
        case .change, .move, .remove:
            guard let resident = known else {
                throw .notFound("there is no resident \(id) on the register"
                    + (residents[id] != nil ? " (an earlier line removed them)" : ""))
            }
            switch action {
            case .change where line.home != nil: throw .invalidRequest("a new home is a move: \"do\":\"move\"")
            case .move where line.home == nil: throw .invalidRequest("a move names the new \"home\"")
            case .move where fields != ResidentFields(home: line.home):
                throw .invalidRequest("a move changes only the home; record other fields with a change")
            case .remove where fields != ResidentFields(): throw .invalidRequest("a removal takes no fields, only its \"reason\"")
            default: break
            }
            after = action == .remove ? nil : .resident(fields.applied(to: resident))
        }
        return RegisterChangeRequest(subject: .resident(id), action: action, after: after, effective: effective,
                                     recordedBy: line.by ?? recorder, reason: line.reason ?? "")
    }
}

extension RegisterDesk {
    /// The request of a team member's line (`key` is `GRID/NAME`), checked against `team`.
    private static func teamRequest(_ line: Line, key: String, action: RegisterAction, effective: RegisterDay,
                                    team: [String: TeamMember?], by recorder: String) throws(JobError) -> RegisterChangeRequest {
        guard let slash = key.firstIndex(of: "/"), let grid = GridCode(String(key[..<slash])), !grid.isMicroGrid,
              case let name = String(key[key.index(after: slash)...]), !name.isEmpty else {
            throw .invalidRequest("\"teamMember\" is GRID/NAME, a grid code and the member's name, e.g. DC-017/李新, not '\(key)'")
        }
        if line.name != nil || line.home != nil || line.categories != nil || line.addCategories != nil || line.removeCategories != nil
            || line.birthYear != nil {
            throw .invalidRequest("a team member has a \"role\", \"unit\" and \"phone\"; the other fields are a resident's")
        }
        var role: TeamRole?
        if let text = line.role {
            guard let parsed = TeamRole(rawValue: text) else {
                throw .invalidRequest("\"role\" is \(TeamRole.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
            }
            role = parsed
        }
        let subject = RegisterSubject.teamMember(grid: grid, name: name)
        let known = team[subject.key] ?? nil
        let after: TeamMember?
        switch action {
        case .add:
            if known != nil { throw .conflict("grid \(grid) has a team member \(name) already") }
            guard let role else { throw .invalidRequest("a new team member needs a \"role\"") }
            after = TeamMember(gridCode: grid, role: role, name: name, unit: line.unit.flatMap { $0.isEmpty ? nil : $0 },
                               phone: line.phone.flatMap { $0.isEmpty ? nil : $0 })
        case .change:
            guard var member = known else {
                throw .notFound("grid \(grid) has no team member \(name)" + (team[subject.key] != nil ? " (an earlier line removed them)" : ""))
            }
            if let role { member.role = role }
            if let unit = line.unit { member.unit = unit.isEmpty ? nil : unit }
            if let phone = line.phone { member.phone = phone.isEmpty ? nil : phone }
            after = member
        case .remove:
            guard known != nil else {
                throw .notFound("grid \(grid) has no team member \(name)" + (team[subject.key] != nil ? " (an earlier line removed them)" : ""))
            }
            if role != nil || line.unit != nil || line.phone != nil { throw .invalidRequest("a removal takes no fields, only its \"reason\"") }
            after = nil
        case .move:
            throw .invalidRequest("a team member is not moved: remove them from one grid and add them to the other")
        }
        return RegisterChangeRequest(subject: subject, action: action, after: after.map(RegisterRecord.teamMember), effective: effective,
                                     recordedBy: line.by ?? recorder, reason: line.reason ?? "")
    }
}

extension RegisterDesk {
    /// Records one resident change given as a line of the change file (a JSON object, see
    /// above) for a reader of `role`, recorded by `recorder`: the office changes any resident;
    /// a grid worker a resident whose home, before and after, lies in their own grid; anyone
    /// else nobody (``JobError/Kind/forbidden``). The register's rules apply as to any change.
    @discardableResult
    public func recordChange(json text: String, as role: ResidentRole, by recorder: String, at time: Date = Date()) throws(JobError) -> RegisterChange {
        let disclosure = Disclosure(role)
        try disclosure.checkSeesResidents(inGrids: [], instead: "a change to the register is recorded by the town office or the grid's worker.")
        let residents = try residentsToday()
        let request = try Self.request(text, residents: residents, team: try teamToday(), by: recorder)
        if case .teamMember = request.subject, !disclosure.seesEveryone {
            throw .forbidden("--role \(role) cannot change a grid's team: the town office does.")
        }
        if !disclosure.seesEveryone {
            var homes: [String] = []
            if let resident = residents[request.subject.key] ?? nil { homes.append(resident.homeID) }
            if case .resident(let resident)? = request.after { homes.append(resident.homeID) }
            let located = try asJobError { try store.locatedFeatures(of: .home, in: nil, page: .all) }
            let grids = Dictionary(located.map { ($0.feature.id, $0.microGrid?.gridCode) }, uniquingKeysWith: { first, _ in first })
            for home in homes where !disclosure.seesResidents(inGrid: grids[home] ?? nil) {
                throw .forbidden("--role \(role) records changes of residents of its own grid only; home \(home) lies in "
                    + ((grids[home] ?? nil).map { "grid \($0)" } ?? "no grid") + ".")
            }
        }
        let changes = try record([request], at: time)
        guard let change = changes.first else { throw .failed(RegisterError.noTown) }
        return change
    }
}
