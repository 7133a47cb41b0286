import Foundation

/// Reads a street address written in Latin script — the forms of Europe and the Americas — into a
/// ``NormalizedAddress`` whose "village" is the street:
///
/// | written                        | street        | number | letter | staircase | apartment | postcode, city  |
/// |--------------------------------|---------------|--------|--------|-----------|-----------|-----------------|
/// | `Streetname 33 B`, `Streetname 33b` | streetname | 33   | b      |           |           |                 |
/// | `Streetname 5 A 12`            | streetname    | 5      |        | a         | 12        |                 |
/// | `8 Streetname`, `8b Streetname`| streetname    | 8      | (b)    |           |           |                 |
/// | `Streetname 8, 00100 City`     | streetname    | 8      |        |           |           | 00100, city     |
/// | `Calle Madero #8`, `No. 8`     | calle madero  | 8      |        |           |           |                 |
///
/// The rules: text is folded (NFKC, lower case, accents dropped, ß → ss) and split at commas;
/// the first part with a word and a number is the street part, the others are postcode and city.
/// In the street part a number first is the house number ("8 Streetname"); otherwise the first
/// number after the street's words is. After the number, one letter is the house's letter
/// ("33 B", "8b"), unless a number follows it: then the letter is the staircase and the number the
/// apartment ("5 A 12"). What follows, and the parts after the street's, say where the address
/// is (``place(_:in:)``): the town's own name is dropped, another town's makes the address
/// outside (``NormalizedAddress/otherTown``).
///
/// Street-type words are written one way (st → street, ave → avenue, str → strasse…), so that
/// "Main St" and "Main Street" are one street; the stem is the street without its type
/// ("main"), and also without a type joined to the name ("berg" for "bergstrasse",
/// "hämeen" for "hämeentie"), for the fuzzy tier to compare what tells streets apart.
struct StreetAddressParser: Sendable {
    /// The town's names, folded: any of them as a city is this town.
    let townNames: Set<String>

    init(townNames: [String]) {
        self.townNames = Set(townNames.map(Self.fold).filter { !$0.isEmpty })
    }

    /// Whether `text` is written in Latin script: letters, and no Chinese character.
    static func isLatin(_ text: String) -> Bool {
        var letters = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isIdeographic { return false }
            if scalar.properties.isAlphabetic { letters = true }
        }
        return letters
    }

    /// Lower case, accents dropped, ß as ss, NFKC: one spelling per letter.
    static func fold(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping
            .replacingOccurrences(of: "ß", with: "ss")
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
    }

    func parse(_ text: String) -> NormalizedAddress {
        let parts = Self.fold(text).split(separator: ",").map { Self.tokens(of: String($0)) }.filter { !$0.isEmpty }
        guard let streetIndex = parts.firstIndex(where: { tokens in
            tokens.contains { Int($0) != nil } && tokens.contains { Int($0) == nil }
        }) ?? parts.indices.first else {
            return Self.make(words: [], number: nil)
        }
        var (address, trailing) = street(parts[streetIndex])
        var places: [ArraySlice<String>] = []
        for (index, part) in parts.enumerated() {
            if index == streetIndex {
                if !trailing.isEmpty { places.append(trailing) }
            } else if index > streetIndex {
                places.append(part[...])
            }
        }
        place(places, in: &address)
        return address
    }

    /// Where the address says it is, from the parts after the street: a postcode, and the words
    /// after it (a city, as Europe and Latin America write "00100 Helsinki"; words before it are a
    /// state, as "CA 94607"), or a part of words alone. The address is this town's when any
    /// city or part is one of its names; otherwise another town's when a postcode names a city,
    /// else when the last part of words does ("Main Street 12, Espoo"), states (two letters) and
    /// countries aside. Parts before the street, and neighbourhoods before the city, are ignored.
    private func place(_ places: [ArraySlice<String>], in address: inout NormalizedAddress) {
        var postcodeCity: String?
        var lastWords: String?
        var namesTown = false
        for tokens in places {
            if let index = tokens.firstIndex(where: Self.isPostcode) {
                address.postcode = address.postcode ?? tokens[index]
                let city = tokens[(index + 1)...].filter { !Self.isPostcode($0) }.joined(separator: " ")
                if !city.isEmpty {
                    if townNames.contains(city) { namesTown = true } else { postcodeCity = postcodeCity ?? city }
                }
            } else {
                let words = tokens.joined(separator: " ")
                if townNames.contains(words) {
                    namesTown = true
                } else if !(tokens.count == 1 && words.count <= 3), !Self.countries.contains(words) {
                    lastWords = words
                }
            }
        }
        guard !namesTown else { return }
        address.otherTown = postcodeCity ?? lastWords
    }

    private static func isPostcode(_ token: String) -> Bool { token.count >= 4 && token.allSatisfy(\.isNumber) }

    /// Country names a ledger may end an address with; they name no town.
    static let countries: Set<String> = [
        "usa", "united states", "united states of america", "mexico", "estados unidos mexicanos", "canada",
        "finland", "suomi", "sweden", "sverige", "norway", "norge", "denmark", "danmark", "germany", "deutschland",
        "austria", "osterreich", "switzerland", "schweiz", "france", "spain", "espana", "italy", "italia",
        "portugal", "brasil", "brazil", "argentina", "chile", "colombia", "peru", "united kingdom", "netherlands",
        "nederland", "belgium", "belgique", "poland", "polska",
    ]

    /// The street part: street words, the number before or after them, letter, staircase and
    /// apartment; and the tokens after them (a postcode or city written without a comma).
    private func street(_ tokens: [String]) -> (NormalizedAddress, ArraySlice<String>) {
        // House-number candidates: numbers of up to five digits after the first token (US and
        // Mexican house numbers reach 12345; a postcode after a house number is not chosen below).
        let candidates = tokens.indices.dropFirst().filter { tokens[$0].count <= 5 && Int(tokens[$0]) != nil }
        if let first = tokens.first, let value = Int(first), first.count <= 5, candidates.isEmpty {
            var words = tokens.dropFirst()
            var letter: String?
            if let next = words.first, Self.isLetter(next), words.count > 1 {
                letter = next
                words = words.dropFirst()
            }
            var address = Self.make(words: Array(words.prefix { !Self.isPostcode($0) }), number: value)
            address.letter = letter
            return (address, words.drop { !Self.isPostcode($0) })
        }
        // The first candidate that ends the street part or is followed by a letter or a number;
        // else the last ("Calle 5 de Mayo 120": 5 is part of the name).
        let chosen = candidates.first { index in
            index + 1 == tokens.count || Self.isLetter(tokens[index + 1]) || Int(tokens[index + 1]) != nil
        } ?? candidates.last
        var words = tokens
        var number: Int?
        var rest: ArraySlice<String> = []
        if let chosen {
            words = Array(tokens[..<chosen])
            number = Int(tokens[chosen])
            rest = tokens[(chosen + 1)...]
        }
        var address = Self.make(words: words, number: number)
        if let first = rest.first, Self.isLetter(first) {
            rest = rest.dropFirst()
            if let next = rest.first, next.count < 4, let apartment = Int(next) {
                address.staircase = first
                address.apartment = apartment
                rest = rest.dropFirst()
            } else {
                address.letter = first
            }
        } else if let first = rest.first, first.count < 4, let apartment = Int(first) {
            address.apartment = apartment
            rest = rest.dropFirst()
        }
        return (address, rest)
    }

    private static func make(words: [String], number: Int?) -> NormalizedAddress {
        let words = words.filter { !numberMarks.contains($0) }.map { word in
            // "Bergstr." is Bergstrasse: the abbreviation joined to the name, as German writes it.
            typeSpellings[word] ?? (word.count > 4 && word.hasSuffix("str") ? word + "asse" : word)
        }
        let street = words.joined(separator: " ")
        var address = NormalizedAddress(village: street, stem: stem(of: words), number: number, subNumber: nil)
        address.isStreetAddress = true
        return address
    }

    /// The street without its type words, nor a type joined to its end when a name is left.
    static func stem(of words: [String]) -> String {
        var kept = words.filter { !streetTypes.contains($0) }
        if kept.isEmpty { kept = words }
        if let last = kept.last, let suffix = joinedTypes.first(where: { last.hasSuffix($0) && last.count - $0.count >= 3 }) {
            kept[kept.count - 1] = String(last.dropLast(suffix.count))
        }
        return kept.joined(separator: " ")
    }

    /// Words and numbers: punctuation is a separator, except "-" and "/" inside a postcode such
    /// as 00-950; "8b" and "33B" are split into number and letter.
    static func tokens(of part: String) -> [String] {
        var tokens: [String] = []
        for raw in part.split(whereSeparator: { $0.isWhitespace || ($0.isPunctuation && $0 != "-" && $0 != "'") || $0.isSymbol }) {
            var token = String(raw).trimmingCharacters(in: CharacterSet(charactersIn: "-'"))
            if token.allSatisfy({ $0.isNumber || $0 == "-" }), token.contains("-") { token.removeAll { $0 == "-" } }
            guard !token.isEmpty else { continue }
            let digits = token.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, digits.count < token.count, token.count - digits.count == 1, token.last?.isLetter == true {
                tokens.append(String(digits))
                tokens.append(String(token.dropFirst(digits.count)))
            } else {
                tokens.append(token)
            }
        }
        return tokens
    }

    private static func isLetter(_ token: String) -> Bool { token.count == 1 && token.first?.isLetter == true }

    /// Words that only say "number" before a house number.
    static let numberMarks: Set<String> = ["no", "nr", "num", "numero", "number", "nº", "no.", "#"]

    /// Abbreviations written out, so that each street type has one spelling.
    static let typeSpellings: [String: String] = [
        "st": "street", "str": "strasse", "ave": "avenue", "av": "avenida", "avda": "avenida", "rd": "road",
        "blvd": "boulevard", "dr": "drive", "ln": "lane", "pl": "place", "ct": "court", "hwy": "highway",
        "pkwy": "parkway", "sq": "square", "ter": "terrace", "cir": "circle", "cl": "calle", "gta": "gatan",
    ]

    /// Street types written as their own word (in the written-out spelling).
    static let streetTypes: Set<String> = [
        "street", "avenue", "road", "boulevard", "drive", "lane", "place", "court", "highway", "parkway", "square",
        "terrace", "circle", "way", "alley", "calle", "avenida", "calzada", "camino", "carrera", "paseo", "privada",
        "andador", "cerrada", "callejon", "rue", "chemin", "allee", "via", "viale", "piazza", "rua", "strasse",
        "weg", "platz", "gatan", "vagen", "gata", "vei", "veien", "gade", "vej", "katu", "tie", "kuja", "polku",
    ]

    /// Street types that languages join to the name ("bergstrasse", "hameentie", "storgatan").
    static let joinedTypes = ["strasse", "gasse", "weg", "platz", "allee", "gatan", "vagen", "gata", "veien", "vei",
                              "gade", "vej", "katu", "tie", "kuja", "polku", "straat", "laan"]
}
