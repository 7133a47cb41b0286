import Foundation
import GEOS
import GeoJSON

/// Proves that a town's grids tile the town and each grid's micro-grids tile the grid
/// ("横向到边，纵向到底": no management vacuum, no blind spot), and that every home and well lies in a
/// micro-grid; reports every fault as a located, measured geometry.
///
/// Topology is decided on the stored WGS84 coordinates, where shared edges are exact (see
/// ``TilingCheck`` for why not on projected ones); every fault found is measured in the town's
/// metric working CRS (areas in m², distances in metres). One GEOS context, confined to the
/// calling thread, and the town's ``Projection`` serve one call:
/// 1. validity of the town boundary, every grid and every micro-grid (``PolygonPreparation``);
///    codes checked for duplicates, orphan micro-grids and grids without micro-grids;
/// 2–4. overlaps, gaps and outside parts of the grids in the town, then of each grid's
///    micro-grids in the grid (``TilingCheck``);
/// 5. checked point features outside every micro-grid or outside the town (``PointPlacementCheck``).
///
/// The validator is a `Sendable` value; each `validate` call builds and frees its own GEOS and
/// PROJ state, so calls on different threads are independent.
public struct CoverageValidator: Sendable {
    public var options: CoverageOptions

    public init(options: CoverageOptions = CoverageOptions()) {
        self.options = options
    }

    /// Validates `data` and returns every problem found, in a deterministic order.
    /// - Throws: ``CoverageError`` when validation cannot run at all (bad options, an unusable
    ///   working CRS or town boundary). Faults in the grids are problems in the report, not errors.
    public func validate(_ data: TownData) throws(CoverageError) -> CoverageReport {
        try options.validate()
        switch data.town.boundary {
        case .polygon, .multiPolygon: break
        default: throw .townBoundary("a \(data.town.boundary.typeName) is not a Polygon or MultiPolygon")
        }
        let projection: Projection
        do {
            projection = try Projection(workingCRS: data.town.workingCRS)
        } catch {
            throw .workingCRS(crs: data.town.workingCRS, reason: "\(error)")
        }
        let context = GEOSContext()
        let recorder = FaultRecorder(projection: projection, options: options)
        let preparation = PolygonPreparation(context: context, recorder: recorder)

        guard let town = try preparation.prepare(
            code: nil, what: "the town boundary", level: .town, original: data.town.boundary)
        else {
            throw .townBoundary(recorder.problems.last?.message ?? "unusable")
        }
        var grids: [PreparedPolygon] = []
        for grid in data.grids {
            if let prepared = try preparation.prepare(
                code: grid.code, what: "grid \(grid.code)", level: .town, original: grid.geometry) {
                grids.append(prepared)
            }
        }
        var microGrids: [PreparedPolygon] = []
        for micro in data.microGrids {
            if let prepared = try preparation.prepare(
                code: micro.code, what: "micro-grid \(micro.code)", level: .grid, original: micro.geometry) {
                microGrids.append(prepared)
            }
        }
        checkCodes(data, recorder)

        let adjacencyDegrees = try Self.degrees(options.adjacencyDistance, around: town, recorder)
        try TilingCheck(context: context, recorder: recorder, level: .town, pieceNoun: "grid",
                        containerName: "the town", adjacencyDegrees: adjacencyDegrees)
            .run(container: town, pieces: grids)
        let microGridsByGrid = Dictionary(grouping: microGrids) { $0.code!.gridCode }
        for grid in grids {
            guard let code = grid.code, let pieces = microGridsByGrid[code] else { continue }
            try TilingCheck(context: context, recorder: recorder, level: .grid, pieceNoun: "micro-grid",
                            containerName: "grid \(code)", adjacencyDegrees: adjacencyDegrees)
                .run(container: grid, pieces: pieces)
        }

        try PointPlacementCheck(context: context, recorder: recorder)
            .run(pointFeaturesToCheck(data.features), microGrids: microGrids, town: town)

        return CoverageReport(problems: recorder.problems)
    }

    /// The point features step 5 looks at, with the severity a misplaced one gets; made one at a
    /// time as the check asks (a million wells as an array of placements was a third of an import's peak).
    private func pointFeaturesToCheck(_ features: [MapFeature]) -> some Collection<PointPlacementCheck.Placement> {
        features.lazy.compactMap { feature in
            guard case .point(let position) = feature.geometry else { return nil }
            if options.checkedPointKinds?.contains(feature.kind) ?? true {
                return .init(feature: feature, position: position, severity: .error)
            }
            return options.reportsOtherPointFeatures ? .init(feature: feature, position: position, severity: .info) : nil
        }
    }

    /// `metres` as degrees, generously: divided by the length of one degree of longitude at the
    /// town's latitude farthest from the equator (shorter than a degree of latitude), so the
    /// result is never less than `metres` in any direction inside the town.
    private static func degrees(_ metres: Double, around town: PreparedPolygon,
                                _ recorder: FaultRecorder) throws(CoverageError) -> Double {
        let bounds = try recorder.measure { () throws(GEOSError) in try town.geometry.bounds }
        guard let bounds else { return 0 }
        let latitude = min(max(abs(bounds.minY), abs(bounds.maxY)), 89) * Double.pi / 180
        let metresPerDegree = 111_320 * cos(latitude)
        return metres / metresPerDegree
    }

    /// Duplicate codes, micro-grids whose grid is missing, grids without micro-grids.
    private func checkCodes(_ data: TownData, _ recorder: FaultRecorder) {
        /// An error about one area's code: it names the area and points at its first position.
        func record(_ kind: CoverageProblem.Kind, _ level: CoverageProblem.Level, _ code: GridCode, _ geometry: Geometry,
                    _ message: String) {
            recorder.record(CoverageProblem(
                kind: kind, level: level, severity: .error, geometry: geometry, areaSquareMetres: 0,
                location: PolygonPreparation.firstPosition(of: geometry) ?? Position(x: 0, y: 0), codes: [code],
                message: message))
        }
        var seen = Set<GridCode>()
        for (code, geometry, noun, level) in data.grids.map({ ($0.code, $0.geometry, "grid", CoverageProblem.Level.town) })
            + data.microGrids.map({ ($0.code, $0.geometry, "micro-grid", CoverageProblem.Level.grid) })
        where !seen.insert(code).inserted {
            record(.duplicateCode, level, code, geometry, "more than one \(noun) has the code \(code)")
        }
        let gridCodes = Set(data.grids.map(\.code))
        for micro in data.microGrids where !gridCodes.contains(micro.gridCode) {
            record(.orphanMicroGrid, .grid, micro.code, micro.geometry,
                   "micro-grid \(micro.code) belongs to grid \(micro.gridCode), which does not exist")
        }
        let gridsWithMicroGrids = Set(data.microGrids.map(\.gridCode))
        for grid in data.grids where !gridsWithMicroGrids.contains(grid.code) {
            record(.missingMicroGrids, .grid, grid.code, grid.geometry, "grid \(grid.code) has no micro-grid")
        }
    }
}
