import GridMapCore
import GridStore

/// Whether the grids tile the town and the micro-grids tile their grids (no gap, no overlap),
/// with invalid polygons, micro-grids outside their grid, and homes and wells in no micro-grid.
public enum CoverageCheck {
    public static func run(on store: any TownStore, sliverArea: Double) throws(JobError) -> CoverageReport {
        let town = try LoadedTown.data(from: store)
        var options = CoverageOptions()
        options.sliverArea = sliverArea
        return try asJobError { try CoverageValidator(options: options).validate(town) }
    }
}
