import GeoJSON
import PROJ

/// Projects GeoJSON geometries from WGS84 longitude/latitude into a metric CRS, all in one batch.
///
/// A town map has tens of thousands of geometries; PROJ's `proj_trans_generic` (through
/// `Transformer.transform(x:y:direction:)`) is fast per call but each call has overhead, so every
/// coordinate of every geometry is gathered into two arrays, projected in one call, and the
/// geometries rebuilt from the results in the same traversal order.
struct GeometryProjector {
    let transformer: Transformer
    /// The target CRS's name, e.g. "CGCS2000 / 3-degree Gauss-Kruger CM 120E".
    let targetName: String

    /// A projector into `targetCRS` (e.g. "EPSG:4549"), with its own PROJ context for this thread.
    init(targetCRS: String) throws(MapRenderError) {
        do {
            let context = PROJContext()
            let target = try CRS(targetCRS, context: context)
            transformer = try Transformer(source: try CRS("EPSG:4326", context: context), target: target)
            targetName = target.name
        } catch {
            throw .projection("\(error)")
        }
    }

    /// The geometries in the target CRS (easting, northing), in the order given.
    func project(_ geometries: [Geometry]) throws(MapRenderError) -> [Geometry] {
        var xs: [Double] = []
        var ys: [Double] = []
        for geometry in geometries { Self.collect(geometry, xs: &xs, ys: &ys) }
        let failed = transformer.transform(x: &xs, y: &ys, direction: .forward)
        if let first = failed.first {
            throw .projection("\(failed.count) coordinate(s) fall outside \(transformer.definition.target), the first at index \(first)")
        }
        var cursor = 0
        return geometries.map { Self.rebuild($0, xs: xs, ys: ys, cursor: &cursor) }
    }

    private static func collect(_ geometry: Geometry, xs: inout [Double], ys: inout [Double]) {
        func add(_ positions: [Position]) {
            for position in positions {
                xs.append(position.x)
                ys.append(position.y)
            }
        }
        switch geometry {
        case .point(let position): add([position])
        case .multiPoint(let positions), .lineString(let positions): add(positions)
        case .multiLineString(let lines), .polygon(let lines): lines.forEach(add)
        case .multiPolygon(let polygons): polygons.forEach { $0.forEach(add) }
        case .geometryCollection(let members): members.forEach { collect($0, xs: &xs, ys: &ys) }
        }
    }

    /// Rebuilds `geometry` with projected coordinates taken from `cursor` on, in the order
    /// `collect` visited them. Altitudes are dropped: the map is flat.
    private static func rebuild(_ geometry: Geometry, xs: [Double], ys: [Double], cursor: inout Int) -> Geometry {
        func take(_ positions: [Position]) -> [Position] {
            defer { cursor += positions.count }
            return (cursor..<cursor + positions.count).map { Position(x: xs[$0], y: ys[$0]) }
        }
        switch geometry {
        case .point(let position): return .point(take([position])[0])
        case .multiPoint(let positions): return .multiPoint(take(positions))
        case .lineString(let positions): return .lineString(take(positions))
        case .multiLineString(let lines): return .multiLineString(lines.map(take))
        case .polygon(let rings): return .polygon(rings.map(take))
        case .multiPolygon(let polygons): return .multiPolygon(polygons.map { $0.map(take) })
        case .geometryCollection(let members):
            return .geometryCollection(members.map { rebuild($0, xs: xs, ys: ys, cursor: &cursor) })
        }
    }
}
