import GEOS
import GeoJSON

/// Repairs a town's data on request, before validation, and says what it changed: the one place
/// an import mends geometry (`gridmap import --make-valid --snap TOLERANCE`), whatever source
/// the ``TownData`` was read from. Without options nothing changes, so problems are reported by
/// validation and never silently fixed.
///
/// In order:
/// 1. `makesValid`: every invalid polygon or line — the town boundary, grids, micro-grids,
///    features — made valid by ``GeometryRepair`` (GEOS MakeValid, keeping the geometry type,
///    collapsed parts dropped and named). Points are always valid.
/// 2. `snapTolerance`: grids and micro-grids snapped among themselves and onto the town boundary
///    by ``CoverageSnap``, in the working CRS; a polygon that snapping would make invalid is left
///    as it was.
///
/// Each changed item gets one ``RepairChange``; an item a repair could not mend gets one too
/// (``RepairChange/Action/leftAsIs``), and validation then reports it.
public enum TownRepair {
    /// What a repair did: one change per item, in the order town, grids, micro-grids, features;
    /// and notes on what could not be attempted (no usable working CRS to snap in).
    public struct Report: Hashable, Sendable {
        public var changes: [RepairChange] = []
        public var notes: [String] = []

        /// One line: how many items each action changed, with the largest snap distances.
        public var summary: String {
            let valid = changes.filter { $0.action == .madeValid }.count
            let snapped = changes.filter { $0.action == .snapped }
            let left = changes.filter { $0.action == .leftAsIs }.count
            var parts: [String] = []
            if valid > 0 { parts.append("\(valid) geometr\(valid == 1 ? "y" : "ies") made valid") }
            let grids = snapped.filter { if case .grid = $0.item { true } else { false } }.count
            if snapped.count > grids { parts.append("\(snapped.count - grids) micro-grid\(snapped.count - grids == 1 ? "" : "s") snapped") }
            if grids > 0 { parts.append("\(grids) grid\(grids == 1 ? "" : "s") snapped") }
            if left > 0 { parts.append("\(left) left as they were") }
            return parts.isEmpty ? "nothing to repair" : parts.joined(separator: ", ")
        }
    }

    /// Applies `options` to `data` as an import does, telling `notice` one line per change, the
    /// notes, then the summary; nothing is said (or done) when no repair was asked for.
    /// - Throws: ``RepairError`` when the options are out of range (nothing is changed).
    public static func repair(_ data: inout TownData, options: RepairOptions, notice: (String) -> Void) throws(RepairError) {
        guard !options.isEmpty else { return }
        let report = try repair(&data, options: options)
        report.changes.forEach { notice("repaired \($0)") }
        report.notes.forEach(notice)
        notice("repair: \(report.summary)")
    }

    /// Applies `options` to `data` and reports each change.
    /// - Throws: ``RepairError`` when the options are out of range (nothing is changed).
    public static func repair(_ data: inout TownData, options: RepairOptions) throws(RepairError) -> Report {
        try options.check()
        var report = Report()
        guard !options.isEmpty else { return report }
        let context = GEOSContext()
        let projection = try? Projection(workingCRS: data.town.workingCRS)
        if options.makesValid {
            let repair = GeometryRepair(context: context, projection: projection)
            func mend(_ geometry: inout Geometry, _ item: RepairItem) {
                switch repair.repair(geometry) {
                case .unchanged: break
                case .repaired(let repaired, let problem, let detail):
                    geometry = repaired
                    report.changes.append(RepairChange(item: item, action: .madeValid, problem: problem, detail: detail))
                case .impossible(let problem, let reason):
                    report.changes.append(RepairChange(item: item, action: .leftAsIs, problem: problem, detail: reason))
                }
            }
            mend(&data.town.boundary, .townBoundary)
            for index in data.grids.indices { mend(&data.grids[index].geometry, .grid(data.grids[index].code)) }
            for index in data.microGrids.indices { mend(&data.microGrids[index].geometry, .microGrid(data.microGrids[index].code)) }
            for index in data.features.indices where GeometryRepair.family(of: data.features[index].geometry) != .puntal {
                let feature = data.features[index]
                mend(&data.features[index].geometry, .feature(kind: feature.kind, id: feature.id))
            }
        }
        if let tolerance = options.snapTolerance {
            guard let projection else {
                report.notes.append("snapping skipped: the working CRS \"\(data.town.workingCRS)\" is not a usable projected CRS")
                return report
            }
            snap(&data, tolerance: tolerance, projection: projection, context: context, into: &report)
        }
        return report
    }

    private static func snap(_ data: inout TownData, tolerance: Double, projection: Projection, context: GEOSContext,
                             into report: inout Report) {
        let items = data.grids.map { RepairItem.grid($0.code) } + data.microGrids.map { RepairItem.microGrid($0.code) }
        let geometries = data.grids.map(\.geometry) + data.microGrids.map(\.geometry)
        let boundary: Geometry? = switch data.town.boundary {
        case .polygon(let rings) where !rings.isEmpty: data.town.boundary
        case .multiPolygon(let parts) where !parts.isEmpty: data.town.boundary
        default: nil
        }
        let outcomes: [CoverageSnap.Outcome]
        do {
            outcomes = try CoverageSnap(tolerance: tolerance, projection: projection, context: context)
                .snap(fixed: boundary, movable: geometries)
        } catch {
            report.notes.append("snapping skipped: \(error)")
            return
        }
        let format = GeometryRepair.format
        for (index, outcome) in outcomes.enumerated() where outcome.moved > 0 || outcome.inserted > 0 {
            var problem: [String] = []
            if outcome.moved > 0 {
                problem.append("\(outcome.moved) vertices within \(format(tolerance)) m of a neighbour's vertex or the town boundary")
            }
            if outcome.inserted > 0 { problem.append("\(outcome.inserted) neighbours' vertices within \(format(tolerance)) m of its edges") }
            var done: [String] = []
            if outcome.moved > 0 { done.append("moved \(outcome.moved) vertices (largest move \(format(outcome.largestMove)) m)") }
            if outcome.inserted > 0 {
                done.append("inserted \(outcome.inserted) vertices into its edges (largest \(format(outcome.largestInsertion)) m off)")
            }
            guard let geometry = outcome.geometry else {
                report.changes.append(RepairChange(item: items[index], action: .leftAsIs, problem: problem.joined(separator: ", "),
                                                   detail: outcome.refusal ?? "not snapped"))
                continue
            }
            if index < data.grids.count {
                data.grids[index].geometry = geometry
            } else {
                data.microGrids[index - data.grids.count].geometry = geometry
            }
            report.changes.append(RepairChange(item: items[index], action: .snapped, problem: problem.joined(separator: ", "),
                                               detail: done.joined(separator: ", ")))
        }
    }
}
