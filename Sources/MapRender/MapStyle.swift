/// The look of every map item, chosen for a printed A3 sheet read at arm's length: widths in
/// millimetres on paper, colours that stay apart on a colour printer and still separate by
/// weight and dash on a black-and-white copy.
///
/// Two levels of detail: the town sheet (about 1:60 000, where a road is a thin line) and the
/// grid sheet (about 1:5 000 to 1:10 000, where lines can be bolder and homes get a square).
struct MapStyle {
    /// True for the grid sheet: bolder lines, home squares instead of dots.
    let detailed: Bool

    /// The CSS font stack. Debian's fonts-noto-cjk provides "Noto Sans CJK SC" and
    /// fonts-wqy-zenhei provides "WenQuanYi Zen Hei"; without either, Chinese text falls back to
    /// whatever sans-serif font the viewer has.
    static let fontFamily = "'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif"

    /// Strokes drawn one over the other for a line item (a road is a dark casing under a light
    /// fill); each is a list of SVG presentation attributes.
    func strokes(for item: MapItem) -> [[(String, String)]] {
        let wide = detailed ? 1.4 : 1.0
        func line(_ colour: String, _ width: Double, dash: String? = nil) -> [(String, String)] {
            var attributes = [("fill", "none"), ("stroke", colour), ("stroke-width", Self.width(width)),
                              ("stroke-linejoin", "round"), ("stroke-linecap", dash == nil ? "round" : "butt")]
            if let dash { attributes.append(("stroke-dasharray", dash)) }
            return attributes
        }
        switch item {
        case .river: return [line("#2f7fc1", 0.9 * wide)]
        case .ditch: return [line("#4a9ad4", 0.3 * wide)]
        case .path: return [line("#9a8c7c", 0.2 * wide, dash: "0.6 0.5")]
        case .track: return [line("#7b6a58", 0.3 * wide, dash: "1.2 0.6")]
        case .street: return [line("#8c8c8c", 0.8 * wide), line("#ffffff", 0.5 * wide)]
        case .villageRoad: return [line("#8a6d2f", 1.0 * wide), line("#fff1b8", 0.6 * wide)]
        case .countyRoad: return [line("#7a3010", 1.5 * wide), line("#f08c3a", 1.0 * wide)]
        case .mainRoad: return [line("#8b1a1a", 1.3 * wide), line("#e8503a", 0.85 * wide)]
        case .microGridBoundary: return [line("#555555", 0.25, dash: "1.2 0.8")]
        case .gridBoundary: return [line("#222222", 0.6)]
        case .townBoundary: return [line("#b8b8b8", 2.6), line("#000000", 1.1, dash: "4 1 1 1")]
        case .focusMicroGridBoundary: return [line("#b03a2e", 0.45, dash: "2 1")]
        case .focusGridBoundary: return [line("#ffffff", 1.8), line("#b03a2e", 1.0)]
        default: return []
        }
    }

    /// Fill and outline for an area item, or for the pale ground under a point item's polygon.
    func area(for item: MapItem) -> [(String, String)]? {
        func area(_ fill: String, _ stroke: String, _ width: Double) -> [(String, String)] {
            [("fill", fill), ("stroke", stroke), ("stroke-width", Self.width(width)), ("fill-rule", "evenodd")]
        }
        switch item {
        case .field: return area("#f7f0c6", "#d6c98a", 0.1)
        case .forest: return area("#a8d08d", "#5f9645", 0.15)
        case .lake, .river: return area("#a9d3ef", "#2f7fc1", 0.2)
        case .square: return area("#eadcf2", "#8e5aa8", 0.15)
        // Light enough that the roads and homes over them stay legible; red to green as a survey goes.
        case .surveyedNone: return area("#f4a3a0", "none", 0.1) + [("fill-opacity", "0.7")]
        case .surveyedSome: return area("#f9c98f", "none", 0.1) + [("fill-opacity", "0.7")]
        case .surveyedMost: return area("#f3e99a", "none", 0.1) + [("fill-opacity", "0.7")]
        case .surveyedAll: return area("#9fd89a", "none", 0.1) + [("fill-opacity", "0.7")]
        case .partyMassesServiceCentre, .citizenServiceStation, .clinic, .school, .kindergarten, .health, .education,
             .publicService, .worship, .commerce, .otherFeature, .event:
            return area("#f3e3dc", "#9a7b6e", 0.15)
        default: return nil
        }
    }

    /// Stroke width as text; at least 0.1 mm so that rounding never makes a line vanish.
    static func width(_ millimetres: Double) -> String { SVGText.number(max(millimetres, 0.1)) }

    /// Size of the home mark: a 1.1 mm square on the grid sheet, a 0.4 mm dot on the town sheet.
    var homeSize: Double { detailed ? 1.1 : 0.4 }

    /// How much point symbols are scaled: full size on the grid sheet, smaller on the town sheet
    /// where a hundred service points share the page.
    var symbolScale: Double { detailed ? 1.0 : 0.75 }

    /// The `<defs>` symbols, each centred on (0, 0) and about 3 mm across, used with `<use>`.
    func writeSymbolDefinitions(into svg: inout SVGDocument) {
        svg.open("defs")
        func lettered(_ id: String, _ colour: String, _ letter: String, round: Bool) {
            svg.open("g", [("id", id)])
            if round {
                svg.element("circle", [("r", "1.7"), ("fill", colour), ("stroke", "#ffffff"), ("stroke-width", "0.3")])
            } else {
                svg.element("rect", [("x", "-1.7"), ("y", "-1.7"), ("width", "3.4"), ("height", "3.4"), ("fill", colour),
                                     ("stroke", "#ffffff"), ("stroke-width", "0.3")])
            }
            svg.element("text", [("y", "0.8"), ("font-size", "2.3"), ("font-weight", "bold"), ("fill", "#ffffff"),
                                 ("text-anchor", "middle")], content: letter)
            svg.close("g")
        }
        svg.open("g", [("id", "sym-well")])
        svg.element("circle", [("r", "1.1"), ("fill", "#ffffff"), ("stroke", "#1f6fb2"), ("stroke-width", "0.35")])
        svg.element("circle", [("r", "0.45"), ("fill", "#1f6fb2")])
        svg.close("g")
        svg.open("g", [("id", "sym-square")])
        svg.element("path", [("d", "M0 -1.6L1.6 0 0 1.6 -1.6 0Z"), ("fill", "#8e5aa8"), ("stroke", "#ffffff"), ("stroke-width", "0.25")])
        svg.close("g")
        lettered("sym-party-masses-service-centre", "#c0392b", "党", round: false)
        lettered("sym-citizen-service-station", "#e67e22", "驿", round: false)
        svg.open("g", [("id", "sym-clinic")])
        svg.element("circle", [("r", "1.6"), ("fill", "#ffffff"), ("stroke", "#c0392b"), ("stroke-width", "0.35")])
        svg.element("path", [("d", "M-0.35 -1.1h0.7v0.75h0.75v0.7h-0.75v0.75h-0.7v-0.75h-0.75v-0.7h0.75Z"), ("fill", "#c0392b")])
        svg.close("g")
        lettered("sym-school", "#2c6fbb", "学", round: false)
        lettered("sym-kindergarten", "#d1558f", "幼", round: true)
        lettered("sym-event", "#d62728", "事", round: true)
        // The catalogue's service groups: shapes, not characters, since such towns are often abroad.
        func shaped(_ id: String, _ colour: String, _ path: String) {
            svg.open("g", [("id", id)])
            svg.element("path", [("d", path), ("fill", colour), ("stroke", "#ffffff"), ("stroke-width", "0.3")])
            svg.close("g")
        }
        shaped("sym-health", "#2e8b57", "M-0.45 -1.4h0.9v0.95h0.95v0.9h-0.95v0.95h-0.9v-0.95h-0.95v-0.9h0.95Z")
        shaped("sym-education", "#2c6fbb", "M-1.3 -1.1h2.6v2.2h-2.6Z")
        shaped("sym-public-service", "#6c5ce7", "M0 -1.5L1.5 0 0 1.5 -1.5 0Z")
        shaped("sym-worship", "#8d6e63", "M0 -1.5L1.4 1.1H-1.4Z")
        shaped("sym-commerce", "#e67e22", "M0 -1.3A1.3 1.3 0 1 1 0 1.3A1.3 1.3 0 1 1 0 -1.3Z")
        svg.open("g", [("id", "sym-other-feature")])
        svg.element("circle", [("r", "0.9"), ("fill", "#666666"), ("stroke", "#ffffff"), ("stroke-width", "0.25")])
        svg.close("g")
        svg.close("defs")
    }

    /// The `<defs>` id of an item's point symbol; nil for homes, which are drawn as one path.
    static func symbolID(for item: MapItem) -> String? {
        switch item {
        case .well: "sym-well"
        case .square: "sym-square"
        case .partyMassesServiceCentre: "sym-party-masses-service-centre"
        case .citizenServiceStation: "sym-citizen-service-station"
        case .clinic: "sym-clinic"
        case .school: "sym-school"
        case .kindergarten: "sym-kindergarten"
        case .health: "sym-health"
        case .education: "sym-education"
        case .publicService: "sym-public-service"
        case .worship: "sym-worship"
        case .commerce: "sym-commerce"
        case .otherFeature: "sym-other-feature"
        case .event: "sym-event"
        default: nil
        }
    }

    static let homeColour = "#7a4a2a"
}
