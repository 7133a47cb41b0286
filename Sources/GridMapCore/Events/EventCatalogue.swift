import Foundation

/// How pressing an event is; it decides the deadlines (``DeadlineRule``).
public enum Urgency: String, Hashable, Sendable, CaseIterable {
    /// A danger to people or property now (a gas smell, a collapsing wall, a flooded road).
    case urgent
    /// Everything else.
    case normal
}

/// A functional department the grid can whistle to (吹哨): civil affairs, social security,
/// justice, the police station, …
public struct Department: Hashable, Sendable {
    /// A short stable code in lower-case kebab form, e.g. `civil-affairs`.
    public var code: String
    /// The department's own name, e.g. 民政办.
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// The clock a step of the flow runs against, in calendar hours.
///
/// Calendar time, not working time: a grid's whistle is answered around the clock (a burst pipe on
/// a Sunday is still urgent), calendar hours need no holiday table (China's adjusted working days
/// are announced every year by the State Council, so they cannot be computed), and a deadline in
/// calendar hours means the same to the worker, the department and the office.
public struct DeadlineRule: Hashable, Sendable {
    /// Hours from the whistle to the department's report-in (acknowledgement).
    public var reportInHours: Double
    /// Hours from the whistle (or from the grid taking the event) to its resolution; restarted
    /// from a send-back.
    public var resolutionHours: Double

    public init(reportInHours: Double, resolutionHours: Double) {
        self.reportInHours = reportInHours
        self.resolutionHours = resolutionHours
    }
}

/// A kind of problem the grid reports: what departments a whistle goes to by default, and the
/// deadlines per urgency.
public struct EventCategory: Hashable, Sendable {
    /// A short stable code in lower-case kebab form, e.g. `safety-hazard`.
    public var code: String
    public var name: String
    /// The departments a whistle of this category goes to when the whistler names none.
    public var defaultDepartments: [String]
    public var deadlines: [Urgency: DeadlineRule]

    public init(code: String, name: String, defaultDepartments: [String], deadlines: [Urgency: DeadlineRule]) {
        self.code = code
        self.name = name
        self.defaultDepartments = defaultDepartments
        self.deadlines = deadlines
    }
}

/// The departments and the categories of events a town works with, and the limits on attachments.
///
/// Invariant (checked by ``init(departments:categories:attachmentLimits:)``): codes are unique,
/// every category has a deadline rule for every urgency with positive hours, and its default
/// departments are in the catalogue.
public struct EventCatalogue: Sendable {
    public let departments: [Department]
    public let categories: [EventCategory]
    public let attachmentLimits: AttachmentLimits

    public init(departments: [Department], categories: [EventCategory],
                attachmentLimits: AttachmentLimits = .init()) throws(EventFlowError) {
        var problems: [String] = []
        let departmentCodes = departments.map(\.code)
        for code in Self.repeated(departmentCodes) { problems.append("department \(code) is listed twice") }
        for code in Self.repeated(categories.map(\.code)) { problems.append("category \(code) is listed twice") }
        for category in categories {
            for urgency in Urgency.allCases {
                guard let rule = category.deadlines[urgency] else {
                    problems.append("category \(category.code) has no deadlines for \(urgency.rawValue) events")
                    continue
                }
                if !(rule.reportInHours > 0 && rule.resolutionHours >= rule.reportInHours && rule.resolutionHours.isFinite) {
                    problems.append("category \(category.code), \(urgency.rawValue): report-in must take more than 0 hours "
                        + "and resolution at least as long (got \(rule.reportInHours) h and \(rule.resolutionHours) h)")
                }
            }
            for code in category.defaultDepartments where !departmentCodes.contains(code) {
                problems.append("category \(category.code) whistles to department \(code), which the catalogue does not have")
            }
        }
        guard problems.isEmpty else { throw .badCatalogue(problems) }
        self.departments = departments
        self.categories = categories
        self.attachmentLimits = attachmentLimits
    }

    public func department(_ code: String) -> Department? { departments.first { $0.code == code } }
    public func category(_ code: String) -> EventCategory? { categories.first { $0.code == code } }

    /// The deadlines for an event of `category` at `urgency`.
    func rule(_ category: String, _ urgency: Urgency) throws(EventFlowError) -> DeadlineRule {
        guard let rule = self.category(category)?.deadlines[urgency] else { throw .unknownCategory(category) }
        return rule
    }

    private static func repeated(_ codes: [String]) -> [String] {
        var seen: Set<String> = [], twice: [String] = []
        for code in codes where !seen.insert(code).inserted && !twice.contains(code) { twice.append(code) }
        return twice
    }
}

extension FeatureKind {
    /// Events drawn on a map (`gridmap event map`): not a layer of the town, a kind of its own.
    public static let event = FeatureKind(rawValue: "event")!
}
