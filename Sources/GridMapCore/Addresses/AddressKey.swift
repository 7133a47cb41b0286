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

/// A house number with its optional sub-number, as written back in messages ("12", "12-1").
struct HouseNumber: Hashable, Sendable, CustomStringConvertible {
    var number: Int
    var subNumber: Int?

    init(_ number: Int, _ subNumber: Int? = nil) {
        self.number = number
        self.subNumber = subNumber
    }

    var description: String { subNumber.map { "\(number)-\($0)" } ?? "\(number)" }
}

/// An address taken apart by ``AddressNormalizer``: the village as written (prefixes, spaces
/// and punctuation gone) and the house number, each possibly missing — a matcher needs to tell
/// "no number" from "no such number".
public struct NormalizedAddress: Hashable, Sendable {
    /// The village as written, cleaned: "东河村", "东河庄" or "东河"; empty when absent.
    public var village: String
    /// ``village`` without its settlement suffix.
    public var stem: String
    public var number: Int?
    public var subNumber: Int?
    /// The town the address names when it is not this town ("六汪镇" in "六汪镇东河村12号"):
    /// such an address is outside the town, whatever its village is called.
    public var otherTown: String?

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
