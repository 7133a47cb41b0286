/// Coordinate numbers and positions, formatted without Foundation.
extension OutputBuffer {
    /// Appends a coordinate rounded to `precision` decimals.
    ///
    /// The value is scaled by 10^precision, rounded half away from zero to an integer, and
    /// printed as integer part '.' fraction with trailing zeros (and a bare '.') dropped, so
    /// rounding carries (119.99999996 → 120) and signs (-0.00000001 → 0, never "-0") come out
    /// right. When the scaled value exceeds 2^53 (beyond a double's integer precision) or
    /// `precision` is nil, the shortest round-trip text of the double is written instead.
    @inline(__always)
    func append(coordinate value: Double, precision: Int?) throws(GeoJSONError) {
        guard value.isFinite else {
            throw GeoJSONError(kind: .unsupportedValue, message: "cannot write non-finite coordinate \(value): JSON has no spelling for it")
        }
        if let precision {
            let scaled = (value * Self.scales[precision]).rounded(.toNearestOrAwayFromZero)
            if scaled.magnitude < 9_007_199_254_740_992 {
                var magnitude = UInt64(scaled.magnitude)
                if magnitude == 0 {
                    append(.zero)
                    return
                }
                if scaled < 0 { append(.minus) }
                let unit = Self.integerScales[precision]
                append(digitsOf: magnitude / unit)
                magnitude %= unit
                guard magnitude != 0 else { return }
                var width = precision
                while magnitude % 10 == 0 {
                    magnitude /= 10
                    width -= 1
                }
                append(UInt8(ascii: "."))
                append(digitsOf: magnitude, width: width)
                return
            }
        }
        appendUnescaped(value.description)
    }

    /// Appends `[x,y]` or `[x,y,z]`.
    @inline(__always)
    func append(position: Position, precision: Int?) throws(GeoJSONError) {
        append(.openBracket)
        try append(coordinate: position.x, precision: precision)
        append(.comma)
        try append(coordinate: position.y, precision: precision)
        if let z = position.z {
            append(.comma)
            try append(coordinate: z, precision: precision)
        }
        append(.closeBracket)
    }

    /// Appends an array of positions, optionally in reverse order (for re-oriented rings).
    func append(positions: [Position], reversed: Bool = false, precision: Int?) throws(GeoJSONError) {
        append(.openBracket)
        for offset in positions.indices {
            if offset > 0 { append(.comma) }
            try append(position: positions[reversed ? positions.count - 1 - offset : offset], precision: precision)
        }
        append(.closeBracket)
    }

    /// 10^0 … 10^15 as doubles and as integers.
    static let scales: [Double] = (0...15).map { exponent in (0..<exponent).reduce(1.0) { value, _ in value * 10 } }
    static let integerScales: [UInt64] = (0...15).map { exponent in (0..<exponent).reduce(1) { value, _ in value * 10 } }
}
