import GeoJSON
import Foundation

/// What the register's rules need to know of the stored register, asked one subject at a time
/// inside the store's write transaction (so the answers cannot change while a batch is checked).
public protocol RegisterState {
    /// The day the register's records begin: the import that started it.
    var start: RegisterDay { get }
    /// The subject's value now; nil when it is not on the register.
    func record(of subject: RegisterSubject) throws -> RegisterRecord?
    /// The effective day of the subject's latest change; nil when it has none.
    func lastEffective(of subject: RegisterSubject) throws -> RegisterDay?
    /// The effective day of the change that added the subject; nil when it came with the import
    /// (or was never added).
    func addedOn(_ subject: RegisterSubject) throws -> RegisterDay?
    /// The residents whose home is `home` now.
    func residents(livingIn home: String) throws -> [String]
    /// The residents whose recorded history puts them in `home` on `day` or later (a change
    /// effective from `day` on, with `home` before or after it).
    func residents(recordedIn home: String, from day: RegisterDay) throws -> [String]
    /// Whether the town has grid `code`.
    func hasGrid(_ code: GridCode) throws -> Bool
    /// Whether any feature of any kind has the id `id` (feature ids are unique in a town).
    func hasFeature(_ id: String) throws -> Bool
    /// The micro-grid `home` lies in (nil when in none) and its representative point, as an
    /// import places it.
    func place(of home: MapFeature) throws -> (microGrid: GridCode?, point: Position?)
}

/// A change the register refused, with its place in the batch and the subject, in words.
public struct RegisterProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// The change's index in the batch (0-based).
    public var index: Int
    public var subject: RegisterSubject
    public var message: String

    public init(index: Int, subject: RegisterSubject, message: String) {
        self.index = index
        self.subject = subject
        self.message = message
    }

    public var description: String { "change \(index + 1) (\(subject)): \(message)" }
}

/// The register's rules: which changes may be recorded, checked for a whole batch before any
/// is kept, so that a batch is recorded whole or not at all.
///
/// - A change takes effect on a day from the register's start up to the day it is recorded
///   (no future), and not before its subject's latest change: a subject's history is kept in
///   the order it happened, so the value of a subject on any day is the `after` of its last
///   change effective by then.
/// - add: the subject is not on the register; remove: it is; change and move: it is, and the
///   value differs. A resident's move changes the home; a change keeps it.
/// - A resident's home is a home of the register, in a micro-grid of the town, that existed on
///   the day (not added later).
/// - A home leaves the register only when nobody lives there, nor is recorded there from that
///   day on. A home's micro-grid is the store's to find, never the caller's.
/// - A team member's grid is one of the town's.
public enum RegisterRules {
    /// The changes `requests` make, checked against `state` in order (each seeing the ones
    /// before it), numbered from `firstSequence`, recorded at `recordedAt` (to the second).
    /// - Throws: ``RegisterRefusal`` with every problem found; nothing is to be kept then. The
    ///   state's own errors pass through.
    public static func plan(_ requests: [RegisterChangeRequest], recordedAt: Date, firstSequence: Int,
                            state: some RegisterState) throws -> [RegisterChange] {
        var batch = Batch(state: state)
        let today = RegisterDay(recordedAt)
        let time = Date(timeIntervalSince1970: recordedAt.timeIntervalSince1970.rounded(.down))
        var problems: [RegisterProblem] = [], changes: [RegisterChange] = []
        for (index, request) in requests.enumerated() {
            do {
                let (before, after) = try batch.check(request, today: today)
                changes.append(RegisterChange(
                    sequence: firstSequence + changes.count, subject: request.subject, action: request.action,
                    effective: request.effective, recordedAt: time, recordedBy: request.recordedBy, reason: request.reason,
                    before: before, after: after))
            } catch let refusal as Refusal {
                problems.append(RegisterProblem(index: index, subject: request.subject, message: refusal.message))
            }
        }
        guard problems.isEmpty else { throw RegisterRefusal(problems: problems) }
        return changes
    }

    /// A rule broken by one change.
    struct Refusal: Error {
        var message: String
    }

    /// The state as the batch has changed it so far.
    private struct Batch<State: RegisterState> {
        let state: State
        var records: [RegisterSubject: RegisterRecord?] = [:]
        var lastEffective: [RegisterSubject: RegisterDay] = [:]
        var added: [RegisterSubject: RegisterDay] = [:]
        /// Residents by the home the batch has put them in (or taken them out of).
        var homeOf: [String: String?] = [:]

        init(state: State) { self.state = state }

        func record(_ subject: RegisterSubject) throws -> RegisterRecord? {
            if let known = records[subject] { return known }
            return try state.record(of: subject)
        }

        mutating func check(_ request: RegisterChangeRequest, today: RegisterDay) throws -> (RegisterRecord?, RegisterRecord?) {
            let subject = request.subject, day = request.effective
            if day < state.start {
                throw Refusal(message: "effective \(day) is before the register began (\(state.start), the import it starts from)")
            }
            if day > today { throw Refusal(message: "effective \(day) is in the future (today is \(today))") }
            if let last = try lastEffective[subject] ?? state.lastEffective(of: subject), day < last {
                throw Refusal(message: "its latest change took effect on \(last); a change effective \(day) would rewrite its history (record it effective \(last) or later)")
            }
            let before = try record(subject)
            var after = request.after
            if let value = after, value.subject != subject {
                throw Refusal(message: "the new value is for \(value.subject), not \(subject) (a \(subject.kind) keeps its id: remove it and add the new one)")
            }
            switch request.action {
            case .add:
                if before != nil { throw Refusal(message: "is on the register already") }
                if after == nil { throw Refusal(message: "an addition needs the new value") }
            case .remove:
                if before == nil { throw Refusal(message: "is not on the register") }
                if after != nil { throw Refusal(message: "a removal takes no new value") }
            case .change, .move:
                guard before != nil else { throw Refusal(message: "is not on the register") }
                guard after != nil else { throw Refusal(message: "a \(request.action) needs the new value") }
            }
            if case .resident(let resident)? = after {
                // Categories sorted and once each, as the register keeps them whatever the caller set.
                after = .resident(Resident(id: resident.id, name: resident.name, homeID: resident.homeID, categories: resident.categories,
                                           phone: resident.phone, birthYear: resident.birthYear))
            }
            if case .home(var home)? = after {
                try checkHome(&home, before: before, adding: request.action == .add)
                after = .home(home)
            }
            if before == after { throw Refusal(message: "the change changes nothing") }
            switch (before, after) {
            case (.resident(let old)?, .resident(let new)?):
                if request.action == .move, old.homeID == new.homeID { throw Refusal(message: "a move needs another home than \(old.homeID)") }
                if request.action == .change, old.homeID != new.homeID {
                    throw Refusal(message: "a change keeps the home (\(old.homeID)); a new home is a move")
                }
            case (_, .resident?):
                if request.action == .move { throw Refusal(message: "only a resident on the register moves") }
            default:
                if request.action == .move { throw Refusal(message: "only residents move; a \(subject.kind) is changed") }
            }
            switch after {
            case .resident(let resident)?: try checkResident(resident, on: day)
            case .teamMember(let member)?:
                if !(try state.hasGrid(member.gridCode)) { throw Refusal(message: "the town has no grid \(member.gridCode)") }
                if member.name.isEmpty { throw Refusal(message: "a team member needs a name") }
            default: break
            }
            if request.action == .remove, case .home(let id) = subject { try checkEmpty(home: id, from: day) }
            records[subject] = .some(after)
            lastEffective[subject] = day
            if request.action == .add { added[subject] = day }
            if case .resident(let id) = subject {
                if case .resident(let resident)? = after { homeOf[id] = .some(resident.homeID) } else { homeOf[id] = .some(nil) }
            }
            return (before, after)
        }

        private func checkResident(_ resident: Resident, on day: RegisterDay) throws {
            if resident.name.isEmpty { throw Refusal(message: "a resident needs a name") }
            guard case .home(let home)? = try record(.home(resident.homeID)) else {
                throw Refusal(message: "home \(resident.homeID) is not on the register")
            }
            guard home.microGrid != nil else {
                throw Refusal(message: "home \(resident.homeID) lies outside every micro-grid of the town")
            }
            if let added = try added[.home(resident.homeID)] ?? state.addedOn(.home(resident.homeID)), added > day {
                throw Refusal(message: "home \(resident.homeID) joined the register on \(added), after \(day)")
            }
        }

        private func checkHome(_ home: inout HomeRecord, before: RegisterRecord?, adding: Bool) throws {
            if home.feature.kind != .home { throw Refusal(message: "a home is a feature of kind home, not \(home.feature.kind)") }
            let problems = home.feature.kind.propertyProblems(in: home.feature.properties)
            if !problems.isEmpty { throw Refusal(message: problems.map(\.message).joined(separator: "; ")) }
            if adding, try state.hasFeature(home.feature.id) {
                throw Refusal(message: "the town has a feature \(home.feature.id) already")
            }
            if case .home(let old)? = before, old.feature.geometry == home.feature.geometry {
                home.microGrid = old.microGrid
                home.point = old.point
            } else {
                (home.microGrid, home.point) = try state.place(of: home.feature)
                if home.microGrid == nil { throw Refusal(message: "the home lies outside every micro-grid of the town") }
            }
        }

        private func checkEmpty(home: String, from day: RegisterDay) throws {
            var living = Set(try state.residents(livingIn: home))
            for (resident, now) in homeOf {
                if now == home { living.insert(resident) } else { living.remove(resident) }
            }
            living.formUnion(try state.residents(recordedIn: home, from: day))
            if !living.isEmpty {
                let names = living.sorted()
                throw Refusal(message: "\(names.count) resident(s) live there on \(day) or later (\(names.prefix(5).joined(separator: ", "))\(names.count > 5 ? ", …" : "")): move or remove them first")
            }
        }
    }
}

/// Every problem of a refused batch; nothing of it was recorded.
public struct RegisterRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    public var problems: [RegisterProblem]

    public init(problems: [RegisterProblem]) { self.problems = problems }

    public var description: String {
        problems.count == 1 ? problems[0].description
            : "\(problems.count) changes refused:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
