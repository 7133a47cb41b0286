import GeoJSON
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
        let ferry = try #require(FeatureKind(rawValue: "ferry"))
        #expect(ferry.layerName == "ferries" && FeatureKind(layerName: "ferries") == ferry)
        let bus = try #require(FeatureKind(rawValue: "bus-stop"))
        #expect(bus.layerName == "bus-stops" && FeatureKind(layerName: "bus-stops") == bus)
        let box = try #require(FeatureKind(rawValue: "letter-box"))
        #expect(box.layerName == "letter-boxes" && FeatureKind(layerName: "letter-boxes") == box)
    }

    @Test("layer names come from the kind catalogue, not from adding s; the old names are still read")
    func catalogueLayerNames() throws {
        for entry in KindCatalogue.entries {
            #expect(entry.kind.layerName == entry.layerName)
            #expect(FeatureKind(layerName: entry.layerName) == entry.kind)
            #expect(FeatureKind(rawValue: entry.kind.rawValue) == entry.kind, "a catalogue kind is a valid kind name")
        }
        let pharmacy = try #require(FeatureKind(rawValue: "pharmacy"))
        #expect(pharmacy.layerName == "pharmacies")
        #expect(FeatureKind(layerName: "pharmacys") == pharmacy, "what earlier GridMaps wrote")
        #expect(FeatureKind(rawValue: "place-of-worship")?.layerName == "places-of-worship")
        #expect(FeatureKind(layerName: "places-of-worship")?.rawValue == "place-of-worship")
        #expect(Set(KindCatalogue.entries.map(\.layerName)).count == KindCatalogue.entries.count, "no two kinds share a layer")
        #expect(FeatureKind(layerName: "village") == nil && FeatureKind(layerName: "") == nil)
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

@Suite("Documented properties of built-in kinds")
struct FeatureKindPropertyTests {
    @Test("a home with an address and a house number, and a road with a known class, break no rule")
    func wellFormedFeaturesPass() {
        #expect(FeatureKind.home.propertyProblems(in: ["address": "大村镇东河村12号", "houseNumber": 12]).isEmpty)
        #expect(FeatureKind.home.propertyProblems(in: ["address": "东河村12-1号", "houseNumber": "12-1"]).isEmpty)
        #expect(FeatureKind.road.propertyProblems(in: ["class": "track"]).isEmpty)
        for osm in ["residential", "footway", "motorway_link", "living_street", "steps"] {
            #expect(FeatureKind.road.propertyProblems(in: ["class": .string(osm)]).isEmpty, "OSM's \(osm)")
        }
        #expect(FeatureKind.home.propertyProblems(in: [:]).isEmpty, "a home without an address or number is located, not matched")
        #expect(FeatureKind.home.propertyProblems(in: ["houseNumber": "8b"]).isEmpty)
        #expect(FeatureKind.well.propertyProblems(in: [:]).isEmpty, "kinds without documented properties accept anything")
    }

    @Test("each broken rule names its property path and the value found")
    func brokenRulesAreNamed() {
        let home = FeatureKind.home.propertyProblems(in: ["address": "", "houseNumber": 0])
        #expect(home.map(\.path) == ["properties.address", "properties.houseNumber"])
        #expect(home[0].message == "\"address\" must be a non-empty string, found \"\"")
        #expect(home[1].message == "\"houseNumber\" must be a positive integer or a non-empty string, found 0")
        let road = FeatureKind.road.propertyProblems(in: [:])
        #expect(road.map(\.path) == ["properties.class"])
        #expect(road.first?.message.hasPrefix("missing required property \"class\" (one of county, village, track, motorway, ") == true)
        let unknown = FeatureKind.road.propertyProblems(in: ["class": "expressway"])
        #expect(unknown.first?.message.hasSuffix("corridor, found \"expressway\"") == true)
    }
}
