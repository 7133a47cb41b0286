import GeoJSON
import GridMapCore
import Testing
@testable import GridStore

/// What each role sees of the resident register, whichever store holds it.
extension TownStoreContractTests {
    static func rows(_ store: any TownStore, as role: ResidentRole) throws -> [String: ResidentRow] {
        Dictionary(uniqueKeysWithValues: try store.residentRows(as: role).map { ($0.id, $0) })
    }

    @Test("names keep the family name and phones keep the first three and last four digits")
    func masks() {
        #expect(PersonalDataMask.name("张三") == "张*")
        #expect(PersonalDataMask.name("王小明") == "王**")
        #expect(PersonalDataMask.name("欧阳娜娜") == "欧***")
        #expect(PersonalDataMask.name("李") == "*")
        #expect(PersonalDataMask.name("") == "")
        #expect(PersonalDataMask.phone("13812345678") == "138****5678")
        #expect(PersonalDataMask.phone("053288889999") == "053*****9999")
        #expect(PersonalDataMask.phone("12345") == "*****")
    }

    @Test("the public sees every name and phone masked and no birth year", arguments: StoreKind.allCases)
    func publicRole(_ kind: StoreKind) throws {
        let rows = try Self.rows(kind.synthetic(), as: .public)
        #expect(rows["R-1"]?.name == "张*")
        #expect(rows["R-1"]?.phone == "138****5678")
        #expect(rows["R-1"]?.birthYear == nil)
        #expect(rows["R-2"]?.name == "王**")
        #expect(rows["R-3"]?.phone == nil)
        #expect(rows.count == 5 && rows.values.allSatisfy { $0.isMasked })
        // Where and what stay visible: they are what targeted services are planned by.
        #expect(rows["R-1"]?.categories == [.partyMember, .veteran])
        #expect(rows["R-1"]?.microGrid == GridCode("TS-001-1"))
        #expect(rows["R-1"]?.location == Position(x: 119.8025, y: 35.905))
    }

    @Test("a grid worker sees full details in their own grid only", arguments: StoreKind.allCases)
    func gridWorkerRole(_ kind: StoreKind) throws {
        let rows = try Self.rows(kind.synthetic(), as: .gridWorker(GridCode("TS-001")!))
        for id in ["R-1", "R-2", "R-5"] { #expect(rows[id]?.isMasked == false, "\(id) is in TS-001") }
        #expect(rows["R-1"]?.name == "张三")
        #expect(rows["R-1"]?.phone == "13812345678")
        #expect(rows["R-1"]?.birthYear == 1950)
        #expect(rows["R-3"]?.name == "李*")
        #expect(rows["R-4"]?.phone == "137****2222")
        #expect(rows["R-4"]?.isMasked == true)
    }

    @Test("the office sees everything", arguments: StoreKind.allCases)
    func officeRole(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        let rows = try Self.rows(store, as: .office)
        #expect(rows.values.allSatisfy { !$0.isMasked })
        #expect(rows["R-2"]?.name == "王小明")
        #expect(rows["R-4"]?.phone == "13700002222")
        #expect(try store.residentRows(as: .office).map { row in
            Resident(id: row.id, name: row.name, homeID: row.homeID, categories: row.categories,
                     phone: row.phone, birthYear: row.birthYear)
        } == SyntheticTown.data.residents)
    }

    @Test("masked rows keep their filters: area, categories and page", arguments: StoreKind.allCases)
    func maskedFilters(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        let grid = GridCode("TS-001")!
        let rows = try store.residentRows(as: .gridWorker(grid), in: .grid(grid), categories: [.veteran, .lowIncome],
                                          page: ResultPage(offset: 1, limit: 5))
        #expect(rows.map(\.name) == ["孙六"])
    }

    @Test("resident export is masked by default and puts each resident at their home", arguments: StoreKind.allCases)
    func residentExport(_ kind: StoreKind) throws {
        let features = try kind.synthetic().exportResidents()
        #expect(features.count == 5)
        let first = try #require(features.first)
        #expect(first.id == "R-1")
        #expect(first.geometry == .point(Position(x: 119.8025, y: 35.905)))
        let properties = try #require(first.properties)
        #expect(properties["name"] == "张*")
        #expect(properties["phone"] == "138****5678")
        #expect(properties["birth_year"] == nil)
        #expect(properties["categories"] == ["party-member", "veteran"])
        #expect(properties["micro_grid"] == "TS-001-1")
        #expect(properties["grid"] == "TS-001")
        #expect(properties["masked"] == true)
        // The polygon home's residents stand at its point-on-surface, inside the home.
        let r4 = try #require(features.first { $0.id == "R-4" })
        guard case .point(let position)? = r4.geometry else { Issue.record("R-4 is not a point"); return }
        #expect(position.x > 119.801 && position.x < 119.802 && position.y > 35.911 && position.y < 35.912)
    }

    @Test("a grid worker's export of their grid shows real names", arguments: StoreKind.allCases)
    func gridWorkerExport(_ kind: StoreKind) throws {
        let grid = GridCode("TS-001")!
        let features = try kind.synthetic().exportResidents(as: .gridWorker(grid), in: .grid(grid))
        #expect(features.compactMap { $0.properties?["name"]?.stringValue } == ["张三", "王小明", "孙六"])
    }
}
