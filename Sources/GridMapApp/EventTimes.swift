import Foundation
import GridMapCore

/// Times as people type and read them: stored in UTC, shown and read in the town's zone
/// (Asia/Shanghai) unless a time says its own offset.
public enum EventTimes {
    /// `text` as a time: ISO 8601 with an offset (`2026-06-30T08:30:00+08:00`, `…Z`), or a local
    /// time in the town's zone (`2026-06-30 08:30`, `2026-06-30T08:30`), or a date (midnight
    /// there). `option` names the option in the message.
    public static func parse(_ text: String, option: String) throws(JobError) -> Date {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = EventClock.shanghai
        for format in ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        throw .invalidRequest("\(option) \(text): write a time as 2026-06-30 08:30 (Asia/Shanghai), 2026-06-30, or ISO 8601 with an offset")
    }

    /// `date` in the town's zone, to the minute: `2026-06-30 08:30`.
    public static func text(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = EventClock.shanghai
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// Refuses a time of an action more than five minutes ahead of `now`: entries record what has
    /// happened.
    public static func checkNotFuture(_ date: Date, now: Date, option: String) throws(JobError) {
        if date > now.addingTimeInterval(300) {
            throw .invalidRequest("\(option) \(text(date)) is in the future; an entry records what has happened")
        }
    }
}
