import GridMapCore
import GeoJSON

/// Labels, placed in priority order so that the most important always find room: on the town
/// sheet every grid's code and name; on a grid sheet the grid's micro-grids first, then the
/// neighbouring grids (greyed), then the names of service points. Text sizes are at least
/// 2.5 mm, readable at arm's length on A3, and every label has a white halo to stand clear of
/// the lines under it.
extension MapDrawing {
    mutating func writeLabels(_ features: [Visible], into svg: inout SVGDocument) throws(MapRenderError) {
        var placer = LabelPlacer(bounds: geometry.layout.frame.insetBy(1))
        svg.open("g", [("id", "labels"), ("text-anchor", "middle"), ("stroke", "#ffffff"), ("stroke-width", "0.7"),
                       ("stroke-linejoin", "round"), ("paint-order", "stroke")])
        switch scope {
        case .town:
            for grid in town.grids {
                try placeAreaLabel("grid", code: grid.value.code, name: grid.value.name, ground: grid.ground,
                                   sizes: (3, 2.6), colour: "#1a1a1a", placer: &placer, into: &svg)
            }
        case .grid(let focus):
            for micro in town.microGrids where micro.value.gridCode == focus {
                try placeAreaLabel("micro-grid", code: micro.value.code, name: micro.value.name, ground: micro.ground,
                                   sizes: (3.4, 2.8), colour: "#8e2a20", placer: &placer, into: &svg)
            }
            for grid in town.grids where grid.value.code != focus {
                try placeAreaLabel("grid", code: grid.value.code, name: grid.value.name, ground: grid.ground,
                                   sizes: (3, 2.6), colour: "#8a8a8a", placer: &placer, into: &svg)
            }
            for feature in features where feature.feature.item.isPointSymbol && feature.feature.item != .home
                && feature.feature.item != .well && !feature.feature.feature.name.isEmpty {
                for point in try symbolPoints(of: feature) {
                    place([LabelLine(text: feature.feature.feature.name, fontSize: 2.5)], fallback: 1,
                          at: (point.x, point.y + 3.6), kind: "feature-label", code: feature.feature.feature.id,
                          colour: "#333333", placer: &placer, into: &svg)
                }
            }
        }
        svg.close("g")
        countSkipped(placer.skipped)
    }

    /// Labels a grid or micro-grid (`noun`) with its code in bold over its name, at the label
    /// point of its visible part; an area off the sheet gets no label.
    private func placeAreaLabel(_ noun: String, code: GridCode, name: String, ground: Geometry,
                                sizes: (code: Double, name: Double), colour: String,
                                placer: inout LabelPlacer, into svg: inout SVGDocument) throws(MapRenderError) {
        let what = "\(noun) \(code)"
        guard let shape = try geometry.visible(ground, what: what),
              let anchor = try geometry.labelPoint(of: shape, what: what)
        else { return }
        place([LabelLine(text: code.description, fontSize: sizes.code, bold: true),
               LabelLine(text: name, fontSize: sizes.name)],
              fallback: 1, at: anchor, kind: "\(noun)-label", code: code.description,
              colour: colour, placer: &placer, into: &svg)
    }

    /// Places `lines` or, when they do not fit anywhere, their first `fallback` lines, then those
    /// at the 2.5 mm floor; writes the
    /// label as a `<g class="kind" data-code="code">` of one `<text>` per line.
    private func place(_ lines: [LabelLine], fallback: Int, at anchor: (x: Double, y: Double), kind: String,
                       code: String, colour: String, placer: inout LabelPlacer, into svg: inout SVGDocument) {
        var shown = lines.filter { !$0.text.isEmpty }
        var centre = placer.place(shown, at: anchor)
        if centre == nil, shown.count > fallback {
            shown = Array(shown.prefix(fallback))
            centre = placer.place(shown, at: anchor)
        }
        if centre == nil, shown.contains(where: { $0.fontSize > 2.5 }) {
            shown = shown.map { LabelLine(text: $0.text, fontSize: 2.5, bold: $0.bold) }
            centre = placer.place(shown, at: anchor)
        }
        guard let centre else {
            placer.skipped += 1
            return
        }
        let height = shown.reduce(0) { $0 + $1.fontSize * 1.2 }
        var top = centre.y - height / 2
        svg.open("g", [("class", kind), ("data-code", code), ("fill", colour)])
        for line in shown {
            var attributes = [("x", SVGText.number(centre.x)), ("y", SVGText.number(top + line.fontSize * 1.2 * 0.8)),
                              ("font-size", SVGText.number(line.fontSize))]
            if line.bold { attributes.append(("font-weight", "bold")) }
            svg.element("text", attributes, content: line.text)
            top += line.fontSize * 1.2
        }
        svg.close("g")
    }
}
