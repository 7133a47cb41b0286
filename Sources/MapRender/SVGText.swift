/// Number spelling for SVG output (text goes through GridMapCore's `Markup.escape`).
///
/// Numbers are written from integer tenths of a millimetre, never through `Double`'s
/// `description`, so that the same drawing is the same bytes on every machine and run, and the
/// file stays small: 0.1 mm is finer than a printer's dot at 300 dpi (0.085 mm) needs to matter.
enum SVGText {
    /// `value` (millimetres) rounded to 0.1 mm: "12.3", "-0.4", "7".
    static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let magnitude = tenths.magnitude
        let sign = tenths < 0 ? "-" : ""
        let whole = magnitude / 10
        let fraction = magnitude % 10
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }
}
