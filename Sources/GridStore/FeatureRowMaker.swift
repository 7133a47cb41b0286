import GEOS
import GridMapCore

/// What only the store does with a map feature that passed ``TownValidator``'s rules: its stored
/// form (WKB and properties text), its representative point and the micro-grid that point lies
/// in. The validator calls ``row(_:_:)`` on the worker that checked the feature, with the GEOS
/// geometry it already converted, so an import converts each geometry once.
struct FeatureRowMaker: Sendable {
    let locator: MicroGridLocator?

    func row(_ feature: MapFeature, _ geometry: GEOSGeometry) throws(TownValidator.RowRefusal) -> ImportPlan.FeatureRow {
        let stored: StoredGeometry
        do {
            stored = try StoredGeometry(geometry, typeName: feature.geometry.typeName)
        } catch {
            throw TownValidator.RowRefusal(.geometry, "cannot be stored: \(error)")
        }
        let propertiesText: String
        do {
            propertiesText = try PropertiesText.encode(feature.properties)
        } catch {
            throw TownValidator.RowRefusal(.property, "properties cannot be stored: \(error)")
        }
        do {
            let point = try RepresentativePoint.of(geometry)
            var microGrid: GridCode?
            if let point, let locator { microGrid = locator.microGrid(longitude: point.x, latitude: point.y) }
            return ImportPlan.FeatureRow(feature: feature, geometry: stored, propertiesText: propertiesText,
                                         representativePoint: point, microGrid: microGrid)
        } catch {
            throw TownValidator.RowRefusal(.geometry, "cannot locate the feature's micro-grid: \(error)")
        }
    }
}
