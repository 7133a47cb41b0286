/// Chinese numerals as written in house numbers ("十二号", "一百零五号", "两号", "一二号"),
/// read into integers so that "东河村十二号" and "东河村12号" give the same key.
enum ChineseNumeral {
    /// The value of a digit character (零/〇 0 … 九 9, 两 2), or nil.
    static func digit(_ character: Character) -> Int? {
        switch character {
        case "零", "〇": 0
        case "一": 1
        case "二", "两": 2
        case "三": 3
        case "四": 4
        case "五": 5
        case "六": 6
        case "七": 7
        case "八": 8
        case "九": 9
        default: nil
        }
    }

    /// The multiplier of a unit character (十 10, 百 100, 千 1000), or nil.
    static func unit(_ character: Character) -> Int? {
        switch character {
        case "十": 10
        case "百": 100
        case "千": 1000
        default: nil
        }
    }

    static func isNumeral(_ character: Character) -> Bool { digit(character) != nil || unit(character) != nil }

    /// The value of a run of numeral characters, or nil when it is not a well-formed number.
    /// With units it is read positionally ("一百零五" = 105, a leading "十" is 10); without,
    /// digit by digit, as house numbers are often read out ("一二" = 12).
    static func value(of run: some Collection<Character>) -> Int? {
        guard !run.isEmpty else { return nil }
        guard run.contains(where: { unit($0) != nil }) else {
            var total = 0
            for character in run {
                guard let d = digit(character) else { return nil }
                total = total * 10 + d
            }
            return total
        }
        var total = 0
        var pending: Int?
        var lastUnit = Int.max
        for character in run {
            if let d = digit(character) {
                if d == 0 { pending = nil; continue }
                guard pending == nil else { return nil }  // "二三十" is not a number
                pending = d
            } else if let u = unit(character) {
                guard u < lastUnit else { return nil }  // units must fall: "十百" is not a number
                total += (pending ?? 1) * u
                pending = nil
                lastUnit = u
            }
        }
        return total + (pending ?? 0)
    }
}
