import Foundation
import GeoJSON
import GridMapApp
import Hummingbird
import Synchronization

/// The access log: one JSON object per request, on one line, appended to a file or standard
/// error — time (UTC, ISO 8601), method, path (without the query, which may hold search terms),
/// status, duration in milliseconds, and the account (none for the public). Lines from concurrent
/// requests never interleave: each is written whole, under a lock.
final class AccessLog: Sendable {
    private let sink: Mutex<FileHandle>
    /// Told once if a line cannot be written (a full disk), so the failure is not silent.
    private let failed = Atomic<Bool>(false)

    /// Appends to `path` (created 0600: the log names accounts), or writes to standard error.
    init(path: String?) throws(JobError) {
        guard let path else {
            sink = Mutex(FileHandle.standardError)
            return
        }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .cannotStart("Cannot open the access log \(path): \(String(cString: strerror(errno)))")
        }
        sink = Mutex(FileHandle(fileDescriptor: descriptor, closeOnDealloc: true))
    }

    struct Line {
        var time: String
        var method: String
        var path: String
        var status: Int
        var ms: Double
        var account: String?

        /// The line's JSON, keys sorted, no account for the public: made by hand, since
        /// JSONEncoder and Foundation's ISO 8601 formatting were a twelfth of a locate request.
        var json: JSONObject {
            var object = JSONObject()
            if let account { object["account"] = .string(account) }
            object["method"] = .string(method)
            object["ms"] = .number(JSONNumber(ms))
            object["path"] = .string(path)
            object["status"] = .number(JSONNumber(status))
            object["time"] = .string(time)
            return object
        }

        /// `date` in UTC as ISO 8601 to the second ("2026-12-07T12:27:57Z"), as
        /// `Date.formatted(.iso8601)` writes it.
        static func utcTime(_ date: Date) -> String {
            var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
            var parts = tm()
            gmtime_r(&seconds, &parts)
            func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
            return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
        }
    }

    func write(_ line: Line) {
        var data = line.json.jsonBytes
        data.append(0x0A)
        let written: Bool = sink.withLock { handle in
            do { try handle.write(contentsOf: data); return true } catch { return false }
        }
        if !written, !failed.exchange(true, ordering: .relaxed) {
            FileHandle.standardError.write(Data("gridmap serve: cannot write the access log; requests go on unlogged\n".utf8))
        }
    }
}

/// What the inner parts of the server tell the outer middleware about a request (the request
/// context is a value, so a change made inside does not reach an outer copy; this one object is
/// shared by all): the account it was answered for, set by authentication, and what personal data
/// the answer carried, set by the route that handed it out, for the audit log.
public final class RequestNote: Sendable {
    private struct State {
        var account: String?
        var personalData: [String] = []
    }
    private let state = Mutex(State())

    public var account: String? {
        get { state.withLock { $0.account } }
        set { state.withLock { $0.account = newValue } }
    }

    /// What personal data the answer carried, one line per read (e.g. "residents of DC-017: 212").
    public var personalData: [String] { state.withLock { $0.personalData } }

    /// Says that the answer carries personal data (names, phones, categories of residents, team
    /// members beyond the public ones): every route that hands such data out calls this, and the
    /// audit log records it with the account.
    public func readPersonalData(_ what: String) {
        state.withLock { $0.personalData.append(what) }
    }
}

/// Logs every request, errors included: it is the outermost middleware, so it sees the status
/// of the problem document ``ProblemMiddleware`` made of an error.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let log: AccessLog

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        let milliseconds = Double(seconds) * 1e3 + Double(attoseconds) / 1e15
        log.write(AccessLog.Line(
            time: AccessLog.Line.utcTime(Date()), method: request.method.rawValue, path: request.uri.path,
            status: response.status.code, ms: (milliseconds * 1000).rounded() / 1000,
            account: context.note.account))
        return response
    }
}
