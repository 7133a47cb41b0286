import GeoJSON
import GridMapCore
import Testing
@testable import GridStore

/// The bare read that nearest queries use: the full read without properties.
extension TownStoreContractTests {
    /// `features` with their properties left out, as ``TownStore/bareFeatures(of:)`` gives them.
    static func bare(_ features: [MapFeature]) -> [MapFeature] {
        features.map {
            var feature = $0
            feature.properties = JSONObject()
            return feature
        }
    }

    @Test("bare features are the features of a kind in import order, without properties", arguments: StoreKind.allCases)
    func bareFeatures(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        for featureKind in try store.featureKinds() {
            let full = try store.features(of: featureKind)
            #expect(try store.bareFeatures(of: featureKind) == Self.bare(full), "\(featureKind)")
        }
        // Not vacuous: points, a polygon home and a line, some with properties.
        #expect(try store.bareFeatures(of: .well).map(\.id) == ["well-1", "well-2"])
        #expect(try store.features(of: .home).contains { !$0.properties.isEmpty })
        #expect(try store.bareFeatures(of: .home).allSatisfy { $0.properties.isEmpty })
        #expect(try store.bareFeatures(of: .ditch).isEmpty)
    }
}

/// The homes' places: where a home's residents are located, without its geometry.
extension TownStoreContractTests {
    @Test("every home's place is the micro-grid and point its residents are located at", arguments: StoreKind.allCases)
    func homePlacesPlaceResidents(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        let places = try store.homePlaces()
        let homes = try store.locatedFeatures(of: .home, in: nil, page: .all)
        #expect(Set(places.keys) == Set(homes.map(\.feature.id)))
        for home in homes { #expect(places[home.feature.id]?.microGrid == home.microGrid, "\(home.feature.id)") }
        let residents = try store.locatedResidents(in: nil, categories: [], page: .all)
        #expect(!residents.isEmpty)
        for row in residents {
            #expect(places[row.resident.homeID] == HomePlace(microGrid: row.microGrid, point: row.location), "\(row.resident.id)")
        }
        // Not vacuous: the synthetic town has a polygon home, placed at its representative point.
        #expect(homes.contains { if case .point = $0.feature.geometry { false } else { true } })
        #expect(places.values.allSatisfy { $0.point != nil })
    }
}
