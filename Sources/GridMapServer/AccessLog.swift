import Foundation
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

    struct Line: Encodable {
        var time: String
        var method: String
        var path: String
        var status: Int
        var ms: Double
        var account: String?
    }

    func write(_ line: Line) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var data = try? encoder.encode(line) else { return }
        data.append(0x0A)
        let written: Bool = sink.withLock { handle in
            do { try handle.write(contentsOf: data); return true } catch { return false }
        }
        if !written, !failed.exchange(true, ordering: .relaxed) {
            FileHandle.standardError.write(Data("gridmap serve: cannot write the access log; requests go on unlogged\n".utf8))
        }
    }
}

/// What inner middleware tells the access log about a request: the account it was answered
/// for, set by authentication further in (the request context is a value, so a change made
/// inside does not reach the log's copy; this one object is shared by both).
final class RequestNote: Sendable {
    private let value = Mutex<String?>(nil)
    var account: String? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
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
            time: Date().formatted(.iso8601), method: request.method.rawValue, path: request.uri.path,
            status: response.status.code, ms: (milliseconds * 1000).rounded() / 1000,
            account: context.note.account))
        return response
    }
}
