import GeoJSON
import GridMapCore

/// OpenStreetMap's built-in mapping (docs/IMPORT-SOURCES.md): which tagged feature becomes
/// which kind, with which properties, under which id. It reads the layers GDAL's OSM driver
/// makes (`points`, `lines`, `multilinestrings`, `multipolygons`, `other_relations`), from an
/// OSM file or from any copy `ogr2ogr` made of one (the same layer and field names).
///
/// The order of the rules: a service tag (`amenity`, `healthcare`, `shop`, `office`) first, so a
/// building that is a pharmacy is a pharmacy; then a road (`highway` on a line); a building (a
/// home); land use and water. Anything else is left out, and counted.
enum OSMMapping {
    /// What a feature becomes: its kind, name and properties.
    struct Mapped {
        var kind: FeatureKind
        var name: String
        var properties: JSONObject
    }

    /// The fields GDAL's OSM driver adds that are not tags.
    static let driverFields: Set<String> = ["osm_id", "osm_way_id", "other_tags", "z_order"]

    /// The road tags routing reads (the helpers' contract, OSM's names), kept on every road,
    /// with the few that say what a road is.
    static let roadTags = ["oneway", "junction", "access", "foot", "bicycle", "motor_vehicle", "motorcar", "vehicle",
                           "maxspeed", "sidewalk", "layer", "bridge", "tunnel", "oneway:bicycle", "cycleway", "highway", "ref",
                           "lanes", "surface"]

    /// `highway` values that are not a road one can use (planned, being built, gone, or a thing
    /// beside the road), left out of the road layer.
    static let notRoads: Set<String> = ["proposed", "construction", "abandoned", "disused", "razed", "platform", "rest_area",
                                        "services", "elevator", "bus_stop", "raceway"]

    /// amenity / healthcare values → catalogue kinds; other values of these keys, and `shop` and
    /// `office`, become ``KindCatalogue/service``, `shop` or `office` with the tag kept.
    static let serviceKinds: [String: String] = [
        "pharmacy": "pharmacy", "chemist": "pharmacy", "clinic": "clinic", "doctors": "clinic", "doctor": "clinic",
        "hospital": "hospital", "dentist": "dentist", "school": "school", "kindergarten": "kindergarten",
        "childcare": "kindergarten", "college": "college", "university": "university", "library": "library",
        "police": "police-station", "fire_station": "fire-station", "post_office": "post-office", "townhall": "town-hall",
        "community_centre": "community-centre", "social_facility": "social-facility", "place_of_worship": "place-of-worship",
        "marketplace": "marketplace", "bank": "bank", "bus_station": "bus-station",
    ]

    static let landKinds: [String: [String: FeatureKind]] = [
        "landuse": ["farmland": .field, "farmyard": .field, "meadow": .field, "orchard": .field, "vineyard": .field,
                    "allotments": .field, "greenhouse_horticulture": .field, "plant_nursery": .field,
                    "forest": .forest, "reservoir": .lake, "basin": .lake],
        "natural": ["wood": .forest, "water": .lake],
        "waterway": ["river": .river, "stream": .river, "canal": .river, "ditch": .ditch, "drain": .ditch],
    ]

    /// The stable id of a feature of the OSM driver's `layer`: `node/ID` for points, `way/ID`
    /// for lines and for closed ways read as polygons (`osm_way_id`), `relation/ID` otherwise.
    static func id(layer: String, fields: SourceAttributes, fid: Int64) -> String {
        if let way = fields.text("osm_way_id") { return "way/" + way }
        let number = fields.text("osm_id") ?? String(fid)
        switch layer {
        case "points": return "node/" + number
        case "lines": return "way/" + number
        default: return "relation/" + number
        }
    }

    /// What the feature becomes, or nil when no rule takes it. `isLinear`: its geometry is a line.
    static func map(_ tags: SourceAttributes, isLinear: Bool) -> Mapped? {
        let name = tags.text("name") ?? ""
        for key in ["amenity", "healthcare", "shop", "office"] {
            guard let value = tags.text(key), !value.isEmpty, !isLinear else { continue }
            let kind: FeatureKind
            switch key {
            case "shop": kind = FeatureKind(rawValue: "shop") ?? KindCatalogue.service
            case "office": kind = FeatureKind(rawValue: "office") ?? KindCatalogue.service
            default: kind = serviceKinds[value].flatMap(FeatureKind.init(rawValue:)) ?? KindCatalogue.service
            }
            return Mapped(kind: kind, name: name, properties: serviceProperties(tags))
        }
        if isLinear, let highway = tags.text("highway"), !notRoads.contains(highway) {
            var properties = JSONObject()
            // OSM's highway value is the class; one the classes do not list is OSM's own "road" (of unknown type).
            properties["class"] = .string(FeatureKind.roadClasses.contains(highway) ? highway : "road")
            for key in roadTags { if let value = tags[key] { properties[key] = value } }
            return Mapped(kind: .road, name: name, properties: properties)
        }
        if !isLinear, let building = tags.text("building"), building != "no" {
            var properties = JSONObject()
            let number = tags.text("addr:housenumber")
            if let full = tags.text("addr:full") {
                properties["address"] = .string(full)
            } else if let street = tags.text("addr:street") {
                properties["address"] = .string(number.map { "\(street) \($0)" } ?? street)
            }
            if let number, !number.isEmpty { properties["houseNumber"] = .string(number) }
            for (key, value) in tags.members where key == "building" || key.hasPrefix("addr:") || key == "building:levels" {
                properties[key] = value
            }
            return Mapped(kind: .home, name: name, properties: properties)
        }
        for key in ["landuse", "natural", "waterway"] {
            guard let value = tags.text(key), let kind = landKinds[key]?[value] else { continue }
            // Rivers and ditches are lines, the others areas; a river drawn as an area is water.
            if (kind == .river || kind == .ditch) != isLinear { continue }
            return Mapped(kind: kind, name: name, properties: [key: .string(value)])
        }
        return nil
    }

    /// Every tag but the name and the driver's own fields, for a service (nothing it says is lost).
    private static func serviceProperties(_ tags: SourceAttributes) -> JSONObject {
        JSONObject(tags.members.filter { $0.key != "name" && !driverFields.contains($0.key)
            && !MapFeature.reservedPropertyKeys.contains($0.key) })
    }
}
