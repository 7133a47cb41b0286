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
