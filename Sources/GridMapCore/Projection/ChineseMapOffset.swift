import Foundation
import PROJ

/// The coordinate systems of China's online maps, which PROJ does not know: **GCJ-02** (国测局坐标,
/// "Mars coordinates": AMap/Gaode, Tencent, Google Maps in China) and **BD-09** (Baidu), each a
/// deliberate, non-linear shift of WGS84 longitude/latitude by up to several hundred metres.
///
/// They are defined by algorithms, not by a datum, and GridMap follows the widely published one
/// (eviltransform, coordtransform; docs/CRS.md):
/// - WGS84 → GCJ-02 adds ``gcj02Shift(longitude:latitude:)``, a polynomial-and-sine offset scaled
///   on the Krasovsky ellipsoid (a = 6,378,245 m, e² = 0.00669342162296594323), to points inside
///   ``isInChina(longitude:latitude:)``; points outside are left as they are.
/// - GCJ-02 → BD-09 is Baidu's polar perturbation plus (0.0065°, 0.006°), applied inside the same
///   box (as eviltransform's `gcj2bd` does; outside it BD-09 is WGS84 too).
///
/// The forward steps are exactly the published formulas. Neither has a closed-form inverse (the
/// published "inverses" are first-order approximations, off by metres for GCJ-02), so
/// ``inverse(longitude:latitude:)`` solves forward(p) = q by fixed-point iteration until forward(p)
/// is within ``inverseTolerance`` of q (10⁻¹²°, a tenth of a micrometre: as close as doubles
/// get), which takes 4–6 rounds. Anything coarser would show: a vertex of a micro-grid that lies
/// on its grid's edge would come back a millimetre off it, and the coverage check would find
/// square-metre slivers along every such edge.
///
/// Each system is a list of steps from WGS84 (``steps``), so that BD-09 ⇄ GCJ-02 is Baidu's step
/// alone and neither passes through WGS84. ``Projection`` chains them with PROJ: GCJ-02 → EPSG:4549
/// is GCJ-02 → WGS84 here, then WGS84 → EPSG:4549 in PROJ.
public enum ChineseMapOffset: String, Sendable, CaseIterable, CustomStringConvertible {
    case gcj02 = "GCJ-02"
    case bd09 = "BD-09"

    /// The system a CRS definition names: "GCJ02", "GCJ-02", "BD09" or "BD-09", in any case and
    /// with spaces around; nil for anything else (a CRS for PROJ).
    public init?(_ definition: CRSDefinition) {
        let name = definition.description.trimmingCharacters(in: .whitespaces).uppercased()
        switch name {
        case "GCJ02", "GCJ-02": self = .gcj02
        case "BD09", "BD-09": self = .bd09
        default: return nil
        }
    }

    public var description: String { rawValue }

    /// A name for messages, as PROJ's `proj_get_name` would give one.
    public var name: String {
        switch self {
        case .gcj02: "GCJ-02 (the offset longitude/latitude of AMap, Tencent and other Chinese online maps)"
        case .bd09: "BD-09 (the offset longitude/latitude of Baidu Maps)"
        }
    }

    /// The CRS the offsets are applied to: WGS84 longitude/latitude.
    public static let base = CRSDefinition.wgs84

    /// The steps from WGS84 to this system, in order.
    var steps: [Step] {
        switch self {
        case .gcj02: [.gcj02]
        case .bd09: [.gcj02, .bd09]
        }
    }

    /// One published shift of longitude/latitude in degrees.
    enum Step: Sendable {
        /// WGS84 → GCJ-02.
        case gcj02
        /// GCJ-02 → BD-09.
        case bd09

        func forward(longitude: Double, latitude: Double) -> (longitude: Double, latitude: Double) {
            guard ChineseMapOffset.isInChina(longitude: longitude, latitude: latitude) else { return (longitude, latitude) }
            switch self {
            case .gcj02:
                let shift = ChineseMapOffset.gcj02Shift(longitude: longitude, latitude: latitude)
                return (longitude + shift.longitude, latitude + shift.latitude)
            case .bd09:
                return ChineseMapOffset.baiduForward(longitude: longitude, latitude: latitude)
            }
        }

        /// The point whose ``forward(longitude:latitude:)`` is (longitude, latitude), to within
        /// ``inverseTolerance``: fixed-point iteration p ← p − (forward(p) − q), which converges
        /// because each shift changes by far less than the point moves (its derivative is ~10⁻⁵).
        /// A point outside China's box is its own inverse, as the published algorithm has it.
        func inverse(longitude: Double, latitude: Double) -> (longitude: Double, latitude: Double) {
            guard ChineseMapOffset.isInChina(longitude: longitude, latitude: latitude) else { return (longitude, latitude) }
            var guess = (longitude: longitude, latitude: latitude)
            for _ in 0..<ChineseMapOffset.maximumInverseRounds {
                let image = shifted(guess)
                let error = (longitude: image.longitude - longitude, latitude: image.latitude - latitude)
                guess = (guess.longitude - error.longitude, guess.latitude - error.latitude)
                if abs(error.longitude) < ChineseMapOffset.inverseTolerance, abs(error.latitude) < ChineseMapOffset.inverseTolerance {
                    break
                }
            }
            return guess
        }

        /// The shift without the box test: the iteration may step just outside the box near its
        /// edge, and must keep solving the same equation there.
        private func shifted(_ point: (longitude: Double, latitude: Double)) -> (longitude: Double, latitude: Double) {
            switch self {
            case .gcj02:
                let shift = ChineseMapOffset.gcj02Shift(longitude: point.longitude, latitude: point.latitude)
                return (point.longitude + shift.longitude, point.latitude + shift.latitude)
            case .bd09:
                return ChineseMapOffset.baiduForward(longitude: point.longitude, latitude: point.latitude)
            }
        }
    }

    /// Coordinates from `source` to `target` in place: the steps of `source` undone, then those of
    /// `target` made, less the steps they share (GCJ-02 → BD-09 is Baidu's step only). `nil`
    /// stands for WGS84. Non-finite coordinates pass through unchanged.
    static func convert(x: UnsafeMutableBufferPointer<Double>, y: UnsafeMutableBufferPointer<Double>,
                        undoing source: [Step], doing target: [Step]) {
        var shared = 0
        while shared < min(source.count, target.count), source[shared] == target[shared] { shared += 1 }
        let undo = source[shared...].reversed(), make = target[shared...]
        for index in x.indices {
            var point = (longitude: x[index], latitude: y[index])
            for step in undo { point = step.inverse(longitude: point.longitude, latitude: point.latitude) }
            for step in make { point = step.forward(longitude: point.longitude, latitude: point.latitude) }
            (x[index], y[index]) = point
        }
    }

    // MARK: The published algorithm

    /// The "outside China" test: the box of the original published code, which eviltransform keeps
    /// (`outOfChina`): longitude 72.004°–137.8347°E and latitude 0.8293°–55.8271°N, edges included.
    /// It holds all of China (73.5°–135.1°E, 3.9°–53.6°N). coordtransform uses a tighter box
    /// (73.66°–135.05°E, 3.86°–53.55°N, edges excluded) that leaves out China's eastern and
    /// western tips; the two agree everywhere else in China. NaN is outside.
    public static func isInChina(longitude: Double, latitude: Double) -> Bool {
        (72.004...137.8347).contains(longitude) && (0.8293...55.8271).contains(latitude)
    }

    /// The semi-major axis of the Krasovsky 1940 ellipsoid, in metres, on which the shift is scaled.
    static let krasovskyA = 6_378_245.0
    /// The square of its eccentricity, as published.
    static let krasovskyE2 = 0.00669342162296594323
    /// Degrees within which an inverse must map back onto its input: 1e-12° is 0.1 µm, a few
    /// units in the last place of a longitude.
    static let inverseTolerance = 1e-12
    /// Rounds an inverse may take; 6 reach the tolerance anywhere in China (each divides the
    /// error by a thousand or more), and a point where rounding keeps it just above stops here.
    static let maximumInverseRounds = 12

    /// The GCJ-02 shift (in degrees) of the WGS84 point (longitude, latitude), with no box test:
    /// the published `transformLat`/`transformLon` polynomials in (longitude − 105, latitude − 35),
    /// turned from metres into degrees on the Krasovsky ellipsoid at that latitude.
    public static func gcj02Shift(longitude: Double, latitude: Double) -> (longitude: Double, latitude: Double) {
        let x = longitude - 105.0, y = latitude - 35.0
        let waves = (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        var metresNorth = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs(x).squareRoot()
        metresNorth += waves
        metresNorth += (20.0 * sin(y * .pi) + 40.0 * sin(y / 3.0 * .pi)) * 2.0 / 3.0
        metresNorth += (160.0 * sin(y / 12.0 * .pi) + 320.0 * sin(y * .pi / 30.0)) * 2.0 / 3.0
        var metresEast = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs(x).squareRoot()
        metresEast += waves
        metresEast += (20.0 * sin(x * .pi) + 40.0 * sin(x / 3.0 * .pi)) * 2.0 / 3.0
        metresEast += (150.0 * sin(x / 12.0 * .pi) + 300.0 * sin(x / 30.0 * .pi)) * 2.0 / 3.0
        let radians = latitude / 180.0 * .pi
        let sine = sin(radians)
        let magic = 1 - krasovskyE2 * sine * sine
        let root = magic.squareRoot()
        // Metres to degrees: the meridian's and the parallel's radii of curvature at the latitude.
        let latitudeShift = (metresNorth * 180.0) / ((krasovskyA * (1 - krasovskyE2)) / (magic * root) * .pi)
        let longitudeShift = (metresEast * 180.0) / (krasovskyA / root * cos(radians) * .pi)
        return (longitudeShift, latitudeShift)
    }

    /// Baidu's GCJ-02 → BD-09 (`gcj02tobd09`): the point's polar radius and angle perturbed by
    /// 2e-5 sin(latitude·3000π/180) and 3e-6 cos(longitude·3000π/180), then (0.0065°, 0.006°) added.
    public static func baiduForward(longitude: Double, latitude: Double) -> (longitude: Double, latitude: Double) {
        let radius = (longitude * longitude + latitude * latitude).squareRoot() + 0.00002 * sin(latitude * baiduPi)
        let angle = atan2(latitude, longitude) + 0.000003 * cos(longitude * baiduPi)
        return (radius * cos(angle) + 0.0065, radius * sin(angle) + 0.006)
    }

    /// The published `x_PI`: π × 3000 / 180, with π written to 18 digits as the original has it.
    private static let baiduPi = 3.14159265358979324 * 3000.0 / 180.0
}
