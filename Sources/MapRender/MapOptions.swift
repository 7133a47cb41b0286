import GridMapCore

/// A sheet of paper, in millimetres.
public struct PageSize: Hashable, Sendable, CustomStringConvertible {
    public var widthMM: Double
    public var heightMM: Double

    public init(widthMM: Double, heightMM: Double) {
        self.widthMM = widthMM
        self.heightMM = heightMM
    }

    /// ISO 216 A3 landscape, 420 × 297 mm: the sheet a grid worker pins up or carries folded.
    public static let a3Landscape = PageSize(widthMM: 420, heightMM: 297)
    /// ISO 216 A4 landscape, 297 × 210 mm.
    public static let a4Landscape = PageSize(widthMM: 297, heightMM: 210)
    /// ISO 216 A4 portrait, 210 × 297 mm.
    public static let a4Portrait = PageSize(widthMM: 210, heightMM: 297)

    /// Names accepted by `init?(name:)`, for a command-line option.
    public static let names = ["a3", "a3-landscape", "a4", "a4-landscape", "a4-portrait"]

    /// "a3" / "a3-landscape", "a4" / "a4-landscape", "a4-portrait"; nil for anything else.
    public init?(name: String) {
        switch name.lowercased() {
        case "a3", "a3-landscape": self = .a3Landscape
        case "a4", "a4-landscape": self = .a4Landscape
        case "a4-portrait": self = .a4Portrait
        default: return nil
        }
    }

    public var description: String { "\(SVGText.number(widthMM)) × \(SVGText.number(heightMM)) mm" }
}

/// What the map covers.
public enum MapScope: Hashable, Sendable {
    /// The whole town: every grid outlined and labelled, homes as tiny dots.
    case town
    /// One grid and its surroundings: the grid's micro-grids outlined and labelled, neighbours
    /// faded, homes as small squares.
    case grid(GridCode)
}

/// How `MapRenderer` draws a map.
public struct MapOptions: Hashable, Sendable {
    public var page: PageSize
    public var scope: MapScope
    /// The feature layers to draw; nil draws every layer the data has. Boundaries (town, grids,
    /// micro-grids) are always drawn: they are what a grid map is.
    public var layers: Set<FeatureKind>?
    /// The title printed in the title block; nil for "<town name>网格地图" (in English
    /// "<Latin name> grid map").
    public var title: String?
    /// The language of the map's words; nil for the town's (``MapLanguage/default(for:)``).
    public var language: MapLanguage?
    /// Where the data came from, printed under the title block (e.g. the import file or the
    /// surveying unit); a map without its source cannot be trusted on the wall.
    public var dataSource: String
    /// Douglas–Peucker tolerance in ground metres; nil chooses 0.1 mm on paper at the map's
    /// scale, and at least 2 m, which no printed line can show.
    public var simplifyToleranceMetres: Double?
    /// Micro-grids shaded by a share from 0 to 1 (a survey's homes visited of homes), in four
    /// classes: none, under half, half or more, all. Micro-grids not named are left plain.
    public var microGridShares: [GridCode: Double] = [:]

    public init(page: PageSize = .a3Landscape, scope: MapScope = .town, layers: Set<FeatureKind>? = nil,
                title: String? = nil, dataSource: String = "GridMap", simplifyToleranceMetres: Double? = nil,
                language: MapLanguage? = nil) {
        self.language = language
        self.page = page
        self.scope = scope
        self.layers = layers
        self.title = title
        self.dataSource = dataSource
        self.simplifyToleranceMetres = simplifyToleranceMetres
    }

    /// Whether features of `kind` are to be drawn.
    func draws(_ kind: FeatureKind) -> Bool { layers?.contains(kind) ?? true }
}
