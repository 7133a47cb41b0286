import Foundation
import GridMapCore
import GridStore

/// What a request names — an area, a reader's role, categories, a feature kind — read from the
/// words a person types and checked against the town, so that every command (and the server)
/// accepts and refuses exactly the same spellings with the same messages.
public enum RequestParsing {
    /// The area named by a grid code (`DC-017`) or a micro-grid code (`DC-017-2`); nil when
    /// neither is given. The caller refuses both at once.
    public static func area(grid: String?, microGrid: String?) throws(JobError) -> AreaFilter? {
        if let grid {
            guard let code = GridCode(grid), !code.isMicroGrid else {
                throw .invalidRequest("--grid wants a grid code like DC-017, not '\(grid)'.")
            }
            return .grid(code)
        }
        if let microGrid {
            guard let code = GridCode(microGrid), code.isMicroGrid else {
                throw .invalidRequest("--micro-grid wants a micro-grid code like DC-017-2, not '\(microGrid)'.")
            }
            return .microGrid(code)
        }
        return nil
    }

    /// A grid code (not a micro-grid's).
    public static func grid(_ text: String) throws(JobError) -> GridCode {
        guard let code = GridCode(text), !code.isMicroGrid else {
            throw .invalidRequest("--grid wants a grid code like DC-017, not '\(text)'.")
        }
        return code
    }

    /// The reader's role: public, office or grid-worker:CODE.
    public static func role(_ role: String) throws(JobError) -> ResidentRole {
        switch role {
        case "public": return .public
        case "office": return .office
        case let text where text.hasPrefix("grid-worker:"):
            guard let code = GridCode(String(text.dropFirst("grid-worker:".count))) else {
                throw .invalidRequest("--role grid-worker:CODE wants a grid code, e.g. grid-worker:DC-017.")
            }
            // A grid worker sees a whole grid: a micro-grid code would silently widen to it.
            guard !code.isMicroGrid else {
                throw .invalidRequest("--role grid-worker:\(code) names a micro-grid; a grid worker works for a grid: grid-worker:\(code.gridCode).")
            }
            return .gridWorker(code)
        default:
            throw .invalidRequest("Unknown role '\(role)': use public, office or grid-worker:CODE.")
        }
    }

    /// Refuses a grid worker of a grid the town does not have (who would see nobody, silently).
    public static func checkRole(_ role: ResidentRole, grids: [GridCode]) throws(JobError) {
        guard case .gridWorker(let grid) = role, !grids.contains(grid) else { return }
        throw .invalidRequest("--role grid-worker:\(grid): the town has no grid \(grid); it has \(listing(grids.map(\.description))).")
    }

    /// The team member `--as` names: `DC-017/liaison` or `DC-017/chief` (that grid's only member
    /// in that role) or `DC-017/NAME` (the member of DC-017's team of that name).
    public static func teamMember(_ text: String, in town: TownData) throws(JobError) -> TeamMember {
        let (head, person) = EventDesk.split(text)
        guard let grid = GridCode(head), !grid.isMicroGrid else {
            throw .invalidRequest("--as \(text): say which team member as GRID/ROLE or GRID/NAME, e.g. DC-017/liaison")
        }
        guard town.grids.contains(where: { $0.code == grid }) else { throw .invalidRequest("--as \(text): the town has no grid \(grid)") }
        guard let person else { throw .invalidRequest("--as \(text): name the role or the member, e.g. \(grid)/liaison") }
        let team = town.team.filter { $0.gridCode == grid }
        let members = TeamRole(rawValue: person).map { role in team.filter { $0.role == role } } ?? team.filter { $0.name == person }
        guard members.count == 1, let member = members.first else {
            let listing = team.map { "\($0.role.rawValue) \($0.name)" }.joined(separator: ", ")
            throw .invalidRequest(members.isEmpty
                ? "--as \(text): \(grid)'s team has no \(person) (team: \(listing.isEmpty ? "none" : listing))"
                : "--as \(text): \(grid)'s team has \(members.count) members as \(person); name one (\(listing))")
        }
        return member
    }

    /// A comma-separated category list, each checked against the categories the town knows.
    public static func categories(_ list: String, in data: TownData) throws(JobError) -> [ResidentCategory] {
        try categories(list, known: allCategories(in: data))
    }

    /// A comma-separated category list, each checked against `known`.
    public static func categories(_ list: String, known: [ResidentCategory]) throws(JobError) -> [ResidentCategory] {
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw .invalidRequest("--category needs at least one category.") }
        var categories: [ResidentCategory] = []
        for name in names {
            guard let value = ResidentCategory(rawValue: name), known.contains(value) else {
                throw .invalidRequest("Unknown category '\(name)': use \(known.map(\.rawValue).joined(separator: ", ")).")
            }
            categories.append(value)
        }
        return categories
    }

    /// The category names of a request field or file key `field` (nil when absent), in order;
    /// a name not spelled as a category is refused naming the field. Whether the town knows
    /// the category is the register's rules' to say, not the spelling's.
    public static func categoryNames(_ texts: [String]?, field: String) throws(JobError) -> [ResidentCategory]? {
        guard let texts else { return nil }
        var parsed: [ResidentCategory] = []
        for text in texts {
            guard let category = ResidentCategory(rawValue: text) else {
                throw .invalidRequest("\(field): '\(text)' is not a category (lower-case letters, digits and hyphens, starting with a letter)")
            }
            parsed.append(category)
        }
        return parsed
    }

    /// The built-in categories in their declared order, then any other the register uses.
    public static func allCategories(in data: TownData) -> [ResidentCategory] {
        allCategories(held: Set(data.residents.flatMap(\.categories)))
    }

    /// The built-in categories in their declared order, then the others among `held`.
    public static func allCategories(held: Set<ResidentCategory>) -> [ResidentCategory] {
        ResidentCategory.builtIn + held.subtracting(ResidentCategory.builtIn).sorted()
    }

    /// Refuses a grid, micro-grid or village the town does not have, naming those it has.
    public static func checkArea(_ area: AreaFilter?, village: String?, in data: TownData) throws(JobError) {
        switch area {
        case .grid(let code)? where !data.grids.contains(where: { $0.code == code }):
            throw .invalidRequest("Unknown grid \(code): the town has \(listing(data.grids.map(\.code.description))).")
        case .microGrid(let code)? where !data.microGrids.contains(where: { $0.code == code }):
            let siblings = data.microGrids.filter { $0.gridCode == code.gridCode }.map(\.code.description).sorted()
            throw .invalidRequest("Unknown micro-grid \(code)"
                + (siblings.isEmpty ? "." : ": grid \(code.gridCode) has \(siblings.joined(separator: ", "))."))
        default: break
        }
        if let village, !data.villages.contains(where: { $0.code == village }) {
            throw .invalidRequest("Unknown village \(village): the town has \(listing(data.villages.map(\.code))).")
        }
    }

    /// The kind named by a kind (`well`) or its layer's name (`wells`), refused unless the town
    /// has features of it.
    public static func featureKind(_ name: String, in data: TownData) throws(JobError) -> FeatureKind {
        try featureKind(name, among: Set(data.features.map(\.kind)))
    }

    /// ``featureKind(_:in:)`` against the kinds a town has (a store's ``TownStore/featureKinds()``).
    public static func featureKind(_ name: String, among present: Set<FeatureKind>) throws(JobError) -> FeatureKind {
        for candidate in [FeatureKind(rawValue: name), FeatureKind(layerName: name)] {
            if let candidate, present.contains(candidate) { return candidate }
        }
        let names = present.sorted().map { "\($0) (\($0.layerName))" }.joined(separator: ", ")
        throw .invalidRequest("Unknown kind '\(name)': this town has \(names.isEmpty ? "no features" : names).")
    }

    /// Codes for a message: all of them when few, else the first and last of the sorted codes
    /// and how many (115 grid codes in a row help nobody).
    public static func listing(_ codes: [String]) -> String {
        let sorted = codes.sorted()
        guard sorted.count > 12 else { return sorted.joined(separator: ", ") }
        return "\(sorted.count) codes, \(sorted[0]) to \(sorted[sorted.count - 1])"
    }
}
