import GEOS
import GeoJSON

/// Step 5 of coverage validation: every home and well (the checked point kinds) must lie in a
/// micro-grid, so that someone is responsible for it.
///
/// The micro-grids are indexed once in an STRtree and each prepared once (`GEOSPrepare_r`); a
/// point is then tested only against the micro-grids whose boxes hold it, with the prepared
/// covers test on raw x/y (a point on a shared edge counts as placed). Like the tiling checks,
/// this runs on the stored WGS84 coordinates. Only points that fail are measured: the few
/// micro-grids nearest in degrees (`STRtree.nearest`, k = 3) are projected to the working CRS
/// and the least metric distance among them is reported, with whether the point lies outside
/// the town altogether.
struct PointPlacementCheck {
    let context: GEOSContext
    let recorder: FaultRecorder

    /// A point feature to check, with the severity it gets when misplaced.
    struct Placement {
        let feature: MapFeature
        let position: Position
        let severity: CoverageProblem.Severity
    }

    /// How many micro-grids nearest in degrees are measured in metres: degrees of longitude and
    /// latitude differ in length, so the nearest in degrees may not be the nearest in metres.
    private static let nearestCandidates = 3

    func run(_ placements: some Collection<Placement>, microGrids: [PreparedPolygon], town: PreparedPolygon) throws(CoverageError) {
        guard !placements.isEmpty else { return }
        let geometries = microGrids.map(\.geometry)
        let (tree, prepared, preparedTown) = try recorder.measure {
            () throws(GEOSError) -> (STRtree, [PreparedGeometry], PreparedGeometry) in
            var prepared: [PreparedGeometry] = []
            prepared.reserveCapacity(geometries.count)
            for geometry in geometries { prepared.append(try PreparedGeometry(geometry)) }
            return (try STRtree(geometries, context: context), prepared, try PreparedGeometry(town.geometry))
        }
        var metricMicroGrids: [Int: GEOSGeometry] = [:]
        for placement in placements {
            let (x, y) = (placement.position.x, placement.position.y)
            guard x.isFinite, y.isFinite else {
                record(placement, insideTown: false, nearest: nil, note: " (its position is not a finite number)")
                continue
            }
            let isPlaced = try recorder.measure { () throws(GEOSError) -> Bool in
                for index in try tree.query(envelope: Envelope(minX: x, minY: y, maxX: x, maxY: y))
                where try prepared[index].coversXY(x: x, y: y) {
                    return true
                }
                return false
            }
            if isPlaced { continue }
            let (point, candidates, insideTown) = try recorder.measure {
                () throws(GEOSError) -> (GEOSGeometry, [Int], Bool) in
                let point = try GEOSGeometry.point(x: x, y: y, context: context)
                let candidates = try tree.nearest(to: point, k: Self.nearestCandidates).map(\.index)
                return (point, candidates, try preparedTown.coversXY(x: x, y: y))
            }
            let metricPoint = try recorder.metric(point)
            var nearest: (code: GridCode, distance: Double)?
            for index in candidates {
                if metricMicroGrids[index] == nil {
                    metricMicroGrids[index] = try recorder.metric(geometries[index])
                }
                let distance = try recorder.measure { () throws(GEOSError) in
                    try metricPoint.distance(to: metricMicroGrids[index]!)
                }
                let code = microGrids[index].code!
                if nearest.map({ (distance, code) < ($0.distance, $0.code) }) ?? true {
                    nearest = (code, distance)
                }
            }
            record(placement, insideTown: insideTown, nearest: nearest)
        }
    }

    private func record(_ placement: Placement, insideTown: Bool, nearest: (code: GridCode, distance: Double)?,
                        note: String = "") {
        let feature = placement.feature
        let nearestText = nearest.map { "; nearest micro-grid \($0.code) is \(rounded($0.distance, 1)) m away" } ?? ""
        let label = "\(feature.kind) \(feature.id)" + (feature.name.isEmpty ? "" : " (\(feature.name))")
        recorder.record(CoverageProblem(
            kind: insideTown ? .featureOutsideMicroGrids : .featureOutsideTown, level: .feature,
            severity: placement.severity, geometry: .point(placement.position), areaSquareMetres: 0,
            location: placement.position, codes: nearest.map { [$0.code] } ?? [], featureID: feature.id,
            distanceMetres: nearest?.distance,
            message: "\(label) lies \(insideTown ? "in no micro-grid" : "outside the town")\(note)\(nearestText)"))
    }
}
