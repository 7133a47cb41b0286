/// What an address says once its spelling is set aside: which village, which house.
///
/// Two addresses with the same key name the same home ("大村镇东河村12号", "东河庄十二号" and
/// "东河12#" all have the key 东河/12), which is what lets a ledger's free text find its home.
public struct AddressKey: Hashable, Sendable, CustomStringConvertible {
    /// The village's name without its settlement suffix (村, 庄, 屯…): "东河" for 东河村.
    public var stem: String
    public var number: Int
    /// The part after "-" or "之" in "12-1号", "12号之1".
    public var subNumber: Int?

    public init(stem: String, number: Int, subNumber: Int? = nil) {
        self.stem = stem
        self.number = number
        self.subNumber = subNumber
    }

    public var description: String { "\(stem)/\(HouseNumber(number, subNumber))" }
}

/// A house number with its optional sub-number or letter, as written back in messages ("12",
/// "12-1", "33b").
struct HouseNumber: Hashable, Sendable, CustomStringConvertible {
    var number: Int
    var subNumber: Int?
    /// A street address's house letter, lower case ("b" in "Streetname 33 B").
    var letter: String?

    init(_ number: Int, _ subNumber: Int? = nil, letter: String? = nil) {
        self.number = number
        self.subNumber = subNumber
        self.letter = letter
    }

    var description: String { (subNumber.map { "\(number)-\($0)" } ?? "\(number)") + (letter ?? "") }
}

/// An address taken apart by ``AddressNormalizer``: the village (or, for a street address, the
/// street) as written (prefixes, spaces and punctuation gone) and the house number, each possibly missing — a matcher needs to tell
/// "no number" from "no such number".
public struct NormalizedAddress: Hashable, Sendable {
    /// The village as written, cleaned: "东河村", "东河庄" or "东河"; empty when absent.
    public var village: String
    /// ``village`` without its settlement suffix.
    public var stem: String
    public var number: Int?
    public var subNumber: Int?
    /// The town the address names when it is not this town ("六汪镇" in "六汪镇东河村12号", or
    /// "espoo" in "Streetname 8, 02100 Espoo" for a town called Helsinki): such an address is
    /// outside the town, whatever its village or street is called.
    public var otherTown: String?
    /// A street address's house letter, lower case: "b" in "Streetname 33 B" or "Streetname 8b".
    public var letter: String?
    /// A street address's staircase, lower case: "a" in "Streetname 5 A 12".
    public var staircase: String?
    /// A street address's apartment: 12 in "Streetname 5 A 12". Homes are buildings, so neither
    /// the staircase nor the apartment chooses the home; they are kept for the report.
    public var apartment: Int?
    /// A street address's postcode as written ("00100").
    public var postcode: String?
    /// Whether the address was read as a street address (Latin script) rather than a Chinese one.
    public var isStreetAddress = false

    public init(village: String, stem: String, number: Int?, subNumber: Int?, otherTown: String? = nil) {
        self.village = village
        self.stem = stem
        self.number = number
        self.subNumber = subNumber
        self.otherTown = otherTown
    }

    /// The structured key, when there is a village and a house number.
    public var key: AddressKey? {
        guard let number, !stem.isEmpty else { return nil }
        return AddressKey(stem: stem, number: number, subNumber: subNumber)
    }
}
