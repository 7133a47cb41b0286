import GridMapCore

/// The language of a map's words: title, legend, kinds, scale and foot lines, and the events
/// map's and rates chart's words.
///
/// The rule for a town that does not say (``default(for:)``): the manifest's `language` member
/// when it names Chinese or English (`zh`, `zh-CN`, `en`, `en-GB`, …); otherwise Chinese for a
/// town in China (where a CGCS2000 Gauss–Krüger zone holds its centre, ``WorkingCRSChoice``) and
/// English elsewhere.
public enum MapLanguage: String, Sendable, CaseIterable, Hashable {
    case chinese = "zh"
    case english = "en"

    /// `zh` or `en`, or a BCP 47 tag starting with either (`zh-Hans`, `en-US`), any case.
    public init?(tag: String) {
        let primary = tag.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        guard let language = MapLanguage(rawValue: primary) else { return nil }
        self = language
    }

    /// The language of `town`'s maps when the reader names none (the rule above).
    public static func `default`(for town: Town) -> MapLanguage {
        if let tag = town.manifestMembers["language"]?.stringValue, let language = MapLanguage(tag: tag) { return language }
        guard let choice = WorkingCRSChoice.suggested(for: town.boundary) else { return .chinese }
        return choice.isInChina ? .chinese : .english
    }

    /// Picks the Chinese or the English words.
    func pick(_ chinese: String, _ english: String) -> String {
        self == .chinese ? chinese : english
    }
}
