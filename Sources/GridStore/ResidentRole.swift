import GridMapCore

/// Who is looking at the resident register, which decides how much of it they see.
///
/// Personal data is sensitive (DESIGN.md, "access follows role and grid"): names and phone
/// numbers are masked unless the viewer is responsible for the resident's grid.
public enum ResidentRole: Sendable, Hashable {
    /// Anyone: every name and phone masked, no birth year. The default for exports.
    case `public`
    /// The grid worker (民情联络员) of one grid: full details of residents whose home lies in that
    /// grid, masked details of everyone else.
    case gridWorker(GridCode)
    /// The town office: everything.
    case office

    /// Whether this role sees the full details of a resident whose home is in `grid`
    /// (nil: the home lies in no micro-grid).
    public func seesDetails(ofResidentIn grid: GridCode?) -> Bool {
        switch self {
        case .public: false
        case .gridWorker(let own): grid == own.gridCode
        case .office: true
        }
    }
}

/// The masks applied to personal data a role may not see.
public enum PersonalDataMask {
    /// Keeps the first character (the family name in a Chinese name) and replaces every other
    /// character by `*`: "张三" → "张*", "王小明" → "王**". A one-character name becomes "*".
    public static func name(_ name: String) -> String {
        guard let first = name.first else { return "" }
        if name.count == 1 { return "*" }
        return String(first) + String(repeating: "*", count: name.count - 1)
    }

    /// Keeps the first three and last four characters of a number of eight or more characters,
    /// masking the middle ("13812345678" → "138****5678"); shorter numbers are masked entirely.
    public static func phone(_ phone: String) -> String {
        let characters = Array(phone)
        guard characters.count >= 8 else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(3)) + String(repeating: "*", count: characters.count - 7)
            + String(characters.suffix(4))
    }
}
