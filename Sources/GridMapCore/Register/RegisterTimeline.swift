/// The register on any day, from today's values and the history: a subject's value on day D is
/// the `after` of its last change effective by D, the `before` of its first change when none
/// is, and today's value when it has no change at all. This holds because the rules keep each
/// subject's changes in effective order (``RegisterRules``).
public struct RegisterTimeline: Sendable {
    /// Each subject's changes, in recording (and so effective) order.
    public let changes: [RegisterSubject: [RegisterChange]]
    /// The subjects with changes, in the order of their first change.
    public let subjects: [RegisterSubject]

    /// The timeline of `history` (any order; sorted by sequence here).
    public init(_ history: [RegisterChange]) {
        var changes: [RegisterSubject: [RegisterChange]] = [:], subjects: [RegisterSubject] = []
        for change in history.sorted(by: { $0.sequence < $1.sequence }) {
            if changes[change.subject] == nil { subjects.append(change.subject) }
            changes[change.subject, default: []].append(change)
        }
        self.changes = changes
        self.subjects = subjects
    }

    /// Whether `subject` has any change.
    public func hasChanges(_ subject: RegisterSubject) -> Bool { changes[subject] != nil }

    /// The subject's value at the end of `day`, given its value today (`current`).
    public func value(of subject: RegisterSubject, asOf day: RegisterDay, current: RegisterRecord?) -> RegisterRecord? {
        guard let list = changes[subject] else { return current }
        if let last = list.last(where: { $0.effective <= day }) { return last.after }
        return list.first?.before
    }

    /// The register's residents at the end of `day`: today's (in their order) as they were
    /// then, without those who came later, then those who have left since, in the order of
    /// their first change.
    public func residents(asOf day: RegisterDay, today: [Resident]) -> [Resident] {
        values(asOf: day, today: today, kind: .resident, RegisterRecord.resident) {
            if case .resident(let resident) = $0 { resident } else { nil }
        }
    }

    /// The homes at the end of `day`, as ``residents(asOf:today:)`` orders residents.
    public func homes(asOf day: RegisterDay, today: [HomeRecord]) -> [HomeRecord] {
        values(asOf: day, today: today, kind: .home, RegisterRecord.home) {
            if case .home(let home) = $0 { home } else { nil }
        }
    }

    /// The team at the end of `day`, as ``residents(asOf:today:)`` orders residents.
    public func team(asOf day: RegisterDay, today: [TeamMember]) -> [TeamMember] {
        values(asOf: day, today: today, kind: .teamMember, RegisterRecord.teamMember) {
            if case .teamMember(let member) = $0 { member } else { nil }
        }
    }

    /// Today's values of one kind as they were at the end of `day`, then the subjects of that
    /// kind that have left since; `record` wraps a value, `value` unwraps one.
    private func values<Value>(asOf day: RegisterDay, today: [Value], kind: RegisterSubjectKind,
                               _ record: (Value) -> RegisterRecord, _ value: (RegisterRecord) -> Value?) -> [Value] {
        var result: [Value] = []
        result.reserveCapacity(today.count)
        var seen = Set<RegisterSubject>()
        for current in today {
            let wrapped = record(current)
            seen.insert(wrapped.subject)
            guard changes[wrapped.subject] != nil else { result.append(current); continue }
            if let then = self.value(of: wrapped.subject, asOf: day, current: wrapped).flatMap(value) { result.append(then) }
        }
        for subject in subjects where subject.kind == kind && !seen.contains(subject) {
            if let then = self.value(of: subject, asOf: day, current: nil).flatMap(value) { result.append(then) }
        }
        return result
    }
}
