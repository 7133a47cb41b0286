import GEOS
import GeoJSON
import GridMapCore

/// Turns a ``TownData`` into an ``ImportPlan``: ``TownValidator`` checks it (the same rules as
/// reading a town folder, every problem in one pass; not again for a town it found clean, as
/// `TownFolder.read` gives), and what only the store does is added — each area's stored form,
/// and the ``FeatureRowMaker`` that gives each feature its stored form, representative point and
/// micro-grid as the writer asks for its row (``ImportPlan/writeFeatureRows(_:)``).
struct ImportPlanner {
    /// The locator's resolution at import. The answers do not depend on it (the rule is exact);
    /// an import asks one point per feature, so 64 cells per micro-grid, built 16× faster than
    /// the default 1,024 made for millions of `locate` queries, is the better trade.
    static let locatorCellsPerMicroGrid = 64

    /// The plan for `data`, or ``ImportError`` with every problem found. `coverageFaults` are
    /// the faults the importer found and allowed (the coverage check is the import job's): the
    /// plan carries them to be written with the import.
    static func plan(_ data: TownData, coverageFaults: [AcceptedCoverageFault] = []) throws(ImportError) -> ImportPlan {
        // The locator needs the micro-grids before the features are checked; if it cannot be
        // built, the validator reports why (a micro-grid that is no valid polygon, a duplicate).
        var codes = Set<GridCode>()
        let locator = try? MicroGridLocator(data.microGrids.filter { codes.insert($0.code).inserted },
                                            cellsPerMicroGrid: locatorCellsPerMicroGrid)
        var problems = data.isValidated ? [] : TownValidator.problems(in: data).map(ImportProblem.init)
        if problems.isEmpty, locator == nil, !data.microGrids.isEmpty {
            problems.append(ImportProblem(.geometry, layer: "microgrids", index: nil, id: nil, message: "cannot index the micro-grids"))
        }
        guard problems.isEmpty else { throw ImportError(problems: problems) }

        var encoder = AreaEncoder()
        let town = data.town
        let boundary = encoder.stored(town.boundary, "town", nil, town.code)
        let grids = data.grids.enumerated().compactMap { index, grid in
            encoder.stored(grid.geometry, "grids", index, grid.code.description).map { ImportPlan.GridRow(grid: grid, geometry: $0) }
        }
        let microGrids = data.microGrids.enumerated().compactMap { index, microGrid in
            encoder.stored(microGrid.geometry, "microgrids", index, microGrid.code.description)
                .map { ImportPlan.MicroGridRow(microGrid: microGrid, geometry: $0) }
        }
        guard encoder.problems.isEmpty, let boundary else { throw ImportError(problems: encoder.problems) }
        let members: String
        do {
            members = try PropertiesText.encode(town.manifestMembers)
        } catch {
            throw ImportError(problems: [ImportProblem(.property, layer: "town", index: nil, id: town.code,
                                                       message: "the manifest's other members cannot be written: \(error)")])
        }
        return ImportPlan(
            town: ImportPlan.TownRow(code: town.code, name: town.name, latinName: town.latinName,
                                     workingCRS: town.workingCRS.description, boundary: boundary, manifestMembers: members),
            villages: data.villages, grids: grids, microGrids: microGrids,
            features: data.features, rowMaker: FeatureRowMaker(locator: locator), residents: data.residents, team: data.team,
            coverageFaults: coverageFaults)
    }
}

/// Encodes the town boundary, grids and micro-grids, which the validator has found valid, as the
/// store keeps them; a failure (GEOS running out of memory, say) is a problem like any other.
private struct AreaEncoder {
    let context = GEOSContext()
    var problems: [ImportProblem] = []

    mutating func stored(_ geometry: Geometry, _ layer: String, _ index: Int?, _ id: String) -> StoredGeometry? {
        do {
            return try StoredGeometry(geometry.geosGeometry(in: context), typeName: geometry.typeName)
        } catch {
            problems.append(ImportProblem(.geometry, layer: layer, index: index, id: id, message: "geometry cannot be stored: \(error)"))
            return nil
        }
    }
}
