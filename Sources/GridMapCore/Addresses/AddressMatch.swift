/// How a ledger address found its home.
public enum AddressMatchMethod: String, Hashable, Sendable, CaseIterable {
    /// The text is a home's address, character for character (spaces around it aside).
    case exact
    /// The normalised key (village, house number) is a home's.
    case normalized
    /// The village was found by edit distance: a typo, a missing or swapped character.
    case fuzzy
}

/// One home an address may mean, with how sure the matcher is (0…1).
public struct AddressCandidate: Hashable, Sendable {
    public var homeID: String
    /// The home's address as the map has it, for a person choosing among candidates.
    public var address: String
    public var confidence: Double

    public init(homeID: String, address: String, confidence: Double) {
        self.homeID = homeID
        self.address = address
        self.confidence = confidence
    }
}

/// Why an address matched no home: each reason points at what to fix in the ledger.
public enum AddressUnmatchedReason: Hashable, Sendable, CustomStringConvertible {
    case empty
    case noHouseNumber
    case noVillage
    /// No village of the town is named like this, even allowing for typos.
    case unknownVillage(String)
    /// The village exists but has no home with this number.
    case noSuchNumber(village: String, number: String)
    /// No street of the town is named like the street address's, even allowing for typos.
    case unknownStreet(String)
    /// The street exists but has no home with this number.
    case noSuchStreetNumber(street: String, number: String)
    /// The address names another town (六汪镇东河村12号, "Streetname 8, 02100 Espoo"): outside this town.
    case otherTown(String)
    /// No street is named like the address's at ``AddressMatcher/streetFuzzyThreshold`` or
    /// above; these homes, on the most similar streets, are listed for a person to choose.
    case notSimilarEnough(street: String, threshold: Double, candidates: [AddressCandidate])

    public var description: String {
        switch self {
        case .empty: "empty address"
        case .noHouseNumber: "no house number in the address"
        case .noVillage: "no village name in the address"
        case .unknownVillage(let village): "no village like \(village) in this town"
        case .noSuchNumber(let village, let number): "village \(village) has no house number \(number)"
        case .unknownStreet(let street): "no street like \(street) in this town"
        case .noSuchStreetNumber(let street, let number): "street \(street) has no house number \(number)"
        case .otherTown(let town): "the address is in \(town), another town"
        case .notSimilarEnough(let street, let threshold, let candidates):
            "no street like \(street) at similarity \(threshold) or more; candidates: "
                + candidates.map { "\($0.homeID) \($0.address) (\((($0.confidence * 100).rounded() / 100)))" }.joined(separator: "; ")
        }
    }
}

/// The answer of ``AddressMatcher/match(_:)``.
public enum AddressMatch: Hashable, Sendable {
    case matched(homeID: String, method: AddressMatchMethod, confidence: Double)
    /// Several homes fit equally well; best first, ties by home id.
    case ambiguous([AddressCandidate])
    case unmatched(AddressUnmatchedReason)

    /// The matched home's id, nil otherwise.
    public var homeID: String? {
        if case .matched(let id, _, _) = self { id } else { nil }
    }
}
