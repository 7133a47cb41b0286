import GEOS
import GeoJSON

/// Turns ground geometries (working CRS, metres) into what the page draws: clipped to the map
/// frame, simplified below what paper can show, and spelled as SVG path data in millimetres.
///
/// Holds a GEOS context of its own, so it lives on the rendering call's thread only.
struct PageGeometry {
    let layout: MapLayout
    /// Douglas–Peucker tolerance in ground metres (0 turns simplification off).
    let toleranceMetres: Double
    let context = GEOSContext()
    /// The ground rectangle geometries are clipped to: the frame plus 2 mm, so that thick strokes
    /// end under the frame line rather than visibly short of it.
    private let clipEnvelope: Envelope

    init(layout: MapLayout, toleranceMetres: Double) {
        self.layout = layout
        self.toleranceMetres = toleranceMetres
        clipEnvelope = layout.groundView.expanded(by: 2 / layout.millimetresPerMetre)
    }

    /// `geometry` as GEOS, clipped to the frame (`GEOSIntersection_r`) and simplified
    /// (`GEOSTopologyPreserveSimplify_r`); nil when nothing of it is inside the frame. A geometry
    /// GEOS cannot clip (an invalid polygon) is kept whole: the SVG clip path still hides what
    /// lies outside the frame.
    func visible(_ geometry: Geometry, what: String) throws(MapRenderError) -> GEOSGeometry? {
        do {
            let ground = try geometry.geosGeometry(in: context)
            guard let bounds = try ground.bounds, bounds.intersects(clipEnvelope) else { return nil }
            var shown = ground
            if !Self.envelope(clipEnvelope, contains: bounds) {
                let rectangle = try GEOSGeometry.rectangle(clipEnvelope, context: context)
                if let clipped = try? ground.intersection(rectangle) {
                    if try clipped.isEmpty { return nil }
                    shown = clipped
                }
            }
            if toleranceMetres > 0, ![.point, .multiPoint].contains(shown.type) {
                shown = try shown.simplify(tolerance: toleranceMetres)
            }
            return try shown.isEmpty ? nil : shown
        } catch {
            throw .geometry(what: what, message: "\(error)")
        }
    }

    /// A point inside the geometry (`GEOSPointOnSurface_r`) on the page, for a label or symbol.
    func labelPoint(of geometry: GEOSGeometry, what: String) throws(MapRenderError) -> (x: Double, y: Double)? {
        do {
            let point = try geometry.pointOnSurface()
            if try point.isEmpty { return nil }
            let coordinate = try point.pointCoordinate()
            return layout.pagePoint(x: coordinate.x, y: coordinate.y)
        } catch {
            throw .geometry(what: what, message: "\(error)")
        }
    }

    /// SVG path data for the lines and polygon rings of `geometry` (points are ignored):
    /// absolute moves and lines at 0.1 mm, repeated points dropped, rings closed with `Z`.
    func pathData(_ geometry: GEOSGeometry, what: String) throws(MapRenderError) -> String {
        let value: Geometry
        do { value = try Geometry(geometry) } catch { throw .geometry(what: what, message: "\(error)") }
        var data = ""
        appendPath(value, to: &data)
        return data
    }

    /// The page positions of the points of a ground geometry inside the frame (no GEOS needed:
    /// the fast path for twenty thousand homes).
    func pagePoints(_ geometry: Geometry) -> [(x: Double, y: Double)] {
        var points: [(x: Double, y: Double)] = []
        func add(_ position: Position) {
            guard layout.groundView.contains(x: position.x, y: position.y) else { return }
            points.append(layout.pagePoint(x: position.x, y: position.y))
        }
        switch geometry {
        case .point(let position): add(position)
        case .multiPoint(let positions): positions.forEach(add)
        case .geometryCollection(let members): points += members.flatMap(pagePoints)
        default: break
        }
        return points
    }

    private func appendPath(_ geometry: Geometry, to data: inout String) {
        switch geometry {
        case .point, .multiPoint: break
        case .lineString(let line): appendRun(line, closed: false, to: &data)
        case .multiLineString(let lines): lines.forEach { appendRun($0, closed: false, to: &data) }
        case .polygon(let rings): rings.forEach { appendRun($0, closed: true, to: &data) }
        case .multiPolygon(let polygons): polygons.forEach { $0.forEach { appendRun($0, closed: true, to: &data) } }
        case .geometryCollection(let members): members.forEach { appendPath($0, to: &data) }
        }
    }

    /// One line or ring. Rounding happens before duplicates are dropped, so that points closer
    /// than 0.1 mm collapse into one; a ring that collapses below three points, or a line below
    /// two, is too small to draw and is left out.
    private func appendRun(_ positions: [Position], closed: Bool, to data: inout String) {
        var spelled: [String] = []
        spelled.reserveCapacity(positions.count)
        var previous = ""
        for position in positions {
            let point = layout.pagePoint(x: position.x, y: position.y)
            let pair = SVGText.number(point.x) + " " + SVGText.number(point.y)
            if pair != previous { spelled.append(pair) }
            previous = pair
        }
        if closed, spelled.count > 1, spelled.first == spelled.last { spelled.removeLast() }
        guard spelled.count >= (closed ? 3 : 2) else { return }
        data += "M" + spelled[0] + "L" + spelled.dropFirst().joined(separator: " ")
        if closed { data += "Z" }
    }

    private static func envelope(_ outer: Envelope, contains inner: Envelope) -> Bool {
        inner.minX >= outer.minX && inner.maxX <= outer.maxX && inner.minY >= outer.minY && inner.maxY <= outer.maxY
    }
}
