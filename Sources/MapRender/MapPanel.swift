/// The side panel: title block on top, legend below it, then scale and north arrow, and the
/// coordinate system and data source at the foot — what a printed map needs to be read and
/// trusted. Nothing in it depends on the date or the machine, so the same data prints the same.
struct MapPanel {
    var title: String
    var subtitle: String
    var latinLine: String
    var legendItems: [MapItem]
    var crsName: String
    var dataSource: String
    var language: MapLanguage

    func write(into svg: inout SVGDocument, layout: MapLayout, style: MapStyle) {
        let panel = layout.panel
        let left = panel.x + 4
        let usable = panel.width - 8
        svg.open("g", [("id", "panel")])
        svg.element("rect", [("x", SVGText.number(panel.x)), ("y", SVGText.number(panel.y)),
                             ("width", SVGText.number(panel.width)), ("height", SVGText.number(panel.height)),
                             ("fill", "#ffffff"), ("stroke", "#000000"), ("stroke-width", "0.4")])
        // Title block.
        var y = panel.y + 11
        svg.element("text", [("id", "map-title"), ("x", SVGText.number(left)), ("y", SVGText.number(y)),
                             ("font-size", SVGText.number(Self.fitting(title, size: 7, width: usable))),
                             ("font-weight", "bold")], content: title)
        y += 7
        svg.element("text", [("id", "map-scope"), ("x", SVGText.number(left)), ("y", SVGText.number(y)),
                             ("font-size", SVGText.number(Self.fitting(subtitle, size: 4, width: usable)))], content: subtitle)
        y += 5
        svg.element("text", [("x", SVGText.number(left)), ("y", SVGText.number(y)), ("fill", "#555555"),
                             ("font-size", SVGText.number(Self.fitting(latinLine, size: 3, width: usable)))], content: latinLine)
        y += 4
        rule(at: y, in: &svg, panel: panel)

        // Foot: source and coordinate system, bottom up.
        let footLines = [language.pick("比例尺 1:", "Scale 1:") + Self.grouped(layout.scaleDenominator),
                         language.pick("坐标系：", "CRS: ") + crsName, language.pick("数据来源：", "Source: ") + dataSource]
        var footY = panel.maxY - 4 - Double(footLines.count - 1) * 4
        let footTop = footY - 4
        for line in footLines {
            svg.element("text", [("x", SVGText.number(left)), ("y", SVGText.number(footY)),
                                 ("font-size", SVGText.number(Self.fitting(line, size: 2.8, width: usable)))], content: line)
            footY += 4
        }
        // Scale bar and north arrow above the foot.
        let scaleTop = footTop - 16
        writeScaleBar(into: &svg, x: left, y: scaleTop + 6, maxWidth: usable - 16, layout: layout)
        writeNorthArrow(into: &svg, x: panel.maxX - 10, y: scaleTop + 1)
        rule(at: scaleTop - 3, in: &svg, panel: panel)

        // Legend in the space between.
        y += 7
        svg.element("text", [("x", SVGText.number(left)), ("y", SVGText.number(y)), ("font-size", "4"),
                             ("font-weight", "bold")], content: language.pick("图例", "Legend"))
        y += 3
        let rowHeight = min(6, (scaleTop - 5 - y) / Double(max(legendItems.count, 1)))
        svg.open("g", [("id", "legend")])
        for item in legendItems {
            writeLegendEntry(item, into: &svg, x: left, top: y, rowHeight: rowHeight, style: style)
            y += rowHeight
        }
        svg.close("g")
        svg.close("g")
    }

    private func rule(at y: Double, in svg: inout SVGDocument, panel: PageRect) {
        svg.element("path", [("d", "M\(SVGText.number(panel.x)) \(SVGText.number(y))h\(SVGText.number(panel.width))"),
                             ("stroke", "#000000"), ("stroke-width", "0.25")])
    }

    private func writeLegendEntry(_ item: MapItem, into svg: inout SVGDocument, x: Double, top: Double,
                                  rowHeight: Double, style: MapStyle) {
        let middle = top + rowHeight / 2
        let swatchWidth = 10.0
        svg.open("g", [("class", "legend-entry"), ("data-item", item.rawValue)])
        if let symbol = MapStyle.symbolID(for: item) {
            svg.element("use", [("xlink:href", "#" + symbol),
                                ("transform", "translate(\(SVGText.number(x + swatchWidth / 2)) \(SVGText.number(middle)))")])
        } else if item == .home {
            let size = 1.1
            svg.element("rect", [("x", SVGText.number(x + swatchWidth / 2 - size / 2)), ("y", SVGText.number(middle - size / 2)),
                                 ("width", SVGText.number(size)), ("height", SVGText.number(size)), ("fill", MapStyle.homeColour)])
        } else if let area = style.area(for: item), item != .river {
            svg.element("rect", [("x", SVGText.number(x)), ("y", SVGText.number(middle - 2)),
                                 ("width", SVGText.number(swatchWidth)), ("height", "4")] + area)
        }
        for stroke in style.strokes(for: item) {
            svg.element("path", [("d", "M\(SVGText.number(x)) \(SVGText.number(middle))h\(SVGText.number(swatchWidth))")] + stroke)
        }
        let fontSize = min(3.2, rowHeight * 0.62)
        svg.element("text", [("x", SVGText.number(x + swatchWidth + 3)), ("y", SVGText.number(middle + fontSize * 0.36)),
                             ("font-size", SVGText.number(fontSize))], content: item.legendLabel(in: language))
        svg.close("g")
    }

    /// An alternating black-and-white bar of a round ground length (1, 2 or 5 × 10ⁿ metres)
    /// no wider than `maxWidth` mm, labelled in m or km.
    private func writeScaleBar(into svg: inout SVGDocument, x: Double, y: Double, maxWidth: Double, layout: MapLayout) {
        let maxMetres = maxWidth / layout.millimetresPerMetre
        var metres = 1.0
        while metres * 10 <= maxMetres { metres *= 10 }
        if metres * 5 <= maxMetres { metres *= 5 } else if metres * 2 <= maxMetres { metres *= 2 }
        let width = metres * layout.millimetresPerMetre
        let segments = 4
        svg.open("g", [("id", "scale-bar")])
        for index in 0..<segments {
            svg.element("rect", [("x", SVGText.number(x + width * Double(index) / Double(segments))), ("y", SVGText.number(y)),
                                 ("width", SVGText.number(width / Double(segments))), ("height", "1.5"),
                                 ("fill", index.isMultiple(of: 2) ? "#000000" : "#ffffff"), ("stroke", "#000000"),
                                 ("stroke-width", "0.2")])
        }
        let inKilometres = metres >= 1000
        func label(_ ground: Double) -> String {
            let value = inKilometres ? ground / 1000 : ground
            return value == value.rounded() ? String(Int(value)) : SVGText.number(value)
        }
        for (fraction, suffix) in [(0.0, ""), (0.5, ""), (1.0, inKilometres ? " km" : " m")] {
            svg.element("text", [("x", SVGText.number(x + width * fraction)), ("y", SVGText.number(y + 5)),
                                 ("font-size", "2.6"), ("text-anchor", "middle")], content: label(metres * fraction) + suffix)
        }
        svg.close("g")
    }

    /// A north arrow. The working CRS is a Gauss–Krüger projection whose grid north differs from
    /// true north by the meridian convergence, under 0.2° within 1.5° of the central meridian:
    /// invisible on paper, so the arrow points straight up.
    private func writeNorthArrow(into svg: inout SVGDocument, x: Double, y: Double) {
        svg.open("g", [("id", "north-arrow"), ("transform", "translate(\(SVGText.number(x)) \(SVGText.number(y)))")])
        svg.element("path", [("d", "M0 1L2.5 9 0 7.5Z"), ("fill", "#000000")])
        svg.element("path", [("d", "M0 1L-2.5 9 0 7.5Z"), ("fill", "#ffffff"), ("stroke", "#000000"), ("stroke-width", "0.25")])
        svg.element("text", [("y", "0"), ("font-size", "3.2"), ("font-weight", "bold"), ("text-anchor", "middle")], content: language.pick("北", "N"))
        svg.close("g")
    }

    /// The font size at most `size` that fits `text` into `width` mm (estimated widths).
    static func fitting(_ text: String, size: Double, width: Double) -> Double {
        let natural = LabelPlacer.estimatedWidth(LabelLine(text: text, fontSize: size))
        return natural <= width ? size : max(2, size * width / natural)
    }

    /// 60000 → "60 000" (thin groups as in Chinese and ISO map scales).
    static func grouped(_ number: Int) -> String {
        var digits = Array(String(number))
        var result = ""
        while digits.count > 3 {
            result = " " + String(digits.suffix(3)) + result
            digits.removeLast(3)
        }
        return String(digits) + result
    }
}
