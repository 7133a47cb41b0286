import Foundation
import GridMapCore
import SeededRandom

/// A year of changes to the reference town's register (docs/LEDGERS.md) as
/// `gridmap resident import` reads them: births, deaths, moves within the town, out of it and
/// into it, and category changes — a disability certificate, a household entering or leaving
/// the low-income list, a Party admission, a widowed elder now living alone — each effective on
/// its day of the reference year, in day order. The register the town folder holds is the one
/// of 1 January (the manifest's `registerSince`); these changes bring it to 31 December.
///
/// The rates, per 1,000 residents a year (applied to the town's 56,000 at the year's start):
/// - births 6.77‰ and deaths 7.76‰: China's crude birth and death rates of 2024 (National
///   Bureau of Statistics, statistical communiqué of 2024, published January 2025); deaths
///   mostly (85 %) of residents aged 65 and over;
/// - moves within the town 10‰, out of the town 12‰ and into it 6‰: assumed for a rural town
///   that loses young people to the cities (registrations moved for study, work or marriage
///   elsewhere) and gains some by marriage and return, so that the town shrinks by about 1 % a
///   year, as rural Shandong's registered population does in the 2020s;
/// - disability certificates 2‰: assumed, keeping the town's share of disabled residents (6 %,
///   close to the 6.34 % of the 2006 national sample survey of disability) about level as the
///   disabled elderly die;
/// - Party admissions 1.7‰: 2.41 million admitted in 2023 (the CPC Central Organization
///   Department's statistical bulletin of 2024) of 1.41 billion people;
/// - low-income households: one in seven on the list leaves it in a year at the annual income
///   review, and slightly fewer join (assumed, as rural minimum living allowance rolls have
///   shrunk slowly); the whole household changes on one day.
/// A death that leaves one resident aged 65 or over alone in a home makes them elderly living alone.
///
/// The grids' teams change too, drawn on a stream of their own (so the residents' lines do not
/// depend on them): a liaison leaves for work in the city and is replaced in one grid in twenty,
/// a chief retires and is replaced in one grid in fifty, and one grid in six gains a volunteer
/// (assumed; team members are named from residents the year leaves untouched).
public struct RegisterYear: Sendable {
    public let lines: [String]
    /// The residents of the town's register (the one of 1 January) that some line changes,
    /// moves or removes: the survey finds its changes among the others.
    public let touched: Set<String>

    /// The file as text, one JSON object per line, in day order.
    public var text: String { lines.joined(separator: "\n") + "\n" }

    /// Who records each kind of change.
    static let policeStation = "大村派出所户籍室"
    static let civilAffairs = "镇民政办"
    static let disabledFederation = "镇残联"
    static let partyOffice = "镇党委组织办"

    /// The day the register the town folder holds stands on: 1 January of `year`.
    public static func since(_ year: Int) -> String { String(format: "%04d-01-01", year) }

    private enum Kind: Int, CaseIterable {
        case birth, death, moveWithin, moveOut, moveIn, disabled, partyMember, leaveLowIncome, joinLowIncome

        /// Per 1,000 residents a year (the low-income kinds: per 1,000 low-income households).
        var rate: Double {
            switch self {
            case .birth: 6.77
            case .death: 7.76
            case .moveWithin: 10
            case .moveOut: 12
            case .moveIn: 6
            case .disabled: 2
            case .partyMember: 1.7
            case .leaveLowIncome: 1000 / 7
            case .joinLowIncome: 120
            }
        }
    }

    public init(town: TownData, year: Int, seed: UInt64) throws {
        var random = SplitMix64(seed: seed, stream: "register-year")
        let atlas = try Atlas(town)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let first = calendar.date(from: DateComponents(year: year, month: 1, day: 1)) ?? Date(timeIntervalSince1970: 0)
        let days = calendar.range(of: .day, in: .year, for: first)?.count ?? 365
        func day(_ offset: Int) -> String {
            let parts = calendar.dateComponents([.year, .month, .day], from: calendar.date(byAdding: .day, value: offset, to: first) ?? first)
            return String(format: "%04d-%02d-%02d", parts.year ?? year, parts.month ?? 1, parts.day ?? 1)
        }

        // Homes a resident may live in: those in a micro-grid, with their grid.
        var homes: [(id: String, grid: GridCode)] = []
        for feature in town.features where feature.kind == .home {
            guard case .point(let point) = feature.geometry,
                  let index = atlas.microGridIndex(longitude: point.x, latitude: point.y) else { continue }
            homes.append((feature.id, atlas.microGrids[index].code.gridCode))
        }
        let gridOf = Dictionary(homes.map { ($0.id, $0.grid) }, uniquingKeysWith: { first, _ in first })
        var register = Register(town.residents, placed: Set(gridOf.keys))
        let lowIncomeHomes = Set(town.residents.filter { $0.categories.contains(.lowIncome) }.map(\.homeID)).count

        // Each change gets its day first; whom it is about is chosen when its day comes, from
        // the register as the changes before it left it, so that every line applies.
        var scheduled: [(day: Int, kind: Kind, order: Int)] = []
        for kind in Kind.allCases {
            let base = kind == .leaveLowIncome || kind == .joinLowIncome ? lowIncomeHomes : town.residents.count
            let count = Int((Double(base) * kind.rate / 1000).rounded())
            for _ in 0..<count { scheduled.append((random.int(0...(days - 1)), kind, scheduled.count)) }
        }
        scheduled.sort { ($0.day, $0.order) < ($1.day, $1.order) }

        var lines: [String] = []
        var offsets: [Int] = []  // each line's day, for merging the team's lines in
        func line(_ action: String, _ id: String, _ fields: [(String, Any)], _ offset: Int, by: String, reason: String) {
            lines.append(JSONLine.text([("do", action), ("resident", id)] + fields + [("effective", day(offset)), ("by", by), ("reason", reason)]))
            offsets.append(offset)
        }
        for (offset, kind, _) in scheduled {
            let age = { (resident: Resident) in year - (resident.birthYear ?? year - 40) }
            switch kind {
            case .birth:
                guard let parent = register.pick(&random, where: { (22...40).contains(age($0)) }) else { continue }
                let id = register.nextID()
                let surname = Names.surnames.map(\.0).first { parent.name.hasPrefix($0) } ?? String(parent.name.prefix(1))
                let child = Resident(id: id, name: surname + Names.givenName(male: random.chance(0.52), birthYear: year, &random),
                                     homeID: parent.homeID, birthYear: year)
                register.add(child)
                line("add", id, [("name", child.name), ("home", child.homeID), ("birthYear", year)], offset,
                     by: Self.policeStation, reason: "born")
            case .death:
                let elderly = random.chance(0.85)
                guard let dead = register.pick(&random, where: { elderly ? age($0) >= 65 : age($0) >= 18 }) else { continue }
                register.remove(dead.id)
                line("remove", dead.id, [], offset, by: Self.policeStation, reason: "died")
                let left = register.living(in: dead.homeID)
                if left.count == 1, let alone = left.first, age(alone) >= 65, !alone.categories.contains(.elderlyLivingAlone) {
                    register.change(alone.id) { $0.categories = ($0.categories + [.elderlyLivingAlone]).sorted() }
                    line("change", alone.id, [("addCategories", ["elderly-living-alone"])], offset, by: Self.civilAffairs,
                         reason: "living alone since a member of the household died")
                }
            case .moveWithin:
                guard let mover = register.pick(&random, where: { age($0) >= 18 }) else { continue }
                // Most moves stay in the grid (a new house in the same village); some cross the town.
                let grid = gridOf[mover.homeID]
                let near = random.chance(0.7) ? homes.filter { $0.grid == grid && $0.id != mover.homeID } : []
                let choices = near.isEmpty ? homes.filter { $0.id != mover.homeID } : near
                guard !choices.isEmpty else { continue }
                let home = random.pick(choices).id
                register.change(mover.id) { $0.homeID = home }
                line("move", mover.id, [("home", home)], offset, by: Self.policeStation, reason: "moved within the town")
            case .moveOut:
                let young = random.chance(0.8)
                guard let leaver = register.pick(&random, where: { young ? (16...45).contains(age($0)) : age($0) >= 16 }) else { continue }
                register.remove(leaver.id)
                line("remove", leaver.id, [], offset, by: Self.policeStation, reason: "moved away (registration moved out of the town)")
            case .moveIn:
                // Most come by marriage into a household; some return to an empty family home.
                let home = random.chance(0.8) ? register.pick(&random, where: { (20...45).contains(age($0)) })?.homeID : random.pick(homes).id
                guard let home else { continue }
                let id = register.nextID(), birthYear = year - random.int(20...40)
                var newcomer = Resident(id: id, name: Names.surname(&random) + Names.givenName(male: random.chance(0.4), birthYear: birthYear, &random),
                                        homeID: home, phone: Names.phone(&random), birthYear: birthYear)
                var fields: [(String, Any)] = [("name", newcomer.name), ("home", home)]
                let veteran = random.chance(0.04)
                if veteran {
                    newcomer.categories = [.veteran]
                    fields.append(("categories", ["veteran"]))
                }
                fields += [("phone", newcomer.phone ?? ""), ("birthYear", birthYear)]
                register.add(newcomer)
                line("add", id, fields, offset, by: Self.policeStation,
                     reason: veteran ? "moved into the town (discharged from the army)" : "moved into the town")
            case .disabled:
                let elderly = random.chance(0.6)
                guard let resident = register.pick(&random, where: { !$0.categories.contains(.disabled) && (elderly ? age($0) >= 60 : true) })
                else { continue }
                register.change(resident.id) { $0.categories = ($0.categories + [.disabled]).sorted() }
                line("change", resident.id, [("addCategories", ["disabled"])], offset, by: Self.disabledFederation,
                     reason: "disability certificate issued")
            case .partyMember:
                guard let resident = register.pick(&random, where: { (18...60).contains(age($0)) && !$0.categories.contains(.partyMember) })
                else { continue }
                register.change(resident.id) { $0.categories = ($0.categories + [.partyMember]).sorted() }
                line("change", resident.id, [("addCategories", ["party-member"])], offset, by: Self.partyOffice, reason: "admitted to the Party")
            case .leaveLowIncome, .joinLowIncome:
                let leaving = kind == .leaveLowIncome
                guard let someone = register.pick(&random, where: { $0.categories.contains(.lowIncome) == leaving }) else { continue }
                for member in register.living(in: someone.homeID) where member.categories.contains(.lowIncome) == leaving {
                    register.change(member.id) { resident in
                        resident.categories = leaving ? resident.categories.filter { $0 != .lowIncome } : (resident.categories + [.lowIncome]).sorted()
                    }
                    line("change", member.id, [(leaving ? "removeCategories" : "addCategories", ["low-income"])], offset, by: Self.civilAffairs,
                         reason: leaving ? "left the low-income list at the annual review (household income above the line)"
                                         : "household entered the low-income list (minimum living allowance approved)")
                }
            }
        }
        let initial = Set(town.residents.map(\.id))
        let touched = Set(lines.compactMap { line in
            line.range(of: #""resident":"[^"]*""#, options: .regularExpression).map { String(line[$0].dropFirst(12).dropLast()) }
        }).intersection(initial)
        self.touched = touched

        // The team's lines, merged in by day after the residents' lines of the same day.
        let team = Self.teamLines(town: town, untouched: town.residents.filter { !touched.contains($0.id) && $0.phone != nil },
                                  gridOf: gridOf, year: year, days: days, seed: seed)
        var merged: [String] = []
        var next = team.makeIterator(), pending = next.next()
        for (text, offset) in zip(lines, offsets) {
            while let waiting = pending, waiting.day < offset {
                merged.append(waiting.line.replacingOccurrences(of: Self.dayMark, with: day(waiting.day)))
                pending = next.next()
            }
            merged.append(text)
        }
        while let waiting = pending {
            merged.append(waiting.line.replacingOccurrences(of: Self.dayMark, with: day(waiting.day)))
            pending = next.next()
        }
        self.lines = merged
    }

    /// Who records the teams' changes.
    static let gridCentre = "镇网格化服务管理中心"
    /// Stands for a line's day until the merge writes it.
    private static let dayMark = "@DAY@"

    /// The teams' changes of the year in day order (their `effective` still ``dayMark``):
    /// liaisons replaced, chiefs retired and replaced, volunteers joining.
    private static func teamLines(town: TownData, untouched: [Resident], gridOf: [String: GridCode], year: Int, days: Int,
                                  seed: UInt64) -> [(day: Int, line: String)] {
        var random = SplitMix64(seed: seed, stream: "register-year-team")
        let grids = Array(Set(town.team.map(\.gridCode))).sorted { $0.description < $1.description }
        var named = Set(town.team.map { "\($0.gridCode)/\($0.name)" })
        var candidates: [GridCode: [Resident]] = [:]
        for resident in untouched { if let grid = gridOf[resident.homeID] { candidates[grid, default: []].append(resident) } }
        func newcomer(_ grid: GridCode, ages: ClosedRange<Int>, party: Bool = false) -> Resident? {
            let pool = (candidates[grid] ?? []).filter {
                ages.contains(year - ($0.birthYear ?? year - 40)) && !named.contains("\(grid)/\($0.name)")
            }
            let preferred = party ? pool.filter { $0.categories.contains(.partyMember) } : []
            guard let pick = preferred.isEmpty ? pool.isEmpty ? nil : random.pick(pool) : random.pick(preferred) else { return nil }
            named.insert("\(grid)/\(pick.name)")
            return pick
        }
        func text(_ action: String, _ grid: GridCode, _ name: String, _ fields: [(String, Any)], reason: String) -> String {
            JSONLine.text([("do", action), ("teamMember", "\(grid)/\(name)")] + fields
                          + [("effective", dayMark), ("by", gridCentre), ("reason", reason)])
        }
        var result: [(day: Int, line: String)] = []
        var shuffled = grids
        random.shuffle(&shuffled)
        var queue = shuffled[...]
        // A replaced member: the old one removed and the new one added on the same day.
        for (role, count, reason) in [(TeamRole.liaison, grids.count / 20, "left to work in the city"), (.chief, grids.count / 50, "retired")] {
            for _ in 0..<count {
                guard let grid = queue.popFirst(), let old = town.team.first(where: { $0.gridCode == grid && $0.role == role }),
                      let new = newcomer(grid, ages: role == .chief ? 35...62 : 25...55, party: role == .chief) else { continue }
                let day = random.int(0...(days - 1))
                result.append((day, text("remove", grid, old.name, [], reason: reason)))
                result.append((day, text("add", grid, new.name, [("role", role.rawValue), ("phone", new.phone ?? "")],
                                         reason: role == .chief ? "chosen grid chief" : "appointed grid liaison")))
            }
        }
        for _ in 0..<(grids.count / 6) {
            let grid = random.pick(grids)
            guard let volunteer = newcomer(grid, ages: 18...75) else { continue }
            let unit = volunteer.categories.contains(.partyMember) ? "党员志愿者" : "群众志愿者"
            result.append((random.int(0...(days - 1)), text("add", grid, volunteer.name,
                                                            [("role", "volunteer"), ("unit", unit), ("phone", volunteer.phone ?? "")],
                                                            reason: "joined the grid's volunteers")))
        }
        // In day order; a replacement's removal stays before its addition (a stable sort).
        return result.enumerated().sorted { ($0.element.day, $0.offset) < ($1.element.day, $1.offset) }.map(\.element)
    }

    /// The register as the year's changes so far leave it, in a fixed order (so that a seed
    /// gives the same picks): residents in an array, removed by swapping with the last.
    private struct Register {
        var residents: [Resident]
        var index: [String: Int] = [:]
        var byHome: [String: [String]] = [:]
        var highest: Int
        /// The homes in a micro-grid: a resident elsewhere cannot be changed by the rules.
        let placed: Set<String>

        init(_ residents: [Resident], placed: Set<String>) {
            self.residents = residents
            self.placed = placed
            highest = 0
            for (position, resident) in residents.enumerated() {
                index[resident.id] = position
                byHome[resident.homeID, default: []].append(resident.id)
                highest = max(highest, Int(resident.id.dropFirst(2)) ?? 0)
            }
        }

        mutating func nextID() -> String {
            highest += 1
            return String(format: "R-%06d", highest)
        }

        /// A resident `accepts`, drawn at random (nil when 1,000 draws find none).
        func pick(_ random: inout SplitMix64, where accepts: (Resident) -> Bool) -> Resident? {
            for _ in 0..<1000 {
                let resident = residents[random.index(residents.count)]
                if placed.contains(resident.homeID), accepts(resident) { return resident }
            }
            return nil
        }

        func living(in home: String) -> [Resident] {
            (byHome[home] ?? []).compactMap { id in index[id].map { residents[$0] } }
        }

        mutating func add(_ resident: Resident) {
            index[resident.id] = residents.count
            residents.append(resident)
            byHome[resident.homeID, default: []].append(resident.id)
        }

        mutating func remove(_ id: String) {
            guard let position = index.removeValue(forKey: id) else { return }
            byHome[residents[position].homeID]?.removeAll { $0 == id }
            let last = residents.removeLast()
            if last.id != id {
                residents[position] = last
                index[last.id] = position
            }
        }

        mutating func change(_ id: String, _ body: (inout Resident) -> Void) {
            guard let position = index[id] else { return }
            let home = residents[position].homeID
            body(&residents[position])
            if residents[position].homeID != home {
                byHome[home]?.removeAll { $0 == id }
                byHome[residents[position].homeID, default: []].append(id)
            }
        }
    }
}

/// One line of a JSON Lines file with its keys in the order given, so that a file is
/// byte-identical for a seed: strings, integers, lists of strings and lists of objects
/// (``JSONLine/Object``, already written).
enum JSONLine {
    /// An object already written as JSON.
    struct Object { var text: String }

    static func text(_ members: [(String, Any)]) -> String {
        func string(_ text: String) -> String {
            let data = try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
            return data.map { String(decoding: $0.dropFirst().dropLast(), as: UTF8.self) } ?? "\"\""
        }
        let parts = members.map { key, value -> String in
            let encoded = if let objects = value as? [Object] {
                "[" + objects.map(\.text).joined(separator: ",") + "]"
            } else if let list = value as? [String] {
                "[" + list.map(string).joined(separator: ",") + "]"
            } else if let number = value as? Int {
                String(number)
            } else {
                string("\(value)")
            }
            return string(key) + ":" + encoded
        }
        return "{" + parts.joined(separator: ",") + "}"
    }
}
