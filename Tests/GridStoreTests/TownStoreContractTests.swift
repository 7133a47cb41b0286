import Foundation
import GeoJSON
import GridMapCore
import Testing
@testable import GridStore

/// What every ``TownStore`` promises, run against each implementation (``StoreKind``): import,
/// replace and rejection here; reads, masking and layers in the extensions beside this file;
/// and one test that the stores answer alike on the whole bundled town.
@Suite("The TownStore contract, on every store")
struct TownStoreContractTests {
    static func code(_ text: String) -> GridCode { GridCode(text)! }

    // MARK: Import, replace, reject

    @Test("an empty store holds no town, counts nothing and knows no area", arguments: StoreKind.allCases)
    func emptyStore(_ kind: StoreKind) throws {
        let store = try kind.make()
        #expect(try store.loadTown() == nil)
        #expect(try store.town() == nil)
        #expect(try store.grids().isEmpty && store.villages().isEmpty && store.microGrids(of: nil).isEmpty)
        #expect(try store.team(of: nil).isEmpty)
        #expect(try store.info() == StoreInfo(imports: 0, lastImport: nil))
        #expect(try !store.info().hasTown)
        #expect(try store.summary() == TownSummary(townCode: "", villages: 0, grids: 0, microGrids: 0, featuresByKind: [:],
                                                   residents: 0, residentsByCategory: [:], teamMembers: 0, byGrid: [:]))
        #expect(try store.layers() == [.town, .villages, .grids, .microGrids, .residents, .team])
        #expect(try store.features(of: .home).isEmpty && store.residents().isEmpty)
        #expect(throws: StoreError.notFound("grid TS-001")) { try store.features(of: .home, in: .grid(Self.code("TS-001"))) }
        #expect(throws: StoreError.notFound("micro-grid TS-001-1")) {
            try store.residentCount(in: .microGrid(Self.code("TS-001-1")), categories: [])
        }
    }

    @Test("importing then loading gives back exactly the data imported", arguments: StoreKind.allCases)
    func importThenLoad(_ kind: StoreKind) throws {
        let store = try kind.make()
        let data = SyntheticTown.data
        let summary = try store.importTown(data, source: "synthetic")
        #expect(summary == ImportSummary(villages: 2, grids: 4, microGrids: 8, features: 9, residents: 5,
                                         teamMembers: 4, featuresOutsideMicroGrids: 1))
        let loaded = try #require(try store.loadTown())
        #expect(loaded == data)
        // The spots most likely to drift, checked one by one so a failure says which.
        let road = try #require(loaded.features.first { $0.id == "road-1" })
        #expect(road.properties == data.features.first { $0.id == "road-1" }!.properties)
        #expect(road.properties["lanes"] == .number(JSONNumber(text: "2.0")!))
        #expect(loaded.residents[0].categories == [.partyMember, .veteran])
        #expect(try store.town() == data.town)
        #expect(try store.villages() == data.villages)
    }

    @Test("a partial load leaves out exactly the parts not asked for", arguments: StoreKind.allCases)
    func partialLoad(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        var expected = SyntheticTown.data
        expected.residents = []
        #expect(try store.loadTown(.features) == expected)
        expected.features = []
        #expect(try store.loadTown([]) == expected)
        expected.residents = SyntheticTown.data.residents
        #expect(try store.loadTown(.residents) == expected)
    }

    @Test("the import log says that a town was imported, from where, when and which", arguments: StoreKind.allCases)
    func importLog(_ kind: StoreKind) throws {
        let store = try kind.make()
        // The log keeps whole seconds: the time lies between the second before and the one after.
        let before = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        try store.importTown(SyntheticTown.data, source: "first")
        try store.importTown(SyntheticTown.data, source: "second")
        let after = Date()
        let info = try store.info()
        #expect(info.imports == 2)
        #expect(info.hasTown)
        let last = try #require(info.lastImport)
        #expect(last.source == "second")
        #expect(last.townCode == "TS")
        #expect(last.importedAt >= before && last.importedAt <= after)
    }

    @Test("re-importing the same data leaves the same town and counts", arguments: StoreKind.allCases)
    func reimport(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        let summary = try store.summary()
        try store.importTown(SyntheticTown.data, source: "again")
        #expect(try store.loadTown() == SyntheticTown.data)
        #expect(try store.summary() == summary)
    }

    @Test("a new import replaces the previous town entirely", arguments: StoreKind.allCases)
    func importReplaces(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        var smaller = SyntheticTown.data
        smaller.residents.removeAll { $0.id == "R-4" }
        smaller.features.removeAll { $0.id == "home-5" || $0.kind == .road }
        try store.importTown(smaller, source: "smaller")
        #expect(try store.loadTown() == smaller)
        #expect(try store.features(of: .road).isEmpty)
        #expect(try !store.layers().contains(.features(.road)))
        #expect(try store.residentCount(in: nil, categories: []) == 4)
    }

    @Test("a rejected import changes nothing: town, counts and log stay as they were", arguments: StoreKind.allCases)
    func rejectedImportChangesNothing(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        let (town, summary, info) = (try store.loadTown(), try store.summary(), try store.info())
        var broken = SyntheticTown.data
        broken.features.removeAll { $0.kind == .road }
        broken.residents[0].homeID = "home-99"
        let error = try #require(rejection(importing: broken, into: store))
        #expect(error.problems.map { "\($0.layer)[\($0.index ?? -1)] \($0.id ?? "")" } == ["residents[0] R-1"])
        #expect(try store.loadTown() == town)
        #expect(try store.summary() == summary)
        #expect(try store.info() == info)
    }

    @Test("a first import that is rejected leaves the store empty", arguments: StoreKind.allCases)
    func rejectedFirstImport(_ kind: StoreKind) throws {
        let store = try kind.make()
        var broken = SyntheticTown.data
        broken.town.workingCRS = "EPSG:4326"
        #expect(rejection(importing: broken, into: store) != nil)
        #expect(try store.loadTown() == nil)
        #expect(try store.info().imports == 0)
    }

    @Test("both stores reject bad data with the same problems, in the same order")
    func sameProblems() throws {
        let problems = try StoreKind.allCases.map { kind in
            rejection(importing: ImportValidationTests.brokenData, into: try kind.make())?.problems ?? []
        }
        #expect(problems[0].count == 14)
        #expect(problems.allSatisfy { $0 == problems[0] })
    }

    @Test("reads during imports see one whole town or the other, never a mixture", arguments: StoreKind.allCases)
    func readsSeeWholeImports(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        var smaller = SyntheticTown.data
        smaller.features.removeAll { $0.kind == .road }
        smaller.residents.removeAll { $0.id == "R-4" }
        let towns = [SyntheticTown.data, smaller]
        let seen = try (0..<16).concurrentMap { index -> TownData? in
            if index.isMultiple(of: 2) {
                try store.importTown(towns[index / 2 % 2], source: "import \(index)")
                return nil
            }
            return try store.loadTown()
        }
        #expect(seen.compactMap { $0 }.count == 8)
        #expect(seen.compactMap { $0 }.allSatisfy(towns.contains))
        #expect(try store.info().imports == 9)
    }

    // MARK: Paging

    @Test("pages are windows on the ordered results: together they are the whole, in order", arguments: StoreKind.allCases)
    func paging(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        let grid = AreaFilter.grid(Self.code("TS-001"))
        for area in [nil, grid] {
            let homes = try store.features(of: .home, in: area).map(\.id)
            let residents = try store.residents(in: area).map(\.id)
            for size in 1...3 {
                var pagedHomes: [String] = [], pagedResidents: [String] = []
                for offset in stride(from: 0, to: 6, by: size) {
                    let page = ResultPage(offset: offset, limit: size)
                    pagedHomes += try store.features(of: .home, in: area, page: page).map(\.id)
                    pagedResidents += try store.residents(in: area, page: page).map(\.id)
                }
                #expect(pagedHomes == homes, "homes in pages of \(size), \(area?.description ?? "town")")
                #expect(pagedResidents == residents, "residents in pages of \(size), \(area?.description ?? "town")")
            }
        }
        #expect(try store.features(of: .home, page: ResultPage(offset: 1, limit: 2)).map(\.id) == ["home-2", "home-3"])
        #expect(try store.features(of: .home, page: ResultPage(offset: 4)).map(\.id) == ["home-5"])
        #expect(try store.features(of: .home, page: ResultPage(offset: 9, limit: 2)).isEmpty)
        #expect(try store.residents(page: ResultPage(limit: 0)).isEmpty)
        // A road crosses TS-001 by geometry: the page counts only what passed the exact test.
        #expect(try store.features(of: .road, in: grid, page: ResultPage(offset: 0, limit: 1)).map(\.id) == ["road-1"])
        #expect(try store.features(of: .road, in: .grid(Self.code("TS-003")), page: ResultPage(limit: 1)).isEmpty)
    }
}

extension Range<Int> {
    /// `transform` of each element, run on all cores; the results in the range's order.
    func concurrentMap<T: Sendable>(_ transform: @Sendable (Int) throws -> T) throws -> [T] {
        let results = Slots<Result<T, any Error>>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { offset in
            results[offset] = Result { try transform(lowerBound + offset) }
        }
        return try results.values.map { try $0.get() }
    }
}

/// One slot per task of a concurrent loop, each written once.
private final class Slots<Value: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: `slots` is read and written only under `lock`.
    private let lock = NSLock()
    private var slots: [Value?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    subscript(index: Int) -> Value? {
        get { lock.lock(); defer { lock.unlock() }; return slots[index] }
        set { lock.lock(); defer { lock.unlock() }; slots[index] = newValue }
    }

    /// The filled slots, in order.
    var values: [Value] { lock.lock(); defer { lock.unlock() }; return slots.compactMap { $0 } }
}
