/// The register at the end of one day, as what differs from today: every subject changed after
/// that day, with its value then (nil: not on the register then), which is the `before` of its
/// first change effective after the day. Every other subject is as it is today. This holds
/// because the rules keep each subject's changes in effective order (``RegisterRules``), and it
/// lets a store hand over only the changes after the day, not the whole history.
public struct RegisterPast: Sendable {
    public let day: RegisterDay
    /// The subjects changed after ``day``, in the order of their first change after it, each with
    /// its value at the end of ``day``.
    public let values: [(subject: RegisterSubject, value: RegisterRecord?)]
    private let index: [RegisterSubject: Int]

    /// From the values a store found (``values`` in order).
    public init(day: RegisterDay, values: [(subject: RegisterSubject, value: RegisterRecord?)]) {
        self.day = day
        self.values = values
        var index: [RegisterSubject: Int] = [:]
        for (position, entry) in values.enumerated() where index[entry.subject] == nil { index[entry.subject] = position }
        self.index = index
    }

    /// From a whole history (any order).
    public init(day: RegisterDay, history: [RegisterChange]) {
        var seen = Set<RegisterSubject>(), values: [(subject: RegisterSubject, value: RegisterRecord?)] = []
        for change in history.sorted(by: { $0.sequence < $1.sequence }) where change.effective > day {
            if seen.insert(change.subject).inserted { values.append((change.subject, change.before)) }
        }
        self.init(day: day, values: values)
    }

    /// Whether the day's register differs from today's for some subject of `kind`.
    public func changes(_ kind: RegisterSubjectKind) -> Bool { values.contains { $0.subject.kind == kind } }

    /// The register's residents at the end of the day: today's (in their order) as they were
    /// then, without those who came later, then those who have left since, in the order of
    /// their first change after the day.
    public func residents(today: [Resident]) -> [Resident] {
        residents(today: today, id: \.id) { $0 }
    }

    /// ``residents(today:)`` over rows that carry a resident (`id` names a row's resident):
    /// a row whose resident has not changed since the day is kept as it is, and `row` makes
    /// one from a resident as they were then — so a reader that places residents (their home's
    /// micro-grid and point) places only those that changed.
    public func residents<Row>(today: [Row], id: (Row) -> String, _ row: (Resident) -> Row) -> [Row] {
        values(today: today, kind: .resident, { .resident(id($0)) }) {
            if case .resident(let resident) = $0 { row(resident) } else { nil }
        }
    }

    /// The homes at the end of the day, as ``residents(today:)`` orders residents.
    public func homes(today: [HomeRecord]) -> [HomeRecord] {
        values(today: today, kind: .home, { RegisterRecord.home($0).subject }) {
            if case .home(let home) = $0 { home } else { nil }
        }
    }

    /// The team at the end of the day, as ``residents(today:)`` orders residents.
    public func team(today: [TeamMember]) -> [TeamMember] {
        values(today: today, kind: .teamMember, { RegisterRecord.teamMember($0).subject }) {
            if case .teamMember(let member) = $0 { member } else { nil }
        }
    }

    /// Today's values of one kind as they were at the end of the day, then the subjects of that
    /// kind that have left since; `subject` names a value's subject, `value` unwraps a record.
    private func values<Value>(today: [Value], kind: RegisterSubjectKind,
                               _ subject: (Value) -> RegisterSubject, _ value: (RegisterRecord) -> Value?) -> [Value] {
        var result: [Value] = []
        result.reserveCapacity(today.count)
        var seen = Set<RegisterSubject>()
        // A subject not changed after the day is today's value as it is: most are, so the
        // lookup is skipped when nothing of this kind changed.
        let anyOfKind = changes(kind)
        for current in today {
            guard anyOfKind else { result.append(current); continue }
            let subject = subject(current)
            guard let position = index[subject] else { result.append(current); continue }
            seen.insert(subject)
            if let then = values[position].value.flatMap(value) { result.append(then) }
        }
        for entry in values where entry.subject.kind == kind && !seen.contains(entry.subject) {
            if let then = entry.value.flatMap(value) { result.append(then) }
        }
        return result
    }
}
