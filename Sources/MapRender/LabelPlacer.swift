/// One line of a label and its font size in millimetres.
struct LabelLine: Hashable, Sendable {
    var text: String
    var fontSize: Double
    var bold: Bool = false
}

/// Crude label collision avoidance: a label is tried at a few positions around its anchor and
/// placed at the first whose box overlaps no label already placed and stays inside the frame;
/// otherwise it is skipped. Labels are offered in priority order, so the ones that matter most
/// (grid codes) are placed first and always win.
///
/// Text width is estimated, not measured (no font metrics without a font engine): a CJK
/// character is one em wide and a Latin character or digit about 0.6 em, which is how Noto Sans
/// CJK and WenQuanYi Zen Hei set them.
struct LabelPlacer {
    let bounds: PageRect
    private(set) var placed: [PageRect] = []
    /// Labels the caller gave up on; counted by the caller, which may retry a shorter label.
    var skipped = 0

    init(bounds: PageRect) {
        self.bounds = bounds
    }

    /// Reserves a box no label may cover (a symbol, the title), without counting it as a label.
    mutating func reserve(_ box: PageRect) {
        placed.append(box)
    }

    /// Places a block of `lines` centred at `anchor` or, failing that, just above, below, right
    /// or left of it. Returns the centre of the block as placed, or nil when every position
    /// collides (the caller decides whether that counts as skipped).
    mutating func place(_ lines: [LabelLine], at anchor: (x: Double, y: Double)) -> (x: Double, y: Double)? {
        let width = lines.map { Self.estimatedWidth($0) }.max() ?? 0
        let height = lines.reduce(0) { $0 + $1.fontSize * 1.2 }
        // Each alternative moves the block by its whole box, so it clears a same-sized label at
        // the anchor.
        let offsets: [(Double, Double)] = [
            (0, 0), (0, -(height + 0.7)), (0, height + 0.7), (width + 1.1, 0), (-(width + 1.1), 0),
        ]
        for (dx, dy) in offsets {
            let centre = (x: anchor.x + dx, y: anchor.y + dy)
            let box = PageRect(x: centre.x - width / 2 - 0.5, y: centre.y - height / 2 - 0.3,
                               width: width + 1, height: height + 0.6)
            guard bounds.contains(box), !placed.contains(where: { $0.intersects(box) }) else { continue }
            placed.append(box)
            return centre
        }
        return nil
    }

    /// Estimated advance width of a line in millimetres.
    static func estimatedWidth(_ line: LabelLine) -> Double {
        let ems = line.text.unicodeScalars.reduce(0.0) { sum, scalar in
            sum + (scalar.value >= 0x2E80 ? 1.0 : 0.6)
        }
        return ems * line.fontSize * (line.bold ? 1.05 : 1.0)
    }
}
