import CSV
import Foundation
import GridMapCore

/// The survey's answers as CSV, the same for the command line and the server.
extension SurveyDesk {
    /// `grid,micro_grid,homes,surveyed,nobody_home,share_pct`: the campaign first (grid and
    /// micro_grid empty), then each grid (micro_grid empty) followed by its micro-grids.
    public static func progressCSV(_ rows: [Progress]) -> String {
        var text = "grid,micro_grid,homes,surveyed,nobody_home,share_pct\n"
        for row in rows {
            text += "\(row.grid?.description ?? ""),\(row.microGrid?.description ?? ""),\(row.homes),\(row.surveyed),\(row.nobodyHome),"
                + String(format: "%.1f", row.share * 100) + "\n"
        }
        return text
    }

    /// `order,home,residents,leg_m`: the homes to visit in walking order, then those no road
    /// joins without an order; only the header when there is no plan (every home surveyed).
    public static func todoCSV(_ plan: OutreachJob.Plan?) -> String {
        var text = "order,home,residents,leg_m\n"
        guard let plan else { return text }
        for worker in plan.trip.workers {
            for (order, visit) in worker.visits.enumerated() where order > 0 && order <= worker.stopCount {
                text += "\(order),\(CSVField.escaped(plan.id(ofNode: visit.node))),"
                    + "\(CSVField.escaped(plan.residents(ofNode: visit.node).joined(separator: ";"))),"
                    + String(format: "%.1f", visit.legDistance) + "\n"
            }
        }
        for node in plan.trip.leftOut {
            text += ",\(CSVField.escaped(plan.id(ofNode: node))),\(CSVField.escaped(plan.residents(ofNode: node).joined(separator: ";"))),\n"
        }
        return text
    }

    /// `visit,day,home,grid,visitor,found,changes,note` of `visits` (as ``visits(of:as:)``
    /// shows them), those of `grid` only when given.
    public static func visitsCSV(_ visits: [SurveyVisit], grid: GridCode? = nil) -> String {
        var text = "visit,day,home,grid,visitor,found,changes,note\n"
        for visit in visits where grid == nil || visit.grid == grid {
            text += "\(visit.sequence),\(visit.day),\(CSVField.escaped(visit.home)),\(visit.grid),\(CSVField.escaped(visit.visitor)),"
                + "\(visit.finding.rawValue),\(visit.changes.map(String.init).joined(separator: ";")),\(CSVField.escaped(visit.note))\n"
        }
        return text
    }
}
