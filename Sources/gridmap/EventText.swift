import CSV
import Foundation
import GridMapApp
import GridMapCore

/// How `gridmap event` prints events: one state line after an action, the whole history for
/// `show`, and CSV for the lists and the rates.
enum EventText {
    /// `EV-000001 roads-and-water DC-017-2: whistled (water: handling, housing: awaiting-report-in)`.
    static func stateLine(_ event: EventCase, catalogue: EventCatalogue) -> String {
        let parts = event.parts.map { "\($0.department): \($0.state.rawValue)" }.joined(separator: ", ")
        return "\(event.id) \(event.report.category) \(event.report.microGrid): \(event.phase.rawValue)" + (parts.isEmpty ? "" : " (\(parts))")
    }

    static func actor(_ actor: EventActor) -> String {
        switch actor {
        case .teamMember(let grid, let role, let name): "\(grid) \(role.rawValue) \(name)"
        case .department(let code, let person): "department \(code)" + (person.isEmpty ? "" : " \(person)")
        case .office(let person): "town office" + (person.isEmpty ? "" : " \(person)")
        case .system: "GridMap"
        }
    }

    /// The event, its departments' parts and its history, one line each, as the reader may see
    /// them (``Disclosure/disclose(_:)``).
    static func show(_ event: EventCase, catalogue: EventCatalogue, as disclosure: Disclosure) -> [String] {
        let shown = disclosure.disclose(event)
        let category = catalogue.category(shown.category)?.name ?? ""
        let place = shown.location.map { "at \($0.x),\($0.y) in " } ?? "in "
        var lines = [
            "\(shown.id) \(shown.category) (\(category)), \(shown.urgency.rawValue): \(shown.phase.rawValue)",
            "  \(place)\(shown.microGrid) (grid \(shown.grid), village \(shown.villageCode))",
            "  " + (shown.description ?? "(the description is shown to the office and the grid's worker)"),
        ]
        if shown.residentCount > 0 {
            if let residents = shown.residents {
                let concerned = (shown.reportedBy.map { ["reported by \($0)"] } ?? []) + residents.map { "concerns \($0)" }
                lines.append("  residents: " + concerned.joined(separator: ", "))
            } else {
                lines.append("  residents: \(shown.residentCount) (shown to the office and the grid's worker)")
            }
        }
        if let attachments = shown.attachments {
            for (index, file) in attachments.enumerated() {
                lines.append("  attachment \(index + 1): \(file.fileName), \(file.mediaType), \(file.byteCount) bytes, sha256 \(file.sha256)")
            }
        } else if shown.attachmentCount > 0 {
            lines.append("  attachments: \(shown.attachmentCount) (shown to the office and the grid's worker)")
        }
        if let deadline = shown.gridDeadline, shown.phase == .handledByGrid {
            lines.append("  the grid's team handles it; resolution due \(EventTimes.text(deadline))")
        }
        for part in shown.parts {
            let name = catalogue.department(part.department)?.name ?? ""
            var line = "  \(part.department) (\(name)): \(part.state.rawValue); report-in due \(EventTimes.text(part.reportInDeadline))"
            if let reported = part.reportedInAt { line += ", in \(EventTimes.text(reported))" }
            line += "; resolution due \(EventTimes.text(part.resolutionDeadline))"
            if let resolved = part.resolvedAt { line += ", resolved \(EventTimes.text(resolved))" }
            if part.sentBack > 0 { line += "; sent back \(part.sentBack)×" }
            lines.append(line)
        }
        if let rating = shown.satisfaction { lines.append("  resident: \(rating.rawValue)") }
        lines.append("history (Asia/Shanghai):")
        var filesBefore = 0
        for entry in shown.history {
            var line = "  \(EventTimes.text(entry.at))  \(entry.action.name)  by \(actor(entry.actor))"
            switch entry.action {
            case .whistle(let codes, _) where !codes.isEmpty: line += " to \(codes.joined(separator: ", "))"
            case .reportIn(let code), .resolve(let code?): line += " (\(code))"
            case .sendBack(let codes, let reason):
                line += (codes.isEmpty ? "" : " to \(codes.joined(separator: ", "))") + (reason.isEmpty ? "" : ": \(reason)")
            case .close(let rating): line += ": \(rating.rawValue)"
            case .escalate(let step): line += ": \(step) was due \(EventTimes.text(step.deadline))"
            default: break
            }
            // An escalation's note repeats what the line says already.
            let isEscalation = if case .escalate = entry.action { true } else { false }
            if !entry.note.isEmpty && !isEscalation { line += " — \(entry.note)" }
            let files = entry.files.count
            if files > 0 { line += files == 1 ? " [attachment \(filesBefore + 1)]" : " [attachments \(filesBefore + 1)–\(filesBefore + files)]" }
            filesBefore += files
            lines.append(line)
        }
        return lines
    }

    static func listCSV(_ events: [EventCase], now: Date) -> String {
        var rows = [["id", "raised", "category", "urgency", "grid", "micro_grid", "village", "state", "departments", "overdue"]]
        for event in events {
            let report = event.report
            rows.append([event.id, EventTimes.text(event.raisedAt), report.category, report.urgency.rawValue, report.grid.description,
                         report.microGrid.description, report.villageCode, event.phase.rawValue,
                         event.parts.map { "\($0.department):\($0.state.rawValue)" }.joined(separator: ";"),
                         event.overdueSteps(at: now).map(\.description).joined(separator: ";")])
        }
        return String(decoding: CSVField.formatted(rows), as: UTF8.self)
    }

    static func overdueCSV(_ overdue: [(event: EventCase, steps: [EventStep])], now: Date) -> String {
        var rows = [["event", "grid", "step", "department", "due", "hours_overdue", "escalated"]]
        for (event, steps) in overdue {
            for step in steps {
                rows.append([event.id, event.report.grid.description, step.kind.rawValue, step.department ?? "", EventTimes.text(step.deadline),
                             String(format: "%.1f", now.timeIntervalSince(step.deadline) / 3600), event.escalated.contains(step) ? "yes" : "no"])
            }
        }
        return String(decoding: CSVField.formatted(rows), as: UTF8.self)
    }

    static func statsCSV(_ table: EventRateTable) -> String {
        var header = ["group", "collected", "whistled", "dispatches", "report_in_rate", "on_time_report_in_rate", "resolved",
                      "resolution_rate", "on_time_resolution_rate", "closed", "satisfaction_rate", "sent_back", "overdue_now", "escalations"]
        for stage in EventStage.allCases { header += ["\(stage.rawValue)_avg_h", "\(stage.rawValue)_p90_h"] }
        var rows = [header]
        // A town's table by town is its total alone; a district's has a row per town, then its total.
        let groups = table.grouping == .town && !table.isDistrict ? [] : table.rows
        let total = table.grouping == .department ? "any department" : table.isDistrict ? "district" : "town"
        for (group, tally) in groups + [(group: total, tally: table.total)] {
            var row = [group, "\(tally.collected)", "\(tally.whistled)", "\(tally.dispatches)", percent(tally.reportInRate),
                       percent(tally.onTimeReportInRate), "\(tally.resolved)", percent(tally.resolutionRate), percent(tally.onTimeResolutionRate),
                       "\(tally.closed)", percent(tally.satisfactionRate), "\(tally.sentBack)", "\(tally.overdueNow)", "\(tally.escalations)"]
            for stage in EventStage.allCases { row += [hours(tally.average(stage)), hours(tally.percentile90(stage))] }
            rows.append(row)
        }
        return String(decoding: CSVField.formatted(rows), as: UTF8.self)
    }

    private static func percent(_ rate: Double?) -> String { rate.map { String(format: "%.1f", $0 * 100) } ?? "" }
    private static func hours(_ seconds: Double?) -> String { seconds.map { String(format: "%.1f", $0 / 3600) } ?? "" }
}
