import Foundation
import GridMapCore
import Testing

/// The matcher on the bundled town's 20,000 homes, read as a user's import reads them.
@Suite("Address matching on the bundled Dacun town")
struct AddressBundledTownTests {
    static let matcher: AddressMatcher? = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../geodata/dacun").standardized
        return (try? TownFolder.read(from: folder)).map { AddressMatcher($0) }
    }()

    @Test("every home's own address matches that home exactly")
    func everyHomeMatchesItself() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../geodata/dacun").standardized
        let town = try TownFolder.read(from: folder)
        let matcher = try #require(Self.matcher)
        var homes = 0, wrong: [String] = []
        for feature in town.features where feature.kind == .home {
            homes += 1
            let address = try #require(feature.properties["address"]?.stringValue)
            if matcher.match(address) != .matched(homeID: feature.id, method: .exact, confidence: 1) {
                wrong.append(feature.id)
            }
        }
        #expect(homes == 20_000)
        #expect(wrong.isEmpty, "\(wrong.prefix(10))")
    }

    @Test("rewritten variants of real addresses find the right home", arguments: [
        ("石龙村十二号", "home-00012"), ("山东省青岛市黄岛区大村镇石龙庄１２号", "home-00012"), ("石龙12#", "home-00012"),
        ("大村 石龙村 一号", "home-00001"), ("石龙村5-1号", "home-00005"),
    ])
    func variants(text: String, home: String) throws {
        let matcher = try #require(Self.matcher)
        #expect(matcher.match(text).homeID == home, "\(text): \(matcher.match(text))")
    }

    @Test("an address in another town is outside this one, even when the village's name is one of ours", arguments: [
        ("六汪镇石龙村12号", "六汪镇"), ("山东省青岛市黄岛区宝山镇石龙村1号", "宝山镇"), ("铁山街道石龙村3号", "铁山街道"),
    ])
    func otherTown(text: String, town: String) throws {
        let matcher = try #require(Self.matcher)
        #expect(matcher.match(text) == .unmatched(.otherTown(town)))
        // This town's own name, spelt as a township, is still this town.
        #expect(matcher.match("大村乡石龙村12号").homeID == "home-00012")
    }

    @Test("a typo in a three-character village name still finds the home")
    func typo() throws {
        let matcher = try #require(Self.matcher)
        // 官庄庄 → "官庄村" shares the stem 官庄; "宫庄庄" is one character off 官庄庄 and 宫家庄 alike.
        #expect(matcher.match("官庄村1号").homeID == matcher.match("大村镇官庄庄1号").homeID)
        if case .matched = matcher.match("宫庄庄1号") { Issue.record("宫庄庄 should not be sure") }
    }
}
