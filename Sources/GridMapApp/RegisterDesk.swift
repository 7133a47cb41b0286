import Foundation
import GeoJSON
import GridMapCore
import GridStore

/// Changes to the register as a person asks for them — a resident added, changed, moved or
/// removed; a home; a team member — turned into whole values and recorded by the store with
/// their history (``RegisterLog``), and the history read back as a role may see it.
public struct RegisterDesk: Sendable {
    public let store: any TownStore

    public init(store: any TownStore) { self.store = store }

    /// Who records and when and why: the part every change shares.
    public struct Entry: Sendable, Hashable {
        public var effective: RegisterDay
        public var recordedBy: String
        public var reason: String

        public init(effective: RegisterDay, recordedBy: String, reason: String) {
            self.effective = effective
            self.recordedBy = recordedBy
            self.reason = reason
        }
    }

    /// Fields of a resident to set; nil leaves a field as it is. `categories` replaces the list,
    /// `addCategories` and `removeCategories` edit it.
    public struct ResidentFields: Sendable, Hashable {
        public var name: String?
        public var home: String?
        public var categories: [ResidentCategory]?
        public var addCategories: [ResidentCategory] = []
        public var removeCategories: [ResidentCategory] = []
        public var phone: String?
        public var birthYear: Int?

        public init(name: String? = nil, home: String? = nil, categories: [ResidentCategory]? = nil,
                    addCategories: [ResidentCategory] = [], removeCategories: [ResidentCategory] = [],
                    phone: String? = nil, birthYear: Int? = nil) {
            self.name = name
            self.home = home
            self.categories = categories
            self.addCategories = addCategories
            self.removeCategories = removeCategories
            self.phone = phone
            self.birthYear = birthYear
        }

        func applied(to resident: Resident) -> Resident {
            var result = resident
            if let name { result.name = name }
            if let home { result.homeID = home }
            var held = Set(categories ?? resident.categories)
            held.formUnion(addCategories)
            held.subtract(removeCategories)
            result.categories = held.sorted()
            if let phone { result.phone = phone.isEmpty ? nil : phone }
            if let birthYear { result.birthYear = birthYear }
            return result
        }
    }

    /// Records one batch, all or nothing, at `time`.
    @discardableResult
    public func record(_ requests: [RegisterChangeRequest], at time: Date = Date()) throws(JobError) -> [RegisterChange] {
        do {
            return try store.recordChanges(requests, at: time)
        } catch {
            throw Self.jobError(error)
        }
    }

    /// A refusal of the rules as a conflict (one problem) or a rejection listing each.
    static func jobError(_ error: RegisterError) -> JobError {
        switch error {
        case .refused(let refusal) where refusal.problems.count == 1:
            return .conflict("Nothing was recorded: \(refusal.problems[0].subject) \(refusal.problems[0].message).")
        case .refused(let refusal):
            return JobError(.rejected, "Nothing was recorded: \(refusal.problems.count) changes were refused.",
                            details: refusal.problems.map(\.description))
        case .noTown: return .invalidRequest("The store holds no town: the register begins with an import.")
        case .store(let error): return .failed(error)
        }
    }

    /// The resident `id` on today's register, or ``JobError/Kind/notFound``.
    public func resident(_ id: String) throws(JobError) -> Resident {
        let found = try asJobError { try store.residents().first { $0.id == id } }
        guard let resident = found else {
            throw .notFound("There is no resident \(id) on the register.")
        }
        return resident
    }

    /// Adds a resident (born, or moved into the town); without an id, the next free `R-nnnnnn`.
    @discardableResult
    public func addResident(id: String?, _ fields: ResidentFields, _ entry: Entry, at time: Date = Date()) throws(JobError) -> RegisterChange {
        guard let name = fields.name, let home = fields.home else { throw .invalidRequest("A new resident needs a name and a home.") }
        let newID = if let id { id } else { try nextResidentID() }
        let resident = fields.applied(to: Resident(id: newID, name: name, homeID: home))
        return try one(.resident(newID), .add, .resident(resident), entry, at: time)
    }

    /// Changes a resident's fields (not the home: that is ``moveResident(_:to:_:at:)``).
    @discardableResult
    public func changeResident(_ id: String, _ fields: ResidentFields, _ entry: Entry, at time: Date = Date()) throws(JobError) -> RegisterChange {
        if fields.home != nil { throw .invalidRequest("A new home is a move: use move.") }
        return try one(.resident(id), .change, .resident(fields.applied(to: resident(id))), entry, at: time)
    }

    /// Moves a resident to another home of the town.
    @discardableResult
    public func moveResident(_ id: String, to home: String, _ entry: Entry, at time: Date = Date()) throws(JobError) -> RegisterChange {
        var moved = try resident(id)
        moved.homeID = home
        return try one(.resident(id), .move, .resident(moved), entry, at: time)
    }

    /// Removes a resident (died, moved away); the reason says which.
    @discardableResult
    public func removeResident(_ id: String, _ entry: Entry, at time: Date = Date()) throws(JobError) -> RegisterChange {
        try one(.resident(id), .remove, nil, entry, at: time)
    }

    /// The team member of `grid` named `name` today, nil when there is none.
    public func teamMember(grid: GridCode, name: String) throws(JobError) -> TeamMember? {
        try asJobError { try store.team(of: grid).first { $0.name == name } }
    }

    /// Adds, changes or removes a team member of `grid` named `name` (`after` nil removes).
    @discardableResult
    public func teamMember(grid: GridCode, name: String, _ action: RegisterAction, after: TeamMember?, _ entry: Entry,
                           at time: Date = Date()) throws(JobError) -> RegisterChange {
        try one(.teamMember(grid: grid, name: name), action, after.map(RegisterRecord.teamMember), entry, at: time)
    }

    /// Adds, changes or removes a home (`after` nil removes).
    @discardableResult
    public func home(_ id: String, _ action: RegisterAction, after: MapFeature?, _ entry: Entry, at time: Date = Date()) throws(JobError) -> RegisterChange {
        try one(.home(id), action, after.map { .home(HomeRecord(feature: $0)) }, entry, at: time)
    }

    private func one(_ subject: RegisterSubject, _ action: RegisterAction, _ after: RegisterRecord?, _ entry: Entry,
                     at time: Date) throws(JobError) -> RegisterChange {
        let changes = try record([RegisterChangeRequest(subject: subject, action: action, after: after, effective: entry.effective,
                                                        recordedBy: entry.recordedBy, reason: entry.reason)], at: time)
        guard let change = changes.first else { throw .failed(RegisterError.noTown) }
        return change
    }

    /// The next resident id after every `R-n` on the register and in its history.
    public func nextResidentID() throws(JobError) -> String {
        var highest = 0
        let ids = try asJobError { try store.residents().map(\.id) + store.registerChanges(RegisterFilter(kinds: [.resident])).map(\.subject.key) }
        for id in ids where id.hasPrefix("R-") { highest = max(highest, Int(id.dropFirst(2)) ?? 0) }
        return String(format: "R-%06d", highest + 1)
    }

    /// The history `filter` selects, as `role` may see it (``Disclosure/disclose(_:homes:)``).
    public func history(_ filter: RegisterFilter, as role: ResidentRole) throws(JobError) -> [DisclosedRegisterChange] {
        try disclosed(try asJobError { try store.registerChanges(filter) }, as: role)
    }

    /// `changes` as `role` may see them (``Disclosure/disclose(_:homes:)``).
    public func disclosed(_ changes: [RegisterChange], as role: ResidentRole) throws(JobError) -> [DisclosedRegisterChange] {
        let disclosure = Disclosure(role)
        var homes: [String: GridCode] = [:]
        if !disclosure.seesEveryone {
            let located = try asJobError { try store.locatedFeatures(of: .home, in: nil, page: .all) }
            for home in located {
                homes[home.feature.id] = home.microGrid?.gridCode
            }
            for change in changes {
                for case .home(let home)? in [change.before, change.after] { homes[home.feature.id] = home.microGrid?.gridCode }
            }
        }
        return changes.map { disclosure.disclose($0, homes: homes) }
    }
}

/// A history entry as a reader may see it: a resident's entry only to who sees the resident's
/// grid (before or after), a team member's name and phone only to who sees the member; else
/// the entry says that something was recorded, when and by whom, without the person.
public struct DisclosedRegisterChange: Sendable, Hashable {
    /// The entry whole, for the parts every reader sees (below); not handed out.
    let change: RegisterChange
    public var sequence: Int { change.sequence }
    public var action: RegisterAction { change.action }
    public var effective: RegisterDay { change.effective }
    public var recordedAt: Date { change.recordedAt }
    public var recordedBy: String { change.recordedBy }
    /// The subject as the reader may see it (`resident (withheld)`).
    public var subject: String
    /// The fields that changed, without the personal ones the reader may not see.
    public var fields: [RegisterFieldChange]
    /// The reason, when the reader sees the subject (free text may name a person).
    public var reason: String?
    /// Whether anything was left out.
    public var withheld: Bool
}

extension Disclosure {
    /// `change` as this reader may see it; `homes` gives each home's grid (the office needs none).
    public func disclose(_ change: RegisterChange, homes: [String: GridCode]) -> DisclosedRegisterChange {
        let sees: Bool
        switch change.subject {
        case .home: sees = true
        case .resident:
            sees = seesEveryone || [change.before, change.after].contains { record in
                if case .resident(let resident)? = record { seesResidents(inGrid: homes[resident.homeID]) } else { false }
            }
        case .teamMember:
            sees = [change.before, change.after].contains { record in
                if case .teamMember(let member)? = record { self.sees(member) } else { false }
            }
        }
        if sees {
            return DisclosedRegisterChange(change: change, subject: change.subject.description, fields: change.fieldChanges,
                                           reason: change.reason, withheld: false)
        }
        let subject = change.subject.kind == .resident ? "resident (withheld)" : "team-member (withheld)"
        return DisclosedRegisterChange(change: change, subject: subject, fields: change.fieldChanges.filter { !$0.isPersonal },
                                       reason: nil, withheld: true)
    }
}
