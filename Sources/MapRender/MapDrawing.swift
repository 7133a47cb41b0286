import GEOS
import GeoJSON
import GridMapCore

/// Writes the map frame's content: areas, water and roads, boundaries, point symbols, the fade
/// over a grid sheet's neighbours, and labels — in that order, each later layer over the earlier.
struct MapDrawing {
    let town: ProjectedTown
    let scope: MapScope
    let geometry: PageGeometry
    let style: MapStyle
    /// Micro-grids to shade by share (``MapOptions/microGridShares``).
    var shares: [GridCode: Double] = [:]
    /// The legend entries for what was actually drawn, in drawing order.
    private(set) var legendItems: [MapItem] = []
    private(set) var skippedLabels = 0
    private var drawn: Set<MapItem> = []

    init(town: ProjectedTown, scope: MapScope, geometry: PageGeometry, style: MapStyle) {
        self.town = town
        self.scope = scope
        self.geometry = geometry
        self.style = style
    }

    /// A feature clipped to the frame, with what the drawing needs to know about its shape.
    struct Visible {
        var feature: ProjectedTown.Feature
        /// Clipped and simplified; nil for points, which skip GEOS.
        var shape: GEOSGeometry?
        var isPolygonal: Bool
    }

    private var focusCode: GridCode? {
        if case .grid(let code) = scope { code } else { nil }
    }

    mutating func write(into svg: inout SVGDocument) throws(MapRenderError) {
        let frame = geometry.layout.frame
        let page = geometry.layout.page
        style.writeSymbolDefinitions(into: &svg)
        svg.open("defs")
        svg.open("clipPath", [("id", "map-frame")])
        svg.element("rect", Self.rectAttributes(frame))
        svg.close("clipPath")
        svg.close("defs")
        svg.element("rect", [("x", "0"), ("y", "0"), ("width", SVGText.number(page.widthMM)),
                             ("height", SVGText.number(page.heightMM)), ("fill", "#ffffff")])

        let features = try visibleFeatures()
        svg.open("g", [("id", "map"), ("clip-path", "url(#map-frame)")])
        svg.element("rect", Self.rectAttributes(frame) + [("fill", "#fcfcf8")])
        try writeAreas(features, into: &svg)
        try writeShares(into: &svg)
        try writeLines(features, into: &svg)
        try writeBoundaries(into: &svg)
        try writePoints(features, into: &svg)
        if let focusCode { try writeFocus(focusCode, into: &svg) }
        svg.close("g")
        try writeLabels(features, into: &svg)
        svg.element("rect", Self.rectAttributes(frame) + [("fill", "none"), ("stroke", "#000000"), ("stroke-width", "0.5")])
        legendItems = MapItem.allCases.filter { drawn.contains($0) }
    }

    private func visibleFeatures() throws(MapRenderError) -> [Visible] {
        var result: [Visible] = []
        for feature in town.features {
            switch feature.ground {
            case .point, .multiPoint:
                if !geometry.pagePoints(feature.ground).isEmpty {
                    result.append(Visible(feature: feature, shape: nil, isPolygonal: false))
                }
            default:
                let what = "\(feature.feature.kind) \(feature.feature.id)"
                guard let shape = try geometry.visible(feature.ground, what: what) else { continue }
                let polygonal: Bool
                switch feature.ground {
                case .polygon, .multiPolygon: polygonal = true
                default: polygonal = false
                }
                result.append(Visible(feature: feature, shape: shape, isPolygonal: polygonal))
            }
        }
        return result
    }

    /// Filled areas, one path per feature (even-odd fill keeps holes open).
    private mutating func writeAreas(_ features: [Visible], into svg: inout SVGDocument) throws(MapRenderError) {
        for item in MapItem.allCases {
            guard let attributes = style.area(for: item) else { continue }
            let areas = features.filter { $0.feature.item == item && $0.isPolygonal }
            guard !areas.isEmpty else { continue }
            svg.open("g", [("id", "layer-\(item.rawValue)-areas")] + attributes)
            for area in areas {
                guard let shape = area.shape else { continue }
                let data = try geometry.pathData(shape, what: "\(area.feature.feature.kind) \(area.feature.feature.id)")
                if !data.isEmpty { svg.element("path", [("d", data)]) }
            }
            svg.close("g")
            drawn.insert(item)
        }
    }

    /// Micro-grids shaded by their share (``MapOptions/microGridShares``), one group per class.
    private mutating func writeShares(into svg: inout SVGDocument) throws(MapRenderError) {
        guard !shares.isEmpty else { return }
        func item(_ share: Double) -> MapItem {
            share <= 0 ? .surveyedNone : share < 0.5 ? .surveyedSome : share < 1 ? .surveyedMost : .surveyedAll
        }
        for shade in [MapItem.surveyedNone, .surveyedSome, .surveyedMost, .surveyedAll] {
            guard let attributes = style.area(for: shade) else { continue }
            var data = ""
            for micro in town.microGrids {
                guard let share = shares[micro.value.code], item(share) == shade,
                      let shape = try geometry.visible(micro.ground, what: "micro-grid \(micro.value.code)") else { continue }
                data += try geometry.pathData(shape, what: "micro-grid \(micro.value.code)")
            }
            guard !data.isEmpty else { continue }
            svg.element("path", [("id", "layer-\(shade.rawValue)"), ("d", data)] + attributes)
            drawn.insert(shade)
        }
    }

    /// Rivers, ditches and roads: all lines of one item in one path, stroked once per stroke of
    /// the item's style (casing, then fill), so that road casings join cleanly at crossings.
    private mutating func writeLines(_ features: [Visible], into svg: inout SVGDocument) throws(MapRenderError) {
        for item in [MapItem.river, .ditch, .path, .track, .street, .villageRoad, .countyRoad, .mainRoad] {
            var data = ""
            for line in features where line.feature.item == item && !line.isPolygonal {
                guard let shape = line.shape else { continue }
                data += try geometry.pathData(shape, what: "\(line.feature.feature.kind) \(line.feature.feature.id)")
            }
            writeStrokes(item, data: data, into: &svg)
        }
    }

    private mutating func writeBoundaries(into svg: inout SVGDocument) throws(MapRenderError) {
        var microData = ""
        for micro in town.microGrids {
            guard let shape = try geometry.visible(Self.outline(micro.ground), what: "micro-grid \(micro.value.code)") else { continue }
            microData += try geometry.pathData(shape, what: "micro-grid \(micro.value.code)")
        }
        writeStrokes(.microGridBoundary, data: microData, into: &svg)
        var gridData = ""
        for grid in town.grids {
            guard let shape = try geometry.visible(Self.outline(grid.ground), what: "grid \(grid.value.code)") else { continue }
            gridData += try geometry.pathData(shape, what: "grid \(grid.value.code)")
        }
        writeStrokes(.gridBoundary, data: gridData, into: &svg)
        var townData = ""
        if let shape = try geometry.visible(Self.outline(town.boundary), what: "the town boundary") {
            townData = try geometry.pathData(shape, what: "the town boundary")
        }
        writeStrokes(.townBoundary, data: townData, into: &svg)
    }

    /// Homes as one path of small squares (twenty thousand `<use>` elements would triple the
    /// file), every other point kind as its symbol.
    private mutating func writePoints(_ features: [Visible], into svg: inout SVGDocument) throws(MapRenderError) {
        let size = style.homeSize
        var homes = ""
        for home in features where home.feature.item == .home {
            for point in try symbolPoints(of: home) {
                homes += "M" + SVGText.number(point.x - size / 2) + " " + SVGText.number(point.y - size / 2)
                    + "h" + SVGText.number(size) + "v" + SVGText.number(size) + "h" + SVGText.number(-size) + "Z"
            }
        }
        if !homes.isEmpty {
            svg.element("path", [("id", "layer-home"), ("d", homes), ("fill", MapStyle.homeColour)])
            drawn.insert(.home)
        }
        for item in MapItem.allCases {
            guard let symbol = MapStyle.symbolID(for: item) else { continue }
            let members = features.filter { $0.feature.item == item }
            guard !members.isEmpty else { continue }
            svg.open("g", [("id", "layer-\(item.rawValue)")])
            for member in members {
                for point in try symbolPoints(of: member) {
                    svg.element("use", [("xlink:href", "#" + symbol), ("transform", Self.placement(point, scale: style.symbolScale))])
                }
            }
            svg.close("g")
            drawn.insert(item)
        }
    }

    /// Where a feature's symbol goes: its points, or a point on its surface for a polygon.
    func symbolPoints(of visible: Visible) throws(MapRenderError) -> [(x: Double, y: Double)] {
        guard let shape = visible.shape else { return geometry.pagePoints(visible.feature.ground) }
        let what = "\(visible.feature.feature.kind) \(visible.feature.feature.id)"
        return try geometry.labelPoint(of: shape, what: what).map { [$0] } ?? []
    }

    /// A grid sheet: a white veil over everything outside the grid, then the grid's own
    /// outline and its micro-grids' outlines on top, so the eye goes to the grid.
    private mutating func writeFocus(_ code: GridCode, into svg: inout SVGDocument) throws(MapRenderError) {
        guard let grid = town.grids.first(where: { $0.value.code == code }),
              let shape = try geometry.visible(grid.ground, what: "grid \(code)")
        else { return }
        let gridArea = try geometry.pathData(shape, what: "grid \(code)")
        let frame = geometry.layout.frame.insetBy(-3)
        let frameData = "M\(SVGText.number(frame.x)) \(SVGText.number(frame.y))h\(SVGText.number(frame.width))"
            + "v\(SVGText.number(frame.height))h\(SVGText.number(-frame.width))Z"
        svg.element("path", [("id", "fade-outside-grid"), ("d", frameData + gridArea), ("fill", "#ffffff"),
                             ("fill-opacity", "0.55"), ("fill-rule", "evenodd")])
        var microData = ""
        for micro in town.microGrids where micro.value.gridCode == code {
            guard let microShape = try geometry.visible(Self.outline(micro.ground), what: "micro-grid \(micro.value.code)") else { continue }
            microData += try geometry.pathData(microShape, what: "micro-grid \(micro.value.code)")
        }
        writeStrokes(.focusMicroGridBoundary, data: microData, into: &svg)
        if let outline = try geometry.visible(Self.outline(grid.ground), what: "grid \(code)") {
            writeStrokes(.focusGridBoundary, data: try geometry.pathData(outline, what: "grid \(code)"), into: &svg)
        }
    }

    private mutating func writeStrokes(_ item: MapItem, data: String, into svg: inout SVGDocument) {
        guard !data.isEmpty else { return }
        svg.open("g", [("id", "layer-\(item.rawValue)")])
        for stroke in style.strokes(for: item) {
            svg.element("path", [("d", data)] + stroke)
        }
        svg.close("g")
        drawn.insert(item)
    }

    mutating func countSkipped(_ count: Int) { skippedLabels += count }

    /// A polygon's rings as lines. Boundaries are clipped as lines, not areas, so that clipping
    /// adds no edge along the frame and a boundary wholly outside the frame draws nothing.
    static func outline(_ geometry: Geometry) -> Geometry {
        switch geometry {
        case .polygon(let rings): .multiLineString(rings)
        case .multiPolygon(let polygons): .multiLineString(polygons.flatMap { $0 })
        case .geometryCollection(let members): .geometryCollection(members.map(outline))
        default: geometry
        }
    }

    static func placement(_ point: (x: Double, y: Double), scale: Double) -> String {
        let translate = "translate(\(SVGText.number(point.x)) \(SVGText.number(point.y)))"
        return scale == 1 ? translate : translate + " scale(\(scale))"
    }

    static func rectAttributes(_ rect: PageRect) -> [(String, String)] {
        [("x", SVGText.number(rect.x)), ("y", SVGText.number(rect.y)),
         ("width", SVGText.number(rect.width)), ("height", SVGText.number(rect.height))]
    }
}
