import GridMapCore
import Testing

/// The spellings a ledger uses for one address all come out as the same key.
@Suite("Address normalisation")
struct AddressNormalizerTests {
    let normalizer = AddressNormalizer(townName: "大村镇")

    func key(_ text: String) -> AddressKey? { normalizer.normalize(text).key }

    @Test("each variant of the issue gives the key 东河/12", arguments: [
        "大村镇东河村12号", "东河村十二号", "东河12#", "东河村１２号", "山东省青岛市黄岛区大村镇东河庄12号",
        "大村东河村12号", "青岛市西海岸新区大村镇东河村12号", "东河村 12 号", " 东河村，12号。", "东河村12號",
        "东河村门牌12号", "东河村门牌号12", "东河屯12", "东河村三组12号", "东河村一二号", "（东河村）12号",
    ])
    func variants(text: String) {
        #expect(key(text) == AddressKey(stem: "东河", number: 12), "\(text) → \(String(describing: key(text)))")
    }

    @Test("Chinese numerals are read positionally or digit by digit")
    func chineseNumerals() {
        #expect(key("东河村一百零五号")?.number == 105)
        #expect(key("东河村二十号")?.number == 20)
        #expect(key("东河村两号")?.number == 2)
        #expect(key("东河村十号")?.number == 10)
        #expect(key("东河村一百一十号")?.number == 110)
        #expect(key("东河村三百号")?.number == 300)
    }

    @Test("a sub-number after -, 之 or 号 is kept apart from the house number", arguments: [
        "东河村12-1号", "东河村12号之1", "东河村12之一", "东河村１２－１", "东河村12号-1", "东河村十二号之一",
    ])
    func subNumbers(text: String) {
        #expect(key(text) == AddressKey(stem: "东河", number: 12, subNumber: 1), "\(text)")
    }

    @Test("the village keeps its written name and its stem drops one settlement suffix")
    func villageAndStem() {
        let address = normalizer.normalize("山东省青岛市黄岛区东河庄12号")
        #expect(address.village == "东河庄")
        #expect(address.stem == "东河")
        #expect(AddressNormalizer.stem(ofVillage: "官庄庄") == "官庄")
        #expect(AddressNormalizer.stem(ofVillage: "王家") == "王家")
        #expect(AddressNormalizer.stem(ofVillage: "村") == "村")
    }

    @Test("an address without a number or without a village has no key")
    func missingParts() {
        #expect(normalizer.normalize("东河村").number == nil)
        #expect(normalizer.normalize("东河村").village == "东河村")
        #expect(normalizer.normalize("12号").village.isEmpty)
        #expect(normalizer.normalize("12号").key == nil)
        #expect(normalizer.normalize("").key == nil)
    }

    @Test("a village whose name holds a numeral keeps it")
    func numeralInVillage() {
        #expect(key("三里村十二号") == AddressKey(stem: "三里", number: 12))
        #expect(key("大村镇石龙村1号") == AddressKey(stem: "石龙", number: 1))
    }
}
