import GEOS
import GeoJSON
import GridMapCore
import PROJ

/// A road line in the working CRS (metres), the input of ``RoadNetwork/init(lines:projection:options:)``.
public struct RoadLine: Sendable, Hashable {
    public var id: String
    public var roadClass: RoadClass
    public var coordinates: [Coordinate]
    /// Access, one-way, speed and level (``RoadTags``); none by default.
    public var tags: RoadTags

    public init(id: String, roadClass: RoadClass, coordinates: [Coordinate], tags: RoadTags = RoadTags()) {
        self.id = id
        self.roadClass = roadClass
        self.coordinates = coordinates
        self.tags = tags
    }
}

extension RoadNetwork {
    /// The network of the `.road` features among `features`, in the town's working CRS; see
    /// ``init(roads:projection:options:)``.
    public init(roads features: [MapFeature], workingCRS: CRSDefinition, options: BuildOptions = BuildOptions()) throws(RoadNetworkError) {
        try self.init(roads: features, projection: Self.projection(workingCRS), options: options)
    }

    /// The town's projection, or why there is none.
    private static func projection(_ workingCRS: CRSDefinition) throws(RoadNetworkError) -> Projection {
        do {
            return try Projection(workingCRS: workingCRS)
        } catch {
            throw .workingCRS(error)
        }
    }

    /// The network of the `.road` features among `features` (LineString or MultiLineString in
    /// WGS84; other kinds and geometries are ignored), projected with `projection` (the town's,
    /// e.g. ``Atlas/projection``): every road's positions go into two coordinate arrays and
    /// through PROJ in one batch, straight from the GeoJSON to the lines GEOS nodes.
    /// - Throws: ``RoadNetworkError/projection(road:_:)`` naming a road PROJ cannot project, or
    ///   ``RoadNetworkError/noding(_:)`` with GEOS's error when noding fails.
    public init(roads features: [MapFeature], projection: Projection, options: BuildOptions = BuildOptions()) throws(RoadNetworkError) {
        var parts: [(feature: MapFeature, line: [Position], start: Int)] = []
        var x: [Double] = [], y: [Double] = []
        for feature in features where feature.kind == .road {
            let lines: [[Position]]
            switch feature.geometry {
            case .lineString(let positions): lines = [positions]
            case .multiLineString(let parts): lines = parts
            default: continue
            }
            for line in lines where line.count >= 2 {
                parts.append((feature, line, x.count))
                for position in line {
                    x.append(position.x)
                    y.append(position.y)
                }
            }
        }
        let failures: [Int]
        do { failures = try projection.transform(x: &x, y: &y) } catch { throw .workingCRS(error) }
        if let failed = failures.first {
            let part = parts.last { $0.start <= failed }!
            throw RoadNetworkError.projection(road: part.feature.id, .untransformable(
                position: part.line[failed - part.start], index: failed - part.start, geometry: nil, from: projection.source, to: projection.target))
        }
        var unknown: [UnknownClass] = []
        let lines = parts.map { part in
            let property = part.feature.properties["class"]?.stringValue
            if !RoadClass.isKnown(property), let property, unknown.last?.road != part.feature.id {
                unknown.append(UnknownClass(road: part.feature.id, value: property))
            }
            return RoadLine(id: part.feature.id, roadClass: RoadClass(property: property),
                            coordinates: (part.start..<part.start + part.line.count).map { Coordinate(x: x[$0], y: y[$0]) },
                            tags: RoadTags(properties: part.feature.properties))
        }
        try self.init(lines: lines, projection: projection, options: options)
        unknownClasses = unknown
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
        /// Used only with ``RoadTopology/nodedCrossings``: a source with topology says itself
        /// where its roads meet.
        public var endSnapTolerance: Double
        /// Where roads meet: at crossings (the town folder's hand-drawn roads, the default) or
        /// only at shared vertices (OSM).
        public var topology: RoadTopology

        public static let defaultEndSnapTolerance = 0.1

        public init(endSnapTolerance: Double = BuildOptions.defaultEndSnapTolerance, topology: RoadTopology = .nodedCrossings) {
            self.endSnapTolerance = endSnapTolerance
            self.topology = topology
        }
    }

    /// The network of `lines` (metres in `workingCRS`); see ``init(lines:projection:options:)``.
    public init(lines: [RoadLine], workingCRS: CRSDefinition, options: BuildOptions = BuildOptions()) throws(RoadNetworkError) {
        try self.init(lines: lines, projection: Self.projection(workingCRS), options: options)
    }

    /// The network of `lines` (metres in `projection`'s working CRS), split into edges by
    /// `options.topology` (``RoadTopology``): at the vertices lines share, or at every crossing
    /// of lines on one level after joining near-miss ends (``RoadEndJoiner``, within
    /// `options.endSnapTolerance`). Each piece keeps its source line's class, tags and id, and
    /// whether it runs the way the line is drawn. Piece polylines and joined ends go back to
    /// WGS84 in one batch through `projection` (backwards), for route geometry.
    public init(lines: [RoadLine], projection: Projection, options: BuildOptions = BuildOptions()) throws(RoadNetworkError) {
        var roadIDs: [String] = [], roadTags: [RoadTags] = []
        var roadIndex: [String: Int32] = [:]
        let usable = lines.filter { line in
            line.coordinates.count >= 2 && line.coordinates.contains { $0 != line.coordinates[0] }
        }
        for line in usable where roadIndex[line.id] == nil {
            roadIndex[line.id] = Int32(roadIDs.count)
            roadIDs.append(line.id)
            roadTags.append(line.tags)
        }
        guard !usable.isEmpty else {
            self.init(projection: projection, roadIDs: [], roadTags: [], topology: options.topology, pieces: [])
            return
        }
        var coordinates = usable.map(\.coordinates)
        var joins: [RoadEndJoiner.Join] = []
        let metricPieces: [RoadTopology.Piece]
        switch options.topology {
        case .sharedVertices:
            metricPieces = RoadTopology.splitAtSharedVertices(coordinates)
        case .nodedCrossings:
            joins = RoadEndJoiner(tolerance: options.endSnapTolerance).join(&coordinates)
            do {
                metricPieces = try RoadTopology.nodeCrossings(coordinates, levels: usable.map(\.tags.level),
                                                             directed: usable.map { $0.tags.oneway != nil || $0.tags.junction != nil })
            } catch {
                throw .noding(error)
            }
        }
        // Back to WGS84: every piece's points, then the joined ends, in one batch.
        let metres = metricPieces.flatMap(\.coordinates) + joins.map(\.point)
        var wgs84: ArraySlice<Position>
        do { wgs84 = try projection.transform(metres.map { Position($0) }, direction: .inverse)[...] } catch { throw .workingCRS(error) }
        let pieces = metricPieces.map { piece in
            let source = usable[piece.source]
            defer { wgs84 = wgs84.dropFirst(piece.coordinates.count) }
            return Piece(metres: piece.coordinates, wgs84: wgs84.prefix(piece.coordinates.count).map(\.coordinate),
                         roadClass: source.roadClass, road: roadIndex[source.id]!, alongRoad: piece.alongSource)
        }
        var joinedEnds: [JoinedEnd] = []
        if !joins.isEmpty {
            joinedEnds = zip(joins, wgs84).map { join, junction in
                JoinedEnd(road: usable[join.line].id, end: join.end, ontoRoad: usable[join.target].id, onto: join.onto,
                          distance: join.distance, point: join.point, position: junction)
            }
        }
        self.init(projection: projection, roadIDs: roadIDs, roadTags: roadTags, topology: options.topology, pieces: pieces,
                  joinedEnds: joinedEnds)
    }
}

/// Why a road network could not be built from road features.
public enum RoadNetworkError: Error, Equatable, CustomStringConvertible {
    /// PROJ could not project a position of road `road` into the working CRS.
    case projection(road: String, ProjectionError)
    /// The working CRS gives no usable projection (unknown, geographic, not in metres), or
    /// projecting the noded network back to WGS84 failed.
    case workingCRS(ProjectionError)
    /// GEOS failed splitting the roads at their crossings.
    case noding(GEOSError)

    public var description: String {
        switch self {
        case let .projection(road, error): "road \(road): \(error)"
        case let .workingCRS(error): "\(error)"
        case let .noding(error): "noding the roads: \(error)"
        }
    }
}
