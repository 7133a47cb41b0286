import Foundation

/// What the rates need of one event, derived from its history: where and when it was raised,
/// where it stands, its departments' times, and the earliest deadline still open. A summary is a
/// function of the history (``EventCase/summary``) — never a second truth: a store may keep it
/// beside the history as a cache so that the rates read one compact row per event instead of
/// replaying every entry, and must be able to rebuild it from the history alone.
public struct EventSummary: Hashable, Sendable {
    /// One department's part, as the rates count it.
    public struct Part: Hashable, Sendable {
        public var department: String
        public var whistledAt: Date
        public var reportInDeadline: Date
        public var reportedInAt: Date?
        /// When the part was first resolved (kept through send-backs).
        public var firstResolvedAt: Date?

        public init(department: String, whistledAt: Date, reportInDeadline: Date, reportedInAt: Date?, firstResolvedAt: Date?) {
            (self.department, self.whistledAt, self.reportInDeadline) = (department, whistledAt, reportInDeadline)
            (self.reportedInAt, self.firstResolvedAt) = (reportedInAt, firstResolvedAt)
        }
    }

    public var id: String
    public var raisedAt: Date
    public var category: String
    public var urgency: Urgency
    public var microGrid: GridCode
    /// The grid whose team answers for the event (``microGrid``'s).
    public var grid: GridCode
    public var villageCode: String
    public var phase: EventPhase
    public var parts: [Part]
    public var milestones: EventMilestones
    /// The current verification and closing (cleared by a send-back, as in ``EventCase``).
    public var verifiedAt: Date?
    public var closedAt: Date?
    public var satisfaction: Satisfaction?
    /// How often the event was sent back.
    public var sentBack: Int
    /// Whether a resolution was done after its deadline.
    public var resolvedLate: Bool
    /// The earliest deadline of a step not done yet; nil when no step is pending.
    public var nextDeadline: Date?
    /// Escalation entries in the history.
    public var escalations: Int

    public init(id: String, raisedAt: Date, category: String, urgency: Urgency, microGrid: GridCode, grid: GridCode, villageCode: String,
                phase: EventPhase, parts: [Part], milestones: EventMilestones, verifiedAt: Date?, closedAt: Date?,
                satisfaction: Satisfaction?, sentBack: Int, resolvedLate: Bool, nextDeadline: Date?, escalations: Int) {
        (self.id, self.raisedAt, self.category, self.urgency) = (id, raisedAt, category, urgency)
        (self.microGrid, self.grid, self.villageCode, self.phase, self.parts) = (microGrid, grid, villageCode, phase, parts)
        (self.milestones, self.verifiedAt, self.closedAt, self.satisfaction) = (milestones, verifiedAt, closedAt, satisfaction)
        (self.sentBack, self.resolvedLate, self.nextDeadline, self.escalations) = (sentBack, resolvedLate, nextDeadline, escalations)
    }

    public var isOpen: Bool { phase != .closed }

    /// Whether a step is past its deadline at `time` (``EventCase/overdueSteps(at:)`` is not empty).
    public func isOverdue(at time: Date) -> Bool {
        isOpen && nextDeadline.map { $0 < time } == true
    }
}

extension EventCase {
    /// What the rates need of this event (``EventSummary``).
    public var summary: EventSummary {
        var escalations = 0
        for entry in history { if case .escalate = entry.action { escalations += 1 } }
        return EventSummary(
            id: id, raisedAt: raisedAt, category: report.category, urgency: report.urgency, microGrid: report.microGrid,
            grid: report.grid, villageCode: report.villageCode, phase: phase,
            parts: parts.map {
                EventSummary.Part(department: $0.department, whistledAt: $0.whistledAt, reportInDeadline: $0.reportInDeadline,
                                  reportedInAt: $0.reportedInAt, firstResolvedAt: $0.firstResolvedAt)
            },
            milestones: milestones, verifiedAt: verifiedAt, closedAt: closedAt, satisfaction: satisfaction, sentBack: sentBack,
            resolvedLate: lateSteps.contains { $0.kind == .resolution },
            nextDeadline: isOpen ? pendingSteps.map(\.deadline).min() : nil, escalations: escalations)
    }
}
