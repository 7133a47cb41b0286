/// Ring orientation by signed area, for the winding rule of RFC 7946 §3.1.6.
enum RingOrientation {
    /// Twice the signed area of a closed ring by the shoelace formula: positive when the ring
    /// runs counter-clockwise in x/y (longitude east, latitude north), negative when clockwise.
    /// Coordinates are taken relative to the first position to keep the sum well conditioned.
    static func doubledSignedArea(_ ring: [Position]) -> Double {
        guard ring.count >= 3 else { return 0 }
        let originX = ring[0].x
        let originY = ring[0].y
        var sum = 0.0
        for index in 0..<(ring.count - 1) {
            let a = ring[index]
            let b = ring[index + 1]
            sum += (a.x - originX) * (b.y - originY) - (b.x - originX) * (a.y - originY)
        }
        return sum
    }

    /// True when the ring must be written reversed: an exterior ring (`isExterior`) that runs
    /// clockwise, or a hole that runs counter-clockwise. Degenerate rings (zero area) stay as they are.
    static func needsReversal(_ ring: [Position], isExterior: Bool) -> Bool {
        let area = doubledSignedArea(ring)
        return isExterior ? area < 0 : area > 0
    }
}
