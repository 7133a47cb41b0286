import GeoJSON
import GridMapCore
import Testing

/// The matcher's tiers and answers on a hand-made town whose villages are chosen to collide.
@Suite("Address matching")
struct AddressMatcherTests {
    /// Homes at (village, number): 东河村 1–12, 东河庄 12 (a collision with 东河村 on the stem),
    /// 凤凰庄 1–3, 王家庄 5, 西河村 7-1.
    static let matcher: AddressMatcher = {
        var homes: [MapFeature] = []
        func add(_ village: String, _ number: String) {
            let id = "home-\(homes.count + 1)"
            homes.append(MapFeature(id: id, kind: .home, name: village + number + "号",
                                    geometry: .point(Position(x: 119.8, y: 35.9)),
                                    properties: ["address": .string("大村镇\(village)\(number)号")]))
        }
        for number in 1...12 { add("东河村", "\(number)") }
        add("东河庄", "12")
        for number in 1...3 { add("凤凰庄", "\(number)") }
        add("王家庄", "5")
        add("西河村", "7-1")
        homes.append(MapFeature(id: "well-1", kind: .well, name: "井", geometry: .point(Position(x: 119.8, y: 35.9)),
                                properties: ["address": "大村镇东河村1号"]))
        return AddressMatcher(homes: homes, townName: "大村镇")
    }()

    var matcher: AddressMatcher { Self.matcher }

    @Test("the map's own text matches exactly, and only homes are indexed")
    func exact() {
        #expect(matcher.match("大村镇东河村3号") == .matched(homeID: "home-3", method: .exact, confidence: 1))
        #expect(matcher.match("  大村镇东河村1号 ") == .matched(homeID: "home-1", method: .exact, confidence: 1))
        #expect(matcher.homeCount == 18)
    }

    @Test("a variant spelling matches through the normalised key")
    func normalized() {
        #expect(matcher.match("东河村三号") == .matched(homeID: "home-3", method: .normalized, confidence: 1))
        #expect(matcher.match("山东省青岛市黄岛区大村镇东河村１２号") == .matched(homeID: "home-12", method: .normalized, confidence: 1))
        #expect(matcher.match("东河庄12#") == .matched(homeID: "home-13", method: .normalized, confidence: 1))
        #expect(matcher.match("凤凰村2号") == .matched(homeID: "home-15", method: .normalized, confidence: 0.95))
        #expect(matcher.match("王庄5号") == .matched(homeID: "home-17", method: .normalized, confidence: 0.9))
        #expect(matcher.match("西河村7之1") == .matched(homeID: "home-18", method: .normalized, confidence: 1))
    }

    @Test("when only one of two colliding villages has the number, that home is the match")
    func collisionResolvedByNumber() {
        #expect(matcher.match("东河5号") == .matched(homeID: "home-5", method: .normalized, confidence: 0.95))
    }

    @Test("a sub-number the map lacks falls back to the house number with less confidence")
    func subNumberFallback() {
        guard case .matched("home-4", .normalized, let confidence) = matcher.match("东河村4-2号") else {
            Issue.record("expected home-4")
            return
        }
        #expect(confidence < 1)
    }

    @Test("a typo in the village name matches by edit distance with confidence below 1")
    func fuzzy() {
        guard case .matched("home-16", .fuzzy, let confidence) = matcher.match("凤皇庄3号") else {
            Issue.record("expected a fuzzy match to home-16, got \(matcher.match("凤皇庄3号"))")
            return
        }
        #expect(confidence < 1 && confidence >= AddressMatcher.fuzzyThreshold)
        #expect(matcher.match("河东村2号").homeID == "home-2")  // swapped characters
    }

    @Test("an address two villages share is ambiguous, with both candidates in id order")
    func ambiguous() {
        #expect(matcher.match("东河12号") == .ambiguous([
            AddressCandidate(homeID: "home-12", address: "大村镇东河村12号", confidence: 0.95),
            AddressCandidate(homeID: "home-13", address: "大村镇东河庄12号", confidence: 0.95),
        ]))
        #expect(matcher.match("东河屯12号") == matcher.match("东河12号"))
    }

    @Test("an unmatched address says why", arguments: [
        ("", AddressUnmatchedReason.empty),
        ("东河村", .noHouseNumber),
        ("大村镇12号", .noVillage),
        ("青石村12号", .unknownVillage("青石村")),
        ("东河村999号", .noSuchNumber(village: "东河村", number: "999")),
        ("凤凰庄九号", .noSuchNumber(village: "凤凰庄", number: "9")),
    ])
    func unmatched(text: String, reason: AddressUnmatchedReason) {
        #expect(matcher.match(text) == .unmatched(reason))
    }

    @Test("the reasons read as sentences")
    func reasonText() {
        #expect(AddressUnmatchedReason.unknownVillage("东河").description == "no village like 东河 in this town")
        #expect(AddressUnmatchedReason.noSuchNumber(village: "东河村", number: "999").description
            == "village 东河村 has no house number 999")
        #expect(AddressUnmatchedReason.noHouseNumber.description == "no house number in the address")
    }
}
