import Foundation
import GEOS
import SeededRandom

/// Random valid geometries on a small square, built so that boundaries often coincide
/// (integer-grid rectangles, points and lines) as well as general-position star polygons.
struct RandomGeometries {
    var generator: SplitMix64
    let context: GEOSContext
    let side: Double

    init(seed: UInt64, context: GEOSContext, side: Double = 20) {
        generator = SplitMix64(seed: seed)
        self.context = context
        self.side = side
    }

    mutating func gridValue() -> Double { Double(Int.random(in: 0...Int(side), using: &generator)) }
    mutating func anyValue() -> Double { Double.random(in: 0...side, using: &generator) }

    mutating func point() throws -> GEOSGeometry {
        Bool.random(using: &generator)
            ? try GEOSGeometry.point(x: gridValue(), y: gridValue(), context: context)
            : try GEOSGeometry.point(x: anyValue(), y: anyValue(), context: context)
    }

    mutating func line() throws -> GEOSGeometry {
        let count = Int.random(in: 2...4, using: &generator)
        var coordinates: [Coordinate] = []
        while coordinates.count < count {
            let next = Coordinate(x: gridValue(), y: gridValue())
            if coordinates.last != next { coordinates.append(next) }
        }
        return try GEOSGeometry.lineString(coordinates, context: context)
    }

    /// An axis-aligned rectangle with integer corners.
    mutating func rectangle() throws -> GEOSGeometry {
        let x0 = gridValue(), y0 = gridValue()
        let x1 = min(side + 5, x0 + Double(Int.random(in: 1...8, using: &generator)))
        let y1 = min(side + 5, y0 + Double(Int.random(in: 1...8, using: &generator)))
        return try GEOSGeometry.polygon(exterior: [Coordinate(x: x0, y: y0), Coordinate(x: x1, y: y0), Coordinate(x: x1, y: y1),
                                               Coordinate(x: x0, y: y1), Coordinate(x: x0, y: y0)], context: context)
    }

    /// A star-shaped polygon: vertices at increasing angles around a centre, so always simple.
    mutating func starPolygon() throws -> GEOSGeometry {
        let centre = Coordinate(x: anyValue(), y: anyValue())
        let count = Int.random(in: 3...9, using: &generator)
        var angles = (0..<count).map { _ in Double.random(in: 0..<(2 * Double.pi), using: &generator) }
        angles.sort()
        var ring = angles.map { angle -> Coordinate in
            let radius = Double.random(in: 0.5...6, using: &generator)
            return Coordinate(x: centre.x + radius * cos(angle), y: centre.y + radius * sin(angle))
        }
        ring.append(ring[0])
        return try GEOSGeometry.polygon(exterior: ring, context: context)
    }

    mutating func polygon() throws -> GEOSGeometry {
        Bool.random(using: &generator) ? try rectangle() : try starPolygon()
    }

    mutating func any() throws -> GEOSGeometry {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: try point()
        case 1: try line()
        default: try polygon()
        }
    }
}

/// Shorthand for coordinate literals in tests.
func c(_ x: Double, _ y: Double) -> Coordinate { Coordinate(x: x, y: y) }

/// The closed square ring with corners (x0, y0) and (x1, y1).
func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Coordinate] {
    [c(x0, y0), c(x1, y0), c(x1, y1), c(x0, y1), c(x0, y0)]
}

/// The error a throwing call produced, for asserting on messages.
func thrownError(_ body: () throws -> Void) -> GEOSError? {
    do {
        try body()
        return nil
    } catch let error as GEOSError {
        return error
    } catch {
        return nil
    }
}
