import GeoJSON

/// The report as a GeoJSON problems layer, to open in QGIS beside the grids.
extension CoverageReport {
    /// One WGS84 feature per problem, in report order, with id `problem-<n>` and flat properties
    /// (QGIS shows nested values poorly): `kind`, `level`, `severity`, `codes` (space-separated),
    /// `area_m2` (2 decimals), `lon`, `lat`, `feature_id` and `distance_m` (feature problems
    /// only), `message`. Write it with `GeoJSONWriter`.
    public func problemsLayer() -> FeatureCollection {
        let features = problems.enumerated().map { index, problem in
            var properties: JSONObject = [
                "kind": .string(problem.kind.rawValue),
                "level": .string(problem.level.rawValue),
                "severity": .string(problem.severity.rawValue),
                "codes": .string(problem.codes.map(\.description).joined(separator: " ")),
                "area_m2": .number(JSONNumber((problem.areaSquareMetres * 100).rounded() / 100)),
                "lon": .number(JSONNumber(problem.location.x)),
                "lat": .number(JSONNumber(problem.location.y)),
            ]
            if let id = problem.featureID { properties["feature_id"] = .string(id) }
            if let distance = problem.distanceMetres {
                properties["distance_m"] = .number(JSONNumber((distance * 100).rounded() / 100))
            }
            properties["message"] = .string(problem.message)
            return Feature(id: .string("problem-\(index + 1)"), geometry: problem.geometry, properties: properties)
        }
        return FeatureCollection(features: features)
    }
}
