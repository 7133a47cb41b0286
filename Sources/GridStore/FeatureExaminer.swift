import GEOS
import GridMapCore

/// The checks of a map feature that depend on nothing but the feature itself: its properties,
/// its geometry (GEOS validity), its stored form and its micro-grid. They are most of an import's
/// planning, so ``examine(_:locator:)`` runs them on all cores, each worker with its own GEOS
/// context; what depends on the other features (ids, duplicates) stays with ``ImportPlanner``.
struct FeatureExaminer {
    /// What the checks of one feature found: problem messages in the order they are reported,
    /// and the row to store when the feature passed them all.
    struct Examination: Sendable, Equatable {
        var problems: [String] = []
        var row: ImportPlan.FeatureRow?
    }

    /// Fewer features than this per worker cost more to hand out than they save.
    static let minimumChunk = 2_048

    private let context = GEOSContext()
    private let locator: MicroGridLocator?

    /// One examination per feature, in the order of `features`; the same answers on any number
    /// of cores.
    static func examine(_ features: [MapFeature], locator: MicroGridLocator?) -> [Examination] {
        ParallelChunks.map(count: features.count, minimumChunk: minimumChunk) { range in
            let examiner = FeatureExaminer(locator: locator)
            return features[range].map(examiner.examine)
        }
    }

    private init(locator: MicroGridLocator?) {
        self.locator = locator
    }

    private func examine(_ feature: MapFeature) -> Examination {
        var examination = Examination()
        for rule in feature.kind.propertyProblems(in: feature.properties) {
            examination.problems.append("\(rule.path): \(rule.message)")
        }
        let reserved = feature.properties.orderedKeys.filter(LayerEncoder.reservedFeatureKeys.contains)
        if !reserved.isEmpty {
            examination.problems.append("properties \(reserved.joined(separator: ", ")) are reserved for the store")
        }
        let geometry: CheckedGeometry
        switch CheckedGeometry.check(feature.geometry, polygonal: false, in: context) {
        case .success(let checked): geometry = checked
        case .failure(let problem):
            examination.problems.append(problem.message)
            return examination
        }
        let propertiesText: String
        do {
            propertiesText = try PropertiesText.encode(feature.properties)
        } catch {
            examination.problems.append("properties cannot be stored: \(error)")
            return examination
        }
        do {
            let point = try RepresentativePoint.of(geometry.geos)
            var microGrid: GridCode?
            if let point, let locator { microGrid = locator.microGrid(longitude: point.x, latitude: point.y) }
            examination.row = ImportPlan.FeatureRow(
                feature: feature, geometry: geometry.stored, propertiesText: propertiesText,
                representativePoint: point, microGrid: microGrid)
        } catch {
            examination.problems.append("cannot locate the feature's micro-grid: \(error)")
        }
        return examination
    }
}
