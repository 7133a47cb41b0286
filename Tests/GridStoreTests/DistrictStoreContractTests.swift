import Foundation
import GeoJSON
import GridMapCore
import Postgres
import PostgresTesting
import Testing
@testable import GridStore

/// The two district stores: a folder of SQLite files, and schemas of a PostgreSQL database.
enum DistrictKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { self == .sqlite ? "SQLite folder" : "PostgreSQL" }

    /// Where a new district of this kind can be made: a folder that does not exist yet, or a
    /// fresh schema.
    func place() throws -> String {
        switch self {
        case .sqlite: FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-district-\(UUID().uuidString)").path
        case .postgres: try TestPostgres.freshSchema()
        }
    }

    func isDistrict(_ place: String) throws -> Bool {
        switch self {
        case .sqlite: SQLiteDistrict.isDistrict(place)
        case .postgres: try PostgresDistrict.isDistrict(place)
        }
    }

    func open(_ place: String, access: SQLiteTownStore.Access = .readWrite, creating: Bool = false) throws -> any DistrictStore {
        switch self {
        case .sqlite: try SQLiteDistrict(folder: place, access: access, creating: creating)
        case .postgres: try PostgresDistrict(uri: place, access: access, creating: creating)
        }
    }
}

@Suite("The district store: a catalogue of towns, each in a store of its own, on SQLite and PostgreSQL")
struct DistrictStoreContractTests {
    /// The synthetic town's catalogue entry under another `code`.
    static func entry(_ code: String, division: String? = nil) -> DistrictTown {
        var town = DistrictTown(SyntheticTown.data.town)
        town.code = code
        town.divisionCode = division
        return town
    }

    @Test("a place without a catalogue is not a district, and is made one only when asked", arguments: DistrictKind.allCases)
    func aDistrictIsMadeOnlyWhenAsked(_ kind: DistrictKind) throws {
        let place = try kind.place()
        #expect(try !kind.isDistrict(place))
        #expect(throws: StoreError.self) { try kind.open(place) }
        #expect(try !kind.isDistrict(place))
        let district = try kind.open(place, creating: true)
        #expect(try kind.isDistrict(place))
        #expect(try district.towns().isEmpty)
        #expect(try district.details() == DistrictDetails())
    }

    @Test("details are kept, and details left out stay as they were", arguments: DistrictKind.allCases)
    func detailsAreKept(_ kind: DistrictKind) throws {
        let district = try kind.open(kind.place(), creating: true)
        try district.setDetails(DistrictDetails(name: "西海岸新区", latinName: "West Coast", divisionCode: "370211"))
        try district.setDetails(DistrictDetails(name: "新区"))
        #expect(try district.details() == DistrictDetails(name: "新区", latinName: "West Coast", divisionCode: "370211"))
    }

    @Test("towns recorded are listed in code order with their division codes and boundaries; recording again updates", arguments: DistrictKind.allCases)
    func townsAreListedInCodeOrder(_ kind: DistrictKind) throws {
        let place = try kind.place()
        let district = try kind.open(place, creating: true)
        for code in ["TU", "TS"] { try district.storeForImport(of: code).importTown(SyntheticTown.data, source: "synthetic") }
        try district.record(Self.entry("TU"))
        try district.record(Self.entry("TS", division: "370299101"))
        var renamed = Self.entry("TU", division: "370299102")
        renamed.name = "东镇"
        try district.record(renamed)
        let towns = try kind.open(place).towns()
        #expect(towns == [Self.entry("TS", division: "370299101"), renamed])
        #expect(towns[0].boundary == SyntheticTown.data.town.boundary)
    }

    @Test("each town has a store of its own: a town imported into one is in no other, and only listed towns open", arguments: DistrictKind.allCases)
    func eachTownHasItsOwnStore(_ kind: DistrictKind) throws {
        let district = try kind.open(kind.place(), creating: true)
        let first = try district.storeForImport(of: "TS")
        try first.importTown(SyntheticTown.data, source: "synthetic")
        // Not listed until recorded: the catalogue names only towns whose import is complete.
        #expect(throws: StoreError.notFound("town TS in the district \(district.location)")) { try district.openTown("TS", access: .readOnly) }
        try district.record(Self.entry("TS"))
        let second = try district.storeForImport(of: "TR")
        #expect(try second.town() == nil)
        #expect(try district.openTown("TS", access: .readOnly).town()?.code == "TS")
        #expect(try district.openTown("TS", access: .readOnly).summary().residents == SyntheticTown.data.residents.count)
        #expect(throws: StoreError.self) { try district.openTown("ts", access: .readOnly) }
    }

    @Test("a district opened read-only makes no town store and opens its towns read-only", arguments: DistrictKind.allCases)
    func aReadOnlyDistrictWritesNothing(_ kind: DistrictKind) throws {
        let place = try kind.place()
        let district = try kind.open(place, creating: true)
        try district.storeForImport(of: "TS").importTown(SyntheticTown.data, source: "synthetic")
        try district.record(Self.entry("TS"))
        let reader = try kind.open(place, access: .readOnly)
        #expect(throws: StoreError.self) { try reader.storeForImport(of: "TR") }
        #expect(throws: StoreError.self) { try reader.openTown("TS", access: .readWrite).importTown(SyntheticTown.data, source: "again") }
        #expect(try reader.towns().map(\.code) == ["TS"])
    }

    @Test("in PostgreSQL each town is a schema named after the district's, holding the town's own tables")
    func postgresTownsAreSchemas() throws {
        let uri = try TestPostgres.freshSchema()
        let district = try PostgresDistrict(uri: uri, creating: true)
        try district.storeForImport(of: "TS").importTown(SyntheticTown.data, source: "synthetic")
        let own = try PostgresConnection(uri).query("SELECT current_schema()")[0].string(0)!
        #expect(district.townSchema("TS") == own + "_town_ts")
        let rows = try PostgresConnection(uri).query("SELECT count(*) FROM \(own)_town_ts.residents")[0].integer(0)
        #expect(rows == SyntheticTown.data.residents.count)
        // The district's own schema holds the catalogue and no town table.
        #expect(try PostgresConnection(uri).query("SELECT to_regclass('residents') IS NULL")[0].boolean(0) == true)
    }

    @Test("a PostgreSQL schema holding a town store is not made a district")
    func aTownStoresSchemaIsNotMadeADistrict() throws {
        let uri = try TestPostgres.freshSchema()
        try PostgresTownStore(uri: uri).importTown(SyntheticTown.data, source: "synthetic")
        #expect(throws: StoreError.self) { try PostgresDistrict(uri: uri, creating: true) }
        #expect(try !PostgresDistrict.isDistrict(uri))
    }

    /// A district of two towns holding the synthetic town (as TS and, recorded as TR, the same
    /// data: the counts are read from each town's own tables).
    static func twoTowns(_ kind: DistrictKind) throws -> any DistrictStore {
        let district = try kind.open(kind.place(), creating: true)
        for code in ["TS", "TR"] {
            try district.storeForImport(of: code).importTown(SyntheticTown.data, source: "synthetic")
            try district.record(Self.entry(code))
        }
        return district
    }

    @Test("the towns' counts read at once are each town's own residents, categories and events", arguments: DistrictKind.allCases)
    func townCountsAreEachTownsOwn(_ kind: DistrictKind) throws {
        let district = try Self.twoTowns(kind)
        let counts = try district.townCounts()
        let summary = try district.openTown("TS", access: .readOnly).summary()
        let expected = DistrictTownCounts(residents: summary.residents,
                                          residentsByCategory: Dictionary(uniqueKeysWithValues: summary.residentsByCategory.map { ($0.key.rawValue, $0.value) }))
        #expect(counts == ["TS": expected, "TR": expected])
        #expect(expected.residents == SyntheticTown.data.residents.count && !expected.residentsByCategory.isEmpty)
    }

    @Test("in PostgreSQL each town's tables are partitions of the district's: one town's query reads its partition alone, and a replaced town stays attached")
    func postgresTownsArePartitions() throws {
        let district = try Self.twoTowns(.postgres) as! PostgresDistrict
        let db = try PostgresConnection(district.uri)
        let partitions = try db.query("""
            SELECT c.relname, n.nspname || '.' || p.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhparent
                JOIN pg_class p ON p.oid = i.inhrelid JOIN pg_namespace n ON n.oid = p.relnamespace
            WHERE c.relnamespace = current_schema()::regnamespace ORDER BY 1, 2
            """).rows.map { "\(try $0.string(0)!) ← \(try $0.string(1)!)" }
        let (tr, ts) = (district.townSchema("TR"), district.townSchema("TS"))
        #expect(partitions == ["district_event_state ← \(tr).event_state", "district_event_state ← \(ts).event_state",
                               "district_resident_categories ← \(tr).resident_categories", "district_resident_categories ← \(ts).resident_categories",
                               "district_residents ← \(tr).residents", "district_residents ← \(ts).residents"])
        let plan = try db.query("EXPLAIN SELECT count(*) FROM district_residents WHERE town_code = 'TR'").rows.map { try $0.string(0)! }.joined(separator: "\n")
        #expect(plan.contains(district.townSchema("TR") + ".residents") || plan.contains("on residents"))
        #expect(!plan.contains(district.townSchema("TS")))
        #expect(plan.components(separatedBy: "Scan on").count == 2, "one scan: \(plan)")
        // A replaced town is imported into the same tables: still attached, its rows the town's.
        var smaller = SyntheticTown.data
        smaller.residents.removeLast()
        try district.openTown("TR", access: .readWrite).importTown(smaller, source: "again")
        try district.record(Self.entry("TR"))
        #expect(try district.townCounts()["TR"]?.residents == smaller.residents.count)
        #expect(try district.townCounts()["TS"]?.residents == SyntheticTown.data.residents.count)
    }
}
