import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
import GridStore
import Testing

/// OpenStreetMap's built-in mapping, on a small OSM XML file written here with one way or node
/// per rule, and on copies of the real extract in other formats (docs/IMPORT-SOURCES.md).
@Suite("Import job: OpenStreetMap's built-in mapping")
struct OSMMappingTests {
    static let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <osm version="0.6" generator="test">
          <node id="1" lat="21.8700" lon="-102.2800"/>
          <node id="2" lat="21.8700" lon="-102.2790"/>
          <node id="3" lat="21.8710" lon="-102.2790"/>
          <node id="4" lat="21.8710" lon="-102.2800"/>
          <node id="5" lat="21.8720" lon="-102.2800"/>
          <node id="6" lat="21.8720" lon="-102.2790"/>
          <node id="7" lat="21.8705" lon="-102.2795">
            <tag k="amenity" v="bench"/><tag k="description" v="say &quot;hi&quot;, =&gt; twice"/>
          </node>
          <node id="8" lat="21.8730" lon="-102.2800"/>
          <node id="9" lat="21.8730" lon="-102.2790"/>
          <node id="20" lat="21.8740" lon="-102.2800"/>
          <node id="21" lat="21.8740" lon="-102.2790"/>
          <node id="22" lat="21.8741" lon="-102.2790"/>
          <node id="23" lat="21.8741" lon="-102.2800"/>
          <way id="10"><nd ref="1"/><nd ref="2"/>
            <tag k="highway" v="residential"/><tag k="name" v="Calle Uno"/><tag k="oneway" v="-1"/>
            <tag k="maxspeed" v="30 mph"/><tag k="bridge" v="yes"/><tag k="layer" v="1"/><tag k="colour" v="red"/></way>
          <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="construction"/></way>
          <way id="12"><nd ref="3"/><nd ref="4"/><tag k="highway" v="bus_guideway"/></way>
          <way id="13"><nd ref="4"/><nd ref="3"/><nd ref="6"/><nd ref="5"/><nd ref="4"/>
            <tag k="building" v="yes"/><tag k="amenity" v="pharmacy"/><tag k="name" v="Farmacia Centro"/></way>
          <way id="14"><nd ref="5"/><nd ref="6"/><nd ref="9"/><nd ref="8"/><nd ref="5"/>
            <tag k="building" v="house"/><tag k="addr:street" v="Calle Cinco"/><tag k="addr:housenumber" v="8b"/></way>
          <way id="15"><nd ref="8"/><nd ref="9"/><tag k="waterway" v="ditch"/></way>
          <way id="16"><nd ref="20"/><nd ref="21"/><nd ref="22"/><nd ref="23"/><nd ref="20"/><tag k="building" v="yes"/></way>
        </osm>
        """

    @Test("each rule of the built-in mapping: services, roads with their tags, homes with addresses, water; ids by OSM type")
    func rules() throws {
        try SourceImportTests.withFolder { folder in
            let source = try SourceImportTests.write(Self.xml, to: folder.appendingPathComponent("tiny.osm"))
            let store = InMemoryTownStore()
            var notices: [String] = []
            try TownTransfer.importSource(source, options: SourceImportOptions(code: "TY"), into: store) { notices.append($0) }
            let features = try #require(try store.loadTown()).features
            let byID = Dictionary(features.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(Set(byID.keys) == ["way/10", "way/12", "way/13", "way/14", "way/15", "way/16", "node/7"])

            let road = try #require(byID["way/10"])
            #expect(road.kind == .road && road.name == "Calle Uno")
            #expect(road.properties["class"] == "residential" && road.properties["oneway"] == "-1" && road.properties["maxspeed"] == "30 mph")
            #expect(road.properties["bridge"] == "yes" && road.properties["layer"] == "1" && road.properties["highway"] == "residential")
            #expect(road.properties["colour"] == nil, "a road keeps the road tags, not every tag")
            #expect(byID["way/12"]?.properties["class"] == "road" && byID["way/12"]?.properties["highway"] == "bus_guideway",
                    "an unknown highway value is OSM's road of unknown type, never refused")

            let pharmacy = try #require(byID["way/13"])
            #expect(pharmacy.kind.rawValue == "pharmacy" && pharmacy.kind.layerName == "pharmacies" && pharmacy.name == "Farmacia Centro")
            switch pharmacy.geometry {
            case .polygon, .multiPolygon: break
            default: Issue.record("a building is polygonal: \(pharmacy.geometry)")
            }

            let home = try #require(byID["way/14"])
            #expect(home.kind == .home && home.name.isEmpty)
            #expect(home.properties["address"] == "Calle Cinco 8b" && home.properties["houseNumber"] == "8b")
            #expect(byID["way/16"]?.kind == .home && byID["way/16"]?.properties["address"] == nil)

            let bench = try #require(byID["node/7"])
            #expect(bench.kind == KindCatalogue.service && bench.properties["amenity"] == "bench")
            #expect(bench.properties["description"] == "say \"hi\", => twice", "other_tags are read with their escapes")
            #expect(byID["way/15"]?.kind == .ditch)

            let town = try #require(try store.town())
            #expect(town.manifestMembers["roadTopology"] == "shared-vertices")
            #expect(notices.contains { $0.contains("layer lines: 1 feature matched no rule") }, "\(notices)")
            #expect(notices.contains { $0.contains("1 of 2 homes have no address") }, "\(notices)")
        }
    }

    @Test("a GeoPackage copy of the whole extract with the osm preset gives the PBF's features, kind by kind")
    func presetOnACopy() throws {
        let store = InMemoryTownStore()
        try TownTransfer.importSource(SourceImportTests.pbf, options: SourceImportOptions(code: "AG"), into: store)
        let reference = try #require(try store.loadTown()).features
        try SourceImportTests.withFolder { folder in
            let gpkg = folder.appendingPathComponent("ag.gpkg")
            try SourceImportTests.ogr2ogr(["-f", "GPKG", gpkg.path, SourceImportTests.pbf.path])
            let mapping = try SourceImportTests.write(#"{"town": {"code": "AG"}, "preset": "osm"}"#, to: folder.appendingPathComponent("m.json"))
            let copy = InMemoryTownStore()
            try TownTransfer.importSource(gpkg, options: SourceImportOptions(mapping: mapping), into: copy)
            let features = try #require(try copy.loadTown()).features
            func index(_ list: [MapFeature]) -> [String: MapFeature] { Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }
            let (expected, got) = (index(reference), index(features))
            #expect(expected.count > 700 && Set(got.keys) == Set(expected.keys))
            for (id, feature) in got {
                guard let other = expected[id] else { continue }
                #expect(feature.kind == other.kind && feature.name == other.name && feature.properties == other.properties, "\(id)")
                #expect(SourceImportTests.samePositions(feature.geometry, other.geometry), "\(id)")
            }
            #expect(try copy.town()?.manifestMembers["roadTopology"] == "shared-vertices")
        }
    }

    @Test("a boundary file keeps the features that touch it and becomes the town's, grid's and micro-grid's outline")
    func boundaryFile() throws {
        try SourceImportTests.withFolder { folder in
            let ring = "[[-102.276,21.866],[-102.268,21.866],[-102.268,21.872],[-102.276,21.872],[-102.276,21.866]]"
            let boundary = try SourceImportTests.write("""
                {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[\(ring)]}}]}
                """, to: folder.appendingPathComponent("centre.geojson"))
            let store = InMemoryTownStore()
            var notices: [String] = []
            var options = SourceImportOptions(code: "AG", boundary: boundary)
            options.allowingCoverageFaults = false
            try TownTransfer.importSource(SourceImportTests.pbf, options: options, into: store) { notices.append($0) }
            let town = try #require(try store.loadTown())
            #expect(SourceImportTests.samePositions(town.town.boundary, town.grids[0].geometry))
            #expect(town.microGrids.count == 1 && town.microGrids[0].geometry == town.grids[0].geometry)
            #expect(notices.contains { $0.contains("lie outside the boundary (") && $0.contains("centre.geojson") }, "\(notices)")
            // Every kept feature has a position in the box around the boundary or crosses it.
            #expect(!town.features.isEmpty)
            #expect(town.features.allSatisfy { feature in
                var touches = false
                feature.geometry.forEachPosition { touches = touches || ((-102.2762 ... -102.2678).contains($0.x) && (21.8658 ... 21.8722).contains($0.y)) }
                if case .lineString = feature.geometry { return true }  // a road may cross without a vertex inside
                if case .multiLineString = feature.geometry { return true }
                return touches
            })
        }
    }
}
