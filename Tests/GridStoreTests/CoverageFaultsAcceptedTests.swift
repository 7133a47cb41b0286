import Foundation
import GridMapCore
import Testing
@testable import GridStore

/// Coverage faults an import was allowed to keep are stored with that import, on every store,
/// and go when a clean import replaces the town (issue #15, item 1).
@Suite("Coverage faults accepted at import")
struct CoverageFaultsAcceptedTests {
    static let faults = [
        AcceptedCoverageFault(kind: "gap", severity: "error", codes: ["TS-001", "TS-002"], featureID: nil, areaSquareMetres: 152.25,
                              longitude: 119.8012345, latitude: 35.9012345, message: "land of grid TS-001 in no micro-grid"),
        AcceptedCoverageFault(kind: "feature-outside-micro-grids", severity: "error", codes: [], featureID: "home-1",
                              areaSquareMetres: 0, longitude: 119.8, latitude: 35.9, message: "home home-1 lies in no micro-grid"),
    ]

    @Test("the faults come back as stored, with the import's summary counting them", arguments: StoreKind.allCases)
    func stored(_ kind: StoreKind) throws {
        let store = try kind.make()
        #expect(try store.acceptedCoverageFaults().isEmpty)
        let summary = try store.importTown(SyntheticTown.data, source: "faulty", acceptedCoverageFaults: Self.faults)
        #expect(summary.coverageFaultsAccepted == 2)
        #expect(try store.acceptedCoverageFaults() == Self.faults)
        #expect(Self.faults[0].description == "gap TS-001 × TS-002: land of grid TS-001 in no micro-grid")
    }

    @Test("a clean import leaves no accepted fault; a rejected one keeps the last import's", arguments: StoreKind.allCases)
    func replaced(_ kind: StoreKind) throws {
        let store = try kind.make()
        try store.importTown(SyntheticTown.data, source: "faulty", acceptedCoverageFaults: Self.faults)
        var broken = SyntheticTown.data
        broken.residents[0].homeID = "home-nowhere"
        _ = rejection(importing: broken, into: store)
        #expect(try store.acceptedCoverageFaults() == Self.faults)
        try store.importTown(SyntheticTown.data, source: "clean")
        #expect(try store.acceptedCoverageFaults().isEmpty)
    }

    @Test("the faults live in the v2 migration's table, keyed by the import's log line")
    func schema() throws {
        try SyntheticTown.withTemporaryStore { store in
            #expect(StoreSchema.migrator.migrations.contains("v2: coverage faults accepted at import"))
            try store.importTown(SyntheticTown.data, source: "first", acceptedCoverageFaults: Self.faults)
            try store.importTown(SyntheticTown.data, source: "second", acceptedCoverageFaults: [Self.faults[1]])
            let rows = try store.renderedRows(of: "coverage_faults_accepted")
            #expect(rows.map { $0.split(separator: " | ").prefix(3).joined(separator: " ") }
                    == [#"1 0 "gap""#, #"1 1 "feature-outside-micro-grids""#, #"2 0 "feature-outside-micro-grids""#], "\(rows)")
            #expect(try store.acceptedCoverageFaults() == [Self.faults[1]])
        }
    }
}
