import GEOS
import GeoJSON
import GridMapCore
import PROJ

/// Checks a whole ``TownData`` before anything is written and turns it into an ``ImportPlan``.
///
/// It never stops at the first problem: every layer is checked and every problem collected, so
/// that one run of `gridmap import` tells the user everything to fix. GEOS work happens in a
/// context made here, on the caller's thread.
struct ImportPlanner {
    private let context = GEOSContext()
    private var problems: [ImportProblem] = []
    /// The locator's resolution at import. The answers do not depend on it (the rule is exact);
    /// an import asks one point per feature, so 64 cells per micro-grid, built 16× faster than
    /// the default 1,024 made for millions of `locate` queries, is the better trade.
    static let locatorCellsPerMicroGrid = 64

    /// The plan for `data`, or ``ImportError`` with every problem found.
    static func plan(_ data: TownData) throws(ImportError) -> ImportPlan {
        var planner = ImportPlanner()
        let plan = planner.check(data)
        guard planner.problems.isEmpty, let plan else {
            throw ImportError(problems: planner.problems)
        }
        return plan
    }

    private mutating func check(_ data: TownData) -> ImportPlan? {
        let town = checkTown(data.town)
        let villageCodes = checkVillages(data.villages)
        let grids = checkGrids(data.grids, townCode: data.town.code, villageCodes: villageCodes)
        // References are checked against every grid declared, valid or not, so that one bad grid
        // polygon is one problem rather than one per micro-grid and team member.
        let gridCodes = Set(data.grids.map(\.code))
        let (microGrids, locator) = checkMicroGrids(data.microGrids, townCode: data.town.code, gridCodes: gridCodes)
        let features = checkFeatures(data.features, locator: locator)
        checkResidents(data.residents, features: data.features)
        checkTeam(data.team, gridCodes: gridCodes)
        guard let town else { return nil }
        return ImportPlan(town: town, villages: data.villages, grids: grids, microGrids: microGrids,
                          features: features, residents: data.residents, team: data.team)
    }

    private mutating func report(_ layer: String, _ index: Int?, _ id: String?, _ message: String) {
        problems.append(ImportProblem(layer: layer, index: index, id: id, message: message))
    }

    // MARK: Town, villages, grids, micro-grids

    private mutating func checkTown(_ town: Town) -> ImportPlan.TownRow? {
        if GridCode(town: town.code, grid: 1) == nil {
            report("town", nil, town.code, "town code must be upper-case ASCII letters, e.g. \"DC\"")
        }
        do {
            let crs = try CRS(town.workingCRS)
            if crs.isGeographic {
                report("town", nil, town.code,
                       "working CRS \(town.workingCRS) is geographic; it must be projected, in metres")
            }
        } catch {
            report("town", nil, town.code, "unknown working CRS \(town.workingCRS): \(error)")
        }
        guard let boundary = convert(town.boundary, polygonal: true, "town", nil, town.code) else { return nil }
        return ImportPlan.TownRow(code: town.code, name: town.name, latinName: town.latinName,
                                  workingCRS: town.workingCRS.description, boundary: boundary.stored)
    }

    private mutating func checkVillages(_ villages: [Village]) -> Set<String> {
        var seen: [String: Int] = [:]
        for (index, village) in villages.enumerated() {
            if village.code.isEmpty { report("villages", index, nil, "village code is empty") }
            if let first = seen[village.code] {
                report("villages", index, village.code, "duplicate village code (first at index \(first))")
            } else {
                seen[village.code] = index
            }
        }
        return Set(seen.keys)
    }

    private mutating func checkGrids(_ grids: [Grid], townCode: String, villageCodes: Set<String>) -> [ImportPlan.GridRow] {
        checkPolygonLayer(grids, layer: "grids", noun: "grid", code: \.code, geometry: \.geometry) { grid in
            let id = grid.code.description
            var messages: [String] = []
            if grid.code.isMicroGrid { messages.append("\(id) is a micro-grid code, not a grid code") }
            if grid.code.town != townCode { messages.append("grid belongs to town \(grid.code.town), not \(townCode)") }
            if !villageCodes.contains(grid.villageCode) { messages.append("village \(grid.villageCode) does not exist") }
            return messages
        }.map { ImportPlan.GridRow(grid: $0.unit, geometry: $0.stored) }
    }

    private mutating func checkMicroGrids(
        _ microGrids: [MicroGrid], townCode: String, gridCodes: Set<GridCode>
    ) -> ([ImportPlan.MicroGridRow], MicroGridLocator?) {
        let accepted = checkPolygonLayer(
            microGrids, layer: "microgrids", noun: "micro-grid", code: \.code, geometry: \.geometry
        ) { microGrid in
            let id = microGrid.code.description
            var messages: [String] = []
            if !microGrid.code.isMicroGrid { messages.append("\(id) is a grid code, not a micro-grid code") }
            if microGrid.code.town != townCode {
                messages.append("micro-grid belongs to town \(microGrid.code.town), not \(townCode)")
            }
            if !gridCodes.contains(microGrid.gridCode) { messages.append("grid \(microGrid.gridCode) does not exist") }
            return messages
        }
        let rows = accepted.map { ImportPlan.MicroGridRow(microGrid: $0.unit, geometry: $0.stored) }
        do {
            // The same exact index and edge rule as the Atlas: one rule in the whole project.
            return (rows, try MicroGridLocator(accepted.map(\.unit), cellsPerMicroGrid: Self.locatorCellsPerMicroGrid))
        } catch {
            report("microgrids", nil, nil, "cannot index micro-grids: \(error)")
            return (rows, nil)
        }
    }

    /// The checks grids and micro-grids share: the layer's own `rules`, unique codes and a valid
    /// polygon. Returns the first unit of each code whose polygon converts, ready to store.
    private mutating func checkPolygonLayer<Unit>(
        _ units: [Unit], layer: String, noun: String,
        code: (Unit) -> GridCode, geometry: (Unit) -> GeoJSON.Geometry, rules: (Unit) -> [String]
    ) -> [(unit: Unit, stored: StoredGeometry)] {
        var accepted: [(unit: Unit, stored: StoredGeometry)] = []
        var seen: [GridCode: Int] = [:]
        for (index, unit) in units.enumerated() {
            let id = code(unit).description
            for message in rules(unit) { report(layer, index, id, message) }
            let isNew = seen[code(unit)] == nil
            if let first = seen[code(unit)] {
                report(layer, index, id, "duplicate \(noun) code (first at index \(first))")
            } else {
                seen[code(unit)] = index
            }
            if let converted = convert(geometry(unit), polygonal: true, layer, index, id), isNew {
                accepted.append((unit, converted.stored))
            }
        }
        return accepted
    }

    // MARK: Features, residents, team

    /// Ids and duplicates here; everything else about each feature in ``FeatureExaminer``, on all
    /// cores. Problems come out in the order of a sequential check: feature by feature.
    private mutating func checkFeatures(_ features: [MapFeature], locator: MicroGridLocator?) -> [ImportPlan.FeatureRow] {
        var rows: [ImportPlan.FeatureRow] = []
        rows.reserveCapacity(features.count)
        // Where each id was first seen; its text is only made for a duplicate.
        var seen: [String: (layer: String, index: Int)] = [:]
        seen.reserveCapacity(features.count)
        var indexInLayer: [FeatureKind: Int] = [:]
        for (feature, examination) in zip(features, FeatureExaminer.examine(features, locator: locator)) {
            let layer = feature.kind.layerName
            let index = indexInLayer[feature.kind, default: 0]
            indexInLayer[feature.kind] = index + 1
            let id = feature.id.isEmpty ? nil : feature.id
            if feature.id.isEmpty { report(layer, index, nil, "feature id is empty") }
            let first = seen[feature.id]
            if let first {
                report(layer, index, id, "duplicate feature id (also in \(first.layer)[\(first.index)])")
            } else {
                seen[feature.id] = (layer, index)
            }
            for message in examination.problems { report(layer, index, id, message) }
            if first == nil, let row = examination.row { rows.append(row) }
        }
        return rows
    }

    private mutating func checkResidents(_ residents: [Resident], features: [MapFeature]) {
        var kindByID: [String: FeatureKind] = [:]
        kindByID.reserveCapacity(features.count)
        for feature in features where kindByID[feature.id] == nil { kindByID[feature.id] = feature.kind }
        var seen: [String: Int] = [:]
        seen.reserveCapacity(residents.count)
        for (index, resident) in residents.enumerated() {
            let id = resident.id.isEmpty ? nil : resident.id
            if resident.id.isEmpty { report("residents", index, nil, "resident id is empty") }
            if let first = seen[resident.id] {
                report("residents", index, id, "duplicate resident id (first at index \(first))")
            } else {
                seen[resident.id] = index
            }
            switch kindByID[resident.homeID] {
            case nil: report("residents", index, id, "home \(resident.homeID) does not exist")
            case .home?: break
            case let kind?: report("residents", index, id, "\(resident.homeID) is a \(kind), not a home")
            }
            // A resident has a handful of categories: comparing pairs allocates no set per resident.
            let categories = resident.categories
            if categories.indices.contains(where: { categories[..<$0].contains(categories[$0]) }) {
                report("residents", index, id, "categories repeat")
            }
        }
    }

    private mutating func checkTeam(_ team: [TeamMember], gridCodes: Set<GridCode>) {
        for (index, member) in team.enumerated() where !gridCodes.contains(member.gridCode) {
            report("team", index, member.name, "grid \(member.gridCode) does not exist")
        }
    }

    // MARK: Geometry

    /// Converts and checks one geometry; nil (with the problem reported) when it is unusable.
    private mutating func convert(
        _ geometry: GeoJSON.Geometry, polygonal: Bool, _ layer: String, _ index: Int?, _ id: String?
    ) -> CheckedGeometry? {
        switch CheckedGeometry.check(geometry, polygonal: polygonal, in: context) {
        case .success(let checked): return checked
        case .failure(let problem):
            report(layer, index, id, problem.message)
            return nil
        }
    }
}
