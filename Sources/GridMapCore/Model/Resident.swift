/// A category of residents that services are targeted at. An open set like ``FeatureKind``.
public struct ResidentCategory: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts a ``KebabName``: lower-case ASCII letters, digits and hyphens, starting with a letter.
    public init?(rawValue: String) {
        guard KebabName.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    private init(builtIn: String) { rawValue = builtIn }

    /// 党员
    public static let partyMember = ResidentCategory(builtIn: "party-member")
    /// 退役军人
    public static let veteran = ResidentCategory(builtIn: "veteran")
    /// 残疾人
    public static let disabled = ResidentCategory(builtIn: "disabled")
    /// 独居老人
    public static let elderlyLivingAlone = ResidentCategory(builtIn: "elderly-living-alone")
    /// 留守儿童
    public static let leftBehindChild = ResidentCategory(builtIn: "left-behind-child")
    /// 低保户
    public static let lowIncome = ResidentCategory(builtIn: "low-income")

    public static let builtIn: [ResidentCategory] = [
        .partyMember, .veteran, .disabled, .elderlyLivingAlone, .leftBehindChild, .lowIncome,
    ]

    public var description: String { rawValue }

    public static func < (a: ResidentCategory, b: ResidentCategory) -> Bool { a.rawValue < b.rawValue }
}

/// A resident on the register (synthetic in the bundled data: no real person's details).
public struct Resident: Hashable, Sendable {
    /// Stable id, e.g. "R-000123".
    public var id: String
    public var name: String
    /// The id of the home feature the resident lives in.
    public var homeID: String
    /// Sorted, without duplicates.
    public var categories: [ResidentCategory]
    public var phone: String?
    public var birthYear: Int?

    public init(id: String, name: String, homeID: String, categories: [ResidentCategory] = [],
                phone: String? = nil, birthYear: Int? = nil) {
        self.id = id
        self.name = name
        self.homeID = homeID
        self.categories = Array(Set(categories)).sorted()
        self.phone = phone
        self.birthYear = birthYear
    }
}
