import GridMapCore
import SeededRandom

/// A synthetic resident ledger (户籍台账) as the town office keeps it beside the map: one row per
/// resident of the town, in residents.csv order, with the home's address typed by hand — mostly
/// as the map writes it, often with the usual liberties (no town, 庄 for 村, 十二号, full-width
/// digits, "#", stray spaces), sometimes with a slip, and a few rows no address matcher can
/// place. It is the input of `gridmap assign` in the main job.
///
/// Every row remembers which ``Variant`` was drawn, so a test knows the answer each row must get
/// without asking the matcher; the file itself carries only what a clerk would type.
public struct ResidentLedger: Sendable {
    /// How a row's address was typed, and so what matching it must give.
    public enum Variant: String, CaseIterable, Sendable {
        /// As on the map: 大村镇石龙村12号.
        case exact
        /// 石龙村12号.
        case withoutTown
        /// The whole administrative chain: 山东省青岛市黄岛区大村镇石龙村12号.
        case withProvince
        /// 庄 for 村, 村 for 庄 or any other settlement suffix: 石龙庄12号.
        case suffixSwapped
        /// 石龙村十二号.
        case chineseNumeral
        /// 石龙村１２号.
        case fullWidthDigits
        /// The stem and "#": 石龙12#.
        case hashForHao
        /// 大村镇 石龙村 12 号.
        case extraSpaces
        /// One character of the village mistyped, still closer to its own village than to any
        /// other: 石垄村12号.
        case typo
        /// One character mistyped so that two or more villages with this house number are
        /// equally close (石坨村23号: 石龙村, 石井村, 石门村 or 石桥村?): ambiguous.
        case betweenVillages
        /// A village the town does not have: unmatched.
        case unknownVillage
        /// The village with a house number it does not have: unmatched.
        case noSuchNumber
        /// The town and a house number, no village: unmatched.
        case noVillage
        /// The address of a neighbouring town (人户分离, registered here, living there): outside
        /// the town.
        case otherTown
    }

    public struct Row: Hashable, Sendable {
        /// 序号, from 1.
        public var number: Int
        public var name: String
        /// The address as typed.
        public var address: String
        public var variant: Variant
        /// The resident's home, which the address was typed for.
        public var homeID: String
        /// The map's address of that home.
        public var homeAddress: String
    }

    public static let header = "序号,姓名,地址"

    /// How often each variant is drawn (relative weights); a variant a home cannot take (no
    /// second village one slip away, say) falls back to `exact`.
    static let weights: [(Variant, Double)] = [
        (.exact, 540), (.withoutTown, 150), (.withProvince, 20), (.suffixSwapped, 60), (.chineseNumeral, 55),
        (.fullWidthDigits, 40), (.hashForHao, 35), (.extraSpaces, 35), (.typo, 55), (.betweenVillages, 15),
        (.unknownVillage, 4), (.noSuchNumber, 4), (.noVillage, 2), (.otherTown, 5),
    ]

    /// Neighbouring towns, for the residents who live outside Dacun.
    static let neighbouringTowns = ["六汪镇", "宝山镇", "铁山街道", "大场镇"]
    /// Characters a mis-pick in the input method puts into a village name; only those no village
    /// of the town uses are taken, so a typo never spells another village.
    static let slips = ["垄", "峪", "岑", "坨", "珑", "苓", "湾", "汪", "崮", "垛"]
    /// Characters of villages that do not exist (none of them in any real village of the town).
    static let strangers = ["青云", "金鸡", "玉皇", "白鹤", "紫荆", "银杏"]

    public let rows: [Row]

    /// The ledger of `town`'s residents. Each home's address must be the town's name, the
    /// village and "N号", as the generator writes them.
    public init(town: TownData, seed: UInt64) {
        var homes: [String: (village: String, number: Int, address: String)] = [:]
        var numbersByVillage: [String: Set<Int>] = [:]
        for feature in town.features where feature.kind == .home {
            guard let address = feature.properties["address"]?.stringValue,
                  let number = feature.properties["houseNumber"]?.int64Value.map(Int.init) else { continue }
            let village = String(address.dropFirst(town.town.name.count).dropLast("\(number)号".count))
            homes[feature.id] = (village, number, address)
            numbersByVillage[village, default: []].insert(number)
        }
        let villages = numbersByVillage.keys.sorted()
        let used = Set(villages.flatMap { $0.map(String.init) })
        let slips = Self.slips.filter { !used.contains($0) }
        let strangers = Self.strangers.filter { !$0.contains { used.contains(String($0)) } }

        var rng = SplitMix64(seed: seed, stream: "ledger")
        let weights = Self.weights.map(\.1)
        var rows: [Row] = []
        rows.reserveCapacity(town.residents.count)
        for resident in town.residents {
            guard let home = homes[resident.homeID] else { continue }
            var variant = Self.weights[rng.weighted(weights)].0
            let typed: String
            switch variant {
            case .exact: typed = home.address
            case .withoutTown: typed = "\(home.village)\(home.number)号"
            case .withProvince: typed = "山东省青岛市黄岛区\(home.address)"
            case .suffixSwapped:
                let stem = String(home.village.dropLast())
                typed = town.town.name + stem + (home.village.hasSuffix("村") ? "庄" : "村") + "\(home.number)号"
            case .chineseNumeral: typed = "\(home.village)\(Self.chineseNumeral(home.number))号"
            case .fullWidthDigits: typed = town.town.name + home.village + Self.fullWidth(home.number) + "号"
            case .hashForHao: typed = "\(home.village.dropLast())\(home.number)#"
            case .extraSpaces: typed = "\(town.town.name) \(home.village) \(home.number) 号"
            case .typo, .betweenVillages:
                let wantTie = variant == .betweenVillages
                var found: String?
                for position in rng.chance(0.5) ? [0, 1] : [1, 0] {
                    let rivals = Self.villages(like: home.village, except: position, in: villages)
                        .filter { numbersByVillage[$0]!.contains(home.number) }
                    if rivals.isEmpty != wantTie {
                        var characters = Array(home.village)
                        characters[position] = Character(rng.pick(slips))
                        found = String(characters)
                        break
                    }
                }
                if let found {
                    typed = "\(found)\(home.number)号"
                } else {
                    (variant, typed) = (.exact, home.address)
                }
            case .unknownVillage: typed = "\(rng.pick(strangers))村\(home.number)号"
            case .noSuchNumber:
                typed = "\(home.village)\(numbersByVillage[home.village]!.max()! + rng.int(50...400))号"
            case .noVillage: typed = "\(town.town.name)\(home.number)号"
            case .otherTown: typed = "\(rng.pick(Self.neighbouringTowns))\(home.village)\(home.number)号"
            }
            rows.append(Row(number: rows.count + 1, name: resident.name, address: typed, variant: variant,
                            homeID: resident.homeID, homeAddress: home.address))
        }
        self.rows = rows
    }

    /// The ledger as CSV (UTF-8, LF line ends, header first). No field needs quoting: names and
    /// addresses hold no comma, quote or line break.
    public var csv: String {
        var text = Self.header + "\n"
        for row in rows { text += "\(row.number),\(row.name),\(row.address)\n" }
        return text
    }

    /// The other villages that agree with `village` everywhere but at `position` (same length),
    /// so that a slip there is one edit from each of them too.
    static func villages(like village: String, except position: Int, in villages: [String]) -> [String] {
        let characters = Array(village)
        return villages.filter { other in
            let others = Array(other)
            return other != village && others.count == characters.count
                && characters.indices.allSatisfy { $0 == position || others[$0] == characters[$0] }
        }
    }

    /// A house number in Chinese numerals as a clerk writes it: 12 十二, 105 一百零五, 110 一百一十.
    static func chineseNumeral(_ n: Int) -> String {
        let digits = Array("零一二三四五六七八九")
        let hundreds = n / 100, tens = n / 10 % 10, ones = n % 10
        var text = ""
        if hundreds > 0 { text += "\(digits[hundreds])百" }
        if tens > 0 {
            text += hundreds == 0 && tens == 1 ? "十" : "\(digits[tens])十"
        } else if hundreds > 0, ones > 0 {
            text += "零"
        }
        if ones > 0 || n == 0 { text.append(digits[ones]) }
        return text
    }

    /// Digits as full-width characters (１２ for 12).
    static func fullWidth(_ n: Int) -> String {
        String(String(n).unicodeScalars.map { Character(Unicode.Scalar($0.value - 0x30 + 0xFF10)!) })
    }
}
