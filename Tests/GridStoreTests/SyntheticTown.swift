import Foundation
import GeoJSON
import GridMapCore
import Testing
@testable import GridStore
import PostgresTesting

/// A small town for the store's tests: a 0.02° × 0.02° square (about 1.8 × 2.2 km) at
/// 119.80–119.82 E, 35.90–35.92 N, cut into 2 × 2 grids, each cut into a west and an east
/// micro-grid. Coordinates are whole thousandths or half-thousandths, so they survive a 7-decimal
/// GeoJSON export exactly. Polygon exteriors are counter-clockwise.
///
///     TS-003 (-1 | -2)   TS-004 (-1 | -2)      y 35.91 – 35.92
///     TS-001 (-1 | -2)   TS-002 (-1 | -2)      y 35.90 – 35.91
///     x 119.80 – 119.81  x 119.81 – 119.82
enum SyntheticTown {
    /// A coordinate in ten-thousandths of a degree, built by division so it equals the literal.
    static func degrees(_ tenThousandths: Int) -> Double { Double(tenThousandths) / 10_000 }

    /// Counter-clockwise rectangle, corners in ten-thousandths of a degree.
    static func rectangle(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) -> [Position] {
        [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)].map { Position(x: degrees($0.0), y: degrees($0.1)) }
    }

    static func point(_ x: Int, _ y: Int) -> Geometry { .point(Position(x: degrees(x), y: degrees(y))) }

    static func code(_ text: String) -> GridCode { GridCode(text)! }

    static var data: TownData {
        var data = TownData(town: Town(
            code: "TS", name: "测试镇", latinName: "Ceshi", workingCRS: "EPSG:4549",
            boundary: .polygon([rectangle(1_198_000, 359_000, 1_198_200, 359_200)])))
        data.villages = [Village(code: "TS-V1", name: "一村"), Village(code: "TS-V2", name: "二村")]
        for number in 1...4 {
            let x0 = 1_198_000 + 100 * ((number - 1) % 2)
            let y0 = 359_000 + 100 * ((number - 1) / 2)
            let grid = GridCode(town: "TS", grid: number)!
            data.grids.append(Grid(code: grid, name: "网格\(number)", villageCode: number <= 2 ? "TS-V1" : "TS-V2",
                                   geometry: .polygon([rectangle(x0, y0, x0 + 100, y0 + 100)])))
            for micro in 1...2 {
                let west = x0 + 50 * (micro - 1)
                data.microGrids.append(MicroGrid(code: grid.microGrid(micro)!, name: "微网格\(number)-\(micro)",
                                                 geometry: .polygon([rectangle(west, y0, west + 50, y0 + 100)])))
            }
        }
        data.features = features
        data.residents = [
            Resident(id: "R-1", name: "张三", homeID: "home-1", categories: [.veteran, .partyMember],
                     phone: "13812345678", birthYear: 1950),
            Resident(id: "R-2", name: "王小明", homeID: "home-2", categories: [.elderlyLivingAlone],
                     phone: "13900001111", birthYear: 1940),
            Resident(id: "R-3", name: "李四", homeID: "home-3", categories: [.veteran]),
            Resident(id: "R-4", name: "赵五", homeID: "home-5", phone: "13700002222"),
            Resident(id: "R-5", name: "孙六", homeID: "home-4", categories: [.lowIncome, .disabled], birthYear: 1962),
        ]
        data.team = [
            TeamMember(gridCode: code("TS-001"), role: .chief, name: "刘一", phone: "13600000001"),
            TeamMember(gridCode: code("TS-001"), role: .liaison, name: "陈二", phone: "13600000002"),
            TeamMember(gridCode: code("TS-004"), role: .functional, name: "周三", unit: "派出所"),
            TeamMember(gridCode: code("TS-004"), role: .volunteer, name: "吴四"),
        ]
        return data
    }

    /// Homes, wells, a road and a field, with their micro-grids known by construction.
    static var features: [MapFeature] {
        [
            MapFeature(id: "home-1", kind: .home, name: "张家", geometry: point(1_198_025, 359_050),
                       properties: ["address": "一村1号", "houseNumber": 1]),
            MapFeature(id: "home-2", kind: .home, name: "王家", geometry: point(1_198_075, 359_050),
                       properties: ["address": "一村2号", "houseNumber": 2]),
            MapFeature(id: "home-3", kind: .home, name: "李家", geometry: point(1_198_175, 359_150),
                       properties: ["address": "三村1号", "houseNumber": 1]),
            // On the edge shared by TS-001-1 and TS-001-2: the smaller code wins.
            MapFeature(id: "home-4", kind: .home, name: "孙家", geometry: point(1_198_050, 359_030),
                       properties: ["address": "一村4号", "houseNumber": 4]),
            // A polygon home inside TS-003-1.
            MapFeature(id: "home-5", kind: .home, name: "赵家",
                       geometry: .polygon([rectangle(1_198_010, 359_110, 1_198_020, 359_120)]),
                       properties: ["address": "三村5号", "houseNumber": 5]),
            MapFeature(id: "well-1", kind: .well, name: "东井", geometry: point(1_198_120, 359_020)),
            // Outside the town: no micro-grid.
            MapFeature(id: "well-2", kind: .well, name: "外井", geometry: point(1_198_300, 359_300)),
            // Crosses TS-001-1, TS-001-2, TS-002-1 and TS-002-2; its interior vertex lies in TS-002-1.
            MapFeature(id: "road-1", kind: .road, name: "县道",
                       geometry: .lineString([Position(x: degrees(1_198_005), y: degrees(359_045)),
                                              Position(x: degrees(1_198_105), y: degrees(359_045)),
                                              Position(x: degrees(1_198_195), y: degrees(359_045))]),
                       properties: [
                           "class": "county", "lanes": .number(JSONNumber(text: "2.0")!),
                           "ref": .number(JSONNumber(text: "12345678901234567890")!), "note": nil,
                           "tags": ["paved", ["since": 1998, "lit": false]],
                       ]),
            // A field with a hole (clockwise hole ring), inside TS-004-1.
            MapFeature(id: "field-1", kind: .field, name: "北田",
                       geometry: .polygon([rectangle(1_198_105, 359_105, 1_198_145, 359_145),
                                           rectangle(1_198_115, 359_115, 1_198_125, 359_125).reversed()])),
        ]
    }

    /// Runs `body` with the path of a store file in a new temporary directory, removed afterwards.
    static func withTemporaryPath(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("gridstore-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory.appendingPathComponent("town.sqlite").path)
    }

    /// Runs `body` with a fresh file store (WAL) in a temporary directory, removed afterwards.
    static func withTemporaryStore(_ body: (SQLiteTownStore) throws -> Void) throws {
        try withTemporaryPath { path in try body(SQLiteTownStore(path: path)) }
    }

    /// Every row of every table, to prove that an operation changed nothing.
    static func contents(of store: SQLiteTownStore, includingImportLog: Bool = true) throws -> [String: [String]] {
        var contents: [String: [String]] = [:]
        for table in SQLiteTownStore.inspectedTables where includingImportLog || table != "imports" {
            contents[table] = try store.renderedRows(of: table)
        }
        return contents
    }
}

/// The stores the contract tests run against: each implementation of ``TownStore``.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// SQLite's own in-memory database: the same schema and SQL as a file store.
    case sqlite
    case inMemory
    /// PostgreSQL with PostGIS, the tests' cluster (``TestPostgres``), in a schema of its own.
    case postgres

    var testDescription: String {
        switch self {
        case .sqlite: "SQLite"
        case .inMemory: "in memory"
        case .postgres: "PostgreSQL"
        }
    }

    /// An empty store of this kind.
    func make() throws -> any TownStore {
        switch self {
        case .sqlite: try SQLiteTownStore()
        case .inMemory: InMemoryTownStore()
        case .postgres: try PostgresTownStore(uri: TestPostgres.freshSchema())
        }
    }

    /// A store of this kind holding the synthetic town.
    func synthetic() throws -> any TownStore {
        let store = try make()
        try store.importTown(SyntheticTown.data, source: "synthetic")
        return store
    }
}

/// The problems an import is rejected with; nil (with an issue recorded) when it is accepted or
/// fails for another reason.
func rejection(importing data: TownData, into store: any TownStore,
               sourceLocation: SourceLocation = #_sourceLocation) -> ImportError? {
    do {
        try store.importTown(data, source: "rejected")
        Issue.record("the import was accepted", sourceLocation: sourceLocation)
    } catch {
        if case .rejected(let rejection) = error { return rejection }
        Issue.record("the import failed with \(error), not a rejection", sourceLocation: sourceLocation)
    }
    return nil
}
