import GEOS
import GeoJSON
import PROJ

/// Whether a district's towns tile their land the way a town's grids tile the town: no two towns
/// overlap, and no land is enclosed by towns without belonging to one (a hole in the towns'
/// union). A district has no boundary of its own in GridMap, so its outer edge is not checked:
/// only what the towns enclose is land that must be a town's.
///
/// The checks run like ``TilingCheck``'s on the stored WGS84 coordinates (neighbouring towns
/// share their edges there exactly) and each fault found is measured in `workingCRS`; faults
/// below the sliver area or width are warnings, the others errors. Codes in the problems are
/// empty: the towns are named in each message, since a town code is not a grid code.
public struct DistrictCoverageValidator: Sendable {
    /// One town: its code (the grid-code prefix) and boundary (WGS84 Polygon or MultiPolygon).
    public struct Town: Sendable, Hashable {
        public var code: String
        public var boundary: Geometry
        public init(code: String, boundary: Geometry) {
            self.code = code
            self.boundary = boundary
        }
    }

    public var options: CoverageOptions

    public init(options: CoverageOptions = CoverageOptions()) {
        self.options = options
    }

    /// Every overlap between two of `towns` and every piece of land they enclose that none of
    /// them holds, measured in `workingCRS`, in the order found (pairs in the order of `towns`).
    public func validate(_ towns: [Town], workingCRS: CRSDefinition) throws(CoverageError) -> CoverageReport {
        try options.validate()
        guard !towns.isEmpty else { return CoverageReport(problems: []) }
        let projection: Projection
        do {
            projection = try Projection(workingCRS: workingCRS)
        } catch {
            throw .workingCRS(crs: workingCRS, reason: "\(error)")
        }
        let context = GEOSContext()
        let recorder = FaultRecorder(projection: projection, options: options)
        let preparation = PolygonPreparation(context: context, recorder: recorder)
        var prepared: [(code: String, geometry: GEOSGeometry)] = []
        for town in towns {
            if let polygon = try preparation.prepare(code: nil, what: "the boundary of town \(town.code)", level: .district,
                                                     original: town.boundary) {
                prepared.append((town.code, polygon.geometry))
            }
        }
        let geometries = prepared.map(\.geometry)
        let tree = try recorder.measure { () throws(GEOSError) in try STRtree(geometries, context: context) }
        for (i, town) in prepared.enumerated() {
            let neighbours = try recorder.measure { () throws(GEOSError) -> [Int] in
                guard let box = try town.geometry.bounds else { return [] }
                return try tree.query(envelope: box).filter { $0 > i }
            }
            for j in neighbours {
                let parts = try recorder.measure { () throws(GEOSError) -> [GEOSGeometry] in
                    guard try town.geometry.relate(geometries[j], matches: "2********") else { return [] }
                    return try polygonalParts(of: town.geometry.intersection(geometries[j]))
                }
                for part in parts {
                    try recorder.recordArea(.overlap, level: .district, polygon: part, codes: [],
                                            message: "towns \(town.code) and \(prepared[j].code) overlap")
                }
            }
        }
        for hole in try enclosedHoles(of: geometries, context: context, recorder: recorder) {
            let around = try recorder.measure { () throws(GEOSError) -> [String] in
                guard let box = try hole.bounds else { return [] }
                return try tree.query(envelope: box).sorted().map { prepared[$0].code }
            }
            try recorder.recordArea(.gap, level: .district, polygon: hole, codes: [],
                                    message: "land enclosed by towns \(around.joined(separator: ", ")) belongs to no town")
        }
        return CoverageReport(problems: recorder.problems)
    }

    /// The holes of the towns' union: land surrounded by towns that none of them covers.
    private func enclosedHoles(of towns: [GEOSGeometry], context: GEOSContext,
                               recorder: FaultRecorder) throws(CoverageError) -> [GEOSGeometry] {
        guard !towns.isEmpty else { return [] }
        let union = try recorder.measure { () throws(GEOSError) in
            try Geometry(GEOSGeometry.collection(towns, context: context).unaryUnion())
        }
        let polygons: [[[Position]]]
        switch union {
        case .polygon(let rings): polygons = [rings]
        case .multiPolygon(let parts): polygons = parts
        default: polygons = []
        }
        return try recorder.measure { () throws(GEOSError) -> [GEOSGeometry] in
            var holes: [GEOSGeometry] = []
            for rings in polygons {
                for ring in rings.dropFirst() { holes.append(try Geometry.polygon([ring]).geosGeometry(in: context)) }
            }
            return holes
        }
    }
}
