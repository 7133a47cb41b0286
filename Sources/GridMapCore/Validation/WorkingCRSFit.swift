import GEOS
import GeoJSON
import PROJ

/// Whether a town's coordinates fit its working CRS, the CRS every distance and area is measured
/// in. Three rules, each a mistake that otherwise imports "clean" and answers nonsense:
///
/// 1. The town's longitude/latitude box lies inside the CRS's area of use (PROJ's
///    `proj_get_area_of_use`, widened by ``margin`` because towns near a zone's edge are often
///    kept in that zone). Longitude/latitude read as metres of EPSG:4549 lands near the equator,
///    4,000 km from the zone.
/// 2. The town does not collapse: its boundary covers at least ``minimumArea`` in the CRS.
/// 3. The CRS keeps distances true near the town: about a kilometre east and north of the box's
///    centre measures within ``scaleTolerance`` (0.1%) of the geodesic distance (WGS84
///    ellipsoid). Web Mercator (EPSG:3857) stretches distances by 1/cos(latitude), 24% at 36°N; a
///    Gauss–Krüger zone is off by less than 0.03% inside its 3° band, a UTM zone by less than 0.1%
///    inside its 6°. A user who knows better may waive this rule (`--accept-crs-error`); the
///    other two are mistakes, never choices.
///
/// The messages name the likely cause and the CRS that fits (``WorkingCRSChoice``).
enum WorkingCRSFit {
    /// Degrees a town may reach beyond the CRS's stated area of use.
    static let margin = 0.5
    /// The smallest town boundary area, in m², that is not a collapse.
    static let minimumArea = 1.0
    /// The largest relative error of a kilometre measured in the working CRS.
    static let scaleTolerance = 0.001

    /// What is wrong with `boundary` (WGS84, valid and polygonal) in the projected metric `crs`;
    /// nil when it fits. The scale rule is checked against `scaleTolerance`, not at all when nil.
    static func problem(boundary: Geometry, crs: CRS, context: GEOSContext, scaleTolerance: Double? = scaleTolerance) -> String? {
        guard let box = box(of: boundary) else { return nil }
        let named = crs.name.isEmpty ? "\"\(crs.definition)\"" : "\"\(crs.definition)\" (\(crs.name))"
        let place = "\(degrees(box.west, "E", "W"))–\(degrees(box.east, "E", "W")), \(degrees(box.south, "N", "S"))–\(degrees(box.north, "N", "S"))"
        let likelyCause = "likely cause: coordinates in another CRS than the one declared (longitude/latitude declared "
            + "as a projected CRS, or projected metres declared as longitude/latitude; see --crs, the manifest's crs "
            + "and the layers' crs members) or the wrong working CRS"
        if let area = crs.areaOfUse {
            let inside = [(box.west, box.south), (box.east, box.south), (box.west, box.north), (box.east, box.north)]
                .allSatisfy { corner in
                    [(-margin, -margin), (margin, -margin), (-margin, margin), (margin, margin), (0, 0)].contains { shift in
                        area.contains(longitude: corner.0 + shift.0, latitude: corner.1 + shift.1)
                    }
                }
            if !inside {
                return "the town lies at \(place), outside the area of use of \(named): \(area.name) "
                    + "(\(degrees(area.west, "E", "W"))–\(degrees(area.east, "E", "W")), "
                    + "\(degrees(area.south, "N", "S"))–\(degrees(area.north, "N", "S"))); \(likelyCause)"
            }
        }
        let projection: Projection
        do {
            projection = try Projection(workingCRS: crs.definition)
        } catch {
            return "cannot project the town into \(named): \(error)"
        }
        do {
            let area = try projection.area(of: boundary, context: context)
            if !(area >= minimumArea) {
                return "the town collapses to \(area) m² in \(named) (at \(place)); \(likelyCause)"
            }
            guard let scaleTolerance else { return nil }
            // About a kilometre east and north of the box's centre, measured both ways.
            let centre = Position(x: (box.west + box.east) / 2, y: (box.south + box.north) / 2)
            let step = 0.01
            let ends = [Position(x: centre.x + step, y: centre.y), Position(x: centre.x, y: centre.y + step)]
            let projected = try projection.transform([centre] + ends)
            for (index, direction) in ["east–west", "north–south"].enumerated() {
                let geodesic = Geodesic.wgs84.distance(lon1: centre.x, lat1: centre.y, lon2: ends[index].x, lat2: ends[index].y)
                let (dx, dy) = (projected[index + 1].x - projected[0].x, projected[index + 1].y - projected[0].y)
                let error = (dx * dx + dy * dy).squareRoot() / geodesic - 1
                if !(abs(error) <= scaleTolerance) {
                    let percent = (error * 1000).rounded() / 10
                    let shown = abs(percent) >= 0.1 ? "\(percent > 0 ? "+" : "")\(percent)%" : String(format: "%+.3f%%", error * 100)
                    return "\(named) measures \(direction) distances at the town \(shown) off, more than "
                        + "\(scaleTolerance * 100)% (pass --accept-crs-error to keep it all the same); the working CRS must keep "
                        + "distances true in metres: \(suitableKind(longitude: centre.x, latitude: centre.y))"
                }
            }
        } catch {
            return "cannot project the town into \(named): \(error); \(likelyCause)"
        }
        return nil
    }

    /// The longitude/latitude box of a geometry; nil when it has no position.
    static func box(of geometry: Geometry) -> (west: Double, south: Double, east: Double, north: Double)? {
        var box: (west: Double, south: Double, east: Double, north: Double)?
        geometry.forEachPosition { position in
            guard let old = box else {
                box = (position.x, position.y, position.x, position.y)
                return
            }
            box = (min(old.west, position.x), min(old.south, position.y), max(old.east, position.x), max(old.north, position.y))
        }
        return box
    }

    /// ``suitableKind(longitude:latitude:)`` at the centre of the town's box.
    static func suitableKind(for boundary: Geometry) -> String? {
        box(of: boundary).map { suitableKind(longitude: ($0.west + $0.east) / 2, latitude: ($0.south + $0.north) / 2) }
    }

    /// Words for the CRS that fits a town at (longitude, latitude) (``WorkingCRSChoice``).
    static func suitableKind(longitude: Double, latitude: Double) -> String {
        let choice = WorkingCRSChoice.suggested(longitude: longitude, latitude: latitude)
        return "a projected CRS in metres such as the town's \(choice.kind), \(choice.crs) (\(choice.shortName))"
    }

    /// A longitude or latitude in degrees with two decimals and its hemisphere, e.g. 119.80°E.
    private static func degrees(_ value: Double, _ positive: String, _ negative: String) -> String {
        let rounded = (abs(value) * 100).rounded() / 100
        let text = String(format: "%.2f", rounded)
        return "\(text)°\(value < 0 && rounded > 0 ? negative : positive)"
    }
}

/// The working CRS GridMap picks for a town that names none, and names when refusing one that
/// does not fit: a conformal projection whose zone holds the town, so that distances near it are
/// true to well under 0.1%.
///
/// - In China (where the zone's CGCS2000 area of use, from PROJ, holds the point): the CGCS2000
///   3-degree Gauss–Krüger zone whose central meridian is nearest, from the "CM" family
///   EPSG:4534–4554 (central meridians 75°E–135°E). Chosen over the family with the zone number
///   in the easting (EPSG:4513–4533) because its coordinates are plain metres from a false
///   easting of 500 km, like Dacun's EPSG:4549 and most Chinese survey data, so they read and
///   measure the same in any GIS; the CRS's name carries the zone.
/// - Elsewhere: the WGS 84 UTM zone (EPSG:326zz north of the equator, 327zz south).
public enum WorkingCRSChoice {
    /// A suggestion: the CRS, the kind of CRS and its short name in words, and whether the town
    /// is in China (the Gauss–Krüger zone was chosen).
    public typealias Suggestion = (crs: CRSDefinition, kind: String, shortName: String, isInChina: Bool)

    /// The suggested CRS at (longitude, latitude), with words for it.
    public static func suggested(longitude: Double, latitude: Double) -> Suggestion {
        if (73.5...136.5).contains(longitude), (3...54).contains(latitude) {
            let meridian = min(135, max(75, Int((longitude / 3).rounded()) * 3))
            let crs = CRSDefinition("EPSG:\(4534 + (meridian - 75) / 3)")
            // The band of China the zone covers, as its definition states it.
            if let area = try? CRS(crs).areaOfUse, area.contains(longitude: longitude, latitude: latitude) {
                return (crs, "CGCS2000 3-degree Gauss-Kruger zone", "CM \(meridian)E", true)
            }
        }
        let zone = min(60, max(1, Int(((longitude + 180) / 6).rounded(.down)) + 1))
        let north = latitude >= 0
        return (CRSDefinition("EPSG:\((north ? 32600 : 32700) + zone)"), "UTM zone", "WGS 84 / UTM zone \(zone)\(north ? "N" : "S")", false)
    }

    /// The suggested CRS for a town, at the centre of its boundary's longitude/latitude box; nil
    /// for a boundary without positions.
    public static func suggested(for boundary: Geometry) -> Suggestion? {
        WorkingCRSFit.box(of: boundary).map { suggested(longitude: ($0.west + $0.east) / 2, latitude: ($0.south + $0.north) / 2) }
    }
}
