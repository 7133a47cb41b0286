import Foundation
import GridMapApp
import Hummingbird

/// The query parameters of OGC API – Features' requests, read into the application's values; a
/// value that cannot be read is a 400 naming the parameter and the value.
enum FeatureParameters {
    /// The parameters an items request takes besides its collection's property filters.
    static let standard: Set<String> = ["f", "bbox", "bbox-crs", "limit", "offset", "datetime"]
    /// The one CRS a `bbox` may be given in (Part 2, other CRSs, is not implemented).
    static let crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

    /// The request's parameters as name → value; a name given twice is refused.
    static func parameters(of request: Request) throws(JobError) -> [String: String] {
        var parameters: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            let name = String(key).removingPercentEncoding ?? String(key)
            guard parameters[name] == nil else { throw .invalidRequest("\(name) is given twice; give each parameter once.") }
            parameters[name] = String(value)
        }
        return parameters
    }

    /// An items request's query: `bbox` (with `bbox-crs`), `datetime`, `limit`, `offset`, and the
    /// other parameters (except `f`) as property filters, which the collection checks.
    static func itemQuery(_ parameters: [String: String]) throws(JobError) -> ItemQuery {
        if let crs = parameters["bbox-crs"], crs != crs84 {
            throw .invalidRequest("bbox-crs=\(crs): this server reads a bbox in CRS84 (\(crs84)) only; other CRSs (OGC API – Features Part 2) are not supported.")
        }
        var query = ItemQuery()
        if let text = parameters["bbox"] { query.bbox = try bbox(text) }
        if let text = parameters["datetime"] { query.datetime = try datetime(text) }
        if let text = parameters["limit"] {
            guard let limit = Int(text) else { throw .invalidRequest("limit=\(text): say a whole number of items, 1 to \(FeatureCollections.maximumLimit).") }
            guard limit >= 1 else { throw .invalidRequest("limit=\(text): a page holds at least 1 item (at most \(FeatureCollections.maximumLimit)).") }
            query.limit = min(limit, FeatureCollections.maximumLimit)
        }
        if let text = parameters["offset"] {
            guard let offset = Int(text), offset >= 0 else { throw .invalidRequest("offset=\(text): say how many matching items to skip, 0 or more.") }
            query.offset = offset
        }
        query.properties = parameters.filter { !standard.contains($0.key) }
        return query
    }

    /// `west,south,east,north` (or six numbers with the lowest and highest elevation, which are
    /// ignored: the town is flat).
    static func bbox(_ text: String) throws(JobError) -> LonLatBox {
        let numbers = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == 4 || numbers.count == 6, numbers.allSatisfy({ $0 != nil }) else {
            throw .invalidRequest("bbox=\(text): say four numbers west,south,east,north in longitude and latitude (CRS84), e.g. bbox=119.79,35.89,119.80,35.90.")
        }
        let values = numbers.compactMap { $0 }
        do {
            return numbers.count == 4
                ? try LonLatBox(west: values[0], south: values[1], east: values[2], north: values[3])
                : try LonLatBox(west: values[0], south: values[1], east: values[3], north: values[4])
        } catch {
            throw .invalidRequest("bbox=\(text): \(error.message).")
        }
    }

    /// An RFC 3339 time (`2026-06-30T08:30:00+08:00`, `…Z`), a date (the whole day, in the town's
    /// zone, Asia/Shanghai), or an interval `start/end` with `..` or nothing for an open end.
    static func datetime(_ text: String) throws(JobError) -> DateRange {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1:
            let start = try time(parts[0], whole: text)
            return try DateRange(start: start, end: isDate(parts[0]) ? endOfDay(start) : start)
        case 2:
            let start = try parts[0].isOpenEnd ? nil : time(parts[0], whole: text)
            let end = try parts[1].isOpenEnd ? nil : time(parts[1], whole: text)
            do {
                return try DateRange(start: start, end: end.map { isDate(parts[1]) ? endOfDay($0) : $0 })
            } catch {
                throw .invalidRequest("datetime=\(text): the interval starts after it ends.")
            }
        default:
            throw .invalidRequest("datetime=\(text): say a time, a date, or an interval start/end (either end may be ..).")
        }
    }

    private static func time(_ text: String, whole: String) throws(JobError) -> Date {
        do {
            return try EventTimes.parse(text, option: "datetime")
        } catch {
            throw .invalidRequest("datetime=\(whole): '\(text)' is not a time; write RFC 3339 (2026-06-30T08:30:00+08:00 or …Z), a date (2026-06-30) or an interval (2026-01-01/2026-06-30, ../2026-06-30).")
        }
    }

    private static func isDate(_ text: String) -> Bool {
        text.count == 10 && text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "-") }
    }

    /// The last millisecond of the day that starts at `start`.
    private static func endOfDay(_ start: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        let next = calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400)
        return next.addingTimeInterval(-0.001)
    }
}

private extension String {
    var isOpenEnd: Bool { isEmpty || self == ".." }
}
