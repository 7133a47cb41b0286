import GridMapCore
import Testing

@Suite("Feature kinds and resident categories")
struct FeatureKindTests {
    @Test("every built-in kind's layer name leads back to the kind")
    func layerNamesRoundTrip() {
        for kind in FeatureKind.builtIn {
            #expect(FeatureKind(layerName: kind.layerName) == kind)
        }
        #expect(FeatureKind.ditch.layerName == "ditches")
        #expect(FeatureKind.home.layerName == "homes")
    }

    @Test("a user-defined kind is accepted in kebab case and gets a plural layer name")
    func userDefinedKinds() throws {
        let pond = try #require(FeatureKind(rawValue: "fish-pond"))
        #expect(pond.layerName == "fish-ponds")
        #expect(FeatureKind(layerName: "fish-ponds") == pond)
    }

    @Test("names that would not survive as file names or CLI arguments are rejected", arguments: ["", "Fish", "fish pond", "1st", "鱼塘", "-pond"])
    func badNamesAreRejected(name: String) {
        #expect(FeatureKind(rawValue: name) == nil)
        #expect(ResidentCategory(rawValue: name) == nil)
    }

    @Test("a resident's categories are kept sorted without duplicates")
    func residentCategoriesAreNormalised() {
        let resident = Resident(id: "R-1", name: "张三", homeID: "home-1", categories: [.veteran, .disabled, .veteran])
        #expect(resident.categories == [.disabled, .veteran])
    }
}
