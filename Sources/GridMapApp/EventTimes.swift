import Foundation
import GeoJSON
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

    /// When an action happened: `text` (an option's value) read as a time, or `now` when there is
    /// none; never ahead of `now`.
    public static func happened(_ text: String?, now: Date, option: String) throws(JobError) -> Date {
        let time = try text.map { value throws(JobError) in try parse(value, option: option) } ?? now
        try checkNotFuture(time, now: now, option: option)
        return time
    }

    /// A point given as `longitude,latitude` (WGS84) in option `option`.
    public static func point(_ text: String, option: String) throws(JobError) -> Position {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let longitude = parts[0], let latitude = parts[1], longitude.isFinite, latitude.isFinite else {
            throw .invalidRequest("\(option) wants longitude,latitude, e.g. 119.81,35.90; got '\(text)'.")
        }
        return Position(x: longitude, y: latitude)
    }

    /// Refuses a time of an action more than five minutes ahead of `now`: entries record what has
    /// happened.
    public static func checkNotFuture(_ date: Date, now: Date, option: String) throws(JobError) {
        if date > now.addingTimeInterval(300) {
            throw .invalidRequest("\(option) \(text(date)) is in the future; an entry records what has happened")
        }
    }
}
