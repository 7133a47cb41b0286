import GridMapCore

/// A drawn map and what a caller may want to tell its user about it.
public struct RenderedMap: Hashable, Sendable {
    /// The SVG document, UTF-8 text; one user unit is one millimetre on paper.
    public var svg: String
    /// The map's scale is 1:`scaleDenominator`.
    public var scaleDenominator: Int
    /// Labels left out because every place for them collided with a label already placed.
    public var skippedLabels: Int
    /// The legend entries drawn, in order, as their labels in the map's language.
    public var legend: [String]
    /// The language the map's words are in.
    public var language: MapLanguage
}

/// Draws the grid map (网格地图) of a town, or of one grid, as SVG to be printed for grid workers.
///
/// Coordinates are projected from WGS84 into the town's working CRS (a conformal metric
/// projection, so the map is to scale and shapes are true), fitted into the page's map frame at
/// a round scale, clipped to the frame and simplified below what paper can show. The output
/// depends only on the data and the options — no date, no machine — so the same input gives the
/// same bytes.
///
/// Each call makes its own GEOS and PROJ contexts, so one renderer can be used from any thread.
public struct MapRenderer: Sendable {
    public var options: MapOptions

    public init(options: MapOptions = MapOptions()) {
        self.options = options
    }

    /// Draws `data` as SVG.
    /// - Throws: `MapRenderError.unknownGrid` when the grid scope names a grid the town lacks,
    ///   `.projection` when the working CRS is unknown, `.nothingToDraw` for a town with no
    ///   coordinates at all.
    public func render(_ data: TownData) throws(MapRenderError) -> RenderedMap {
        let town = try ProjectedTown(data, options: options)
        let language = options.language ?? .default(for: data.town)
        let layout = MapLayout(page: options.page, extent: try town.extent(for: options.scope))
        let tolerance = options.simplifyToleranceMetres ?? max(2, 0.1 / layout.millimetresPerMetre)
        var drawing = MapDrawing(town: town, scope: options.scope,
                                 geometry: PageGeometry(layout: layout, toleranceMetres: tolerance),
                                 style: MapStyle(detailed: options.scope != .town))
        drawing.shares = options.microGridShares
        var svg = SVGDocument(widthMM: options.page.widthMM, heightMM: options.page.heightMM,
                              fontFamily: MapStyle.fontFamily, title: title(for: town.town, in: language))
        try drawing.write(into: &svg)
        let panel = MapPanel(title: title(for: town.town, in: language), subtitle: subtitle(for: town, in: language),
                             latinLine: secondLine(for: town, in: language), legendItems: drawing.legendItems,
                             crsName: town.crsName, dataSource: options.dataSource, language: language)
        panel.write(into: &svg, layout: layout, style: drawing.style)
        svg.finish()
        return RenderedMap(svg: svg.text, scaleDenominator: layout.scaleDenominator, skippedLabels: drawing.skippedLabels,
                           legend: drawing.legendItems.map { $0.legendLabel(in: language) }, language: language)
    }

    /// "<name>网格地图", or in English "<Latin name> grid map" (the name when there is no Latin one).
    private func title(for town: Town, in language: MapLanguage) -> String {
        options.title ?? language.pick("\(town.name)网格地图", "\(town.latinName.isEmpty ? town.name : town.latinName) grid map")
    }

    /// What the sheet covers, e.g. "全镇 · 115个网格 · 291个微网格" or "网格 DC-017 东庄村 · 3个微网格";
    /// "Whole town · 115 grids · 291 micro-grids", "Grid DC-017 东庄村 · 3 micro-grids".
    private func subtitle(for town: ProjectedTown, in language: MapLanguage) -> String {
        switch options.scope {
        case .town:
            return language.pick("全镇 · \(town.grids.count)个网格 · \(town.microGrids.count)个微网格",
                                 "Whole town · \(Self.counted(town.grids.count, "grid")) · \(Self.counted(town.microGrids.count, "micro-grid"))")
        case .grid(let code):
            let name = town.grids.first { $0.value.code == code }?.value.name ?? ""
            let micro = town.microGrids.filter { $0.value.gridCode == code }.count
            return language.pick("网格 \(code) \(name) · \(micro)个微网格", "Grid \(code) \(name) · \(Self.counted(micro, "micro-grid"))")
        }
    }

    /// "1 grid", "115 grids".
    private static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// The line under the subtitle: in a Chinese map the town in Latin letters, in an English
    /// one the town's own name.
    private func secondLine(for town: ProjectedTown, in language: MapLanguage) -> String {
        switch (options.scope, language) {
        case (.town, .chinese): "\(town.town.latinName) town grid map"
        case (.grid(let code), .chinese): "\(town.town.latinName) grid \(code)"
        case (.town, .english): town.town.name
        case (.grid(let code), .english): "\(town.town.name) \(code)"
        }
    }
}
