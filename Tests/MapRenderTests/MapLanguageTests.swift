import Foundation
import GeoJSON
import GridMapCore
import Testing
@testable import MapRender

/// The map's words in the town's language: Chinese or English, chosen by `--lang`, the
/// manifest's `language`, or where the town lies (issue #11, item 7).
@Suite("Map renderer: the town's language")
struct MapLanguageTests {
    @Test("an English map has English title, subtitle, legend, kinds, scale, north and foot lines, and no Chinese words of its own")
    func english() throws {
        let map = try MapRenderer(options: MapOptions(language: .english)).render(Fixture.town())
        #expect(map.language == .english)
        #expect(map.legend.contains("Clinics") && map.legend.contains("County roads") && !map.legend.contains("卫生室"))
        for text in [">Legend<", ">Scale 1:", ">CRS: ", ">Source: ", ">N<", "Whole town · 2 grids", " grid map<"] {
            #expect(map.svg.contains(text), "\(text)")
        }
        for word in ["图例", "比例尺", "坐标系", "数据来源", ">北<", "网格地图", "其他要素", "个微网格"] {
            #expect(!map.svg.contains(word), "\(word)")
        }
        let chinese = try MapRenderer(options: MapOptions(language: .chinese)).render(Fixture.town())
        #expect(chinese.legend.contains("卫生室") && chinese.svg.contains(">图例<") && chinese.svg.contains("网格地图"))
    }

    @Test("without --lang: the manifest's language, else Chinese in China and English elsewhere")
    func defaultRule() throws {
        var data = Fixture.town()
        #expect(MapLanguage.default(for: data.town) == .chinese)
        #expect(try MapRenderer().render(data).language == .chinese)
        data.town.manifestMembers["language"] = "en-GB"
        #expect(MapLanguage.default(for: data.town) == .english)
        data.town.manifestMembers["language"] = "zh-Hans"
        // Moved to West Oakland: Chinese still, because the manifest says so; English without it.
        data.town.boundary = data.town.boundary.mapPositions { Position(x: $0.x - 119.8 - 122.29, y: $0.y - 35.9 + 37.81) }
        #expect(MapLanguage.default(for: data.town) == .chinese)
        data.town.manifestMembers = [:]
        #expect(MapLanguage.default(for: data.town) == .english)
        #expect(MapLanguage(tag: "fr") == nil && MapLanguage(tag: "EN") == .english)
    }

    @Test("every built-in kind has its own legend entry in both languages, never the catch-all")
    func everyKindHasASymbol() {
        for kind in FeatureKind.builtIn {
            let item = MapItem.of(MapFeature(id: "x", kind: kind, name: "x", geometry: .point(Position(x: 0, y: 0))))
            #expect(item != .otherFeature, "\(kind)")
            #expect(item.legendLabel(in: .chinese) != item.legendLabel(in: .english))
        }
    }

    @Test("every kind of the catalogue and every road class routing knows has its own look, never the catch-all")
    func catalogueKindsAndRoadClassesHaveALook() {
        for entry in KindCatalogue.entries where entry.kind != .road {
            let item = MapItem.of(MapFeature(id: "x", kind: entry.kind, name: "x", geometry: .point(Position(x: 0, y: 0))))
            #expect(item != .otherFeature, "\(entry.kind)")
            #expect(MapStyle.symbolID(for: item) != nil || !MapStyle(detailed: false).strokes(for: item).isEmpty
                    || MapStyle(detailed: false).area(for: item) != nil || item == .home, "\(entry.kind)")
        }
        let roads = FeatureKind.roadClasses.map { MapItem.road(class: $0) }
        #expect(Set(roads).isSubset(of: [.path, .track, .street, .villageRoad, .countyRoad, .mainRoad]))
        #expect(MapItem.road(class: "primary") == .mainRoad && MapItem.road(class: "residential") == .street
                && MapItem.road(class: "footway") == .path && MapItem.road(class: "village") == .villageRoad
                && MapItem.road(class: "no-such-class") == .track)
        #expect(MapItem.of(MapFeature(id: "x", kind: FeatureKind(rawValue: "beehive")!, name: "x", geometry: .point(Position(x: 0, y: 0)))) == .otherFeature)
        for item in [MapItem.health, .education, .publicService, .worship, .commerce, .mainRoad, .street, .path] {
            #expect(item.legendLabel(in: .chinese) != item.legendLabel(in: .english))
        }
    }

    @Test("the rates chart names its series in English for an English town")
    func ratesChart() {
        let table = EventRateTable([], by: .month, now: Date(timeIntervalSince1970: 0))
        #expect(RatesChart.svg(table, title: "t", language: .english).contains(">reported in<"))
        #expect(RatesChart.svg(table, title: "t").contains(">report-in 报到率<"))
    }
}
