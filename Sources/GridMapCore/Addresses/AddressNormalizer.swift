import Foundation

/// Turns a free-text address from a resident ledger into a ``NormalizedAddress``.
///
/// Ledgers are typed by many hands: full-width digits, Chinese numerals, "#" for 号, the town or
/// the whole province → city → district chain in front or not, 村 where the map says 庄. The
/// normaliser removes each of those differences, so that only the village and the house number
/// are left to compare. The steps, in order:
/// 1. NFKC (full-width → half-width digits and letters), lower-case letters, 號 → 号, # → 号,
///    dashes → "-", whitespace and other punctuation dropped.
/// 2. Prefixes: everything up to the town's name (大村镇) when it appears; otherwise a leading
///    province (…省, …自治区), city (…市), district (…新区, …区, …县) and town (…镇, …乡, …街道),
///    each at most once and only when a village is left after it; then the town's short name
///    (大村).
/// 3. "门牌号"/"门牌" dropped; from the end, the house number (Arabic or Chinese numerals, 号
///    optional) and a sub-number after "-", "之" or "号" ("12-1号", "12号之1"); then a villagers'
///    group ("三组", "3队") before the number.
/// 4. What is left is the village; its stem drops one settlement suffix (村, 庄, 屯, 疃, 埠, 寨,
///    堡).
///
/// An address in Latin script with no Chinese character is a street address, read by
/// ``StreetAddressParser`` instead (street, house number and letter, staircase and apartment,
/// postcode and city).
public struct AddressNormalizer: Sendable {
    /// The town's name as the map has it, e.g. "大村镇".
    public let townName: String
    /// The town's name and, when it ends in 镇/乡 and two characters remain, its short name.
    private let townNames: [String]

    /// Characters that end a village's name without being part of what tells it apart.
    static let settlementSuffixes: Set<Character> = ["村", "庄", "屯", "疃", "埠", "寨", "堡"]

    /// Reads street addresses (Latin script; ``StreetAddressParser``).
    private let streets: StreetAddressParser

    /// `otherNames` are more names of the town (its Latin name), which a street address may end
    /// with as its city.
    public init(townName: String, otherNames: [String] = []) {
        self.townName = townName
        streets = StreetAddressParser(townNames: [townName] + otherNames)
        var names = [townName].filter { !$0.isEmpty }
        if let last = townName.last, "镇乡".contains(last), townName.count >= 3 {
            names.append(String(townName.dropLast()))
        }
        townNames = names
    }

    /// The village's stem: its name without one settlement suffix ("东河村" → "东河", "官庄庄" →
    /// "官庄"); a one-character name is its own stem.
    public static func stem(ofVillage village: String) -> String {
        guard village.count >= 2, let last = village.last, settlementSuffixes.contains(last) else { return village }
        return String(village.dropLast())
    }

    public func normalize(_ text: String) -> NormalizedAddress {
        if StreetAddressParser.isLatin(text) { return streets.parse(text) }
        var characters = Self.clean(text)
        let otherTown = stripPrefixes(&characters)
        Self.remove("门牌号", from: &characters)
        Self.remove("门牌", from: &characters)
        let (number, subNumber) = Self.takeHouseNumber(from: &characters)
        Self.dropVillagersGroup(from: &characters)
        let village = String(characters)
        return NormalizedAddress(village: village, stem: Self.stem(ofVillage: village), number: number, subNumber: subNumber,
                                 otherTown: otherTown)
    }

    // MARK: Steps

    /// Step 1: one spelling for every character that can be written two ways, and nothing that
    /// carries no meaning (spaces, commas, brackets).
    static func clean(_ text: String) -> [Character] {
        var characters: [Character] = []
        characters.reserveCapacity(text.count)
        for character in text.precomposedStringWithCompatibilityMapping {
            switch character {
            case "號", "#": characters.append("号")
            case "-", "‐", "‑", "‒", "–", "—", "―", "−", "~", "〜": characters.append("-")
            default:
                if character.isWhitespace || character.isPunctuation || character.isSymbol { continue }
                characters.append(character.isASCII ? Character(character.lowercased()) : character)
            }
        }
        return characters
    }

    /// Step 2: the administrative chain and the town, which a ledger of one town may or may not
    /// repeat and which never tells two homes of the town apart. Returns the town the address
    /// names when it is another one (六汪镇 where this town is 大村镇; 大村乡 counts as this town).
    func stripPrefixes(_ characters: inout [Character]) -> String? {
        if let end = Self.endOfFirst(townName, in: characters) {
            characters.removeFirst(end)
            return nil
        }
        for suffixes in [["省", "自治区"], ["市"], ["新区", "区", "县", "市"]] {
            Self.stripLeadingSegment(endingIn: suffixes, from: &characters)
        }
        if let town = Self.stripLeadingSegment(endingIn: ["镇", "乡", "街道"], from: &characters),
           !townNames.contains(where: { town.hasPrefix($0) }) {
            return town
        }
        for name in townNames {
            let name = Array(name)
            if characters.starts(with: name), Self.villageLength(characters.dropFirst(name.count)) >= 1 {
                characters.removeFirst(name.count)
                break
            }
        }
        return nil
    }

    /// Drops a leading segment of 2–8 characters ending in one of `suffixes` (the shortest such
    /// segment), when no Arabic digit is in it and a village of two or more characters stays
    /// behind. Returns the segment dropped, if any.
    @discardableResult
    static func stripLeadingSegment(endingIn suffixes: [String], from characters: inout [Character]) -> String? {
        let limit = min(characters.count, 8)
        guard limit >= 2 else { return nil }
        for length in 2...limit {
            let segment = characters[0..<length]
            // Arabic digits only: 六汪镇 and 三里河街道 are names, though 六 and 三 are numerals.
            if segment.contains(where: { $0.isASCII && $0.isNumber }) { return nil }
            guard suffixes.contains(where: { ends(segment, with: $0) }) else { continue }
            guard villageLength(characters.dropFirst(length)) >= 2 else { return nil }
            characters.removeFirst(length)
            return String(segment)
        }
        return nil
    }

    private static func ends(_ segment: ArraySlice<Character>, with suffix: String) -> Bool {
        let suffix = Array(suffix)
        return segment.count > suffix.count && segment.suffix(suffix.count).elementsEqual(suffix)
    }

    /// How many characters come before the first digit or numeral: the room left for a village.
    static func villageLength(_ characters: ArraySlice<Character>) -> Int {
        characters.prefix { !$0.isNumber && !ChineseNumeral.isNumeral($0) && $0 != "-" && $0 != "号" }.count
    }

    /// The index just past the first occurrence of `name`, or nil.
    static func endOfFirst(_ name: String, in characters: [Character]) -> Int? {
        let name = Array(name)
        guard !name.isEmpty, characters.count > name.count else { return nil }
        for start in 0...(characters.count - name.count) where characters[start..<(start + name.count)].elementsEqual(name) {
            return start + name.count
        }
        return nil
    }

    static func remove(_ word: String, from characters: inout [Character]) {
        while let end = endOfFirst(word, in: characters) {
            characters.removeSubrange((end - word.count)..<end)
        }
    }

    /// Step 3: the house number and sub-number, read from the end ("12号", "十二", "12-1号",
    /// "12号之1"). Returns (nil, nil) when the address ends in no number.
    static func takeHouseNumber(from characters: inout [Character]) -> (Int?, Int?) {
        dropTrailing(["号"], from: &characters)
        guard let last = takeTrailingNumber(from: &characters) else { return (nil, nil) }
        var separated = false
        while let tail = characters.last, tail == "-" || tail == "之" || tail == "号" {
            characters.removeLast()
            separated = true
        }
        guard separated, let first = takeTrailingNumber(from: &characters) else {
            return (last, nil)
        }
        return (first, last)
    }

    /// A run of Arabic digits, or of Chinese numerals, at the end, removed and read.
    static func takeTrailingNumber(from characters: inout [Character]) -> Int? {
        let digits = characters.reversed().prefix { $0.isASCII && $0.isNumber }.count
        if digits > 0 {
            let value = Int(String(characters.suffix(digits)))
            characters.removeLast(digits)
            return value
        }
        let numerals = characters.reversed().prefix { ChineseNumeral.isNumeral($0) }.count
        guard numerals > 0, let value = ChineseNumeral.value(of: characters.suffix(numerals)) else { return nil }
        characters.removeLast(numerals)
        return value
    }

    /// A villagers' group between village and number ("东河村三组12号", "东河村3小组"), which
    /// the homes' addresses do not carry.
    static func dropVillagersGroup(from characters: inout [Character]) {
        guard let last = characters.last, last == "组" || last == "队" else { return }
        var trimmed = Array(characters.dropLast())
        if trimmed.last == "小" { trimmed.removeLast() }
        guard takeTrailingNumber(from: &trimmed) != nil, !trimmed.isEmpty else { return }
        characters = trimmed
    }

    private static func dropTrailing(_ set: Set<Character>, from characters: inout [Character]) {
        while let last = characters.last, set.contains(last) { characters.removeLast() }
    }
}
