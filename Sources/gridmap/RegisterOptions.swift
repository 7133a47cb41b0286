import ArgumentParser
import GridMapApp
import GridMapCore

/// The fields of a resident a command sets.
struct ResidentFieldOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The resident's name.", valueName: "name")) var name: String?
    @Option(help: ArgumentHelp("Categories, comma-separated, replacing the list (\"\" for none).", valueName: "cat,...")) var categories: String?
    @Option(name: .customLong("add-category"), help: ArgumentHelp("A category to add (repeatable).", valueName: "cat")) var addCategory: [String] = []
    @Option(name: .customLong("remove-category"), help: ArgumentHelp("A category to remove (repeatable).", valueName: "cat")) var removeCategory: [String] = []
    @Option(help: ArgumentHelp("The phone (\"\" to clear it).", valueName: "phone")) var phone: String?
    @Option(name: .customLong("birth-year"), help: ArgumentHelp("The year of birth.", valueName: "year")) var birthYear: Int?

    func fields(home: String? = nil) throws -> RegisterDesk.ResidentFields {
        func parse(_ text: String) throws -> ResidentCategory {
            guard let category = ResidentCategory(rawValue: text) else {
                throw ValidationError("'\(text)' is not a category: lower-case words joined by hyphens, e.g. disabled, low-income.")
            }
            return category
        }
        return RegisterDesk.ResidentFields(
            name: name, home: home,
            categories: try categories.map { try $0.split(separator: ",").map { try parse(String($0)) } },
            addCategories: try addCategory.map(parse), removeCategories: try removeCategory.map(parse),
            phone: phone, birthYear: birthYear)
    }
}

/// How register entries are printed.
enum RegisterText {
    static func recorded(_ change: RegisterChange) -> String {
        "recorded #\(change.sequence): \(change.action) \(change.subject) effective \(change.effective)"
    }

    static func line(_ entry: DisclosedRegisterChange) -> String {
        var text = "#\(entry.sequence) \(entry.effective) \(entry.action) \(entry.subject) by \(entry.recordedBy) at \(entry.recordedAt.ISO8601Format())"
        if let reason = entry.reason, !reason.isEmpty { text += " (\(reason))" }
        let fields = entry.fields.map { "\($0.field): \($0.before.isEmpty ? "∅" : $0.before) → \($0.after.isEmpty ? "∅" : $0.after)" }
        if !fields.isEmpty { text += ": " + fields.joined(separator: "; ") }
        if entry.withheld { text += " [personal fields withheld]" }
        return text
    }
}
