import Foundation
import GeoJSON
import GridMapCore
import Testing

/// One rule broken on the fixture town (which keeps them all), and the one problem it must give.
struct BrokenRule: Sendable, CustomTestStringConvertible {
    var name: String
    var edit: @Sendable (inout TownData) -> Void
    var kind: TownProblem.Kind
    var file: String
    var index: Int?
    var path: String
    /// The message, or its beginning when GEOS or PROJ words the rest.
    var message: String

    var testDescription: String { name }

    static let grid3 = GridCode("DC-003")!

    /// A bow-tie: its two edges cross at the centre of the box.
    static func bowTie(_ x: Double, _ y: Double, _ x2: Double, _ y2: Double) -> Geometry {
        .polygon([[Position(x: x, y: y), Position(x: x2, y: y2), Position(x: x2, y: y), Position(x: x, y: y2), Position(x: x, y: y)]])
    }

    static let all: [BrokenRule] = [
        BrokenRule(name: "town code of lower-case letters", edit: { $0.town.code = "dc" },
                   kind: .code, file: "town", path: "code", message: "town code \"dc\" must be upper-case ASCII letters, e.g. \"DC\""),
        BrokenRule(name: "geographic working CRS", edit: { $0.town.workingCRS = "EPSG:4326" },
                   kind: .crs, file: "town", path: "workingCRS", message: "\"EPSG:4326\" is geographic (distances in degrees); the working CRS must be a projected CRS in metres"),
        BrokenRule(name: "working CRS in US survey feet", edit: { $0.town.workingCRS = "EPSG:2263" },
                   kind: .crs, file: "town", path: "workingCRS",
                   message: "\"EPSG:2263\" is projected in units of 0.30480060960121924 m; the working CRS must be in metres"),
        BrokenRule(name: "geocentric working CRS", edit: { $0.town.workingCRS = "EPSG:4978" },
                   kind: .crs, file: "town", path: "workingCRS",
                   message: "\"EPSG:4978\" is not projected; the working CRS must be projected, in metres"),
        BrokenRule(name: "unknown working CRS", edit: { $0.town.workingCRS = "EPSG:999999" },
                   kind: .crs, file: "town", path: "workingCRS", message: "unknown CRS \"EPSG:999999\": "),
        BrokenRule(name: "boundary that is a line",
                   edit: { $0.town.boundary = .lineString([Position(x: 119.8, y: 35.9), Position(x: 119.82, y: 35.91)]) },
                   kind: .geometry, file: "town", path: "geometry", message: "geometry is a LineString; a Polygon or MultiPolygon is required"),
        BrokenRule(name: "village code used twice", edit: { $0.villages.append($0.villages[0]) },
                   kind: .duplicate, file: "villages", index: 2, path: "properties.code",
                   message: "village code \"DC-V01\" is used twice (first in villages[0])"),
        BrokenRule(name: "empty village code", edit: { $0.villages.append(Village(code: "", name: "无名村")) },
                   kind: .code, file: "villages", index: 2, path: "properties.code", message: "village code is empty"),
        BrokenRule(name: "grid whose village is missing", edit: { $0.grids[0].villageCode = "DC-V09" },
                   kind: .reference, file: "grids", index: 0, path: "properties.village", message: "village \"DC-V09\" is not in villages"),
        BrokenRule(name: "grid with a micro-grid code",
                   edit: { $0.grids.append(Grid(code: grid3.microGrid(1)!, name: "新村", villageCode: "DC-V01", geometry: TownFolderFixture.square(119.8, 35.9, 119.81, 35.91))) },
                   kind: .code, file: "grids", index: 2, path: "properties.code", message: "\"DC-003-1\" is a micro-grid code, expected a grid code such as DC-017"),
        BrokenRule(name: "grid of another town",
                   edit: { $0.grids.append(Grid(code: GridCode("XX-003")!, name: "外村", villageCode: "DC-V01", geometry: TownFolderFixture.square(119.8, 35.9, 119.81, 35.91))) },
                   kind: .code, file: "grids", index: 2, path: "properties.code", message: "code \"XX-003\" is not of this town (\"DC\")"),
        BrokenRule(name: "grid code used twice", edit: { $0.grids.append($0.grids[0]) },
                   kind: .duplicate, file: "grids", index: 2, path: "properties.code", message: "grid code \"DC-001\" is used twice (first in grids[0])"),
        BrokenRule(name: "grid polygon that crosses itself", edit: { $0.grids[0].geometry = bowTie(119.8, 35.9, 119.81, 35.91) },
                   kind: .geometry, file: "grids", index: 0, path: "geometry", message: "invalid Polygon: Self-intersection at (119.805"),
        BrokenRule(name: "micro-grid whose grid is missing",
                   edit: { $0.microGrids.append(MicroGrid(code: grid3.microGrid(1)!, name: "孤", geometry: TownFolderFixture.square(119.8, 35.9, 119.81, 35.91))) },
                   kind: .reference, file: "microgrids", index: 3, path: "properties.code",
                   message: "micro-grid \"DC-003-1\" belongs to grid \"DC-003\", which is not in grids"),
        BrokenRule(name: "micro-grid with a grid code",
                   edit: { $0.microGrids.append(MicroGrid(code: GridCode("DC-001")!, name: "错", geometry: TownFolderFixture.square(119.8, 35.9, 119.81, 35.91))) },
                   kind: .code, file: "microgrids", index: 3, path: "properties.code", message: "\"DC-001\" is a grid code, expected a micro-grid code such as DC-017-2"),
        BrokenRule(name: "micro-grid that is a point", edit: { $0.microGrids[0].geometry = .point(Position(x: 119.8, y: 35.9)) },
                   kind: .geometry, file: "microgrids", index: 0, path: "geometry", message: "geometry is a Point; a Polygon or MultiPolygon is required"),
        BrokenRule(name: "feature with an empty id", edit: { $0.features[0].id = "" },
                   kind: .code, file: "fields", index: 0, path: "id", message: "id is empty"),
        BrokenRule(name: "feature id used twice", edit: { $0.features[5].id = "home-1" },
                   kind: .duplicate, file: "wells", index: 0, path: "id", message: "id \"home-1\" is used twice (first in homes[0])"),
        BrokenRule(name: "road of no road class", edit: { $0.features[4].properties["class"] = "expressway" },
                   kind: .property, file: "roads", index: 0, path: "properties.class",
                   message: "\"class\" must be one of county, village, track, motorway, "),
        BrokenRule(name: "property reserved for the store", edit: { $0.features[0].properties["micro_grid"] = "DC-001-1" },
                   kind: .property, file: "fields", index: 0, path: "properties", message: "properties micro_grid are reserved for the store"),
        BrokenRule(name: "feature polygon that crosses itself", edit: { $0.features[0].geometry = bowTie(119.801, 35.901, 119.803, 35.903) },
                   kind: .geometry, file: "fields", index: 0, path: "geometry", message: "invalid Polygon: Self-intersection at (119.802"),
        BrokenRule(name: "point with a coordinate that is not a number", edit: { $0.features[5].geometry = .point(Position(x: .nan, y: 35.904)) },
                   kind: .geometry, file: "wells", index: 0, path: "geometry", message: "bad Point: "),
        BrokenRule(name: "resident id used twice", edit: { $0.residents.append($0.residents[0]) },
                   kind: .duplicate, file: "residents", index: 3, path: "", message: "resident id \"R-000001\" is used twice (first in residents[0])"),
        BrokenRule(name: "resident name with a NUL", edit: { $0.residents[0].name = "张\u{0}三" },
                   kind: .property, file: "residents", index: 0, path: "",
                   message: "name holds the control character U+0000; names, ids, phones and units may not hold control characters (tabs and line breaks aside)"),
        BrokenRule(name: "feature name with an escape character", edit: { $0.features[0].name = "西井\u{1B}[2J" },
                   kind: .property, file: "fields", index: 0, path: "properties.name",
                   message: "name holds the control character U+001B"),
        BrokenRule(name: "resident without a name", edit: { $0.residents[0].name = "" },
                   kind: .property, file: "residents", index: 0, path: "", message: "empty name"),
        BrokenRule(name: "resident whose home is missing", edit: { $0.residents[0].homeID = "home-404" },
                   kind: .reference, file: "residents", index: 0, path: "", message: "home \"home-404\" is not in homes"),
        BrokenRule(name: "resident whose home is a well", edit: { $0.residents[0].homeID = "well-1" },
                   kind: .reference, file: "residents", index: 0, path: "", message: "home \"well-1\" is a well, not a home"),
        BrokenRule(name: "resident without a home", edit: { $0.residents[0].homeID = "" },
                   kind: .property, file: "residents", index: 0, path: "", message: "empty home"),
        BrokenRule(name: "resident categories that repeat", edit: { $0.residents[0].categories = [.partyMember, .partyMember] },
                   kind: .property, file: "residents", index: 0, path: "", message: "categories repeat"),
        BrokenRule(name: "team member whose grid is missing", edit: { $0.team[0].gridCode = grid3 },
                   kind: .reference, file: "team", index: 0, path: "", message: "grid \"DC-003\" is not in grids"),
        BrokenRule(name: "team member of a micro-grid", edit: { $0.team[0].gridCode = grid3.microGrid(1)! },
                   kind: .code, file: "team", index: 0, path: "", message: "\"DC-003-1\" is a micro-grid code; a team serves a grid such as DC-017"),
        BrokenRule(name: "team member without a name", edit: { $0.team[0].name = "" },
                   kind: .property, file: "team", index: 0, path: "", message: "empty name"),
    ]
}

@Suite("Town validator: every rule, in one pass, naming the real cause")
struct TownValidatorTests {
    @Test("the fixture town breaks no rule")
    func fixtureIsClean() {
        #expect(TownValidator.problems(in: TownFolderFixture.town) == [])
    }

    @Test("each broken rule gives exactly its one problem, with kind, layer, index and path", arguments: BrokenRule.all)
    func brokenRule(_ rule: BrokenRule) throws {
        var data = TownFolderFixture.town
        rule.edit(&data)
        let problems = TownValidator.problems(in: data)
        try #require(problems.count == 1, "\(problems)")
        let problem = problems[0]
        #expect(problem.kind == rule.kind)
        #expect(problem.file == rule.file && problem.featureIndex == rule.index && problem.path == rule.path, "\(problem)")
        #expect(problem.message.hasPrefix(rule.message), "\(problem.message)")
    }

    @Test("a grid refused for its polygon is one problem: its micro-grid and team member are counted under it")
    func refusedGridIsTheCause() {
        var data = TownFolderFixture.town
        data.grids[1].geometry = BrokenRule.bowTie(119.81, 35.9, 119.82, 35.91)
        let problems = TownValidator.problems(in: data)
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.message.hasSuffix("(1 micro-grid and 1 team member refer to it)") == true, "\(problems)")
    }

    @Test("a grid's own dangling reference does not count its micro-grids and team under it: they depend on the grid, not its village")
    func referenceIsNotACause() {
        var data = TownFolderFixture.town
        data.grids[0].villageCode = "DC-V09"
        #expect(TownValidator.problems(in: data).map(\.message) == ["village \"DC-V09\" is not in villages"])
    }

    @Test("the residents of a home refused for its geometry are not told it is missing")
    func refusedHomeIsTheCause() {
        var data = TownFolderFixture.town
        data.features[3].geometry = BrokenRule.bowTie(119.815, 35.905, 119.816, 35.906)
        let problems = TownValidator.problems(in: data)
        #expect(problems.map(\.file) == ["homes"], "\(problems)")
        #expect(problems.first?.message.hasPrefix("invalid Polygon: Self-intersection") == true)
        #expect(problems.first?.message.hasSuffix("(2 residents refer to it)") == true, "\(problems)")
    }

    @Test("a home that cannot be read at all is the cause named in the folder's report, not its residents")
    func unreadableHomeIsTheCause() throws {
        let url = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: url) }
        try TownFolderFixture.replace("homes.geojson", in: url) {
            $0.replacingOccurrences(of: "[119.8151234,35.9052345]", with: "[119.8151234,\"north\"]")
        }
        let problems = TownFolderFixture.problems(url)
        #expect(problems.count == 1, "\(problems)")
        let problem = try #require(problems.first)
        #expect(problem.file == "homes.geojson" && problem.featureIndex == 1 && problem.kind == .geometry)
        #expect(problem.message.hasSuffix("(2 residents refer to it)"), "\(problem)")
        #expect(!problems.contains { $0.file == "residents.csv" })
    }

    @Test("a folder with read problems and geometry problems reports both in one pass, by file and feature")
    func onePass() throws {
        let url = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: url) }
        try TownFolderFixture.replace("grids.geojson", in: url) {
            $0.replacingOccurrences(of: "[[[119.81,35.9],[119.82,35.9],[119.82,35.91],[119.81,35.91],[119.81,35.9]]]",
                                    with: "[[[119.81,35.9],[119.82,35.91],[119.82,35.9],[119.81,35.91],[119.81,35.9]]]")
        }
        try TownFolderFixture.replace("team.csv", in: url) { $0 + "DC-002,volunteer\n" }
        try TownFolderFixture.replace("homes.geojson", in: url) { $0.replacingOccurrences(of: #""address":"大村镇东河村1号","#, with: #""address":"","#) }
        let problems = TownFolderFixture.problems(url)
        #expect(problems.map(\.kind) == [.count, .geometry, .property, .syntax], "\(problems)")
        #expect(problems.map(\.file) == ["manifest.json", "grids.geojson", "homes.geojson", "team.csv"])
        #expect(problems.contains { $0.file == "grids.geojson" && $0.featureIndex == 1 && $0.message.hasPrefix("invalid Polygon: Self-intersection at (119.815, 35.90") })
        #expect(problems.contains { $0.file == "homes.geojson" && $0.featureIndex == 0 && $0.path == "properties.address" })
        #expect(problems.contains { $0.file == "team.csv" && $0.line == 6 && $0.message == "2 fields, but the header has 5" })
    }

    @Test("a report starts with the count of each kind, then lists the problems by file and feature")
    func summaryByKind() {
        let error = TownFolderError(problems: [
            TownProblem(.reference, file: "grids.geojson", featureIndex: 0, path: "properties.village",
                        message: "village \"DC-V09\" is not in villages.geojson"),
            TownProblem(.geometry, file: "grids.geojson", featureIndex: 1, path: "geometry",
                        message: "invalid Polygon: Self-intersection at (119.815, 35.905)"),
            TownProblem(.reference, file: "team.csv", line: 5, message: "grid \"DC-002\" is not in grids.geojson"),
        ])
        #expect(error.description == """
            3 problems in the town folder:
              2 reference  references to items the town does not have
              1 geometry   geometries of the wrong type or invalid
            by file and feature:
              grids.geojson: feature 0, properties.village: village "DC-V09" is not in villages.geojson
              grids.geojson: feature 1, geometry: invalid Polygon: Self-intersection at (119.815, 35.905)
              team.csv: line 5: grid "DC-002" is not in grids.geojson
            """)
        #expect(TownProblem.summary(of: Array(repeating: TownProblem.Kind.syntax, count: 10_562) + [.geometry]) == [
            "10562 syntax    JSON, GeoJSON or CSV that cannot be read",
            "    1 geometry  geometries of the wrong type or invalid",
        ])
    }

    @Test("a town read from a folder is marked validated; any change clears the mark, and the change is checked")
    func validatedMark() throws {
        let url = try TownFolderFixture.written()
        defer { try? FileManager.default.removeItem(at: url) }
        let read = try TownFolder.read(from: url)
        #expect(read.isValidated && !TownFolderFixture.town.isValidated)
        #expect(read == TownFolderFixture.town, "the mark is not part of the value")
        var changed = read
        changed.residents[0].homeID = "home-404"
        #expect(!changed.isValidated)
        let (problems, rows) = TownValidator.validate(changed) { feature, _ throws(TownValidator.RowRefusal) in feature.id }
        #expect(problems.map(\.message) == ["home \"home-404\" is not in homes"])
        #expect(rows.count == changed.features.count)
        var touched = read
        touched.team += []
        #expect(!touched.isValidated)
    }

    @Test("the bundled town breaks no rule, read from its folder or checked as data")
    func bundledTownIsClean() throws {
        let town = try TownFolder.read(from: BundledTownCoverageTests.folder)
        #expect(TownValidator.problems(in: town) == [])
    }
}
