import GeoJSON
import GridMapCore

/// The exchange format of an exported layer: how each town value becomes a GeoJSON Feature.
/// A whole town travels as a town folder (``TownFolder``); these features are for other systems.
///
/// - town: id = code; properties `code`, `name`, `latin_name`, `working_crs`; the boundary.
/// - villages: id = code; properties `code`, `name`; no geometry.
/// - grids: id = code; properties `code`, `name`, `village`.
/// - microgrids: id = code; properties `code`, `name`, `grid`.
/// - feature layers: id; properties `kind`, `name`, then the free properties in their order,
///   then `micro_grid` and `grid` (omitted when the feature lies in no micro-grid).
/// - residents: id; a Point at the home; properties `name`, `home`, `categories`, `phone`,
///   `birth_year`, `micro_grid`, `grid` (only residents the reader may see reach this encoder,
///   in full).
/// - team: no id, no geometry; properties `grid`, `role`, `name`, `unit`, `phone`.
public enum LayerEncoder {
    /// Property names the store writes on feature layers, so free properties may not use them.
    public static var reservedFeatureKeys: Set<String> { MapFeature.reservedPropertyKeys }

    public static func feature(for town: Town) -> Feature {
        Feature(id: .string(town.code), geometry: town.boundary, properties: [
            "code": .string(town.code), "name": .string(town.name),
            "latin_name": .string(town.latinName), "working_crs": .string(town.workingCRS.description),
        ])
    }

    public static func feature(for village: Village) -> Feature {
        Feature(id: .string(village.code), geometry: nil,
                properties: ["code": .string(village.code), "name": .string(village.name)])
    }

    public static func feature(for grid: Grid) -> Feature {
        Feature(id: .string(grid.code.description), geometry: grid.geometry, properties: [
            "code": .string(grid.code.description), "name": .string(grid.name), "village": .string(grid.villageCode),
        ])
    }

    public static func feature(for microGrid: MicroGrid) -> Feature {
        Feature(id: .string(microGrid.code.description), geometry: microGrid.geometry, properties: [
            "code": .string(microGrid.code.description), "name": .string(microGrid.name),
            "grid": .string(microGrid.gridCode.description),
        ])
    }

    /// A map feature, with the micro-grid the store located it in.
    public static func feature(for feature: MapFeature, microGrid: GridCode?) -> Feature {
        var properties: JSONObject = ["kind": .string(feature.kind.rawValue), "name": .string(feature.name)]
        for member in feature.properties { properties[member.key] = member.value }
        if let microGrid {
            properties["micro_grid"] = .string(microGrid.description)
            properties["grid"] = .string(microGrid.gridCode.description)
        }
        return Feature(id: .string(feature.id), geometry: feature.geometry, properties: properties)
    }

    /// A resident as a Point at the home.
    public static func feature(for located: LocatedResident) -> Feature {
        let resident = located.resident
        var properties: JSONObject = [
            "name": .string(resident.name), "home": .string(resident.homeID),
            "categories": .array(resident.categories.map { .string($0.rawValue) }),
        ]
        if let phone = resident.phone { properties["phone"] = .string(phone) }
        if let birthYear = resident.birthYear { properties["birth_year"] = .number(JSONNumber(birthYear)) }
        if let microGrid = located.microGrid {
            properties["micro_grid"] = .string(microGrid.description)
            properties["grid"] = .string(microGrid.gridCode.description)
        }
        return Feature(id: .string(resident.id), geometry: located.location.map(Geometry.point),
                       properties: properties)
    }

    public static func feature(for member: TeamMember) -> Feature {
        var properties: JSONObject = [
            "grid": .string(member.gridCode.description), "role": .string(member.role.rawValue),
            "name": .string(member.name),
        ]
        if let unit = member.unit { properties["unit"] = .string(unit) }
        if let phone = member.phone { properties["phone"] = .string(phone) }
        return Feature(geometry: nil, properties: properties)
    }
}
