import Foundation

/// Matches ledger addresses to the town's homes: exact text first, then the normalised key,
/// then villages by edit distance — each tier only when the one before found nothing, so that a
/// well-typed address is never second-guessed by a looser rule. An address that names another
/// town is unmatched (``AddressUnmatchedReason/otherTown(_:)``), never put on a village of this
/// one that happens to share its name.
///
/// Built once from the homes (their `address` property) and immutable, so one matcher answers a
/// whole ledger, from any number of threads. Exact text is one dictionary read; a normalised
/// address is a few more; only an address whose village is unknown pays for the fuzzy scan over
/// the town's villages (about a hundred).
///
/// Confidence: exact 1; normalised 1 when the village is written as the map has it, 0.95 when
/// only its stem agrees (东河庄 for 东河村, or 东河), 0.9 when a 家 had to be dropped (王庄 for
/// 王家庄); fuzzy: 1 − edit distance / length of the village, at least ``fuzzyThreshold``. A
/// sub-number the map does not have ("12-1" where the map has 12) falls back to the house
/// number at 0.9 of the confidence. Several homes at the best confidence make the answer
/// ambiguous; ties are ordered by home id.
///
/// Street addresses (Latin script, ``StreetAddressParser``) go through the same tiers with their
/// own rules: a street by its name (1) or, when one side has no type, its stem (0.95); a letter
/// the map lacks falls back to the house, a staircase is tried as the letter (0.9); fuzzy only at
/// ``streetFuzzyThreshold`` or above, and below it the row is unmatched with its candidates
/// (``AddressUnmatchedReason/notSimilarEnough(street:threshold:candidates:)``), never matched.
public struct AddressMatcher: Sendable {
    /// The least village similarity the fuzzy tier accepts.
    public static let fuzzyThreshold = 0.5
    /// The least street similarity the fuzzy tier accepts for a street address: the lesser of the
    /// similarities of the whole street names and of their stems (types set aside), so that
    /// "Bergstrasse" is not taken for "Burgstrasse" (stems 0.75) nor "Main Avenue" for "Main
    /// Street" (names 0.45). Streets between ``streetCandidateThreshold`` and this are listed as
    /// candidates of an unmatched address, never matched.
    public static let streetFuzzyThreshold = 0.8
    /// The least street similarity for a street to be listed as a candidate.
    public static let streetCandidateThreshold = 0.5
    /// How many candidates an ambiguous answer lists at most.
    public static let maxCandidates = 5

    public let normalizer: AddressNormalizer

    private struct Home: Sendable {
        var id: String
        var address: String
    }

    private struct Village: Sendable {
        var name: String
        var stem: String
        /// A street of a street address (``StreetAddressParser``), not a Chinese village.
        var isStreet = false
        var homesByNumber: [HouseNumber: [Int]] = [:]
    }

    /// Sorted by id, so that index order is id order.
    private let homes: [Home]
    private let homesByText: [String: [Int]]
    /// Sorted by name.
    private let villages: [Village]
    /// Per village, its name and stem as scalars, apart from ``villages`` so that the fuzzy scan
    /// reads two flat arrays.
    private let villageNameScalars: [[Unicode.Scalar]]
    private let villageStemScalars: [[Unicode.Scalar]]
    private let villageByName: [String: Int]
    private let villagesByStem: [String: [Int]]
    private let villagesByAlias: [String: [Int]]

    /// Indexes the features of kind `.home` that have an `address` property. `otherTownNames`
    /// (the town's Latin name) count as the town when a street address names its city.
    public init(homes features: [MapFeature], townName: String, otherTownNames: [String] = []) {
        normalizer = AddressNormalizer(townName: townName, otherNames: otherTownNames)
        homes = features
            .compactMap { feature in
                guard feature.kind == .home, let address = feature.properties["address"]?.stringValue else { return nil }
                return Home(id: feature.id, address: address)
            }
            .sorted { $0.id < $1.id }
        var byText: [String: [Int]] = [:]
        var villageList: [Village] = []
        var byName: [String: Int] = [:]
        for (index, home) in homes.enumerated() {
            byText[Self.trimmed(home.address), default: []].append(index)
            let normalized = normalizer.normalize(home.address)
            guard let number = normalized.number, !normalized.village.isEmpty else { continue }
            let village: Int
            if let known = byName[normalized.village] {
                village = known
            } else {
                village = villageList.count
                byName[normalized.village] = village
                villageList.append(Village(name: normalized.village, stem: normalized.stem, isStreet: normalized.isStreetAddress))
            }
            villageList[village].homesByNumber[HouseNumber(number, normalized.subNumber, letter: normalized.letter), default: []]
                .append(index)
        }
        let order = villageList.indices.sorted { villageList[$0].name < villageList[$1].name }
        villages = order.map { villageList[$0] }
        villageNameScalars = villages.map { Array($0.name.unicodeScalars) }
        villageStemScalars = villages.map { Array($0.stem.unicodeScalars) }
        villageByName = Dictionary(uniqueKeysWithValues: villages.enumerated().map { ($1.name, $0) })
        var byStem: [String: [Int]] = [:], byAlias: [String: [Int]] = [:]
        for (index, village) in villages.enumerated() {
            let stem = village.stem
            byStem[stem, default: []].append(index)
            if let alias = Self.alias(of: stem) { byAlias[alias, default: []].append(index) }
        }
        homesByText = byText
        villagesByStem = byStem
        villagesByAlias = byAlias
    }

    /// The matcher of a town's homes.
    public init(_ data: TownData) {
        self.init(homes: data.features, townName: data.town.name, otherTownNames: [data.town.latinName])
    }

    /// How many homes are indexed.
    public var homeCount: Int { homes.count }

    public func match(_ text: String) -> AddressMatch {
        let trimmedText = Self.trimmed(text)
        guard !trimmedText.isEmpty else { return .unmatched(.empty) }
        if let exact = homesByText[trimmedText] {
            return answer(exact.map { ($0, 1.0) }, method: .exact)
        }
        let address = normalizer.normalize(trimmedText)
        if let town = address.otherTown { return .unmatched(.otherTown(town)) }
        guard let number = address.number else {
            return .unmatched(address.village.isEmpty ? .empty : .noHouseNumber)
        }
        guard !address.village.isEmpty else { return .unmatched(.noVillage) }
        let house = HouseNumber(number, address.subNumber, letter: address.letter)
        let alternative = address.staircase.map { HouseNumber(number, address.subNumber, letter: $0) }

        if let (found, confidence) = address.isStreetAddress ? streetsNamed(address) : villagesNamed(address) {
            let candidates = homes(numbered: house, or: alternative, in: found.map { ($0, confidence) })
            guard !candidates.isEmpty else {
                let names = found.map { villages[$0].name }.joined(separator: "/")
                return .unmatched(address.isStreetAddress ? .noSuchStreetNumber(street: names, number: house.description)
                                                          : .noSuchNumber(village: names, number: house.description))
            }
            return answer(candidates, method: .normalized)
        }

        let query = Array(address.village.unicodeScalars), queryStem = Array(address.stem.unicodeScalars)
        if address.isStreetAddress { return streetByEditDistance(query: query, stem: queryStem, address: address, house: house) }
        let similar = villages.indices
            .filter { !villages[$0].isStreet }
            .map { index in
                (index, max(EditDistance.similarity(queryStem, villageStemScalars[index]),
                            EditDistance.similarity(query, villageNameScalars[index])))
            }
            .filter { $0.1 >= Self.fuzzyThreshold }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : villages[$0.0].name < villages[$1.0].name }
        guard let best = similar.first else { return .unmatched(.unknownVillage(address.village)) }
        let candidates = homes(numbered: house, in: similar.map { ($0.0, min($0.1, 0.99)) })
        guard !candidates.isEmpty else {
            return .unmatched(.noSuchNumber(village: villages[best.0].name, number: house.description))
        }
        return answer(candidates, method: .fuzzy)
    }

    // MARK: Tiers

    /// The villages the address names without a typo, with the tier's confidence; nil when
    /// none does.
    private func villagesNamed(_ address: NormalizedAddress) -> ([Int], Double)? {
        if let village = villageByName[address.village] { return ([village], 1) }
        let keys = [address.village, address.stem]
        let byStem = Set(keys.flatMap { villagesByStem[$0] ?? [] })
        if !byStem.isEmpty { return (byStem.sorted(), 0.95) }
        var byAlias = Set(keys.flatMap { villagesByAlias[$0] ?? [] })
        for key in keys {
            if let alias = Self.alias(of: key) {
                byAlias.formUnion(villagesByStem[alias] ?? [])
                byAlias.formUnion(villagesByAlias[alias] ?? [])
            }
        }
        return byAlias.isEmpty ? nil : (byAlias.sorted(), 0.9)
    }

    /// The streets a street address names without a typo: by its name (types written one way,
    /// 1), or by its stem when one of the two names has no type ("Main" for "Main Street", 0.95).
    /// Two streets that differ in type ("Main Avenue", "Main Street") are different streets.
    private func streetsNamed(_ address: NormalizedAddress) -> ([Int], Double)? {
        if let street = villageByName[address.village] { return ([street], 1) }
        let queryHasType = address.village != address.stem
        let byStem = (villagesByStem[address.stem] ?? []).filter { index in
            villages[index].isStreet && (!queryHasType || villages[index].name == villages[index].stem)
        }
        return byStem.isEmpty ? nil : (byStem, 0.95)
    }

    /// The fuzzy tier for a street address: streets scored by the lesser of name and stem
    /// similarity; at ``streetFuzzyThreshold`` or above they may match, below it and at
    /// ``streetCandidateThreshold`` or above their homes with the number are only listed.
    private func streetByEditDistance(query: [Unicode.Scalar], stem: [Unicode.Scalar], address: NormalizedAddress,
                                      house: HouseNumber) -> AddressMatch {
        let scored = villages.indices
            .filter { villages[$0].isStreet }
            .map { index in
                (index, min(EditDistance.similarity(stem, villageStemScalars[index]),
                            EditDistance.similarity(query, villageNameScalars[index])))
            }
            .filter { $0.1 >= Self.streetCandidateThreshold }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : villages[$0.0].name < villages[$1.0].name }
        let alternative = address.staircase.map { HouseNumber(house.number, house.subNumber, letter: $0) }
        let close = scored.filter { $0.1 >= Self.streetFuzzyThreshold }
        if let best = close.first {
            let candidates = homes(numbered: house, or: alternative, in: close.map { ($0.0, min($0.1, 0.99)) })
            guard !candidates.isEmpty else {
                return .unmatched(.noSuchStreetNumber(street: villages[best.0].name, number: house.description))
            }
            return answer(candidates, method: .fuzzy)
        }
        let listed = homes(numbered: house, or: alternative, in: scored.map { ($0.0, $0.1) })
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            .prefix(Self.maxCandidates)
            .map { AddressCandidate(homeID: homes[$0.0].id, address: homes[$0.0].address, confidence: $0.1) }
        guard !listed.isEmpty else { return .unmatched(.unknownStreet(address.village)) }
        return .unmatched(.notSimilarEnough(street: address.village, threshold: Self.streetFuzzyThreshold, candidates: listed))
    }

    /// The homes with this number in these villages, each at its village's confidence: 0.9 of it
    /// when only a near form is on the map — the number without the sub-number or letter, or
    /// (`alternative`) the staircase read as the house's letter ("5 A 12" for the home "5 A").
    private func homes(numbered house: HouseNumber, or alternative: HouseNumber? = nil,
                       in villageConfidences: [(Int, Double)]) -> [(Int, Double)] {
        var found: [(Int, Double)] = []
        for (village, confidence) in villageConfidences {
            let byNumber = villages[village].homesByNumber
            if let exact = byNumber[house] {
                found += exact.map { ($0, confidence) }
            } else if let alternative, let near = byNumber[alternative] {
                found += near.map { ($0, confidence * 0.9) }
            } else if house.subNumber != nil || house.letter != nil, let main = byNumber[HouseNumber(house.number)] {
                found += main.map { ($0, confidence * 0.9) }
            }
        }
        return found
    }

    /// One home at the best confidence is a match; several are ambiguous.
    private func answer(_ found: [(home: Int, confidence: Double)], method: AddressMatchMethod) -> AddressMatch {
        let ranked = found.sorted { $0.confidence != $1.confidence ? $0.confidence > $1.confidence : $0.home < $1.home }
        let best = ranked[0]
        if ranked.count == 1 || ranked[1].confidence < best.confidence {
            return .matched(homeID: homes[best.home].id, method: method, confidence: best.confidence)
        }
        return .ambiguous(ranked.prefix(Self.maxCandidates).map {
            AddressCandidate(homeID: homes[$0.home].id, address: homes[$0.home].address, confidence: $0.confidence)
        })
    }

    /// A stem without its final 家 ("王家" → "王"), which ledgers often leave out (王庄 for 王家庄).
    private static func alias(of stem: String) -> String? {
        stem.count >= 2 && stem.hasSuffix("家") ? String(stem.dropLast()) : nil
    }

    private static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
