import Foundation
import GeoJSON
import GridMapCore

extension Builder {
    // MARK: Micro-grids along roads and water

    /// The households one micro-grid is designed for: the 291 micro-grids share Dacun's 20,000
    /// homes, about 69 each, so 60–80; a town with more homes in as many micro-grids (a district's
    /// denser towns) in proportion. Only the report's misses follow it: the total is fixed.
    var homesPerMicroGrid: ClosedRange<Int> { max(1, config.homes * 60 / 20_000)...max(1, config.homes * 80 / 20_000) }

    /// Replaces the provisional micro-grids (the Voronoi cells that placed fields and homes) with
    /// micro-grids designed by ``TownPartition`` — the library behind `gridmap partition` — from
    /// the assembled town's grids, homes, roads, river, ditches and lake: blocks between roads and
    /// water grouped into `config.microGrids` micro-grids shared among the grids by their
    /// households, so that a micro-grid follows roads and water instead of meeting its siblings in
    /// wedges at the village centre. Grids keep their shapes (gaining only the vertices where
    /// roads and water meet their edges), and homes, roads and everything else stay as they are.
    /// The result must tile the town cleanly and hold every home, or generation fails.
    func partitioned(_ data: TownData) throws -> TownData {
        let request = PartitionRequest(homesPerMicroGrid: homesPerMicroGrid, keepGrids: true, microGridTotal: config.microGrids)
        let partition = try TownPartition.design(data, request)
        let report = partition.report
        guard report.homesOutside.isEmpty else {
            throw GeneratorError("the partition left \(report.homesOutside.count) homes outside every grid")
        }
        guard partition.microGrids.count == config.microGrids, partition.grids.map(\.code) == data.grids.map(\.code) else {
            throw GeneratorError("the partition made \(partition.grids.count) grids and \(partition.microGrids.count) micro-grids, not \(data.grids.count) and \(config.microGrids)")
        }
        // The partition's vertices lie on the 10⁻⁷° grid already; rounding them as the files do,
        // and orienting the rings as the writer does (RFC 7946), makes the generated town equal,
        // to the last bit, to the town read back from its files.
        func rounded(_ geometry: Geometry) -> Geometry {
            func polygon(_ rings: [[Position]]) -> [[Position]] {
                rings.enumerated().compactMap { index, ring in
                    Self.oriented(ring.map { Position(x: Self.round7($0.x), y: Self.round7($0.y)) }, exterior: index == 0)
                }
            }
            switch geometry {
            case .polygon(let rings): return .polygon(polygon(rings))
            case .multiPolygon(let polygons): return .multiPolygon(polygons.map(polygon))
            default: return geometry
            }
        }
        // Snap-rounding leaves a few vertices 1–2 cm from the next where a line crossed an edge at
        // a shallow angle; `gridmap repair --snap 0.1` would merge them, so they are merged here,
        // the same way in every ring that has them (the levels share their vertices), and the
        // bundled town is one that snapping leaves as it is.
        let merged = Self.mergedCloseVertices(partition.microGrids.map { rounded($0.geometry) }, within: 0.1)
        func settled(_ geometry: Geometry) -> Geometry { rounded(rounded(geometry).mapPositions { merged[$0] ?? $0 }) }
        var designed = data
        designed.town.boundary = settled(partition.boundary)
        designed.grids = partition.grids.map { grid in
            var grid = grid
            grid.geometry = settled(grid.geometry)
            return grid
        }
        designed.microGrids = partition.microGrids.map { micro in
            var micro = micro
            micro.geometry = settled(micro.geometry)
            return micro
        }
        let coverage = try CoverageValidator().validate(designed)
        guard coverage.problems.isEmpty else {
            throw GeneratorError("the designed micro-grids do not tile the town:\n\(coverage.text())")
        }
        log?("\(report.blocks) blocks; households per micro-grid \(report.minimum) / \(report.median) / \(report.maximum) (min / median / max), \(partition.microGrids.count - report.misses.count) of \(partition.microGrids.count) within \(homesPerMicroGrid.lowerBound)–\(homesPerMicroGrid.upperBound)")
        return designed
    }

    /// For each ring vertex closer than `metres` to the next one, the vertex it merges into (the
    /// smaller of the two by longitude, then latitude, followed to the end of a chain).
    static func mergedCloseVertices(_ geometries: [Geometry], within metres: Double) -> [Position: Position] {
        var target: [Position: Position] = [:]
        func root(_ p: Position) -> Position {
            var p = p
            while let next = target[p] { p = next }
            return p
        }
        for geometry in geometries {
            let polygons: [[[Position]]]
            switch geometry {
            case .polygon(let rings): polygons = [rings]
            case .multiPolygon(let all): polygons = all
            default: polygons = []
            }
            for ring in polygons.joined() where ring.count >= 2 {
                for index in 1..<ring.count {
                    let (a, b) = (root(ring[index - 1]), root(ring[index]))
                    guard a != b else { continue }
                    let dx = (a.x - b.x) * 111_320 * cos(a.y * .pi / 180), dy = (a.y - b.y) * 110_574
                    guard (dx * dx + dy * dy).squareRoot() < metres else { continue }
                    let (low, high) = (a.x, a.y) < (b.x, b.y) ? (a, b) : (b, a)
                    target[high] = low
                }
            }
        }
        return target.keys.reduce(into: [:]) { result, key in result[key] = root(key) }
    }
}
