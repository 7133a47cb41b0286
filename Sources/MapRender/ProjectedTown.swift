import GEOS
import GeoJSON
import GridMapCore

/// The parts of a town a map shows, projected into the town's working CRS (metres) and in
/// drawing order: grids and micro-grids by code, features by map item and then id, so that the
/// same data always draws in the same order and writes the same bytes.
struct ProjectedTown {
    struct Area<Value> {
        var value: Value
        var ground: Geometry
    }

    struct Feature {
        var feature: MapFeature
        var item: MapItem
        var ground: Geometry
    }

    var town: Town
    var boundary: Geometry
    var grids: [Area<Grid>]
    var microGrids: [Area<MicroGrid>]
    var features: [Feature]
    /// The working CRS's name as PROJ spells it, for the map's foot.
    var crsName: String

    /// Projects what `options` asks for; throws when a grid scope names an unknown grid.
    init(_ data: TownData, options: MapOptions) throws(MapRenderError) {
        if case .grid(let code) = options.scope, !data.grids.contains(where: { $0.code == code }) {
            throw .unknownGrid(code)
        }
        let projection: Projection
        do { projection = try Projection(workingCRS: data.town.workingCRS) } catch { throw .projection("\(error)") }
        let grids = data.grids.sorted { $0.code < $1.code }
        let microGrids = data.microGrids.sorted { $0.code < $1.code }
        let order = Dictionary(uniqueKeysWithValues: MapItem.allCases.enumerated().map { ($1, $0) })
        let features = data.features
            .filter { options.draws($0.kind) }
            .map { (feature: $0, item: MapItem.of($0)) }
            .sorted { (order[$0.item]!, $0.feature.id) < (order[$1.item]!, $1.feature.id) }

        // Every coordinate of the map in one batch.
        let projected: [Geometry]
        do {
            projected = try projection.transform(
                [data.town.boundary] + grids.map(\.geometry) + microGrids.map(\.geometry) + features.map(\.feature.geometry))
        } catch {
            throw .projection("\(error)")
        }
        var cursor = projected.makeIterator()
        town = data.town
        boundary = cursor.next()!
        self.grids = grids.map { Area(value: $0, ground: cursor.next()!) }
        self.microGrids = microGrids.map { Area(value: $0, ground: cursor.next()!) }
        self.features = features.map { Feature(feature: $0.feature, item: $0.item, ground: cursor.next()!) }
        crsName = "\(projection.targetName) (\(data.town.workingCRS))"
    }

    /// The ground rectangle the map must show: the town boundary (or, lacking one, everything)
    /// for the town sheet; the grid with a surround of a tenth of its size, at least 100 m, for a
    /// grid sheet.
    func extent(for scope: MapScope) throws(MapRenderError) -> Envelope {
        switch scope {
        case .town:
            if let bounds = Self.bounds([boundary]) { return bounds }
            let everything = grids.map(\.ground) + microGrids.map(\.ground) + features.map(\.ground)
            guard let bounds = Self.bounds(everything) else { throw .nothingToDraw }
            return bounds
        case .grid(let code):
            guard let grid = grids.first(where: { $0.value.code == code }) else { throw .unknownGrid(code) }
            guard let bounds = Self.bounds([grid.ground]) else { throw .nothingToDraw }
            let size = max(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY)
            return bounds.expanded(by: max(size / 10, 100))
        }
    }

    /// The bounding box of the geometries' coordinates; nil when they have none.
    static func bounds(_ geometries: [Geometry]) -> Envelope? {
        var box: Envelope?
        func add(_ positions: [Position]) {
            for position in positions where position.x.isFinite && position.y.isFinite {
                if var current = box {
                    current.minX = min(current.minX, position.x)
                    current.minY = min(current.minY, position.y)
                    current.maxX = max(current.maxX, position.x)
                    current.maxY = max(current.maxY, position.y)
                    box = current
                } else {
                    box = Envelope(minX: position.x, minY: position.y, maxX: position.x, maxY: position.y)
                }
            }
        }
        func visit(_ geometry: Geometry) {
            switch geometry {
            case .point(let position): add([position])
            case .multiPoint(let positions), .lineString(let positions): add(positions)
            case .multiLineString(let lines), .polygon(let lines): lines.forEach(add)
            case .multiPolygon(let polygons): polygons.forEach { $0.forEach(add) }
            case .geometryCollection(let members): members.forEach(visit)
            }
        }
        geometries.forEach(visit)
        return box
    }
}
