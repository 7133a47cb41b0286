import Foundation
import GeoJSON
import GridMapCore

/// A small synthetic town for coverage tests: a 3 km × 3 km square near 119.8°E 35.9°N, laid
/// out in local metres (x east, y north from the south-west corner) and converted to WGS84
/// with the WGS84 ellipsoid's radii of curvature at the town's centre latitude, so that areas
/// measured in EPSG:4549 agree with the metre layout to about 0.05 %.
///
/// Grids: DC-001 (SW), DC-002 (SE), DC-003 (NW), DC-004 (NE), each 1500 m square. DC-001 and
/// DC-002 are split into a south and a north half (-1, -2); DC-003 and DC-004 into three
/// 500 m strips west to east (-1, -2, -3). Each micro-grid holds one home, each grid one well.
/// Edges are shared exactly: the same metre values give the same degrees.
enum CoverageFixtures {
    typealias Ring = [(Double, Double)]

    static let originLongitude = 119.80
    static let originLatitude = 35.90

    /// Metres per degree of latitude and of longitude at the town's centre (WGS84: meridional
    /// radius M and prime-vertical radius N).
    static let metresPerDegree: (latitude: Double, longitude: Double) = {
        let a = 6_378_137.0, f = 1 / 298.257223563
        let e2 = f * (2 - f)
        let phi = (originLatitude + 1500 / 111_000) * Double.pi / 180
        let w = (1 - e2 * sin(phi) * sin(phi)).squareRoot()
        let meridional = a * (1 - e2) / (w * w * w)
        let primeVertical = a / w
        return (meridional * Double.pi / 180, primeVertical * cos(phi) * Double.pi / 180)
    }()

    static func position(_ x: Double, _ y: Double) -> Position {
        Position(longitude: originLongitude + x / metresPerDegree.longitude,
                 latitude: originLatitude + y / metresPerDegree.latitude)
    }

    /// A polygon from a ring in metres (closed here).
    static func polygon(_ ring: Ring) -> Geometry {
        let positions = ring.map { position($0.0, $0.1) }
        return .polygon([positions + [positions[0]]])
    }

    static func rectangle(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Ring {
        [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    }

    static func code(_ text: String) -> GridCode { GridCode(text)! }

    /// Whether `location` lies in the metre box (x0, y0)–(x1, y1), give or take `margin` metres.
    static func isLocation(_ location: Position, inside x0: Double, _ y0: Double, _ x1: Double, _ y1: Double,
                           margin: Double = 0.5) -> Bool {
        let x = (location.longitude - originLongitude) * metresPerDegree.longitude
        let y = (location.latitude - originLatitude) * metresPerDegree.latitude
        return x >= x0 - margin && x <= x1 + margin && y >= y0 - margin && y <= y1 + margin
    }

    /// The micro-grid layout in metres, by code.
    static let microGridRings: [(String, Ring)] = [
        ("DC-001-1", rectangle(0, 0, 1500, 750)),
        ("DC-001-2", rectangle(0, 750, 1500, 1500)),
        ("DC-002-1", rectangle(1500, 0, 3000, 750)),
        ("DC-002-2", rectangle(1500, 750, 3000, 1500)),
        ("DC-003-1", rectangle(0, 1500, 500, 3000)),
        ("DC-003-2", rectangle(500, 1500, 1000, 3000)),
        ("DC-003-3", rectangle(1000, 1500, 1500, 3000)),
        ("DC-004-1", rectangle(1500, 1500, 2000, 3000)),
        ("DC-004-2", rectangle(2000, 1500, 2500, 3000)),
        ("DC-004-3", rectangle(2500, 1500, 3000, 3000)),
    ]

    static let gridRings: [(String, Ring)] = [
        ("DC-001", rectangle(0, 0, 1500, 1500)),
        ("DC-002", rectangle(1500, 0, 3000, 1500)),
        ("DC-003", rectangle(0, 1500, 1500, 3000)),
        ("DC-004", rectangle(1500, 1500, 3000, 3000)),
    ]

    /// The town with its grids tiling it exactly.
    static func cleanTown() -> TownData {
        let town = Town(code: "DC", name: "大村镇", latinName: "Dacun", workingCRS: "EPSG:4549",
                        boundary: polygon(rectangle(0, 0, 3000, 3000)))
        let grids = gridRings.map { Grid(code: code($0.0), name: $0.0, villageCode: "DC-V01", geometry: polygon($0.1)) }
        let microGrids = microGridRings.map { MicroGrid(code: code($0.0), name: $0.0, geometry: polygon($0.1)) }
        var features: [MapFeature] = []
        for (index, (name, ring)) in microGridRings.enumerated() {
            let (x0, y0) = ring[0], (x1, y1) = ring[2]
            features.append(home(id: "home-\(index + 1)", name: "home of \(name)",
                                 x0 + 0.3 * (x1 - x0), y0 + 0.4 * (y1 - y0)))
        }
        for (index, (_, ring)) in gridRings.enumerated() {
            let (x0, y0) = ring[0], (x1, y1) = ring[2]
            features.append(MapFeature(id: "well-\(index + 1)", kind: .well, name: "",
                                       geometry: .point(position(x0 + 0.6 * (x1 - x0), y0 + 0.6 * (y1 - y0)))))
        }
        return TownData(town: town, grids: grids, microGrids: microGrids, features: features)
    }

    static func home(id: String, name: String = "", _ x: Double, _ y: Double) -> MapFeature {
        MapFeature(id: id, kind: .home, name: name, geometry: .point(position(x, y)))
    }

    /// `data` with the named grid's polygon replaced by `ring` (metres).
    static func replacingGrid(_ code: String, with ring: Ring, in data: TownData) -> TownData {
        var data = data
        let index = data.grids.firstIndex { $0.code.description == code }!
        data.grids[index].geometry = polygon(ring)
        return data
    }

    /// `data` with the named micro-grid's polygon replaced by `geometry`.
    static func replacingMicroGrid(_ code: String, with geometry: Geometry, in data: TownData) -> TownData {
        var data = data
        let index = data.microGrids.firstIndex { $0.code.description == code }!
        data.microGrids[index].geometry = geometry
        return data
    }

    /// Grid DC-001 and its micro-grid DC-001-1 with the same notch (x0…x1 × y0…y1, on their
    /// shared east edge x = 1500) cut out: a gap between DC-001 and DC-002 and nothing else.
    static func townWithNotchBetweenGrids(_ x0: Double, _ y0: Double, _ y1: Double) -> TownData {
        let notch: Ring = [(1500, y0), (x0, y0), (x0, y1), (1500, y1)]
        let grid: Ring = [(0, 0), (1500, 0)] + notch + [(1500, 1500), (0, 1500)]
        let micro: Ring = [(0, 0), (1500, 0)] + notch + [(1500, 750), (0, 750)]
        let data = replacingGrid("DC-001", with: grid, in: cleanTown())
        return replacingMicroGrid("DC-001-1", with: polygon(micro), in: data)
    }
}
