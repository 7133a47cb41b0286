import Foundation
import GeoJSON
import GridMapCore
import Testing
@testable import MapRender
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Map renderer")
struct MapRendererTests {
    let townMap: RenderedMap
    let gridMap: RenderedMap

    init() throws {
        townMap = try MapRenderer().render(Fixture.town())
        gridMap = try MapRenderer(options: MapOptions(scope: .grid(Fixture.grid1))).render(Fixture.town())
    }

    @Test("the SVG is well-formed XML with an svg root")
    func wellFormed() throws {
        for map in [townMap, gridMap] {
            let document = try XMLDocument(data: Data(map.svg.utf8))
            #expect(document.rootElement()?.name == "svg")
        }
    }

    @Test("the page is A3 landscape in millimetres by default, A4 when asked")
    func pageSize() throws {
        #expect(townMap.svg.contains("width=\"420mm\" height=\"297mm\" viewBox=\"0 0 420 297\""))
        let a4 = try MapRenderer(options: MapOptions(page: .a4Landscape)).render(Fixture.town())
        #expect(a4.svg.contains("width=\"297mm\" height=\"210mm\" viewBox=\"0 0 297 210\""))
    }

    @Test("the town sheet has exactly one label per grid, carrying its code")
    func oneLabelPerGrid() {
        #expect(SVGInspection.count("class=\"grid-label\"", in: townMap.svg) == 2)
        #expect(SVGInspection.count("data-code=\"DC-001\"", in: townMap.svg) == 1)
        #expect(SVGInspection.count("data-code=\"DC-002\"", in: townMap.svg) == 1)
        #expect(townMap.svg.contains(">DC-001</text>"))
        #expect(townMap.skippedLabels == 0)
    }

    @Test("grid labels are at least 2.5 mm tall")
    func labelsAreReadable() {
        let labelPart = townMap.svg.components(separatedBy: "<g id=\"labels\"")[1].components(separatedBy: "</g>\n<rect")[0]
        let sizes = SVGInspection.values(of: "font-size", in: labelPart).compactMap(Double.init)
        #expect(!sizes.isEmpty)
        #expect(sizes.allSatisfy { $0 >= 2.5 })
    }

    @Test("the legend has an entry for each layer drawn and none for layers absent")
    func legendEntries() {
        let items = Set(SVGInspection.values(of: "data-item", in: townMap.svg))
        let expected: Set = ["field", "forest", "river", "ditch", "road-track", "road-village", "road-county",
                             "micro-grid-boundary", "grid-boundary", "town-boundary", "home", "well", "clinic"]
        #expect(items == expected)
        #expect(townMap.legend.contains("卫生室"))
        #expect(!townMap.legend.contains("学校"))
    }

    @Test("Chinese text is present and XML-special characters in names are escaped")
    func chineseAndEscaping() {
        #expect(townMap.svg.contains("大村镇网格地图"))
        #expect(townMap.svg.contains("河口&lt;东&gt;&amp;村"))
        #expect(!townMap.svg.contains(Fixture.awkwardName))
        #expect(townMap.svg.contains("Noto Sans CJK SC"))
    }

    @Test("rendering the same data twice gives the same bytes")
    func deterministic() throws {
        let again = try MapRenderer().render(Fixture.town())
        #expect(again.svg == townMap.svg)
        let gridAgain = try MapRenderer(options: MapOptions(scope: .grid(Fixture.grid1))).render(Fixture.town())
        #expect(gridAgain.svg == gridMap.svg)
    }

    @Test("a grid sheet labels that grid's micro-grids and no other grid's")
    func gridScopeMicroGridLabels() {
        let codes = SVGInspection.values(of: "data-code", in: gridMap.svg)
        let microLabels = gridMap.svg.components(separatedBy: "class=\"micro-grid-label\" data-code=\"").dropFirst()
            .map { String($0.prefix { $0 != "\"" }) }
        #expect(microLabels.sorted() == ["DC-001-1", "DC-001-2"])
        #expect(!codes.contains("DC-002-1") && !codes.contains("DC-002-2"))
        #expect(gridMap.svg.contains("id=\"fade-outside-grid\""))
        #expect(gridMap.svg.contains("网格 DC-001 东庄村"))
    }

    @Test("a grid sheet is at a larger scale than the town sheet")
    func gridScopeZoomsIn() {
        #expect(gridMap.scaleDenominator < townMap.scaleDenominator)
    }

    @Test("a town with no features still renders its boundaries and grid labels")
    func emptyTown() throws {
        let map = try MapRenderer().render(Fixture.town(features: false))
        #expect(SVGInspection.count("class=\"grid-label\"", in: map.svg) == 2)
        #expect(Set(SVGInspection.values(of: "data-item", in: map.svg)) == ["micro-grid-boundary", "grid-boundary", "town-boundary"])
        _ = try XMLDocument(data: Data(map.svg.utf8))
    }

    @Test("every drawn position lies inside the page")
    func positionsInsidePage() {
        for (map, page) in [(townMap, PageSize.a3Landscape), (gridMap, .a3Landscape)] {
            let positions = SVGInspection.positions(in: map.svg)
            #expect(positions.count > 50)
            let outside = positions.filter { $0.x < 0 || $0.x > page.widthMM || $0.y < 0 || $0.y > page.heightMM }
            #expect(outside.isEmpty, "outside the page: \(outside.prefix(5))")
        }
    }

    @Test("only the layers asked for are drawn")
    func layerSelection() throws {
        let map = try MapRenderer(options: MapOptions(layers: [.road])).render(Fixture.town())
        let items = Set(SVGInspection.values(of: "data-item", in: map.svg))
        #expect(items.contains("road-county"))
        #expect(!items.contains("forest") && !items.contains("well") && !items.contains("home"))
    }

    @Test("a grid scope naming an unknown grid is an error")
    func unknownGrid() {
        let missing = GridCode("DC-099")!
        #expect(throws: MapRenderError.unknownGrid(missing)) {
            try MapRenderer(options: MapOptions(scope: .grid(missing))).render(Fixture.town())
        }
    }

    @Test("an unknown working CRS is a projection error")
    func unknownCRS() {
        var data = Fixture.town()
        data.town.workingCRS = "EPSG:999999"
        #expect {
            try MapRenderer().render(data)
        } throws: { error in
            if case .projection = error as? MapRenderError { true } else { false }
        }
    }

    @Test("the title block carries the custom title and the data source")
    func titleAndSource() throws {
        let map = try MapRenderer(options: MapOptions(title: "示范图", dataSource: "镇综治中心 2024")).render(Fixture.town())
        #expect(map.svg.contains(">示范图</text>"))
        #expect(map.svg.contains("数据来源：镇综治中心 2024"))
        #expect(map.svg.contains("EPSG:4549"))
    }
}
