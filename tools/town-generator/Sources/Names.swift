import SeededRandom
/// Word lists for synthetic names. Every name in the generated town is drawn from these lists
/// with the seeded generator: the people are not real, and neither are the natural villages.
enum Names {
    /// Common surnames of the Jiaodong peninsula with rough weights (per mille).
    static let surnames: [(String, Double)] = [
        ("王", 90), ("张", 70), ("李", 65), ("刘", 55), ("赵", 30), ("孙", 30), ("杨", 28), ("陈", 25),
        ("徐", 25), ("薛", 22), ("丁", 20), ("于", 20), ("高", 20), ("宋", 18), ("马", 17), ("郑", 15),
        ("臧", 15), ("逄", 12), ("胡", 12), ("朱", 12), ("郭", 12), ("林", 12), ("吴", 11), ("姜", 18),
        ("袁", 10), ("韩", 10), ("周", 10), ("崔", 10), ("董", 10), ("曹", 9), ("匡", 8), ("纪", 8),
        ("尹", 8), ("苏", 8), ("管", 8), ("侯", 7), ("邵", 7), ("许", 7), ("冯", 7), ("彭", 6),
        ("程", 6), ("魏", 6), ("贾", 6), ("秦", 6), ("牟", 6), ("宫", 5), ("辛", 5), ("綦", 5),
        ("法", 4), ("薄", 4), ("隋", 4), ("栾", 4), ("滕", 4), ("殷", 4),
    ]

    /// Characters of men's given names, by the generation they are typical of.
    static let maleOld = ["德", "福", "贵", "明", "树", "清", "春", "玉", "振", "守", "学", "文", "成", "长", "永", "传", "忠", "庆", "洪", "殿", "友", "宝", "士", "顺", "祥"]
    static let maleOld2 = ["山", "林", "才", "全", "利", "发", "海", "田", "和", "杰", "堂", "泉", "信", "义", "胜", "瑞", "荣", "华", "芳", "礼"]
    static let maleMiddle = ["建", "国", "志", "卫", "军", "红", "新", "伟", "立", "东", "晓", "小", "海", "永", "金", "庆", "家", "兆", "爱"]
    static let maleMiddle2 = ["军", "强", "华", "平", "刚", "勇", "涛", "波", "明", "峰", "斌", "磊", "东", "民", "国", "林", "亮", "辉", "鹏", "伟"]
    static let maleYoung = ["浩", "子", "宇", "俊", "梓", "一", "博", "皓", "雨", "嘉", "明", "天", "思", "晨", "奕", "承", "睿", "文", "铭", "泽"]
    static let maleYoung2 = ["轩", "然", "辰", "航", "阳", "睿", "杰", "豪", "宸", "泽", "洋", "鑫", "凯", "哲", "瑞", "浩", "博", "逸", "宇", "川"]
    static let femaleOld = ["秀", "桂", "玉", "淑", "凤", "兰", "翠", "春", "金", "素", "月", "爱", "美", "俊", "花", "荣", "英", "瑞"]
    static let femaleOld2 = ["英", "兰", "珍", "芝", "梅", "华", "荣", "云", "香", "琴", "花", "霞", "芬", "娥", "莲", "菊", "敏", "萍"]
    static let femaleMiddle = ["丽", "红", "晓", "海", "春", "秀", "美", "艳", "文", "小", "玉", "爱", "永", "桂", "雪"]
    static let femaleMiddle2 = ["娟", "燕", "霞", "丽", "玲", "敏", "静", "艳", "红", "芳", "梅", "萍", "莉", "华", "娜", "英", "青", "杰"]
    static let femaleYoung = ["欣", "梓", "雨", "诗", "子", "思", "佳", "可", "语", "一", "若", "心", "紫", "雅", "依", "婉", "梦", "晨"]
    static let femaleYoung2 = ["怡", "涵", "萱", "琪", "彤", "然", "瑶", "妍", "悦", "桐", "琳", "菲", "雯", "璐", "婷", "宁", "汐", "宸"]

    /// Prefixes of natural-village names: lineages, directions with landforms, and landmarks.
    static let lineagePrefixes = ["王家", "张家", "李家", "刘家", "赵家", "孙家", "杨家", "陈家", "徐家", "薛家", "丁家",
                                  "于家", "高家", "宋家", "马家", "郑家", "臧家", "逄家", "胡家", "朱家", "郭家", "林家",
                                  "姜家", "袁家", "韩家", "周家", "崔家", "董家", "曹家", "匡家", "纪家", "尹家", "苏家",
                                  "管家", "侯家", "邵家", "许家", "冯家", "程家", "魏家", "牟家", "宫家", "辛家", "隋家"]
    static let directions = ["东", "西", "南", "北", "前", "后", "上", "下", "中", "小", "新", "老"]
    static let landforms = ["河", "岭", "沟", "山", "泉", "洼", "崖", "坡", "涧", "湖", "埠", "岔", "台", "屯", "营", "楼", "庙", "桥", "场"]
    static let landmarks = ["石门", "石桥", "柳树", "杨树", "枣林", "桃园", "梨园", "杏园", "松林", "石河", "沙沟", "泉头",
                            "河崖", "岭前", "山后", "河西", "河东", "双庙", "石龙", "青石", "白石", "黄山", "芦苇", "荆山",
                            "槐树", "龙泉", "石井", "柏林", "凤凰", "卧牛", "马蹄", "椿树", "官庄", "小河", "响水", "石沟"]
    /// Settlement suffixes with rough weights: 村 and 庄 dominate, 疃 and 埠 are typical of Jiaodong.
    static let suffixes: [(String, Double)] = [("村", 50), ("庄", 25), ("疃", 10), ("屯", 7), ("埠", 8)]

    /// Units of the functional staff ("N") of a grid team.
    static let functionalUnits = ["派出所", "供电所", "村委会", "公益岗", "卫生院", "司法所", "市场监管所", "综合执法中队", "应急管理办"]

    /// Mobile prefixes of the mainland carriers (the number after them is masked).
    static let phonePrefixes = ["134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "182",
                                "183", "187", "188", "130", "131", "132", "155", "156", "185", "186", "133", "153", "180",
                                "181", "189", "177", "176"]

    static func surname(_ rng: inout SplitMix64) -> String {
        surnames[rng.weighted(surnames.map(\.1))].0
    }

    /// A given name typical of someone born in `birthYear`.
    static func givenName(male: Bool, birthYear: Int, _ rng: inout SplitMix64) -> String {
        let (first, second): ([String], [String])
        switch (male, birthYear) {
        case (true, ..<1965): (first, second) = (maleOld, maleOld2)
        case (true, ..<1995): (first, second) = (maleMiddle, maleMiddle2)
        case (true, _): (first, second) = (maleYoung, maleYoung2)
        case (false, ..<1965): (first, second) = (femaleOld, femaleOld2)
        case (false, ..<1995): (first, second) = (femaleMiddle, femaleMiddle2)
        case (false, _): (first, second) = (femaleYoung, femaleYoung2)
        }
        // One-character given names were common in the 1970s–80s.
        if (1965..<1995).contains(birthYear), rng.chance(0.3) { return rng.pick(second) }
        var a = rng.pick(first), b = rng.pick(second)
        while b == a { b = rng.pick(second) }
        if rng.chance(0.04) { (a, b) = (b, a) }
        return a + b
    }

    /// A masked mobile number such as "138****1234".
    static func phone(_ rng: inout SplitMix64) -> String {
        let tail = rng.int(0...9999)
        let digits = String(tail)
        return rng.pick(phonePrefixes) + "****" + String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// A natural-village name prefix (two characters) not used before.
    static func villagePrefix(_ rng: inout SplitMix64, used: inout Set<String>) -> String {
        while true {
            let roll = rng.unit()
            let prefix: String
            if roll < 0.35 {
                prefix = rng.pick(lineagePrefixes)
            } else if roll < 0.75 {
                prefix = rng.pick(directions) + rng.pick(landforms)
            } else {
                prefix = rng.pick(landmarks)
            }
            if prefix == "大村" || prefix.hasSuffix("村") { continue }
            if used.insert(prefix).inserted { return prefix }
        }
    }

    static func villageSuffix(_ rng: inout SplitMix64) -> String { suffixes[rng.weighted(suffixes.map(\.1))].0 }

    /// Chinese numerals for small counts, e.g. for "第三片".
    static func numeral(_ n: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        if n <= 10 { return digits[n] }
        if n < 20 { return "十" + digits[n - 10] }
        return digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10])
    }
}
