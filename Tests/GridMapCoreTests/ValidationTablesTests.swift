@testable import GridMapCore
import GeoJSON
import Testing

/// The validator's packed tables (``FeatureIDIndex``, ``TownSources/PlaceList``) against the plain
/// dictionary and array they replace, on the same inputs.
@Suite("The validator's packed tables answer as a dictionary and an array of places would")
struct ValidationTablesTests {
    @Test("the id index finds the first feature of every id, duplicates included, and nothing for an absent id")
    func idIndexMatchesADictionary() {
        // 5,000 features over 3,000 ids: many ids used twice or more, in scattered order.
        let features = (0..<5_000).map { index in
            MapFeature(id: "well-\((index * 7_919) % 3_000)", kind: .well, name: "", geometry: .point(Position(x: 0, y: 0)))
        }
        var index = FeatureIDIndex(features)
        var first: [String: Int] = [:]
        for (number, feature) in features.enumerated() {
            #expect(index.firstIndex(of: feature.id) == first[feature.id])
            if first[feature.id] == nil {
                first[feature.id] = number
                index.insert(number)
            }
        }
        for id in first.keys { #expect(index.firstIndex(of: id) == first[id]) }
        #expect(index.firstIndex(of: "well-3000") == nil)
        #expect(index.firstIndex(of: "") == nil)
    }

    @Test("a place list gives back every place as appended, across files, and forgets a pass read again")
    func placeListRoundTrips() {
        typealias Place = TownSources.Place
        let places = [Place(file: "wells.geojson", featureIndex: 0), Place(file: "wells.geojson", featureIndex: 2),
                      Place(file: "residents.csv", line: 7), Place(file: "wells.geojson", featureIndex: 1_000_000),
                      Place(file: "town"), Place(file: "residents.csv", line: 2)]
        var list = TownSources.PlaceList(places)
        #expect(list.count == places.count)
        #expect(places.indices.map { list[$0] } == places)
        #expect(list.first == places.first)
        list.removeSubrange(2...)
        list.append(Place(file: "homes.csv", featureIndex: 3))
        #expect((0..<list.count).map { list[$0] } == Array(places[..<2]) + [Place(file: "homes.csv", featureIndex: 3)])
        #expect(TownSources.PlaceList().first == nil)
    }
}
