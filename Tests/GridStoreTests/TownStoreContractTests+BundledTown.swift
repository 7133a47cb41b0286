import Foundation
import GeoJSON
import GridMapCore
import Testing
@testable import GridStore

/// The differential check: the bundled town (geodata/dacun, 21,000 features, 56,000 residents)
/// imported into every store, and every answer compared with the SQLite store's.
extension TownStoreContractTests {
    static let bundledTown = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../geodata/dacun").standardized

    @Test("every store gives the SQLite store's answers on the whole bundled town")
    func bundledTownAnswersAlike() throws {
        let data = try TownFolder.read(from: Self.bundledTown)
        let stores = try StoreKind.allCases.map { kind in
            let store = try kind.make()
            try store.importTown(data, source: Self.bundledTown.path)
            return (kind, store)
        }
        let reference = try #require(stores.first { $0.0 == .sqlite }?.1)
        let grids = try reference.grids()
        #expect(grids.count > 100)
        let microGrids = try reference.microGrids(of: nil)
        // Areas across the town: the first, a middle and the last grid, and two micro-grids.
        let areas: [AreaFilter] = [grids[0], grids[grids.count / 2], grids[grids.count - 1]].map { .grid($0.code) }
            + [microGrids[0], microGrids[microGrids.count / 2]].map { .microGrid($0.code) }
        let kinds = try reference.featureKinds()
        #expect(kinds.count > 10)
        let categories = Set(ResidentCategory.builtIn.prefix(2))
        // The bare read (nearest's) is the full read without properties, on every store.
        for (kind, store) in stores {
            for featureKind in kinds {
                #expect(try store.bareFeatures(of: featureKind) == Self.bare(reference.features(of: featureKind)),
                        "\(kind): bare \(featureKind.layerName)")
            }
        }
        for (kind, store) in stores where kind != .sqlite {
            #expect(try store.loadTown() == reference.loadTown(), "\(kind)")
            #expect(try store.summary() == reference.summary(), "\(kind)")
            #expect(try store.homePlaces() == reference.homePlaces(), "\(kind): homes' places")
            #expect(try store.layers() == reference.layers(), "\(kind)")
            // Every layer as exported, everyone kept (who sees whom is the application's policy).
            for layer in try reference.layers() {
                #expect(try store.layerFeatures(layer, people: .everyone) == reference.layerFeatures(layer, people: .everyone),
                        "\(kind): layer \(layer)")
            }
            for area in areas {
                for featureKind in kinds {
                    let located = try store.locatedFeatures(of: featureKind, in: area, page: .all)
                    #expect(located == (try reference.locatedFeatures(of: featureKind, in: area, page: .all)),
                            "\(kind): \(featureKind.layerName) in \(area)")
                }
                #expect(try store.locatedResidents(in: area, categories: [], page: .all)
                        == reference.locatedResidents(in: area, categories: [], page: .all),
                        "\(kind): residents in \(area)")
                #expect(try store.residentCount(in: area, categories: categories)
                        == reference.residentCount(in: area, categories: categories), "\(kind): count in \(area)")
            }
        }
        // Not vacuous: the areas hold features of several kinds and residents.
        #expect(try areas.contains { try !reference.residents(in: $0).isEmpty })
        #expect(try areas.contains { area in try kinds.filter { try !reference.features(of: $0, in: area).isEmpty }.count > 3 })
    }
}
