import GEOS
import GridMapCore

/// The rows of one import, every check passed and every area's geometry encoded, ready to be
/// written in one transaction. Built by ``ImportPlanner``; holds only values, so it may cross
/// threads. The map features' rows are not held: they are made a chunk at a time as they are
/// written (``writeFeatureRows(_:)``), so that an import of a million point features holds the
/// town and one chunk of rows, not the town and every row beside it.
struct ImportPlan: Sendable {
    struct TownRow: Sendable {
        var code: String
        var name: String
        var latinName: String
        var workingCRS: String
        var boundary: StoredGeometry
        /// ``Town/manifestMembers`` as JSON text.
        var manifestMembers: String
    }

    struct GridRow: Sendable {
        var grid: Grid
        var geometry: StoredGeometry
    }

    struct MicroGridRow: Sendable {
        var microGrid: MicroGrid
        var geometry: StoredGeometry
    }

    struct FeatureRow: Sendable, Equatable {
        var feature: MapFeature
        var geometry: StoredGeometry
        var propertiesText: String
        /// The point the feature's micro-grid was chosen by (nil for an empty geometry).
        var representativePoint: Coordinate?
        var microGrid: GridCode?
    }

    var town: TownRow
    var villages: [Village]
    var grids: [GridRow]
    var microGrids: [MicroGridRow]
    /// The map features, every rule held; their rows come from ``writeFeatureRows(_:)``.
    var features: [MapFeature]
    let rowMaker: FeatureRowMaker
    var residents: [Resident]
    var team: [TeamMember]
    /// Coverage faults the importer allowed; written with the import's log line.
    var coverageFaults: [AcceptedCoverageFault] = []

    func summary(featuresOutsideMicroGrids: Int) -> ImportSummary {
        ImportSummary(
            villages: villages.count, grids: grids.count, microGrids: microGrids.count,
            features: features.count, residents: residents.count, teamMembers: team.count,
            featuresOutsideMicroGrids: featuresOutsideMicroGrids, coverageFaultsAccepted: coverageFaults.count)
    }

    /// How many feature rows are made at a time: enough for every core to share (see
    /// `FeatureCheck.minimumChunk`), few enough that they are a small part of the town.
    static let featureRowChunk = 10_000

    /// Makes the features' rows a chunk at a time, on all cores, and hands each chunk to
    /// `write`, in feature order; returns how many features lie outside every micro-grid. A row
    /// that cannot be made (a geometry GEOS cannot store, say) is a problem: the chunks after it
    /// are still made, to find every such problem, but not written, and ``StoreError/rejected(_:)``
    /// names them all in layer order. Inside the import's transaction, that rolls it all back.
    func writeFeatureRows(_ write: ([FeatureRow]) throws -> Void) throws -> Int {
        let maker = rowMaker
        var positions = LayerPositions()
        var problems: [(place: LayerPositions.Place, problem: ImportProblem)] = []
        var outside = 0
        for start in stride(from: 0, to: features.count, by: Self.featureRowChunk) {
            let chunk = features[start..<min(start + Self.featureRowChunk, features.count)]
            let made = TownValidator.rows(of: chunk) { feature, geometry throws(TownValidator.RowRefusal) in
                try maker.row(feature, geometry)
            }
            var rows: [FeatureRow] = []
            rows.reserveCapacity(chunk.count)
            for (feature, result) in zip(chunk, made) {
                let place = positions.next(feature.kind)
                switch result {
                case .success(let row):
                    rows.append(row)
                    if row.microGrid == nil { outside += 1 }
                case .failure(let refusal):
                    problems.append((place, ImportProblem(refusal.kind, layer: feature.kind.layerName, index: place.index,
                                                          id: feature.id, message: refusal.message)))
                }
            }
            if problems.isEmpty { try write(rows) }
        }
        guard problems.isEmpty else {
            throw StoreError.rejected(ImportError(problems: problems.sorted { $0.place < $1.place }.map(\.problem)))
        }
        return outside
    }

    /// Every feature's row at once: for a store that keeps them (the in-memory one) and tests.
    func allFeatureRows() throws -> [FeatureRow] {
        var rows: [FeatureRow] = []
        rows.reserveCapacity(features.count)
        _ = try writeFeatureRows { rows.append(contentsOf: $0) }
        return rows
    }
}

/// Each feature's place as a town built in code names it: its layer (ranked by first
/// appearance, as the validator orders layers) and its index within the layer.
private struct LayerPositions {
    struct Place: Comparable {
        var layerRank: Int
        var index: Int

        static func < (a: Place, b: Place) -> Bool { (a.layerRank, a.index) < (b.layerRank, b.index) }
    }

    private var places: [FeatureKind: Place] = [:]

    mutating func next(_ kind: FeatureKind) -> Place {
        var place = places[kind] ?? Place(layerRank: places.count, index: -1)
        place.index += 1
        places[kind] = place
        return place
    }
}
