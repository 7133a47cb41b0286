/// What RFC 7946 says a geometry SHOULD not be, though a reader must accept it: the things
/// GridMap's writer normalises (`gridmap check` warns about them, `import` fixes them).
extension Geometry {
    /// One sentence per SHOULD-not, each naming the part it is about:
    /// - a polygon ring against the right-hand rule (§3.1.6: exterior rings counter-clockwise,
    ///   holes clockwise);
    /// - a coordinate with more than `maximumDecimals` decimals (§11.2: 6 decimals are about
    ///   10 cm; GridMap writes 7 by default).
    /// A degenerate line (fewer than two distinct positions) is not here: GEOS finds it invalid
    /// ("Too few points"), so `check` reports it as a problem and `import` refuses it.
    /// Each kind is told once per geometry, at its first place, so a file's report stays short.
    public func advisories(maximumDecimals: Int = 7) -> [String] {
        var notes: [String] = []
        var seen = (winding: false, decimals: false)
        func visit(_ geometry: Geometry, _ path: String) {
            switch geometry {
            case .point(let position): checkDecimals([position], path, indexed: false)
            case .multiPoint(let positions): checkDecimals(positions, path)
            case .lineString(let line): checkDecimals(line, path)
            case .multiLineString(let lines): for (index, line) in lines.enumerated() { checkDecimals(line, "\(path)[\(index)]") }
            case .polygon(let rings): checkPolygon(rings, path)
            case .multiPolygon(let polygons): for (index, rings) in polygons.enumerated() { checkPolygon(rings, "\(path)[\(index)]") }
            case .geometryCollection(let geometries):
                for (index, part) in geometries.enumerated() { visit(part, "geometries[\(index)].coordinates") }
            }
        }
        func checkPolygon(_ rings: [[Position]], _ path: String) {
            for (index, ring) in rings.enumerated() {
                checkDecimals(ring, "\(path)[\(index)]")
                if !seen.winding, RingOrientation.needsReversal(ring, isExterior: index == 0) {
                    seen.winding = true
                    let (what, rule) = index == 0 ? ("exterior ring", "counter-clockwise") : ("hole", "clockwise")
                    notes.append("\(path)[\(index)]: the \(what) runs against the right-hand rule (RFC 7946 §3.1.6: \(rule)); import writes it reversed")
                }
            }
        }
        func checkDecimals(_ positions: [Position], _ path: String, indexed: Bool = true) {
            guard !seen.decimals else { return }
            for (index, position) in positions.enumerated() {
                for value in [position.x, position.y] + (position.z.map { [$0] } ?? []) where Self.decimals(value) > maximumDecimals {
                    seen.decimals = true
                    notes.append("\(indexed ? "\(path)[\(index)]" : path): \(value) has \(Self.decimals(value)) decimals, more than \(maximumDecimals) (RFC 7946 §11.2: 6 are about 10 cm); import rounds to \(maximumDecimals)")
                    return
                }
            }
        }
        visit(self, "coordinates")
        return notes
    }

    /// The decimals in the shortest text that reads back as `value` ("119.80000001" → 8).
    static func decimals(_ value: Double) -> Int {
        let text = "\(value)"
        guard let exponentIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            guard let dot = text.firstIndex(of: ".") else { return 0 }
            let fraction = text[text.index(after: dot)...]
            return fraction == "0" ? 0 : fraction.count
        }
        let mantissa = text[..<exponentIndex]
        let exponent = Int(text[text.index(after: exponentIndex)...]) ?? 0
        let fractionDigits = mantissa.firstIndex(of: ".").map { mantissa.distance(from: $0, to: mantissa.endIndex) - 1 } ?? 0
        return max(0, fractionDigits - exponent)
    }
}
