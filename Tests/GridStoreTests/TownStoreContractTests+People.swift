import GeoJSON
import GridMapCore
import Testing
@testable import GridStore

/// The store masks nobody and decides nothing about who sees whom: it hands over the residents
/// and team members a ``PersonFilter`` keeps, in full, whichever store holds the town.
extension TownStoreContractTests {
    /// Keeps the residents of one grid and the team members of one role.
    static func filter(grid: String, team role: TeamRole) -> PersonFilter {
        PersonFilter(keepsResident: { $0.grid == GridCode(grid) }, keepsTeamMember: { $0.role == role })
    }

    @Test("the residents layer holds exactly the residents the filter keeps, in full, at their homes", arguments: StoreKind.allCases)
    func residentsFollowTheFilter(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        let features = try store.layerFeatures(.residents, people: Self.filter(grid: "TS-001", team: .chief))
        #expect(features.compactMap(\.id) == ["R-1", "R-2", "R-5"].map { .string($0) })
        let first = try #require(features.first)
        #expect(first.geometry == .point(Position(x: 119.8025, y: 35.905)))
        let properties = try #require(first.properties)
        #expect(properties["name"] == "张三")
        #expect(properties["phone"] == "13812345678")
        #expect(properties["birth_year"] == 1950)
        #expect(properties["categories"] == ["party-member", "veteran"])
        #expect(properties["micro_grid"] == "TS-001-1")
        #expect(properties["grid"] == "TS-001")
        #expect(properties["masked"] == nil, "nothing is masked: a resident is handed over in full or not at all")
        #expect(try store.layerFeatures(.residents, people: PersonFilter(keepsResident: { _ in false }, keepsTeamMember: { _ in true })).isEmpty)
    }

    @Test("everyone's residents layer is the whole register; a polygon home's residents stand inside it", arguments: StoreKind.allCases)
    func everyone(_ kind: StoreKind) throws {
        let features = try kind.synthetic().layerFeatures(.residents, people: .everyone)
        #expect(features.compactMap { $0.properties?["name"]?.stringValue } == SyntheticTown.data.residents.map(\.name))
        let r4 = try #require(features.first { $0.id == "R-4" })
        guard case .point(let position)? = r4.geometry else { Issue.record("R-4 is not a point"); return }
        #expect(position.x > 119.801 && position.x < 119.802 && position.y > 35.911 && position.y < 35.912)
    }

    @Test("the team layer holds exactly the members the filter keeps, within the area's grid", arguments: StoreKind.allCases)
    func teamFollowsTheFilter(_ kind: StoreKind) throws {
        let store = try kind.synthetic()
        let names = { (features: [Feature]) in features.compactMap { $0.properties?["name"]?.stringValue } }
        #expect(try names(store.layerFeatures(.team, people: .everyone)) == ["刘一", "陈二", "周三", "吴四"])
        #expect(try names(store.layerFeatures(.team, people: Self.filter(grid: "TS-001", team: .volunteer))) == ["吴四"])
        #expect(try names(store.layerFeatures(.team, in: .grid(Self.code("TS-001")), people: Self.filter(grid: "TS-001", team: .volunteer))).isEmpty)
        #expect(try names(store.layerFeatures(.team, in: .grid(Self.code("TS-001")), people: .everyone)) == ["刘一", "陈二"])
    }
}
