import Foundation
import GeoJSON
import GridMapCore

/// What of an event each role sees: part of the one disclosure policy.
///
/// Free text may name people ("王大爷家的水管冻裂了"), and so may a photo: an event's description,
/// the notes and reasons of its history and its attachments are shown, like its residents, only
/// to those who see the residents of the event: the office, the worker of the event's grid, and
/// each department the event was whistled to (it must know whom it goes to help; a whistle once
/// made stays in the department's record, resolved or not). Everyone sees its category, urgency,
/// state, micro-grid, grid and village, its departments' parts and the times of its history — and
/// its exact point when the event concerns no resident.
extension Disclosure {
    /// The residents an event concerns (who reported it, whom it is about): for those who see the
    /// residents of the event's grid, and for a department the event was whistled to.
    public func seesResidents(of event: EventCase) -> Bool {
        if case .department(let code) = role, event.parts.contains(where: { $0.department == code }) { return true }
        return seesResidents(inGrid: event.report.grid)
    }

    /// The event's exact point: for everyone when the event concerns no resident; otherwise only
    /// for those who see its residents, since a welfare request at a home would point at the home.
    /// The others see its micro-grid.
    public func seesLocation(of event: EventCase) -> Bool {
        let concernsResidents = event.report.reportedByResident != nil || !event.report.residents.isEmpty
        return !concernsResidents || seesResidents(of: event)
    }

    /// The event's free text — description, the notes and reasons of its history — and its
    /// attachments: for those who see the residents of its grid, since any of them may name one.
    public func seesText(of event: EventCase) -> Bool {
        seesResidents(of: event)
    }

    /// `event` as this reader may see it: what the reader may not see is left out (nil, or an
    /// empty note), never passed on for the caller to hide.
    public func disclose(_ event: EventCase) -> DisclosedEvent {
        let text = seesText(of: event), residents = seesResidents(of: event)
        let report = event.report
        let concerned = (report.reportedByResident.map { [$0] } ?? []) + report.residents
        let history = text ? event.history : event.history.map { entry in
            var kept = entry
            (kept.note, kept.attachments) = ("", [])
            switch entry.action {
            case .raise(var raised):
                (raised.description, raised.attachments, raised.residents, raised.reportedByResident) = ("", [], [], nil)
                raised.location = seesLocation(of: event) ? raised.location : Position(x: .nan, y: .nan)
                kept.action = .raise(raised)
            case .sendBack(let departments, _): kept.action = .sendBack(departments: departments, reason: "")
            default: break
            }
            return kept
        }
        return DisclosedEvent(event: event, history: history, description: text ? report.description : nil,
                              attachments: text ? event.attachments : nil, location: seesLocation(of: event) ? report.location : nil,
                              reportedBy: residents ? report.reportedByResident : nil, residents: residents ? report.residents : nil,
                              residentCount: concerned.count)
    }
}

/// An event as one reader may see it (``Disclosure/disclose(_:)``): the flow's state in full,
/// the personal parts only where the reader may see them.
public struct DisclosedEvent: Sendable {
    public let id: String
    public let category: String
    public let urgency: Urgency
    public let microGrid: GridCode
    public let grid: GridCode
    public let villageCode: String
    public let phase: EventPhase
    public let parts: [DepartmentPart]
    /// The grid's own resolution deadline while it handles the event itself.
    public let gridDeadline: Date?
    public let satisfaction: Satisfaction?
    /// The history, with notes, send-back reasons, attachments and the raise record's personal
    /// fields emptied for a reader who may not see them.
    public let history: [EventEntry]
    /// Nil when the reader may not see it.
    public let description: String?
    /// Every file of the event, numbered as ``EventCase/attachments``; nil when the reader may
    /// not see them.
    public let attachments: [EventAttachment]?
    public let location: Position?
    public let reportedBy: String?
    public let residents: [String]?
    /// How many residents the event concerns (reporter included), which every reader may know.
    public let residentCount: Int
    /// How many files the event has, which every reader may know.
    public let attachmentCount: Int

    init(event: EventCase, history: [EventEntry], description: String?, attachments: [EventAttachment]?, location: Position?,
         reportedBy: String?, residents: [String]?, residentCount: Int) {
        (id, category, urgency, microGrid, grid) = (event.id, event.report.category, event.report.urgency, event.report.microGrid, event.report.grid)
        (villageCode, phase, parts, gridDeadline, satisfaction) = (event.report.villageCode, event.phase, event.parts, event.gridDeadline, event.satisfaction)
        (self.history, self.description, self.attachments, self.location) = (history, description, attachments, location)
        (self.reportedBy, self.residents, self.residentCount) = (reportedBy, residents, residentCount)
        attachmentCount = event.attachments.count
    }
}
