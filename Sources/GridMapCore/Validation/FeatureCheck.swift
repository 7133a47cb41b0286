import GEOS
import GeoJSON

extension MapFeature {
    /// Property names a feature's free properties may not use: a layer file and the store write
    /// the feature's kind and name, and the store its grid and micro-grid, under these keys.
    public static let reservedPropertyKeys: Set<String> = ["kind", "name", "micro_grid", "grid"]
}

/// The rules of one map feature that depend on nothing but the feature itself: its kind's
/// property rules, reserved keys and a valid geometry (GEOS). They are most of a validation's
/// work, so ``run(_:makingRows:)`` spreads them over all cores, each worker with its own GEOS
/// context; what depends on other features (ids, references) stays with the validator.
struct FeatureCheck<Row: Sendable>: Sendable {
    struct Problem: Sendable, Equatable {
        var kind: TownProblem.Kind
        var path: String
        var message: String
    }

    /// The problems found, in the order they are reported.
    var problems: [Problem] = []
    /// What the caller made of the feature, when it broke no rule.
    var row: Row?

    /// Fewer features than this per worker cost more to hand out than they save.
    static var minimumChunk: Int { 2_048 }

    /// One check per feature, in the order of `features`; the same answers on any number of cores.
    /// Without `makeRow` (only the problems are wanted) points skip GEOS: see ``isValidPoint(_:)``.
    /// When the rules are known to hold (`rulesHeld`), only the rows are made.
    static func run(_ features: [MapFeature], makingRows makeRow: TownValidator.RowMaker<Row>?,
                    rulesHeld: Bool = false) -> [FeatureCheck] {
        ParallelChunks.map(count: features.count, minimumChunk: minimumChunk) { range in
            let context = GEOSContext()
            return features[range].map { check($0, in: context, makingRow: makeRow, rulesHeld: rulesHeld) }
        }
    }

    static func check(_ feature: MapFeature, in context: GEOSContext,
                      makingRow makeRow: TownValidator.RowMaker<Row>?, rulesHeld: Bool = false) -> FeatureCheck {
        var check = FeatureCheck()
        if !rulesHeld { check.checkRules(of: feature) }
        if makeRow == nil, isValidPoint(feature.geometry) { return check }
        switch GeometryCheck.geos(feature.geometry, polygonal: false, checksValidity: !rulesHeld, in: context) {
        case .failure(let refusal):
            check.problems.append(Problem(kind: .geometry, path: "geometry", message: refusal.message))
        case .success(let geometry) where check.problems.isEmpty:
            guard let makeRow else { break }
            do throws(TownValidator.RowRefusal) {
                check.row = try makeRow(feature, geometry)
            } catch {
                check.problems.append(Problem(kind: error.kind, path: "", message: error.message))
            }
        case .success:
            break
        }
        return check
    }

    /// The feature kind's property rules and the reserved keys.
    private mutating func checkRules(of feature: MapFeature) {
        for (path, text) in [("id", feature.id), ("properties.name", feature.name)] {
            if let problem = TextRule.problem(text, field: path == "id" ? "id" : "name") {
                problems.append(Problem(kind: .property, path: path, message: problem))
            }
        }
        for rule in feature.kind.propertyProblems(in: feature.properties) {
            problems.append(Problem(kind: .property, path: rule.path, message: rule.message))
        }
        let reserved = feature.properties.orderedKeys.filter(MapFeature.reservedPropertyKeys.contains)
        if !reserved.isEmpty {
            problems.append(Problem(kind: .property, path: "properties",
                                    message: "properties \(reserved.joined(separator: ", ")) are reserved for the store"))
        }
    }

    /// Whether the geometry is a point with finite coordinates, which GEOS always finds valid
    /// (its IsValidOp checks a point's coordinates only). Most features of a town are points
    /// (homes, wells), so checking them here saves a GEOS geometry each when no row is made.
    static func isValidPoint(_ geometry: Geometry) -> Bool {
        guard case .point(let position) = geometry else { return false }
        return position.x.isFinite && position.y.isFinite && (position.z?.isFinite ?? true)
    }
}

extension FeatureCheck: Equatable where Row: Equatable {}
