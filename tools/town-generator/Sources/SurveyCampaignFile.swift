import Foundation
import GridMapCore
import SeededRandom

/// The reference town's door-to-door survey (地毯式摸排, docs/LEDGERS.md) as
/// `gridmap survey import` reads it: one campaign over the grids of the town's first two
/// villages, from 8 October of the reference year for six weeks, and the visits of its homes.
///
/// The rates are a town office's of a survey still under way: nine homes in ten visited; at a
/// first visit nobody is home in about one home in seven, and most of those are visited again
/// a few days later; a home with nobody registered is mostly found empty. Visitors are the
/// grid's liaison (the full-time grid worker), else its chief. About one confirmed visit in
/// thirty finds instead that a resident's phone number changed (`"found":"changed"`, the change
/// recorded in the register's history with the visit): a resident the year of register changes
/// (``RegisterYear``, `register`) leaves alone, so the survey's changes and the year's never
/// touch one person and the file imports before or after the year's changes.
public struct SurveyCampaignFile: Sendable {
    public let lines: [String]

    /// The file as text, one JSON object per line, in day order.
    public var text: String { lines.joined(separator: "\n") + "\n" }

    public static let weeks = 6

    public init(town: TownData, year: Int, seed: UInt64, register: RegisterYear? = nil) throws {
        var random = SplitMix64(seed: seed, stream: "survey")
        // Its own stream, so that the visits themselves are those of a survey without changes.
        var found = SplitMix64(seed: seed, stream: "survey-changes")
        var phones: [String: [Resident]] = [:]
        if let register {
            for resident in town.residents where resident.phone != nil && !register.touched.contains(resident.id) {
                phones[resident.homeID, default: []].append(resident)
            }
        }
        let atlas = try Atlas(town)
        let villages = Array(Set(town.grids.map(\.villageCode)).sorted().prefix(2))
        let grids = town.grids.filter { villages.contains($0.villageCode) }.map(\.code).sorted { $0.description < $1.description }
        let name = "\(year)年秋季地毯式摸排"
        var entries: [(day: Int, order: Int, line: String)] = []
        entries.append((0, 0, JSONLine.text([("do", "start"), ("campaign", name), ("grids", grids.map(\.description)),
                                         ("start", Self.day(year, 0)), ("by", "镇网格化服务管理中心")])))
        var occupied: Set<String> = []
        for resident in town.residents { occupied.insert(resident.homeID) }
        var visitors: [GridCode: String] = [:]
        for grid in grids {
            let team = town.team.filter { $0.gridCode == grid }
            for role in [TeamRole.liaison, .chief] where visitors[grid] == nil && team.count { $0.role == role } == 1 {
                visitors[grid] = "\(grid)/\(role.rawValue)"
            }
        }
        let lastDay = Self.weeks * 7 - 1
        for home in town.features where home.kind == .home {
            guard case .point(let point) = home.geometry,
                  let index = atlas.microGridIndex(longitude: point.x, latitude: point.y) else { continue }
            let grid = atlas.microGrids[index].code.gridCode
            guard let visitor = visitors[grid], random.chance(0.9) else { continue }
            func visit(_ day: Int, _ finding: String) {
                var members: [(String, Any)] = [("do", "visit"), ("campaign", name), ("home", home.id), ("as", visitor),
                                                ("day", Self.day(year, day)), ("found", finding)]
                if finding == "confirmed", let residents = phones[home.id], found.chance(1.0 / 30) {
                    let resident = found.pick(residents)
                    var phone = Names.phone(&found)
                    while phone == resident.phone { phone = Names.phone(&found) }
                    members[5] = ("found", "changed")
                    members.append(("changes", [JSONLine.Object(text: JSONLine.text([("resident", resident.id), ("phone", phone)]))]))
                }
                entries.append((day, entries.count, JSONLine.text(members)))
            }
            let first = random.int(1...lastDay)
            if !occupied.contains(home.id) && random.chance(0.7) || random.chance(0.01) {
                visit(first, "empty-house")
            } else if random.chance(0.15) {
                visit(first, "nobody-home")
                let again = first + random.int(1...7)
                if again <= lastDay, random.chance(0.7) { visit(again, random.chance(0.9) ? "confirmed" : "nobody-home") }
            } else {
                visit(first, "confirmed")
            }
        }
        lines = entries.sorted { ($0.day, $0.order) < ($1.day, $1.order) }.map(\.line)
    }

    /// The day `offset` days after 8 October of `year`, as `YYYY-MM-DD`.
    static func day(_ year: Int, _ offset: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let start = calendar.date(from: DateComponents(year: year, month: 10, day: 8)) ?? Date(timeIntervalSince1970: 0)
        let date = calendar.date(byAdding: .day, value: offset, to: start) ?? start
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? year, parts.month ?? 10, parts.day ?? 8)
    }
}
