import Foundation
import GridMapCore

extension InMemoryTownStore {
    public func raiseEvent(_ entry: EventEntry, catalogue: EventCatalogue) throws(EventLogError) -> EventCase {
        try withEvents { events throws(EventLogError) in
            let event = try refusing { () throws(EventFlowError) in
                try EventCase(id: EventID.text(Int64(events.count + 1)), raised: entry, catalogue: catalogue)
            }
            events.append(event)
            return event
        }
    }

    public func recordEvent(_ id: String, _ entry: EventEntry, catalogue: EventCatalogue) throws(EventLogError) -> EventCase {
        try withEvents { events throws(EventLogError) in
            guard let number = EventID.number(id), number <= events.count else { throw .unknownEvent(id) }
            var event = events[Int(number) - 1]
            try refusing { () throws(EventFlowError) in _ = try event.record(entry, catalogue: catalogue) }
            events[Int(number) - 1] = event
            return event
        }
    }

    public func event(_ id: String, catalogue: EventCatalogue) throws(EventLogError) -> EventCase? {
        try withEvents { events throws(EventLogError) in
            guard let number = EventID.number(id), number <= events.count else { return nil }
            return events[Int(number) - 1]
        }
    }

    public func events(_ filter: EventFilter, catalogue: EventCatalogue) throws(EventLogError) -> [EventCase] {
        try withEvents { events throws(EventLogError) in events.filter { filter.selects($0.report, raisedAt: $0.raisedAt) } }
    }

    public func escalateOverdue(before time: Date, catalogue: EventCatalogue) throws(EventLogError) -> [(event: String, entry: EventEntry)] {
        try withEvents { events throws(EventLogError) in
            var escalated: [(event: String, entry: EventEntry)] = []
            var updated = events
            for index in updated.indices where updated[index].isOpen {
                for entry in updated[index].escalations(before: time) {
                    try refusing { () throws(EventFlowError) in try updated[index].apply(entry, catalogue: catalogue) }
                    escalated.append((updated[index].id, entry))
                }
            }
            events = updated
            return escalated.sorted { $0.entry.at < $1.entry.at }
        }
    }
}

/// Runs `body`, turning the flow's refusal into ``EventLogError/refused(_:)``.
func refusing<T>(_ body: () throws(EventFlowError) -> T) throws(EventLogError) -> T {
    do { return try body() } catch { throw .refused(error) }
}
