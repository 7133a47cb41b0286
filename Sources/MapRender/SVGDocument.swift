import GridMapCore
/// An SVG document written front to back into one string.
///
/// The renderer writes elements in drawing order (later paints over earlier), so a plain append
/// builder is all it needs; attributes are passed already ordered, which keeps the output
/// deterministic.
struct SVGDocument {
    private(set) var text = ""

    /// Opens the `<svg>` root sized in millimetres, with a viewBox in millimetres, so that one user
    /// unit is one millimetre on paper.
    init(widthMM: Double, heightMM: Double, fontFamily: String, title: String) {
        let width = SVGText.number(widthMM)
        let height = SVGText.number(heightMM)
        text += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        text += "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""
        text += " width=\"\(width)mm\" height=\"\(height)mm\" viewBox=\"0 0 \(width) \(height)\""
        text += " font-family=\"\(Markup.escape(fontFamily))\">\n"
        element("title", content: title)
    }

    /// A self-closing element, e.g. `<path d="…"/>`.
    mutating func element(_ name: String, _ attributes: [(String, String)] = []) {
        text += "<\(name)"
        appendAttributes(attributes)
        text += "/>\n"
    }

    /// An element with escaped text content, e.g. `<text x="1" y="2">大村镇</text>`.
    mutating func element(_ name: String, _ attributes: [(String, String)] = [], content: String) {
        text += "<\(name)"
        appendAttributes(attributes)
        text += ">\(Markup.escape(content))</\(name)>\n"
    }

    /// Opens a container element; close it with `close(_:)`.
    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        text += "<\(name)"
        appendAttributes(attributes)
        text += ">\n"
    }

    mutating func close(_ name: String) {
        text += "</\(name)>\n"
    }

    /// Closes the root element; the document is complete afterwards.
    mutating func finish() {
        text += "</svg>\n"
    }

    private mutating func appendAttributes(_ attributes: [(String, String)]) {
        for (name, value) in attributes {
            text += " \(name)=\"\(Markup.escape(value))\""
        }
    }
}
