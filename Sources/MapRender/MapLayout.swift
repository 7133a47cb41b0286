import GEOS

/// Where things go on the sheet, and the map's scale: the ground-to-paper transform.
///
/// The page has a map frame on the left and a side panel (title block, legend, scale bar, north
/// arrow) on the right. The scale is rounded up to a conventional denominator (1:5 000,
/// 1:25 000, 1:60 000 …) so that a grid worker can measure on paper with a ruler; the ground
/// extent is centred in the frame at that scale. Coordinates are in a conformal metric CRS, so
/// one scale holds in every direction.
struct MapLayout {
    let page: PageSize
    /// The map frame on the page.
    let frame: PageRect
    /// The side panel on the page.
    let panel: PageRect
    /// The scale is 1:`scaleDenominator`.
    let scaleDenominator: Int
    /// The ground rectangle the frame shows, in the working CRS (metres).
    let groundView: Envelope
    /// Ground centre, mapped to the frame's centre.
    private let centreX: Double
    private let centreY: Double

    static let margin = 10.0
    static let gap = 5.0

    /// Lays out `page` to show at least `extent` (ground metres).
    init(page: PageSize, extent: Envelope) {
        self.page = page
        let panelWidth = min(max(page.widthMM * 0.22, 62), 92)
        frame = PageRect(x: Self.margin, y: Self.margin,
                         width: page.widthMM - 2 * Self.margin - Self.gap - panelWidth,
                         height: page.heightMM - 2 * Self.margin)
        panel = PageRect(x: frame.maxX + Self.gap, y: Self.margin, width: panelWidth, height: frame.height)
        let groundWidth = max(extent.maxX - extent.minX, 1)
        let groundHeight = max(extent.maxY - extent.minY, 1)
        let needed = max(groundWidth / frame.width, groundHeight / frame.height) * 1000
        scaleDenominator = Self.conventionalScale(atLeast: needed)
        centreX = (extent.minX + extent.maxX) / 2
        centreY = (extent.minY + extent.maxY) / 2
        let halfWidth = frame.width / 2 * Double(scaleDenominator) / 1000
        let halfHeight = frame.height / 2 * Double(scaleDenominator) / 1000
        groundView = Envelope(minX: centreX - halfWidth, minY: centreY - halfHeight,
                              maxX: centreX + halfWidth, maxY: centreY + halfHeight)
    }

    /// Millimetres on paper per ground metre.
    var millimetresPerMetre: Double { 1000 / Double(scaleDenominator) }

    /// The page position of a ground point; y is flipped because SVG's y axis points down.
    func pagePoint(x: Double, y: Double) -> (x: Double, y: Double) {
        (frame.midX + (x - centreX) * millimetresPerMetre, frame.midY - (y - centreY) * millimetresPerMetre)
    }

    /// The smallest "round" denominator not below `denominator`: 1, 1.5, 2, 2.5, 3, 4, 5, 6 or
    /// 7.5 times a power of ten.
    static func conventionalScale(atLeast denominator: Double) -> Int {
        let steps: [Double] = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 10]
        var power = 1.0
        while power * 10 <= denominator { power *= 10 }
        for step in steps where step * power >= denominator {
            return Int((step * power).rounded())
        }
        return Int(power * 10)
    }
}
