import Foundation

/// Reads back what the renderer wrote, for assertions: attribute values, element counts, and
/// every absolute position in path data, `x`/`y` attributes and `translate(…)` transforms.
enum SVGInspection {
    /// All values of `attribute` in document order (attribute values are double-quoted).
    static func values(of attribute: String, in svg: String) -> [String] {
        var result: [String] = []
        var rest = svg[...]
        let marker = " \(attribute)=\""
        while let start = rest.range(of: marker) {
            let afterStart = rest[start.upperBound...]
            guard let end = afterStart.firstIndex(of: "\"") else { break }
            result.append(String(afterStart[..<end]))
            rest = afterStart[end...]
        }
        return result
    }

    static func count(_ needle: String, in svg: String) -> Int {
        svg.components(separatedBy: needle).count - 1
    }

    /// The absolute points a path's data visits, following M, L, h, v and Z as the renderer
    /// writes them (absolute M/L pairs, relative h/v).
    static func pathPoints(_ data: String) -> [(x: Double, y: Double)] {
        var points: [(x: Double, y: Double)] = []
        var command: Character = "M"
        var numbers: [Double] = []
        var current = (x: 0.0, y: 0.0)
        func flush() {
            switch command {
            case "M", "L":
                var index = 0
                while index + 1 < numbers.count {
                    current = (numbers[index], numbers[index + 1])
                    points.append(current)
                    index += 2
                }
            case "h": for number in numbers { current.x += number; points.append(current) }
            case "v": for number in numbers { current.y += number; points.append(current) }
            default: break
            }
            numbers = []
        }
        var token = ""
        for character in data {
            if character.isLetter {
                if !token.isEmpty { numbers.append(Double(token)!); token = "" }
                flush()
                command = character
            } else if character == " " {
                if !token.isEmpty { numbers.append(Double(token)!); token = "" }
            } else if character == "-", !token.isEmpty {
                numbers.append(Double(token)!)
                token = "-"
            } else {
                token.append(character)
            }
        }
        if !token.isEmpty { numbers.append(Double(token)!) }
        flush()
        return points
    }

    /// Every position the document places something at on the page. Symbol definitions and the
    /// north arrow are drawn in local coordinates around their own origin, so only where they are
    /// placed (their `translate`) counts.
    static func positions(in document: String) -> [(x: Double, y: Double)] {
        var svg = withoutBlocks(from: "<defs>", to: "</defs>", in: document)
        svg = withoutBlocks(from: "<g id=\"north-arrow\"", to: "</g>", in: svg, keepingOpening: true)
        var result = values(of: "d", in: svg).flatMap(pathPoints)
        let xs = values(of: "x", in: svg).compactMap(Double.init)
        let ys = values(of: "y", in: svg).compactMap(Double.init)
        result += xs.map { ($0, 0) } + ys.map { (0, $0) }
        for transform in values(of: "transform", in: svg) {
            guard let open = transform.range(of: "translate("), let close = transform[open.upperBound...].firstIndex(of: ")")
            else { continue }
            let pair = transform[open.upperBound..<close].split(separator: " ").compactMap { Double($0) }
            if pair.count == 2 { result.append((pair[0], pair[1])) }
        }
        return result
    }

    /// `svg` with every block from `start` to the next `end` removed; `keepingOpening` keeps the
    /// opening tag (up to its `>`) so that its attributes are still seen.
    private static func withoutBlocks(from start: String, to end: String, in svg: String, keepingOpening: Bool = false) -> String {
        var result = ""
        var rest = svg[...]
        while let open = rest.range(of: start), let close = rest[open.upperBound...].range(of: end) {
            result += rest[..<open.lowerBound]
            if keepingOpening, let tagEnd = rest[open.lowerBound...].firstIndex(of: ">") {
                result += rest[open.lowerBound...tagEnd]
            }
            rest = rest[close.upperBound...]
        }
        return result + rest
    }
}
