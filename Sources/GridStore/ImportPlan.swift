import GEOS
import GridMapCore

/// The rows of one import, every check passed and every geometry encoded, ready to be written in
/// one transaction. Built by ``ImportPlanner``; holds only values, so it may cross threads.
struct ImportPlan: Sendable {
    struct TownRow: Sendable {
        var code: String
        var name: String
        var latinName: String
        var workingCRS: String
        var boundary: StoredGeometry
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
    var features: [FeatureRow]
    var residents: [Resident]
    var team: [TeamMember]
    /// Coverage faults the importer allowed; written with the import's log line.
    var coverageFaults: [AcceptedCoverageFault] = []

    var summary: ImportSummary {
        ImportSummary(
            villages: villages.count, grids: grids.count, microGrids: microGrids.count,
            features: features.count, residents: residents.count, teamMembers: team.count,
            featuresOutsideMicroGrids: features.count { $0.microGrid == nil }, coverageFaultsAccepted: coverageFaults.count)
    }
}
