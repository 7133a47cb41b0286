import Foundation
import GridMapCore
import GridStore

/// The register's changes as a file (JSON Lines), as the town generator writes the reference
/// town's year or as an office types in a month of paper slips: one resident change a line,
/// the same four actions as `gridmap resident`.
///
///     {"do":"add","resident":ID,"name":…,"home":…,"categories":[…],"phone":…,"birthYear":…,"effective":DAY,"by":WHO,"reason":…}
///     {"do":"change","resident":ID,"addCategories":[…],"removeCategories":[…],"categories":[…],"name":…,"phone":…,"birthYear":…,"effective":…,"by":…,"reason":…}
///     {"do":"move","resident":ID,"home":…,"effective":…,"by":…,"reason":…}
///     {"do":"remove","resident":ID,"effective":…,"by":…,"reason":…}
///
/// The whole file is read and checked before anything is kept — each line against the
/// register as the lines before it leave it, then the whole batch by the register's rules —
/// and recorded in one transaction: a bad line is refused by its number and nothing of the
/// file is kept.
extension RegisterDesk {
    private struct Line: Decodable {
        var `do`: String
        var resident: String?
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
        // Each resident as the lines read so far leave them (nil: removed by a line).
        var residents = try residentsToday()
        var requests: [RegisterChangeRequest] = []
        var lines: [Int] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            do throws(JobError) {
                let request = try Self.request(trimmed, residents: residents, by: recorder)
                residents[request.subject.key] = .some(request.after.flatMap { record in
                    if case .resident(let resident) = record { resident } else { nil }
                })
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

    /// The request of one line, checked against `residents` (the register as the lines before it leave it).
    private static func request(_ text: String, residents: [String: Resident?], by recorder: String) throws(JobError) -> RegisterChangeRequest {
        let line: Line
        do {
            line = try JSONDecoder().decode(Line.self, from: Data(text.utf8))
        } catch {
            throw .invalidRequest("not a register change line (\(error))")
        }
        guard let action = RegisterAction(rawValue: line.do) else {
            throw .invalidRequest("\"do\" is add, change, move or remove, not '\(line.do)'")
        }
        guard let id = line.resident, !id.isEmpty else { throw .invalidRequest("a change names its \"resident\" (an id)") }
        guard let effectiveText = line.effective, let effective = RegisterDay(effectiveText) else {
            throw .invalidRequest("\"effective\" wants a day YYYY-MM-DD")
        }
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
    /// Records one resident change given as a line of the change file (a JSON object, see
    /// above) for a reader of `role`, recorded by `recorder`: the office changes any resident;
    /// a grid worker a resident whose home, before and after, lies in their own grid; anyone
    /// else nobody (``JobError/Kind/forbidden``). The register's rules apply as to any change.
    @discardableResult
    public func recordChange(json text: String, as role: ResidentRole, by recorder: String, at time: Date = Date()) throws(JobError) -> RegisterChange {
        let disclosure = Disclosure(role)
        try disclosure.checkSeesResidents(inGrids: [], instead: "a change to the register is recorded by the town office or the grid's worker.")
        let residents = try residentsToday()
        let request = try Self.request(text, residents: residents, by: recorder)
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
