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

    /// Whether a district's towns tile their land: no two overlap, no land they enclose is in
    /// none (``DistrictCoverageValidator``), measured in the first town's working CRS.
    public static func run(on district: District, sliverArea: Double) throws(JobError) -> CoverageReport {
        let towns = try asJobError { try district.towns() }
        var options = CoverageOptions()
        options.sliverArea = sliverArea
        return try asJobError {
            try DistrictCoverageValidator(options: options).validate(towns.map { .init(code: $0.code, boundary: $0.boundary) },
                                                                     workingCRS: towns.first?.workingCRS ?? "EPSG:4326")
        }
    }
}
