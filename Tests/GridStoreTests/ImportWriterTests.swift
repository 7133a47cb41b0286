import Foundation
import GRDB
import GeoJSON
@testable import GridMapCore
import SeededRandom
import Testing
@testable import GridStore

@Suite("The import's write path: foreign keys, rebuilt indexes, raw binding, parallel checks")
struct ImportWriterTests {
    /// The schema's secondary indexes as SQLite holds them, name and SQL.
    static func indexes(of store: SQLiteTownStore) throws -> [String] {
        try store.database.read { db in
            try StoreSchema.secondaryIndexes(db).map { "\($0.name): \($0.sql)" }
        }
    }

    @Test("the secondary indexes an import drops and rebuilds are exactly the schema's, after success and after failure")
    func indexesSurvive() throws {
        try SyntheticTown.withTemporaryStore { store in
            let schema = try Self.indexes(of: store)
            #expect(schema.count == 7)
            try store.importTown(SyntheticTown.data, source: "good")
            #expect(try Self.indexes(of: store) == schema)
            var plan = try ImportPlanner.plan(SyntheticTown.data)
            plan.residents.append(Resident(id: "R-X", name: "无家", homeID: "home-nowhere"))
            #expect(throws: DatabaseError.self) { try store.write(plan, source: "sabotaged") }
            #expect(try Self.indexes(of: store) == schema)
            // The rebuilt indexes are used: a filtered read still finds the grid's residents.
            #expect(try store.residents(in: .grid(SyntheticTown.code("TS-001")), categories: []).count == 3)
        }
    }

    @Test("the import's larger page cache is given back: the writer's cache size is the same afterwards")
    func cacheSizeRestored() throws {
        try SyntheticTown.withTemporaryStore { store in
            let cacheSize = { try store.database.write { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") } }
            let before = try cacheSize()
            try store.importTown(SyntheticTown.data, source: "good")
            #expect(try cacheSize() == before)
            var plan = try ImportPlanner.plan(SyntheticTown.data)
            plan.residents.append(plan.residents[0])
            #expect(throws: DatabaseError.self) { try store.write(plan, source: "duplicate") }
            #expect(try cacheSize() == before)
        }
    }

    /// A plan that passed the planner, broken behind its back in one reference: SQLite's own
    /// foreign keys, still enforced on every row of the import, must refuse it.
    static let sabotages: [(name: String, breakPlan: @Sendable (inout ImportPlan) -> Void)] = [
        ("a micro-grid's grid", { $0.grids.removeAll { $0.grid.code == SyntheticTown.code("TS-004") } }),
        ("a feature's micro-grid", { plan in
            let code = try? plan.allFeatureRows().first { $0.microGrid != nil }?.microGrid
            plan.microGrids.removeAll { $0.microGrid.code == code }
        }),
        ("a resident's home", { $0.residents[0].homeID = "home-nowhere" }),
        ("a team member's grid", { $0.team[0].gridCode = SyntheticTown.code("TS-009") }),
        ("a grid's village", { $0.grids[0].grid.villageCode = "TS-V9" }),
    ]

    @Test("a reference broken inside the store is still refused by SQLite, and nothing changes",
          arguments: sabotages.indices)
    func foreignKeysStayEnforced(_ index: Int) throws {
        try SyntheticTown.withTemporaryStore { store in
            try store.importTown(SyntheticTown.data, source: "good")
            let before = try SyntheticTown.contents(of: store)
            var plan = try ImportPlanner.plan(SyntheticTown.data)
            Self.sabotages[index].breakPlan(&plan)
            let error = try #require(throws: DatabaseError.self, "\(Self.sabotages[index].name)") {
                try store.write(plan, source: "sabotaged")
            }
            #expect(error.resultCode == .SQLITE_CONSTRAINT)
            #expect(error.message == "FOREIGN KEY constraint failed")
            #expect(try SyntheticTown.contents(of: store) == before)
        }
    }

    @Test("a duplicate key behind the planner's back fails with SQLite's message and the statement's SQL")
    func duplicateKey() throws {
        let store = try SQLiteTownStore()
        var plan = try ImportPlanner.plan(SyntheticTown.data)
        plan.residents.append(plan.residents[0])
        let error = try #require(throws: DatabaseError.self) { try store.write(plan, source: "x") }
        #expect(error.message == "UNIQUE constraint failed: residents.id")
        #expect(error.sql?.hasPrefix("INSERT INTO residents") == true)
        #expect(try store.loadTown() == nil)
    }

    @Test("bound values come back as bound: empty text is text, nil is NULL, blobs and numbers exact")
    func bindingRoundTrip() throws {
        let store = try SQLiteTownStore()
        let rows = try store.database.write { db in
            try db.execute(sql: "CREATE TEMP TABLE bound (a, b, c, d, e, f)")
            var inserter = try RowInserter("INSERT INTO bound VALUES (?, ?, ?, ?, ?, ?)", in: db)
            inserter.bind("")
            inserter.bind(nil as String?)
            inserter.bind("大村镇 \u{1F3E0}")
            inserter.bind([0, 1, 255] as [UInt8])
            inserter.bind(0.1 as Double?)
            inserter.bind(-7 as Int?)
            try inserter.insert()
            // A reused statement: a second row binds afresh.
            inserter.bind("x")
            inserter.bind("y")
            inserter.bind(nil as String?)
            inserter.bind([] as [UInt8])
            inserter.bind(nil as Double?)
            inserter.bind(nil as Int?)
            try inserter.insert()
            return try Row.fetchAll(db, sql: """
                SELECT typeof(a), a, typeof(b), c, hex(d), typeof(d), e, f FROM bound ORDER BY rowid
                """)
        }
        #expect(rows.count == 2)
        #expect(rows[0][0] == "text" && rows[0][1] == "" && rows[0][2] == "null")
        #expect(rows[0][3] == "大村镇 \u{1F3E0}" && rows[0][4] == "0001FF" && rows[0][5] == "blob")
        #expect(rows[0][6] == 0.1 && rows[0][7] == -7)
        #expect(rows[1][1] == "x" && rows[1][3] == nil as String? && rows[1][5] == "blob")
        #expect(rows[1][6] == nil as Double? && rows[1][7] == nil as Int?)
    }

    @Test("a row's texts and blobs come back as bound however long, and a refused row leaves the next one bound afresh")
    func bindingLongValuesAndAfterRefusal() throws {
        let store = try SQLiteTownStore()
        // Long enough that the row's buffer grows (moves) while the row is bound.
        let long = String(repeating: "网格员", count: 30_000)
        let blob = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let rows = try store.database.write { db in
            try db.execute(sql: "CREATE TEMP TABLE bound (a TEXT NOT NULL, b, c UNIQUE, d)")
            var inserter = try RowInserter("INSERT INTO bound VALUES (?, ?, ?, ?)", in: db)
            inserter.bind("短")
            inserter.bind(long)
            inserter.bind(blob)
            inserter.bind(long + "尾")
            try inserter.insert()
            // Refused by UNIQUE: nothing inserted, the error says why.
            inserter.bind("again")
            inserter.bind("b")
            inserter.bind(blob)
            inserter.bind("d")
            #expect(throws: DatabaseError.self) { try inserter.insert() }
            // A row half bound by a copy that was then dropped (its encoding threw) leaves nothing behind.
            var dropped = inserter
            dropped.bind("half")
            dropped.bind("bound")
            inserter.bind("after")
            inserter.bind(nil as String?)
            inserter.bind("c")
            inserter.bind([] as [UInt8])
            try inserter.insert()
            return try Row.fetchAll(db, sql: "SELECT a, b, c, d, typeof(c), typeof(d) FROM bound ORDER BY rowid")
        }
        try #require(rows.count == 2)
        let first: [String?] = [rows[0][0], rows[0][1], rows[0][3], rows[0][4], rows[0][5]]
        #expect(first == ["短", long, long + "尾", "blob", "text"])
        let firstBlob: Data? = rows[0][2]
        #expect(firstBlob == Data(blob))
        let second: [String?] = [rows[1][0], rows[1][1], rows[1][2], rows[1][5]]
        #expect(second == ["after", nil, "c", "blob"])
    }

    @Test("features examined in parallel chunks get exactly the answers of one-by-one examination")
    func parallelExaminationMatchesSequential() throws {
        var random = SplitMix64(seed: 20_261_129)
        let locator = try MicroGridLocator(SyntheticTown.data.microGrids,
                                           cellsPerMicroGrid: ImportPlanner.locatorCellsPerMicroGrid)
        let count = FeatureCheck<ImportPlan.FeatureRow>.minimumChunk * 5 + 17
        let features = (0..<count).map { index -> MapFeature in
            // In and around the town (119.80–119.82, 35.90–35.92), on a 0.0005° lattice so that
            // many points fall on micro-grid edges and corners.
            let x = 1_197_990 + 5 * Int.random(in: 0...50, using: &random)
            let y = 358_990 + 5 * Int.random(in: 0...50, using: &random)
            switch index % 5 {
            case 0:
                return MapFeature(id: "f\(index)", kind: .field, name: "田",
                                  geometry: .polygon([SyntheticTown.rectangle(x, y, x + 20, y + 10)]))
            case 1:
                // A bow-tie: invalid, reported, not stored.
                return MapFeature(id: "f\(index)", kind: .field, name: "坏田", geometry: .polygon([[
                    Position(x: SyntheticTown.degrees(x), y: SyntheticTown.degrees(y)),
                    Position(x: SyntheticTown.degrees(x + 10), y: SyntheticTown.degrees(y + 10)),
                    Position(x: SyntheticTown.degrees(x + 10), y: SyntheticTown.degrees(y)),
                    Position(x: SyntheticTown.degrees(x), y: SyntheticTown.degrees(y + 10)),
                    Position(x: SyntheticTown.degrees(x), y: SyntheticTown.degrees(y)),
                ]]))
            case 2:
                return MapFeature(id: "f\(index)", kind: .well, name: "井", geometry: SyntheticTown.point(x, y),
                                  properties: ["grid": "reserved", "depth": .number(JSONNumber(index))])
            default:
                return MapFeature(id: "f\(index)", kind: .home, name: "家", geometry: SyntheticTown.point(x, y),
                                  properties: ["address": .string("\(index)号"), "houseNumber": .number(JSONNumber(index))])
            }
        }
        let maker = FeatureRowMaker(locator: locator)
        let makeRow: TownValidator.RowMaker<ImportPlan.FeatureRow> = { feature, geometry throws(TownValidator.RowRefusal) in
            try maker.row(feature, geometry)
        }
        let parallel = FeatureCheck.run(features, makingRows: makeRow)
        let oneByOne = features.map { FeatureCheck.run([$0], makingRows: makeRow)[0] }
        #expect(parallel == oneByOne)
        // The answers are not vacuous: every kind of outcome occurs.
        #expect(parallel.contains { $0.row?.microGrid != nil })
        #expect(parallel.contains { $0.row != nil && $0.row?.microGrid == nil })
        #expect(parallel.contains { $0.row == nil && $0.problems.contains { $0.message.hasPrefix("invalid Polygon") } })
        #expect(parallel.contains { $0.problems.map(\.message) == ["properties grid are reserved for the store"] })
    }

    @Test("the import's coarser locator answers exactly as the default one, edges and corners included")
    func coarseLocatorAgrees() throws {
        let microGrids = SyntheticTown.data.microGrids
        let coarse = try MicroGridLocator(microGrids, cellsPerMicroGrid: ImportPlanner.locatorCellsPerMicroGrid)
        let fine = try MicroGridLocator(microGrids)
        var random = SplitMix64(seed: 7)
        var inside = 0
        for _ in 0..<20_000 {
            let x = SyntheticTown.degrees(1_197_990 + Int.random(in: 0...220, using: &random))
            let y = SyntheticTown.degrees(358_990 + Int.random(in: 0...220, using: &random))
            let answer = coarse.microGrid(longitude: x, latitude: y)
            #expect(answer == fine.microGrid(longitude: x, latitude: y))
            if answer != nil { inside += 1 }
        }
        // Most of the sampled square is the town: the comparison is not between two "outside"s.
        #expect(inside > 15_000)
    }
}
