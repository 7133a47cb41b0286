import GridMapCore

/// The monthly rates chart a town office reports: events collected per month as bars, and the
/// report-in, on-time report-in, resolution and satisfaction rates as lines over 0–100 %.
public enum RatesChart {
    /// The chart of `table` (grouped by month) as an SVG document, 180 × 110 mm, its series named
    /// in `language` (the Chinese chart names them in both languages).
    public static func svg(_ table: EventRateTable, title: String, language: MapLanguage = .chinese) -> String {
        let rows = table.rows
        let (width, height) = (180.0, 110.0)
        let plot = (left: 16.0, right: width - 16, top: 18.0, bottom: height - 24)
        var document = SVGDocument(widthMM: width, heightMM: height, fontFamily: MapStyle.fontFamily, title: title)
        document.element("rect", [("x", "0"), ("y", "0"), ("width", SVGText.number(width)), ("height", SVGText.number(height)), ("fill", "#ffffff")])
        document.element("text", [("x", SVGText.number(width / 2)), ("y", "8"), ("font-size", "4.2"), ("text-anchor", "middle")], content: title)
        let slot = rows.isEmpty ? 1 : (plot.right - plot.left) / Double(rows.count)
        let most = max(rows.map(\.tally.collected).max() ?? 1, 1)
        let countScale = Double((most + 3) / 4 * 4)  // four equal steps of whole events
        func y(rate: Double) -> Double { plot.bottom - rate * (plot.bottom - plot.top) }
        func y(count: Int) -> Double { plot.bottom - Double(count) / countScale * (plot.bottom - plot.top) }
        // Grid lines and both axes' labels: counts on the left, percentages on the right.
        for step in 0...4 {
            let fraction = Double(step) / 4
            let lineY = y(rate: fraction)
            document.element("line", [("x1", SVGText.number(plot.left)), ("y1", SVGText.number(lineY)), ("x2", SVGText.number(plot.right)),
                                      ("y2", SVGText.number(lineY)), ("stroke", "#dddddd"), ("stroke-width", "0.2")])
            document.element("text", [("x", SVGText.number(plot.left - 1.5)), ("y", SVGText.number(lineY + 1.2)), ("font-size", "2.8"),
                                      ("text-anchor", "end")], content: String(Int(countScale * fraction)))
            document.element("text", [("x", SVGText.number(plot.right + 1.5)), ("y", SVGText.number(lineY + 1.2)), ("font-size", "2.8")],
                             content: "\(step * 25)%")
        }
        for (index, row) in rows.enumerated() {
            let x = plot.left + Double(index) * slot
            let top = y(count: row.tally.collected)
            document.element("rect", [("x", SVGText.number(x + slot * 0.2)), ("y", SVGText.number(top)), ("width", SVGText.number(slot * 0.6)),
                                      ("height", SVGText.number(plot.bottom - top)), ("fill", "#c9d6e3")])
            document.element("text", [("x", SVGText.number(x + slot / 2)), ("y", SVGText.number(plot.bottom + 4)), ("font-size", "2.6"),
                                      ("text-anchor", "middle")], content: String(row.group.suffix(5)))
        }
        for (index, series) in series.enumerated() {
            let name = language.pick(series.name, series.englishName)
            var points: [String] = []
            for (column, row) in rows.enumerated() {
                guard let rate = series.rate(row.tally) else { continue }
                points.append(SVGText.number(plot.left + (Double(column) + 0.5) * slot) + "," + SVGText.number(y(rate: rate)))
            }
            if !points.isEmpty {
                document.element("polyline", [("points", points.joined(separator: " ")), ("fill", "none"), ("stroke", series.colour),
                                              ("stroke-width", "0.6")])
            }
            let legendX = plot.left + Double(index) * 38
            document.element("line", [("x1", SVGText.number(legendX)), ("y1", SVGText.number(height - 9)), ("x2", SVGText.number(legendX + 5)),
                                      ("y2", SVGText.number(height - 9)), ("stroke", series.colour), ("stroke-width", "0.8")])
            document.element("text", [("x", SVGText.number(legendX + 6.5)), ("y", SVGText.number(height - 8)), ("font-size", "2.8")], content: name)
        }
        document.element("text", [("x", SVGText.number(plot.left)), ("y", SVGText.number(height - 3)), ("font-size", "2.6"), ("fill", "#555555")],
                         content: "Bars: events collected per month (left axis). Lines: rates (right axis). Definitions: docs/EVENTS.md.")
        document.finish()
        return document.text
    }

    private struct Series: Sendable {
        var name: String
        var englishName: String
        var colour: String
        var rate: @Sendable (EventTally) -> Double?
    }

    private static let series = [
        Series(name: "report-in 报到率", englishName: "reported in", colour: "#1f77b4", rate: { $0.reportInRate }),
        Series(name: "on time 按时报到", englishName: "on time", colour: "#17becf", rate: { $0.onTimeReportInRate }),
        Series(name: "resolved 解决率", englishName: "resolved", colour: "#2ca02c", rate: { $0.resolutionRate }),
        Series(name: "satisfied 满意率", englishName: "satisfied", colour: "#d62728", rate: { $0.satisfactionRate }),
    ]
}
