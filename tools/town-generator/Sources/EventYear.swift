import Foundation
import GeoJSON
import GridMapCore
import SeededRandom

/// A year of Dacun's grid work as a journal (`gridmap event import`, docs/EVENTS.md): problems
/// raised by the grid liaisons where they are (a blocked ditch on a ditch, a broken well at a
/// well, a dispute at a home), taken by the grid or whistled to departments that report in,
/// handle and resolve them, verified and closed — some late, some sent back, a few still open at
/// the year's end; the school and kindergarten joint inspection of twelve departments with its
/// findings and rectification deadlines; the activities and volunteer services of the service
/// centres. The journal holds actions only: every rate comes out of the flow when it is replayed.
///
/// Sized on the town's own account: 70+ problems, 60+ whistles, every department reporting in,
/// about 91 % resolved, 17 activities, 40+ volunteer services.
public struct EventYear: Sendable {
    public let lines: [String]

    /// The journal as text, one JSON object per line.
    public var text: String { lines.joined(separator: "\n") + "\n" }

    public init(town: TownData, year: Int, seed: UInt64) throws {
        var random = SplitMix64(seed: seed, stream: "event-year")
        let atlas = try Atlas(town)
        var journal = Journal(year: year)
        let spots = Spots(town: town, atlas: atlas)
        try journal.problems(spots: spots, town: town, random: &random)
        try journal.inspection(town: town, spots: spots, random: &random)
        journal.activities(spots: spots, random: &random)
        lines = journal.sorted()
    }
}

/// Where things happen: feature points inside the town, each with the grid it lies in.
private struct Spots {
    struct Spot {
        var id: String
        var position: Position
        var grid: GridCode
        var residents: [String]
    }

    var byKind: [FeatureKind: [Spot]] = [:]

    init(town: TownData, atlas: Atlas) {
        var residentsByHome: [String: [String]] = [:]
        for resident in town.residents { residentsByHome[resident.homeID, default: []].append(resident.id) }
        for feature in town.features {
            let position: Position
            switch feature.geometry {
            case .point(let point): position = point
            case .lineString(let line) where !line.isEmpty: position = line[line.count / 2]
            case .polygon(let rings) where !(rings.first?.isEmpty ?? true): position = rings[0][0]
            default: continue
            }
            guard let index = atlas.microGridIndex(longitude: position.x, latitude: position.y) else { continue }
            let grid = atlas.microGrids[index].code.gridCode
            byKind[feature.kind, default: []].append(Spot(id: feature.id, position: position, grid: grid,
                                                          residents: residentsByHome[feature.id] ?? []))
        }
    }

    func pick(_ kind: FeatureKind, _ random: inout SplitMix64) -> Spot? {
        guard let spots = byKind[kind], !spots.isEmpty else { return nil }
        return spots[random.index(spots.count)]
    }
}

/// The journal's lines with the time each happens, sorted at the end.
private struct Journal {
    let year: Int
    private var entries: [(at: Double, order: Int, line: String)] = []
    private var keys = 0

    init(year: Int) { self.year = year }

    /// A problem's kind: category, where it happens, and what the liaison writes.
    struct ProblemKind {
        var category: String
        var spot: FeatureKind
        var descriptions: [String]
        var concernsResident = false
    }

    static let kinds: [(ProblemKind, weight: Int)] = [
        (ProblemKind(category: "roads-and-water", spot: .ditch, descriptions: ["沟渠堵塞，雨后积水", "排水沟淤积需清理", "沟渠护坡坍塌"]), 14),
        (ProblemKind(category: "roads-and-water", spot: .well, descriptions: ["机井损坏，无法浇地", "井盖破损，存在安全隐患", "井房漏水"]), 10),
        (ProblemKind(category: "roads-and-water", spot: .road, descriptions: ["村道坑洼，出行不便", "路灯不亮", "田间路被冲毁"]), 10),
        (ProblemKind(category: "environment", spot: .square, descriptions: ["广场垃圾堆积", "垃圾桶破损", "焚烧秸秆"]), 8),
        (ProblemKind(category: "safety-hazard", spot: .home, descriptions: ["老旧电线私拉乱接", "危房需排查", "燃气灶具老化"]), 8),
        (ProblemKind(category: "welfare-assistance", spot: .home, descriptions: ["独居老人冬季取暖困难", "残疾人辅具申领", "低保申请咨询"], concernsResident: true), 12),
        (ProblemKind(category: "dispute-mediation", spot: .home, descriptions: ["邻里宅基地纠纷", "家庭赡养纠纷", "土地流转合同纠纷"], concernsResident: true), 8),
        (ProblemKind(category: "public-order", spot: .square, descriptions: ["夜间噪音扰民", "流动摊贩占道"]), 3),
        (ProblemKind(category: "farming", spot: .field, descriptions: ["农田病虫害", "灌溉用水纠纷"]), 3),
    ]

    mutating func problems(spots: Spots, town: TownData, random: inout SplitMix64) throws {
        let total = Self.kinds.map(\.weight).reduce(0, +)
        let start = Self.epoch(year)
        for index in 0..<76 {
            var draw = random.index(total)
            let kind = Self.kinds.first { draw -= $0.weight; return draw < 0 }!.0
            guard let spot = spots.pick(kind.spot, &random) else { continue }
            let key = "E\(index + 1)"
            // Raised over the year, the last ones in December: they are still open at its end.
            var t = start + Double(index) / 76 * 360 * 86_400 + random.uniform(0, 4 * 86_400)
            t = Self.workingHour(t, &random)
            let liaison = "\(spot.grid)/liaison", chief = "\(spot.grid)/chief"
            var raise: [String: Any] = ["do": "raise", "key": key, "as": liaison, "category": kind.category,
                                        "urgency": random.chance(0.15) ? "urgent" : "normal",
                                        "point": [spot.position.x, spot.position.y],
                                        "description": kind.descriptions[random.index(kind.descriptions.count)]]
            if kind.concernsResident, let resident = spot.residents.first {
                raise["reportedBy"] = resident
                raise["residents"] = [resident]
            }
            add(t, raise)
            let urgent = raise["urgency"] as? String == "urgent"
            let reportIn = urgent ? 2.0 : 24.0, resolution = urgent ? 24.0 : 168.0
            let stillOpen = index >= 69  // the last seven, raised in December, are not resolved by the year's end
            t += random.uniform(0.3, 3) * 3600
            // Who resolves it, and so who handles it again after a send-back.
            var resolvers: [String] = []
            if random.chance(0.18) {
                // The grid's own team handles it.
                add(t, ["do": "take", "event": key, "as": liaison])
                if stillOpen { continue }
                t += random.uniform(0.2, random.chance(0.9) ? 0.9 : 1.6) * resolution * 3600
                add(t, ["do": "resolve", "event": key, "as": liaison, "note": "网格内处置完毕"])
                resolvers = [liaison]
            } else {
                let category = kind.category
                let departments = Self.defaultDepartments[category] ?? []
                add(t, ["do": "whistle", "event": key, "as": chief])
                let whistled = t
                var done = whistled
                for department in departments {
                    // Every department reports in; about one in twelve after its deadline.
                    let late = random.chance(0.08)
                    let reported = whistled + (late ? random.uniform(1.05, 1.8) : random.uniform(0.1, 0.9)) * reportIn * 3600
                    add(reported, ["do": "report-in", "event": key, "as": "department:\(department)"])
                    if stillOpen { continue }
                    let resolved = reported + random.uniform(0.1, random.chance(0.88) ? 0.8 : 1.5) * resolution * 3600
                    add(resolved, ["do": "resolve", "event": key, "as": "department:\(department)"])
                    resolvers.append("department:\(department)")
                    done = max(done, resolved)
                }
                if stillOpen { continue }
                t = done
            }
            t += random.uniform(2, 30) * 3600
            add(t, ["do": "verify", "event": key, "as": liaison])
            if random.chance(0.07) {
                t += random.uniform(1, 24) * 3600
                add(t, ["do": "send-back", "event": key, "as": liaison, "reason": "群众反映问题复发"])
                // Handled again by whoever had it, then verified again.
                for resolver in resolvers {
                    t += random.uniform(1, 3) * 86_400
                    add(t, ["do": "resolve", "event": key, "as": resolver, "note": "返工处置"])
                }
                t += random.uniform(2, 24) * 3600
                add(t, ["do": "verify", "event": key, "as": liaison])
            }
            t += random.uniform(1, 48) * 3600
            let draw2 = random.unit()
            let rating = draw2 < 0.84 ? "satisfied" : draw2 < 0.97 ? "basically-satisfied" : "dissatisfied"
            add(t, ["do": "close", "event": key, "as": liaison, "satisfaction": rating])
        }
    }

    /// The departments each category whistles to (the standard catalogue's).
    static let defaultDepartments: [String: [String]] = Dictionary(
        uniqueKeysWithValues: EventCatalogue.standard.categories.map { ($0.code, $0.defaultDepartments) })

    /// The twelve-department joint inspection of every school and kindergarten, in September.
    mutating func inspection(town: TownData, spots: Spots, random: inout SplitMix64) throws {
        let items = [["防汛", "water"], ["防溺水", "education"], ["安保", "police"], ["消防", "fire"], ["燃气", "housing"],
                     ["食品安全", "market-supervision"], ["卫生防疫", "health"], ["交通安全", "traffic"], ["应急预案", "emergency"],
                     ["周边环境", "environment"], ["周边摊贩", "law-enforcement"], ["地质灾害", "natural-resources"]]
        var t = Self.epoch(year) + 244 * 86_400 + 9 * 3600  // 1 September, 09:00
        add(t, ["do": "plan-inspection", "key": "I1", "as": "office/网格化服务管理中心", "title": "校园安全联合检查",
                "sites": ["schools", "kindergartens"], "items": items])
        let sites = (spots.byKind[.school] ?? []) + (spots.byKind[.kindergarten] ?? [])
        let findings = [("消防", "灭火器过期未更换"), ("食品安全", "食堂留样记录不全"), ("燃气", "燃气管道老化"), ("交通安全", "校门口缺少减速带"),
                        ("防溺水", "校园周边水塘缺少警示牌"), ("安保", "监控探头损坏"), ("卫生防疫", "晨检记录不规范"), ("周边摊贩", "校门口流动摊贩"),
                        ("防汛", "排水口堵塞"), ("消防", "疏散通道堆放杂物"), ("周边环境", "围墙外垃圾堆放"), ("应急预案", "应急演练未开展"),
                        ("地质灾害", "后山护坡裂缝"), ("食品安全", "从业人员健康证过期")]
        for (index, finding) in findings.enumerated() where !sites.isEmpty {
            let site = sites[index % sites.count]
            t += random.uniform(1, 10) * 3600
            let key = "F\(index + 1)"
            let deadline = t + random.uniform(10, 25) * 86_400
            add(t, ["do": "finding", "key": key, "inspection": "I1", "as": "office/网格化服务管理中心", "site": site.id, "item": finding.0,
                    "description": finding.1, "deadline": Self.text(deadline)])
            let department = items.first { $0[0] == finding.0 }![1]
            let reported = t + random.uniform(1, 20) * 3600
            add(reported, ["do": "report-in", "event": key, "as": "department:\(department)"])
            let fixed = reported + (deadline - reported) * random.uniform(0.3, index == 3 ? 1.2 : 0.95)
            add(fixed, ["do": "resolve", "event": key, "as": "department:\(department)", "note": "已整改"])
            let verified = fixed + random.uniform(4, 48) * 3600
            add(verified, ["do": "verify", "event": key, "as": "office/网格化服务管理中心"])
            add(verified + 3600, ["do": "close", "event": key, "as": "office/网格化服务管理中心", "satisfaction": "satisfied"])
        }
    }

    /// 17 activities at the service centres and 42 volunteer services across the grids.
    mutating func activities(spots: Spots, random: inout SplitMix64) {
        let centres = (spots.byKind[.partyMassesServiceCentre] ?? []) + (spots.byKind[.citizenServiceStation] ?? [])
        let squares = spots.byKind[.square] ?? []
        let activities = ["党员主题党日", "重阳节敬老活动", "政策宣讲", "防诈骗讲座", "文艺汇演", "读书分享会"]
        let services: [(String, String)] = [("义务理发", "haircut"), ("义诊", "clinic"), ("法律援助", "legal-aid"), ("送戏下乡", "show"),
                                            ("家电义修", "repair"), ("助老助残", "care")]
        for index in 0..<17 where !centres.isEmpty {
            let spot = centres[random.index(centres.count)]
            let t = Self.workingHour(Self.epoch(year) + random.uniform(0, 360) * 86_400, &random)
            add(t, ["do": "activity", "as": "office", "kind": "activity", "title": activities[index % activities.count], "service": "activity",
                    "point": [spot.position.x, spot.position.y], "organiser": "党群服务中心", "attendance": random.int(20...120)])
        }
        for _ in 0..<42 {
            let pool = random.chance(0.5) || squares.isEmpty ? centres : squares
            guard !pool.isEmpty else { break }
            let spot = pool[random.index(pool.count)]
            let (title, service) = services[random.index(services.count)]
            let t = Self.workingHour(Self.epoch(year) + random.uniform(0, 360) * 86_400, &random)
            add(t, ["do": "activity", "as": "office", "kind": "volunteer-service", "title": title, "service": service,
                    "point": [spot.position.x, spot.position.y], "organiser": "志愿服务队", "attendance": random.int(10...80)])
        }
    }

    // MARK: - Lines

    private mutating func add(_ at: Double, _ object: [String: Any]) {
        var fields = object
        fields["at"] = Self.text(at)
        entries.append((at, entries.count, Self.json(fields)))
    }

    func sorted() -> [String] {
        entries.sorted { ($0.at, $0.order) < ($1.at, $1.order) }.map(\.line)
    }

    /// Keys in a fixed order, so that the file is byte-identical for a seed.
    private static func json(_ object: [String: Any]) -> String {
        let order = ["do", "key", "event", "inspection", "at", "as", "category", "urgency", "point", "description", "reportedBy",
                     "residents", "departments", "reason", "satisfaction", "note", "title", "sites", "items", "site", "item", "deadline",
                     "kind", "service", "organiser", "attendance"]
        let parts = order.compactMap { key -> String? in
            guard let value = object[key] else { return nil }
            return "\"\(key)\":" + encode(value)
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    private static func encode(_ value: Any) -> String {
        switch value {
        case let text as String:
            let data = try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
            return data.map { String(decoding: $0.dropFirst().dropLast(), as: UTF8.self) } ?? "\"\""
        case let number as Int: return String(number)
        case let number as Double: return String(format: "%.7f", number)
        case let list as [Any]: return "[" + list.map(encode).joined(separator: ",") + "]"
        default: return "null"
        }
    }

    /// 1 January of `year`, 00:00 in Asia/Shanghai, as seconds since 1970.
    static func epoch(_ year: Int) -> Double {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = EventClock.shanghai
        return calendar.date(from: DateComponents(year: year, month: 1, day: 1))?.timeIntervalSince1970 ?? 0
    }

    /// `t` moved into the working day (08:00–18:00 Asia/Shanghai) of its date.
    static func workingHour(_ t: Double, _ random: inout SplitMix64) -> Double {
        let day = ((t + 8 * 3600) / 86_400).rounded(.down) * 86_400 - 8 * 3600
        return day + random.uniform(8, 18) * 3600
    }

    /// A time as the journal writes it: `yyyy-MM-dd HH:mm` in Asia/Shanghai.
    static func text(_ t: Double) -> String {
        let shifted = Int((t + 8 * 3600).rounded(.down))
        let days = shifted >= 0 ? shifted / 86_400 : (shifted - 86_399) / 86_400
        let seconds = shifted - days * 86_400
        let (y, m, d) = civil(days)
        return String(format: "%04d-%02d-%02d %02d:%02d", y, m, d, seconds / 3600, seconds % 3600 / 60)
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
    private static func civil(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
