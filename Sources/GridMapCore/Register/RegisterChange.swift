import Foundation
import GeoJSON

/// What a register entry is about: a resident (by id), a home (by feature id) or a member of a
/// grid's team (by grid and name: a team has no ids, and a grid's team does not hold two
/// members of one name).
public enum RegisterSubject: Hashable, Sendable, Comparable, CustomStringConvertible {
    case resident(String)
    case home(String)
    case teamMember(grid: GridCode, name: String)

    /// The kind of subject, as the history and its filters name it.
    public var kind: RegisterSubjectKind {
        switch self {
        case .resident: .resident
        case .home: .home
        case .teamMember: .teamMember
        }
    }

    /// One text naming the subject, unique in the register: `R-000123`, `home-00042`,
    /// `DC-017/王芳`.
    public var key: String {
        switch self {
        case .resident(let id), .home(let id): id
        case .teamMember(let grid, let name): "\(grid)/\(name)"
        }
    }

    public var description: String { "\(kind) \(key)" }

    public static func < (a: RegisterSubject, b: RegisterSubject) -> Bool { (a.kind, a.key) < (b.kind, b.key) }
}

/// The three kinds of things the register keeps with their history.
public enum RegisterSubjectKind: String, Hashable, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case resident
    case home
    case teamMember = "team-member"

    public var description: String { rawValue }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A home as the register keeps it: the feature, the micro-grid it lies in (nil: outside every
/// micro-grid) and its representative point, both found by the store as an import finds them.
public struct HomeRecord: Hashable, Sendable {
    public var feature: MapFeature
    public var microGrid: GridCode?
    public var point: Position?

    public init(feature: MapFeature, microGrid: GridCode? = nil, point: Position? = nil) {
        self.feature = feature
        self.microGrid = microGrid
        self.point = point
    }
}

/// One subject's whole value at one moment: what a change's `before` and `after` hold.
public enum RegisterRecord: Hashable, Sendable {
    case resident(Resident)
    case home(HomeRecord)
    case teamMember(TeamMember)

    /// The subject this value belongs to.
    public var subject: RegisterSubject {
        switch self {
        case .resident(let resident): .resident(resident.id)
        case .home(let home): .home(home.feature.id)
        case .teamMember(let member): .teamMember(grid: member.gridCode, name: member.name)
        }
    }
}

/// What a change does to its subject.
public enum RegisterAction: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Enters the register: born, moved into the town, a new home, a new team member.
    case add
    /// Changes fields (categories, phone, a home's name or address, a member's role or unit).
    case change
    /// A resident moves to another home in the town.
    case move
    /// Leaves the register: died, moved away, a home pulled down, a member who left.
    case remove

    public var description: String { rawValue }
}

/// A change someone asks the register to record: the subject's value after it (nil for a
/// removal), the day it took effect, who records it and why. The store finds the value before
/// it, checks it (``RegisterRules``) and keeps it as a ``RegisterChange``.
public struct RegisterChangeRequest: Hashable, Sendable {
    public var subject: RegisterSubject
    public var action: RegisterAction
    /// The subject's whole value after the change; nil for ``RegisterAction/remove``.
    public var after: RegisterRecord?
    public var effective: RegisterDay
    /// Who records it (an account or a name), as the history shows it.
    public var recordedBy: String
    /// Why (died, moved away, the survey found it, a ledger sync, …).
    public var reason: String

    public init(subject: RegisterSubject, action: RegisterAction, after: RegisterRecord?, effective: RegisterDay,
                recordedBy: String, reason: String) {
        self.subject = subject
        self.action = action
        self.after = after
        self.effective = effective
        self.recordedBy = recordedBy
        self.reason = reason
    }
}

/// One entry of the register's history, never changed once kept: who recorded what, when (the
/// day it took effect and the moment it was recorded), why, and the subject's whole value before
/// and after. The register as of any day is the import's register with the entries effective by
/// that day applied in order; today's register is all of them applied.
public struct RegisterChange: Hashable, Sendable {
    /// Its place in the history (1, 2, …), in recording order.
    public var sequence: Int
    public var subject: RegisterSubject
    public var action: RegisterAction
    public var effective: RegisterDay
    /// When it was recorded, to the second.
    public var recordedAt: Date
    public var recordedBy: String
    public var reason: String
    /// The value before (nil: the subject was not on the register) and after (nil: it left).
    public var before: RegisterRecord?
    public var after: RegisterRecord?

    public init(sequence: Int, subject: RegisterSubject, action: RegisterAction, effective: RegisterDay, recordedAt: Date,
                recordedBy: String, reason: String, before: RegisterRecord?, after: RegisterRecord?) {
        self.sequence = sequence
        self.subject = subject
        self.action = action
        self.effective = effective
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.reason = reason
        self.before = before
        self.after = after
    }

    /// The fields that differ between before and after, with both values as text (a field
    /// absent on one side is empty there): what a history line and a sync report show.
    public var fieldChanges: [RegisterFieldChange] {
        RegisterFieldChange.between(before, after)
    }
}

/// One field's value before and after a change, as text.
public struct RegisterFieldChange: Hashable, Sendable {
    public var field: String
    public var before: String
    public var after: String

    public init(field: String, before: String, after: String) {
        self.field = field
        self.before = before
        self.after = after
    }

    /// Whether the field is personal data (a resident's name, phone, birth year, categories
    /// and home; a team member's name and phone), which a history shows by role.
    public var isPersonal: Bool { !["role", "unit", "grid"].contains(field) }

    /// The differing fields of two values of one subject.
    public static func between(_ before: RegisterRecord?, _ after: RegisterRecord?) -> [RegisterFieldChange] {
        let old = before.map(fields) ?? [], new = after.map(fields) ?? []
        var names: [String] = []
        for (name, _) in old + new where !names.contains(name) { names.append(name) }
        return names.compactMap { name in
            let a = old.first { $0.0 == name }?.1 ?? "", b = new.first { $0.0 == name }?.1 ?? ""
            return a == b ? nil : RegisterFieldChange(field: name, before: a, after: b)
        }
    }

    /// A property's value as a history shows it: strings bare, numbers as written, `null` empty.
    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: ""
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): number.text
        case .string(let string): string
        case .array, .object:
            // Written as JSON: the member of a one-member object, cut out of it.
            if let text = try? JSONObjectText.encode(JSONObject([("v", value)])) { String(text.dropFirst(5).dropLast()) } else { "" }
        }
    }

    /// A value's fields as text, in a fixed order.
    public static func fields(_ record: RegisterRecord) -> [(String, String)] {
        switch record {
        case .resident(let resident):
            [("name", resident.name), ("home", resident.homeID),
             ("categories", resident.categories.map(\.rawValue).joined(separator: ";")),
             ("phone", resident.phone ?? ""), ("birthYear", resident.birthYear.map { String($0) } ?? "")]
        case .home(let home):
            [("name", home.feature.name), ("microgrid", home.microGrid?.description ?? "")]
                + home.feature.properties.map { member in (member.key, Self.text(member.value)) }
        case .teamMember(let member):
            [("grid", member.gridCode.description), ("name", member.name), ("role", member.role.rawValue),
             ("unit", member.unit ?? ""), ("phone", member.phone ?? "")]
        }
    }
}

/// Which entries of the history a read wants.
public struct RegisterFilter: Sendable, Hashable {
    /// Only this subject's.
    public var subject: RegisterSubject?
    /// Only these kinds of subject (all when empty).
    public var kinds: Set<RegisterSubjectKind>
    /// Only entries effective on or after this day.
    public var from: RegisterDay?
    /// Only entries effective on or before this day.
    public var through: RegisterDay?

    public init(subject: RegisterSubject? = nil, kinds: Set<RegisterSubjectKind> = [], from: RegisterDay? = nil,
                through: RegisterDay? = nil) {
        self.subject = subject
        self.kinds = kinds
        self.from = from
        self.through = through
    }

    /// Every entry.
    public static let all = RegisterFilter()

    /// Whether `change` passes.
    public func selects(_ change: RegisterChange) -> Bool {
        if let subject, change.subject != subject { return false }
        if !kinds.isEmpty, !kinds.contains(change.subject.kind) { return false }
        if let from, change.effective < from { return false }
        if let through, change.effective > through { return false }
        return true
    }
}
