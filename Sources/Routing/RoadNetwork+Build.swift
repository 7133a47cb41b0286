import GEOS
import GeoJSON
import GridMapCore

/// A road line in the working CRS (metres), the input of ``RoadNetwork/init(lines:workingCRS:)``.
public struct RoadLine: Sendable, Hashable {
    public var id: String
    public var roadClass: RoadClass
    public var coordinates: [Coordinate]

    public init(id: String, roadClass: RoadClass, coordinates: [Coordinate]) {
        self.id = id
        self.roadClass = roadClass
        self.coordinates = coordinates
    }
}

extension RoadNetwork {
    /// The network of the `.road` features among `features` (LineString or MultiLineString in
    /// WGS84; other kinds and geometries are ignored), projected to `workingCRS` with PROJ.
    public init(roads features: [MapFeature], workingCRS: String, options: BuildOptions = BuildOptions()) throws {
        let toMetres = try GeometryTransformer(from: "EPSG:4326", to: workingCRS)
        var lines: [RoadLine] = []
        for feature in features where feature.kind == .road {
            let roadClass = RoadClass(property: feature.properties["class"]?.stringValue)
            let parts: [[Position]]
            switch try toMetres.transform(feature.geometry) {
            case .lineString(let positions): parts = [positions]
            case .multiLineString(let lineParts): parts = lineParts
            default: continue
            }
            for part in parts where part.count >= 2 {
                lines.append(RoadLine(id: feature.id, roadClass: roadClass, coordinates: part.map(\.coordinate)))
            }
        }
        try self.init(lines: lines, workingCRS: workingCRS, options: options)
    }

    /// How a network is built.
    public struct BuildOptions: Sendable, Hashable {
        /// Metres within which a road end that touches no other road is moved onto the nearest
        /// one before noding (``RoadNetwork/joinedEnds`` lists every move); 0 disables it.
        ///
        /// The default, 0.1 m, covers the rounding of coordinates stored with six decimals (the
        /// precision RFC 7946 recommends: half a unit is up to 5.6 cm north–south and 4.5 cm
        /// east–west at 36°N, 7.2 cm diagonally) and projection round-off, and stays far below the
        /// width of any road (a track is about 3 m), so no two roads that are really apart join.
        public var endSnapTolerance: Double

        public static let defaultEndSnapTolerance = 0.1

        public init(endSnapTolerance: Double = BuildOptions.defaultEndSnapTolerance) {
            self.endSnapTolerance = endSnapTolerance
        }
    }

    /// The network of `lines` (metres in `workingCRS`).
    ///
    /// Near-miss ends are joined first (``RoadEndJoiner``, within `options.endSnapTolerance`).
    /// Noding: the unary union of all lines (`GEOSUnaryUnion_r`) splits them wherever they cross
    /// or touch, so a crossing becomes a vertex even when neither line has a point there. Each
    /// piece takes the class and id of the source line nearest to the piece's midpoint
    /// (`GEOSSTRtree_nearest_generic_r` over the source lines). Piece polylines go back to WGS84
    /// in one PROJ call, for route geometry. GEOS and PROJ objects live only inside this call.
    public init(lines: [RoadLine], workingCRS: String, options: BuildOptions = BuildOptions()) throws {
        var roadIDs: [String] = []
        var roadIndex: [String: Int32] = [:]
        let usable = lines.filter { line in
            line.coordinates.count >= 2 && line.coordinates.contains { $0 != line.coordinates[0] }
        }
        for line in usable where roadIndex[line.id] == nil {
            roadIndex[line.id] = Int32(roadIDs.count)
            roadIDs.append(line.id)
        }
        guard !usable.isEmpty else {
            self.init(workingCRS: workingCRS, roadIDs: [], pieces: [])
            return
        }
        var coordinates = usable.map(\.coordinates)
        let joins = RoadEndJoiner(tolerance: options.endSnapTolerance).join(&coordinates)
        let context = GEOSContext()
        let sources = try coordinates.map { line throws(GEOSError) in try GEOS.Geometry.lineString(line, context: context) }
        let noded = try GEOS.Geometry.multiLineString(coordinates, context: context).unaryUnion()
        let nodedLines = noded.type == .lineString ? [noded] : try noded.geometries()
        let tree = try STRtree(sources, context: context)
        var metricPieces: [(coordinates: [Coordinate], source: Int)] = []
        for line in nodedLines where line.type == .lineString {
            let coordinates = try line.coordinates()
            guard coordinates.count >= 2, coordinates.contains(where: { $0 != coordinates[0] }) else { continue }
            let middle = Self.midpoint(of: coordinates)
            let source = try tree.nearest(to: try .point(middle, context: context)) ?? 0
            metricPieces.append((coordinates, source))
        }
        // Back to WGS84, all pieces in one transform.
        let toWGS84 = try GeometryTransformer(from: workingCRS, to: "EPSG:4326")
        let back = try toWGS84.transform(.multiLineString(metricPieces.map { $0.coordinates.map { Position($0) } }))
        guard case .multiLineString(let wgs84) = back else { preconditionFailure("a transform keeps the geometry type") }
        let pieces = metricPieces.indices.map { i in
            let source = usable[metricPieces[i].source]
            return Piece(metres: metricPieces[i].coordinates, wgs84: wgs84[i].map(\.coordinate),
                         roadClass: source.roadClass, road: roadIndex[source.id]!)
        }
        var joinedEnds: [JoinedEnd] = []
        if !joins.isEmpty {
            guard case .multiPoint(let junctions) = try toWGS84.transform(.multiPoint(joins.map { Position($0.point) }))
            else { preconditionFailure("a transform keeps the geometry type") }
            joinedEnds = zip(joins, junctions).map { join, junction in
                JoinedEnd(road: usable[join.line].id, end: join.end, ontoRoad: usable[join.target].id, onto: join.onto,
                          distance: join.distance, point: join.point, position: junction)
            }
        }
        self.init(workingCRS: workingCRS, roadIDs: roadIDs, pieces: pieces, joinedEnds: joinedEnds)
    }

    /// The point halfway along a polyline.
    static func midpoint(of line: [Coordinate]) -> Coordinate {
        var lengths: [Double] = []
        for i in 1..<line.count {
            lengths.append(((line[i].x - line[i - 1].x) * (line[i].x - line[i - 1].x)
                + (line[i].y - line[i - 1].y) * (line[i].y - line[i - 1].y)).squareRoot())
        }
        var remaining = lengths.reduce(0, +) / 2
        for i in 1..<line.count {
            if remaining <= lengths[i - 1], lengths[i - 1] > 0 {
                let t = remaining / lengths[i - 1]
                return Coordinate(x: line[i - 1].x + t * (line[i].x - line[i - 1].x),
                                  y: line[i - 1].y + t * (line[i].y - line[i - 1].y))
            }
            remaining -= lengths[i - 1]
        }
        return line[line.count - 1]
    }
}
