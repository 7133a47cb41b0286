import Foundation
import GridMapCore

extension InMemoryTownStore {
    public func perform(_ operations: [EventLogOperation], uploads: [AttachmentUpload],
                        catalogue: EventCatalogue) throws(EventLogError) -> [EventLogResult] {
        try withRecords { records throws(EventLogError) in
            do {
                for upload in uploads where records.contents[upload.attachment.sha256] == nil {
                    do {
                        records.contents[upload.attachment.sha256] = (upload.attachment, try upload.content())
                    } catch {
                        throw BatchAttachments.refusal("\(error)")
                    }
                }
                let results = try BatchIDs.run(operations, final: { id throws(EventLogError) in try Self.event(id, in: records) }) { operation, ids in
                    try Self.perform(operation, ids: ids, catalogue: catalogue, on: &records)
                }
                try BatchAttachments.check(operations, uploads: uploads) { [records] sha256 in records.contents[sha256]?.attachment }
                return results
            } catch let error as EventLogError {
                throw error
            } catch {
                throw .unexpectedResult
            }
        }
    }

    private static func perform(_ operation: EventLogOperation, ids: BatchIDs, catalogue: EventCatalogue,
                                on records: inout EventRecords) throws(EventLogError) -> BatchStep {
        switch operation {
        case .raise(let entry):
            return .event(try raise(entry, catalogue: catalogue, into: &records).id)
        case .record(let reference, let entry):
            let id = try ids.id(reference)
            try record(entry, on: id, catalogue: catalogue, in: &records)
            return .event(id)
        case .planInspection(let inspection):
            var planned = inspection
            planned.id = RecordID.inspection.text(Int64(records.inspections.count + 1))
            try refusing { () throws(EventFlowError) in try planned.check(catalogue: catalogue) }
            records.inspections.append(planned)
            return .made(.inspection(planned))
        case .finding(let reference, let site, let item, let raise, let whistle):
            let id = try ids.id(reference)
            guard let number = RecordID.inspection.number(id), number <= records.inspections.count else { throw .unknownInspection(id) }
            try records.inspections[Int(number) - 1].checkFinding(site: site, item: item)
            let raised = try Self.raise(raise, catalogue: catalogue, into: &records).id
            try record(whistle, on: raised, catalogue: catalogue, in: &records)
            let finding = InspectionFinding(inspection: id, site: site, item: item, event: raised)
            records.findings.append(finding)
            return .finding(finding)
        case .activity(let activity):
            var recorded = activity
            recorded.id = RecordID.activity.text(Int64(records.activities.count + 1))
            try recorded.check()
            records.activities.append(recorded)
            return .made(.activity(recorded))
        }
    }

    public func event(_ id: String, catalogue: EventCatalogue) throws(EventLogError) -> EventCase? {
        try withRecords { records throws(EventLogError) in
            guard let number = RecordID.event.number(id), number <= records.events.count else { return nil }
            return records.events[Int(number) - 1]
        }
    }

    public func forEachEvent(_ filter: EventFilter, catalogue: EventCatalogue,
                             _ body: (EventCase) throws(EventLogError) -> Void) throws(EventLogError) {
        // A snapshot first, so that `body` runs outside the lock.
        let events = try withRecords { records throws(EventLogError) in records.events }
        for event in events where filter.selects(event.report, raisedAt: event.raisedAt) { try body(event) }
    }

    public func forEachSummary(_ filter: EventFilter, _ body: (EventSummary) throws(EventLogError) -> Void) throws(EventLogError) {
        try forEachEvent(filter, catalogue: .standard) { event throws(EventLogError) in try body(event.summary) }
    }

    public func escalateOverdue(before time: Date, catalogue: EventCatalogue) throws(EventLogError) -> [(event: String, entry: EventEntry)] {
        try withRecords { records throws(EventLogError) in
            var escalated: [(event: String, entry: EventEntry)] = []
            for index in records.events.indices where records.events[index].isOpen {
                for entry in records.events[index].escalations(before: time) {
                    try refusing { () throws(EventFlowError) in try records.events[index].apply(entry, catalogue: catalogue) }
                    escalated.append((records.events[index].id, entry))
                }
            }
            return escalated.sorted { $0.entry.at < $1.entry.at }
        }
    }

    public func attachmentBytes(_ sha256: String, from offset: Int, count: Int) throws(EventLogError) -> Data? {
        try withRecords { records throws(EventLogError) in
            guard let bytes = records.contents[sha256]?.bytes else { return nil }
            let start = min(max(0, offset), bytes.count), end = start + min(max(0, count), bytes.count - start)
            return bytes.subdata(in: bytes.startIndex + start ..< bytes.startIndex + end)
        }
    }

    public func attachmentHashes() throws(EventLogError) -> [String] {
        try withRecords { records throws(EventLogError) in records.contents.keys.sorted() }
    }

    public func inspections() throws(EventLogError) -> [Inspection] {
        try withRecords { records throws(EventLogError) in records.inspections }
    }

    public func findings(of inspection: String?) throws(EventLogError) -> [InspectionFinding] {
        try withRecords { records throws(EventLogError) in records.findings.filter { inspection == nil || $0.inspection == inspection } }
    }

    public func activities(_ filter: EventFilter) throws(EventLogError) -> [Activity] {
        try withRecords { records throws(EventLogError) in records.activities.filter { filter.selects(grid: $0.grid, at: $0.date) } }
    }

    private static func raise(_ entry: EventEntry, catalogue: EventCatalogue, into records: inout EventRecords) throws(EventLogError) -> EventCase {
        let event = try refusing { () throws(EventFlowError) in
            try EventCase(id: RecordID.event.text(Int64(records.events.count + 1)), raised: entry, catalogue: catalogue)
        }
        records.events.append(event)
        return event
    }

    private static func record(_ entry: EventEntry, on id: String, catalogue: EventCatalogue, in records: inout EventRecords) throws(EventLogError) {
        guard let number = RecordID.event.number(id), number <= records.events.count else { throw .unknownEvent(id) }
        try refusing { () throws(EventFlowError) in _ = try records.events[Int(number) - 1].record(entry, catalogue: catalogue) }
    }

    /// Event `id` of `records`.
    private static func event(_ id: String, in records: EventRecords) throws(EventLogError) -> EventCase {
        guard let number = RecordID.event.number(id), number <= records.events.count else { throw .unknownEvent(id) }
        return records.events[Int(number) - 1]
    }
}

/// Runs `body`, turning the flow's refusal into ``EventLogError/refused(_:)``.
func refusing<T>(_ body: () throws(EventFlowError) -> T) throws(EventLogError) -> T {
    do { return try body() } catch { throw .refused(error) }
}

extension Inspection {
    /// Refuses a finding at a site or for an item the plan does not have.
    func checkFinding(site: String, item: String) throws(EventLogError) {
        guard self.site(site) != nil else {
            throw .refused(EventFlowError(event: nil, "inspection \(id) does not visit \(site) (sites: \(sites.map(\.featureID).joined(separator: ", ")))"))
        }
        guard self.item(item) != nil else {
            throw .refused(EventFlowError(event: nil, "inspection \(id) has no item \(item) (items: \(items.map(\.name).joined(separator: ", ")))"))
        }
    }
}

extension Activity {
    /// Refuses an activity without a title or with a negative attendance.
    func check() throws(EventLogError) {
        if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw .refused(EventFlowError(event: nil, "an activity needs a title")) }
        if attendance < 0 { throw .refused(EventFlowError(event: nil, "attendance \(attendance) is negative")) }
    }
}
