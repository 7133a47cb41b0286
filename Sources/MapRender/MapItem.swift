import GeoJSON
import GridMapCore

/// One kind of thing on the map as the reader sees it: a legend entry with one look.
///
/// Several items may come from one feature kind (roads split by their `class` property: Dacun's
/// county, village and track, and OpenStreetMap's highway values grouped into main roads,
/// streets and paths), and the boundaries are items too. The service kinds of ``KindCatalogue``
/// are drawn in five groups, so that no kind GridMap knows is an "other feature". The case order is the drawing order: areas first, then water and
/// roads, then boundaries, then point symbols on top.
enum MapItem: String, CaseIterable, Hashable, Sendable {
    case field, forest, lake, river, ditch
    /// A micro-grid shaded by the share of its homes a survey has visited (``MapOptions/microGridShares``):
    /// none, under half, half or more, all.
    case surveyedNone = "surveyed-none", surveyedSome = "surveyed-some", surveyedMost = "surveyed-most", surveyedAll = "surveyed-all"
    case path = "road-path", track = "road-track", street = "road-street", villageRoad = "road-village", countyRoad = "road-county"
    case mainRoad = "road-main"
    case microGridBoundary = "micro-grid-boundary", gridBoundary = "grid-boundary", townBoundary = "town-boundary"
    /// The outlines of the grid a grid sheet is about, and of its micro-grids, drawn above the rest.
    case focusMicroGridBoundary = "focus-micro-grid-boundary", focusGridBoundary = "focus-grid-boundary"
    case home, well, square
    case partyMassesServiceCentre = "party-masses-service-centre"
    case citizenServiceStation = "citizen-service-station"
    case clinic, school, kindergarten
    case health, education
    case publicService = "public-service"
    case worship, commerce
    case otherFeature = "other-feature"
    /// A problem on the event list (docs/EVENTS.md), drawn over everything else on an events map.
    case event

    /// The legend text in `language`.
    func legendLabel(in language: MapLanguage) -> String {
        language == .chinese ? chineseLabel : englishLabel
    }

    /// The legend text in Chinese, for the grid worker who reads the map.
    private var chineseLabel: String {
        switch self {
        case .field: "农田"
        case .forest: "林地"
        case .lake: "湖泊、水库"
        case .river: "河流"
        case .ditch: "沟渠"
        case .surveyedNone: "尚未走访"
        case .surveyedSome: "走访不足一半"
        case .surveyedMost: "走访过半"
        case .surveyedAll: "全部走访"
        case .path: "步道"
        case .track: "田间路"
        case .street: "街巷"
        case .villageRoad: "村道"
        case .countyRoad: "县道"
        case .mainRoad: "主干道"
        case .microGridBoundary: "微网格界"
        case .gridBoundary: "网格界"
        case .townBoundary: "镇界"
        case .focusMicroGridBoundary: "本网格微网格界"
        case .focusGridBoundary: "本网格界"
        case .home: "住户"
        case .well: "水井"
        case .square: "广场"
        case .partyMassesServiceCentre: "党群服务中心"
        case .citizenServiceStation: "市民服务驿站"
        case .clinic: "卫生室"
        case .school: "学校"
        case .kindergarten: "幼儿园"
        case .health: "医疗机构"
        case .education: "教育文化"
        case .publicService: "公共服务"
        case .worship: "宗教场所"
        case .commerce: "商业服务"
        case .otherFeature: "其他要素"
        case .event: "网格事件"
        }
    }

    private var englishLabel: String {
        switch self {
        case .field: "Fields"
        case .forest: "Forest"
        case .lake: "Lakes, reservoirs"
        case .river: "Rivers"
        case .ditch: "Ditches"
        case .surveyedNone: "No home surveyed"
        case .surveyedSome: "Under half surveyed"
        case .surveyedMost: "Half or more surveyed"
        case .surveyedAll: "Every home surveyed"
        case .path: "Paths and footways"
        case .track: "Tracks"
        case .street: "Streets"
        case .villageRoad: "Village roads"
        case .countyRoad: "County roads"
        case .mainRoad: "Main roads"
        case .microGridBoundary: "Micro-grid boundary"
        case .gridBoundary: "Grid boundary"
        case .townBoundary: "Town boundary"
        case .focusMicroGridBoundary: "This grid's micro-grids"
        case .focusGridBoundary: "This grid's boundary"
        case .home: "Homes"
        case .well: "Wells"
        case .square: "Squares"
        case .partyMassesServiceCentre: "Party and community centres"
        case .citizenServiceStation: "Citizen service stations"
        case .clinic: "Clinics"
        case .school: "Schools"
        case .kindergarten: "Kindergartens"
        case .health: "Health care"
        case .education: "Education and libraries"
        case .publicService: "Public services"
        case .worship: "Places of worship"
        case .commerce: "Shops and services"
        case .otherFeature: "Other features"
        case .event: "Grid events"
        }
    }

    /// The item a feature is drawn as. Roads go by their `class` property (an unknown class is a
    /// track, as routing takes it); the catalogue's service kinds by their group; user-defined
    /// kinds share one neutral symbol.
    static func of(_ feature: MapFeature) -> MapItem {
        switch feature.kind {
        case .field: .field
        case .forest: .forest
        case .lake: .lake
        case .river: .river
        case .ditch: .ditch
        case .road: road(class: feature.properties["class"]?.stringValue ?? "")
        case .home: .home
        case .well: .well
        case .square: .square
        case .partyMassesServiceCentre: .partyMassesServiceCentre
        case .citizenServiceStation: .citizenServiceStation
        case .clinic: .clinic
        case .school: .school
        case .kindergarten: .kindergarten
        case .event: .event
        default: serviceGroups[feature.kind.rawValue] ?? .otherFeature
        }
    }

    /// A road class's look: Dacun's three, and OSM's `highway` values (docs/ROUTING.md).
    static func road(class roadClass: String) -> MapItem {
        switch roadClass {
        case "county": .countyRoad
        case "village": .villageRoad
        case "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link": .mainRoad
        case "tertiary", "tertiary_link", "unclassified", "residential", "living_street", "service", "road", "busway": .street
        case "footway", "path", "cycleway", "bridleway", "steps", "corridor", "pedestrian": .path
        default: .track
        }
    }

    /// The catalogue's service kinds (``KindCatalogue``) by the group they are drawn as.
    static let serviceGroups: [String: MapItem] = [
        "pharmacy": .health, "hospital": .health, "dentist": .health,
        "college": .education, "university": .education, "library": .education,
        "police-station": .publicService, "fire-station": .publicService, "post-office": .publicService,
        "town-hall": .publicService, "community-centre": .publicService, "social-facility": .publicService,
        "bus-station": .publicService,
        "place-of-worship": .worship,
        "marketplace": .commerce, "bank": .commerce, "shop": .commerce, "office": .commerce, "service": .commerce,
    ]

    /// Items drawn as a symbol at a point (a polygon of such a kind gets a pale fill as well).
    var isPointSymbol: Bool {
        switch self {
        case .home, .well, .square, .partyMassesServiceCentre, .citizenServiceStation, .clinic, .school,
             .kindergarten, .health, .education, .publicService, .worship, .commerce, .otherFeature, .event: true
        default: false
        }
    }
}
