import GEOS
import GridMapCore
import Testing
@testable import MapRender

@Suite("Map primitives")
struct MapPrimitivesTests {
    @Test("numbers are written at 0.1 mm without a trailing .0 or a negative zero")
    func numbers() {
        #expect(SVGText.number(12.34) == "12.3")
        #expect(SVGText.number(12.36) == "12.4")
        #expect(SVGText.number(7) == "7")
        #expect(SVGText.number(-0.04) == "0")
        #expect(SVGText.number(-1.25) == "-1.3")
    }

    @Test("text is escaped for XML and forbidden control characters are dropped")
    func escaping() {
        #expect(Markup.escape("a<b>&\"c'\u{1}\u{FFFE}\n") == "a&lt;b&gt;&amp;&quot;c&#39;\n")
    }

    @Test("the scale is rounded up to a conventional denominator", arguments: [
        (4_321.0, 5_000), (10_000.0, 10_000), (10_001.0, 15_000), (43_210.0, 50_000), (61_000.0, 75_000), (80_000.0, 100_000),
    ])
    func conventionalScale(needed: Double, expected: Int) {
        #expect(MapLayout.conventionalScale(atLeast: needed) == expected)
    }

    @Test("the whole extent fits in the frame, centred, with north up")
    func layoutFitsExtent() {
        let extent = Envelope(minX: 500_000, minY: 3_970_000, maxX: 516_000, maxY: 3_984_000)
        let layout = MapLayout(page: .a3Landscape, extent: extent)
        let southWest = layout.pagePoint(x: extent.minX, y: extent.minY)
        let northEast = layout.pagePoint(x: extent.maxX, y: extent.maxY)
        #expect(southWest.x >= layout.frame.x && northEast.x <= layout.frame.maxX)
        #expect(northEast.y >= layout.frame.y && southWest.y <= layout.frame.maxY)
        #expect(northEast.y < southWest.y)
        #expect(abs((southWest.x + northEast.x) / 2 - layout.frame.midX) < 1e-9)
    }

    @Test("a label that would overlap a placed label moves, and is skipped when no place is free")
    func labelCollisions() {
        var placer = LabelPlacer(bounds: PageRect(x: 0, y: 0, width: 100, height: 100))
        let label = [LabelLine(text: "DC-001", fontSize: 3)]
        let first = placer.place(label, at: (50, 50))
        let second = placer.place(label, at: (50, 50))
        #expect(first != nil && second != nil)
        #expect(second.map { $0.x != 50 || $0.y != 50 } == true)
        let tight = LabelPlacer(bounds: PageRect(x: 45, y: 45, width: 12, height: 5))
        var crowded = tight
        #expect(crowded.place(label, at: (51, 47.5)) != nil)
        #expect(crowded.place(label, at: (51, 47.5)) == nil)
    }
}
