import Foundation

/// The figures a town reports about its events, over one group of events (the town, a grid, a
/// village, a department or a month). docs/EVENTS.md defines each one; in short:
///
/// - collected: events raised; whistled: events whistled to at least one department;
///   dispatches: department parts (a joint whistle to three departments is three).
/// - report-in rate: dispatches reported in ÷ dispatches; on time: reported in by the deadline.
/// - resolution rate: events verified on the spot (verified or closed) ÷ collected; on time: those
///   with no resolution done after its deadline.
/// - satisfaction rate: closings rated satisfied or basically satisfied ÷ closings.
/// - sent back: events sent back at least once; overdue now: open events with a step past its
///   deadline at the time of the report; escalations: escalation entries.
///
/// Every rate is a count over a count of the same group, so it lies in 0…1, and groups add up:
/// the town's counts are the sums of its grids' (and of its months').
public struct EventTally: Hashable, Sendable {
    public var collected = 0
    public var whistled = 0
    public var dispatches = 0
    public var reportedIn = 0
    public var reportedInOnTime = 0
    public var resolved = 0
    public var resolvedOnTime = 0
    public var closed = 0
    public var satisfied = 0
    public var sentBack = 0
    public var overdueNow = 0
    public var escalations = 0
    /// Seconds each stage took, one value per stage passed, by the stage's position in
    /// ``EventStage/allCases`` (a dictionary lookup per value was a third of tallying a million events).
    private var durations = [[TimeInterval]](repeating: [], count: EventStage.allCases.count)

    /// Seconds each stage took, one value per stage passed (see ``EventStage``).
    public var stageDurations: [EventStage: [TimeInterval]] {
        var result: [EventStage: [TimeInterval]] = [:]
        for (index, stage) in EventStage.allCases.enumerated() where !durations[index].isEmpty { result[stage] = durations[index] }
        return result
    }

    public init() {}

    public var reportInRate: Double? { Self.ratio(reportedIn, dispatches) }
    public var onTimeReportInRate: Double? { Self.ratio(reportedInOnTime, dispatches) }
    public var resolutionRate: Double? { Self.ratio(resolved, collected) }
    public var onTimeResolutionRate: Double? { Self.ratio(resolvedOnTime, collected) }
    public var satisfactionRate: Double? { Self.ratio(satisfied, closed) }

    /// Nil when there is nothing to divide by: a rate of nothing is not 0 %.
    static func ratio(_ part: Int, _ whole: Int) -> Double? {
        whole == 0 ? nil : Double(part) / Double(whole)
    }

    /// The mean of a stage's durations, in seconds.
    public func average(_ stage: EventStage) -> TimeInterval? {
        let values = durations[stage.index]
        guard !values.isEmpty else { return nil }
        return values.reduce(0, +) / Double(values.count)
    }

    /// The 90th percentile of a stage's durations (nearest rank), in seconds.
    public func percentile90(_ stage: EventStage) -> TimeInterval? {
        let values = durations[stage.index].sorted()
        guard !values.isEmpty else { return nil }
        let rank = Int((0.9 * Double(values.count)).rounded(.up))
        return values[max(rank, 1) - 1]
    }

    /// Adds one event's figures; `department` limits the dispatch figures to that department's
    /// part (for the per-department table).
    mutating func add(_ event: EventSummary, at now: Date, department: String? = nil) {
        collected += 1
        var counted = 0
        for part in event.parts where department == nil || part.department == department {
            counted += 1
            guard let reported = part.reportedInAt else { continue }
            reportedIn += 1
            if reported <= part.reportInDeadline { reportedInOnTime += 1 }
        }
        if counted > 0 { whistled += 1 }
        dispatches += counted
        if event.phase == .verified || event.phase == .closed {
            resolved += 1
            if !event.resolvedLate { resolvedOnTime += 1 }
        }
        if event.phase == .closed { closed += 1 }
        if let rating = event.satisfaction, rating != .dissatisfied { satisfied += 1 }
        if event.sentBack > 0 { sentBack += 1 }
        if event.isOverdue(at: now) { overdueNow += 1 }
        escalations += event.escalations
        EventStage.durations(of: event, department: department) { stage, seconds in durations[stage.index].append(seconds) }
    }

    /// Every count, each a sum over the events.
    private static var counts: [WritableKeyPath<EventTally, Int>] {
        [\.collected, \.whistled, \.dispatches, \.reportedIn, \.reportedInOnTime, \.resolved, \.resolvedOnTime, \.closed,
         \.satisfied, \.sentBack, \.overdueNow, \.escalations]
    }

    /// Adds the figures of `later`, a tally of events that all come after this one's (in the
    /// order they were added): the counts add up and each stage's durations are appended in
    /// order, so the result is the tally of both runs added one event at a time — averages and
    /// percentiles included, to the last bit (the mean sums the same values in the same order).
    public mutating func merge(_ later: EventTally) {
        for count in Self.counts { self[keyPath: count] += later[keyPath: count] }
        for index in durations.indices { durations[index] += later.durations[index] }
    }
}

/// The stages whose times a town reports.
public enum EventStage: String, Hashable, Sendable, CaseIterable {
    /// From raising to the grid taking the event or whistling.
    case dispatch
    /// From the whistle to a department's report-in (one per department part).
    case reportIn = "report-in"
    /// From taking (grid) or reporting in (department) to resolving, first time round.
    case handling
    /// From the event resolved to its verification on the spot.
    case verification
    /// From verification to closing.
    case closing

    /// The durations of the stages `event` has passed, each from its first pass (a send-back
    /// does not restart the clock of a stage already measured); with `department`, that
    /// department's part only for report-in and handling.
    static func durations(of event: EventSummary, department: String?, _ add: (EventStage, TimeInterval) -> Void) {
        let milestones = event.milestones
        if let dispatched = milestones.dispatchedAt { add(.dispatch, dispatched.timeIntervalSince(event.raisedAt)) }
        if department == nil, let taken = milestones.takenAt, let resolved = milestones.gridResolvedAt {
            add(.handling, resolved.timeIntervalSince(taken))
        }
        for part in event.parts where department == nil || part.department == department {
            guard let reported = part.reportedInAt else { continue }
            add(.reportIn, reported.timeIntervalSince(part.whistledAt))
            if let resolved = part.firstResolvedAt { add(.handling, resolved.timeIntervalSince(reported)) }
        }
        if let resolved = milestones.resolvedAt, let verified = milestones.verifiedAt {
            add(.verification, verified.timeIntervalSince(resolved))
        }
        if let verified = event.verifiedAt, let closed = event.closedAt { add(.closing, closed.timeIntervalSince(verified)) }
    }

    /// The stage's position in ``allCases``.
    var index: Int {
        switch self {
        case .dispatch: 0
        case .reportIn: 1
        case .handling: 2
        case .verification: 3
        case .closing: 4
        }
    }
}

/// How a table of figures groups the events.
public enum EventGrouping: String, Hashable, Sendable, CaseIterable {
    case town, grid, village, department, month
}

/// Figures per group: the rates table a town office reports upward.
public struct EventRateTable: Sendable {
    public var grouping: EventGrouping
    /// Groups in order (codes, or months as YYYY-MM), each with its figures.
    public var rows: [(group: String, tally: EventTally)]
    /// The whole set's figures (for departments: the events whistled to any).
    public var total: EventTally
    /// The time the overdue counts refer to.
    public var now: Date
    /// Whether the table is a district's (``district(_:by:now:)``): its total is all its towns'.
    public private(set) var isDistrict = false

    /// Figures of `events` grouped by `grouping`; months are calendar months in `timeZone`
    /// (Asia/Shanghai by default) of the raising.
    public init(_ events: [EventCase], by grouping: EventGrouping, now: Date,
                timeZone: TimeZone = EventClock.shanghai) {
        var tally = Tallying(by: grouping, now: now, timeZone: timeZone)
        for event in events { tally.add(event) }
        self = tally.table
    }

    /// Builds a table one event at a time, so that no list of every event is needed; tallies of
    /// consecutive runs of events (read on several cores) merge into the tally of the whole
    /// (``merge(_:)``).
    public struct Tallying: Sendable {
        let grouping: EventGrouping
        let now: Date
        let timeZone: TimeZone
        private var groups: [String: EventTally] = [:]
        private var total = EventTally()

        public init(by grouping: EventGrouping, now: Date, timeZone: TimeZone = EventClock.shanghai) {
            (self.grouping, self.now, self.timeZone) = (grouping, now, timeZone)
        }

        public mutating func add(_ event: EventCase) {
            add(event.summary)
        }

        public mutating func add(_ event: EventSummary) {
            total.add(event, at: now)
            switch grouping {
            case .town: break  // the town's one row is the total
            case .grid: groups[event.grid.description, default: .init()].add(event, at: now)
            case .village: groups[event.villageCode, default: .init()].add(event, at: now)
            case .month: groups[EventClock.month(of: event.raisedAt, in: timeZone), default: .init()].add(event, at: now)
            case .department:
                for code in Set(event.parts.map(\.department)) { groups[code, default: .init()].add(event, at: now, department: code) }
            }
        }

        /// Adds the events `later` tallied, which all come after those added here (in raising
        /// order): the result equals adding every event to one tally (``EventTally/merge(_:)``).
        public mutating func merge(_ later: Tallying) {
            total.merge(later.total)
            for (group, tally) in later.groups { groups[group, default: .init()].merge(tally) }
        }

        /// The table of every event added.
        public var table: EventRateTable {
            let rows = grouping == .town ? (total.collected == 0 ? [] : [(group: "town", tally: total)])
                                         : groups.sorted { $0.key < $1.key }.map { (group: $0.key, tally: $0.value) }
            return EventRateTable(grouping: grouping, rows: rows, total: total, now: now)
        }
    }

    /// The table of a district from its towns' tables (each made with the same `grouping` and
    /// time): by town, one row per town (its code) with the town's figures; otherwise the groups
    /// of every town merged by name (grids and villages are unique across towns by their prefix;
    /// departments and months add up). The total is every town's events.
    public static func district(_ towns: [(code: String, table: EventRateTable)], by grouping: EventGrouping, now: Date) -> EventRateTable {
        var total = EventTally()
        var groups: [String: EventTally] = [:]
        for (code, table) in towns {
            total.merge(table.total)
            if grouping == .town {
                groups[code] = table.total
            } else {
                for (group, tally) in table.rows { groups[group, default: .init()].merge(tally) }
            }
        }
        var table = EventRateTable(grouping: grouping, rows: groups.sorted { $0.key < $1.key }.map { (group: $0.key, tally: $0.value) },
                                   total: total, now: now)
        table.isDistrict = true
        return table
    }

    private init(grouping: EventGrouping, rows: [(group: String, tally: EventTally)], total: EventTally, now: Date) {
        (self.grouping, self.rows, self.total, self.now) = (grouping, rows, total, now)
    }
}

/// The town's clock: times are stored in UTC and shown in China Standard Time.
public enum EventClock {
    /// Asia/Shanghai (UTC+8, no daylight saving since 1991).
    public static let shanghai = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!

    /// `date`'s calendar month in `timeZone`, as YYYY-MM.
    public static func month(of date: Date, in timeZone: TimeZone = shanghai) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", parts.year ?? 0, parts.month ?? 0)
    }
}
