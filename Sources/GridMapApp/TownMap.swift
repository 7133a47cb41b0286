import Foundation
import GridMapCore
import GridStore
import MapRender

/// The printed grid map of the town or of one grid: an SVG (and a PNG beside it when
/// rsvg-convert is installed), at a standard scale, in the town's working CRS.
public struct TownMap {
    /// The page sizes by name (a3, a4, …).
    public static var pageNames: [String] { PageSize.names }

    public var page: String = "a3"
    /// One grid's sheet (its neighbours faded), or nil for the whole town.
    public var grid: GridCode?
    /// Feature layers to draw by layer name (nil: all).
    public var layers: [String]?
    public var title: String?
    /// The map's language, `zh` or `en` (nil: the town's, ``MapLanguage/default(for:)``).
    public var language: String?
    /// Micro-grids shaded by a share (the survey's progress map), none by default.
    var microGridShares: [GridCode: Double] = [:]

    public init(page: String = "a3", grid: GridCode? = nil, layers: [String]? = nil, title: String? = nil, language: String? = nil) {
        (self.page, self.grid, self.layers, self.title, self.language) = (page, grid, layers, title, language)
    }

    /// Checks the request without a town: the page, the layer names and the language exist.
    public func check() throws(JobError) {
        _ = try pageSize()
        _ = try layerKinds()
        _ = try Self.language(language)
    }

    /// The language a `--lang` value names; nil for none.
    static func language(_ tag: String?) throws(JobError) -> MapLanguage? {
        guard let tag else { return nil }
        guard let language = MapLanguage(tag: tag) else {
            throw .invalidRequest("Unknown language '\(tag)': maps are drawn in zh (Chinese) or en (English).")
        }
        return language
    }

    /// Draws the stored town.
    public func render(from store: any TownStore) throws(JobError) -> RenderedMap {
        try render(LoadedTown.data(from: store), dataSource: "GridMap, \(store.location)")
    }

    /// Draws `data` (a stored town, perhaps with more on it, such as its events).
    func render(_ data: TownData, dataSource: String) throws(JobError) -> RenderedMap {
        let present = Set(data.features.map(\.kind))
        if let missing = try layerKinds()?.subtracting(present).sorted().first {
            let names = present.sorted().map(\.layerName).joined(separator: ", ")
            throw .invalidRequest("This town has no layer '\(missing.layerName)'; it has: \(names).")
        }
        var options = MapOptions(page: try pageSize(), scope: grid.map { .grid($0) } ?? .town, layers: try layerKinds(),
                                 title: title, dataSource: dataSource, language: try Self.language(language))
        options.microGridShares = microGridShares
        return try asJobError { try MapRenderer(options: options).render(data) }
    }

    /// Converts a written SVG file to a PNG beside it at `dpi`; the PNG's file, or why none was
    /// written (no rsvg-convert).
    public static func writePNG(ofSVG svg: URL, dpi: Int) throws(JobError) -> PNGConversion {
        let png = svg.deletingPathExtension().appendingPathExtension("png")
        return try asJobError { try PNGConverter().convert(svgFile: svg, to: png, dpi: dpi) }
    }

    private func pageSize() throws(JobError) -> PageSize {
        guard let size = PageSize(name: page) else {
            throw .invalidRequest("Unknown page '\(page)': use one of \(PageSize.names.joined(separator: ", ")).")
        }
        return size
    }

    private func layerKinds() throws(JobError) -> Set<FeatureKind>? {
        guard let layers else { return nil }
        var kinds = Set<FeatureKind>()
        for name in layers.map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let kind = FeatureKind(layerName: name) else {
                throw .invalidRequest("Unknown layer '\(name)' in --layers: use layer names such as roads, wells, homes.")
            }
            kinds.insert(kind)
        }
        return kinds
    }
}
