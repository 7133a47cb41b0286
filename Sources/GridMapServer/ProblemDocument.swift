import Foundation
import GridMapApp
import Hummingbird

/// An error answered as an RFC 9457 problem document (`application/problem+json`): every error
/// the server returns has this shape, with a status that fits and the same words the command line
/// would print. Routes throw ``JobError`` (from the application layer) or a problem directly;
/// ``ProblemMiddleware`` turns whatever was thrown into one.
public struct ProblemDocument: Error, Sendable, Encodable, ResponseGenerator {
    /// A URI naming the kind of problem; `about:blank` when the status says it all (RFC 9457 §4.2.1).
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?
    /// Further lines (one per problem of a rejected batch, with its line or feature).
    public var errors: [String]?

    public init(status: HTTPResponse.Status, detail: String?, errors: [String]? = nil, type: String = "about:blank") {
        self.type = type
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.errors = errors?.isEmpty == true ? nil : errors
    }

    /// The status a job's error is answered with.
    public static func status(for kind: JobError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .invalidRequest, .cannotStart: .badRequest
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .conflict: .conflict
        case .rejected: .unprocessableContent
        case .failed: .internalServerError
        }
    }

    public init(_ error: JobError) {
        self.init(status: Self.status(for: error.kind), detail: RequestWording.inRequestTerms(error.message),
                  errors: error.details.map(RequestWording.inRequestTerms))
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(self)
        return Response(
            status: HTTPResponse.Status(code: status, reasonPhrase: title),
            headers: [.contentType: "application/problem+json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Turns every error a route throws into a problem document: a ``JobError`` by its kind, a
/// Hummingbird `HTTPError` (no such route: 404; a body over the limit: 413) by its status, and
/// anything else as a 500 whose detail is logged but not shown (it may name files or SQL).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            if !ProblemDocument.showsDetail(of: error) { context.logger.error("\(request.method) \(request.uri.path): \(error)") }
            return try ProblemDocument(of: error).response(from: request, context: context)
        }
    }
}

extension ProblemDocument {
    /// The problem document for whatever a route threw: a ``JobError`` by its kind, a Hummingbird
    /// `HTTPError` by its status, anything else a 500 that does not show the error.
    public init(of error: any Error) {
        switch error {
        case let problem as ProblemDocument: self = problem
        case let error as JobError: self.init(error)
        case let error as HTTPError: self.init(status: error.status, detail: error.body)
        default: self.init(status: .internalServerError, detail: "The server failed while answering; the access log has the request.")
        }
    }

    /// Whether the document made of `error` says what went wrong; when not (a failure), the
    /// error is logged instead.
    static func showsDetail(of error: any Error) -> Bool {
        switch error {
        case is ProblemDocument, is HTTPError: true
        case let error as JobError: error.kind != .failed
        default: false
        }
    }
}

/// The application layer words its refusals for the command line ("--start-time must be a clock
/// time", "use --role office"); a web client sends query parameters and signs in to an account.
/// This one place turns the one vocabulary into the other, so that every endpoint's refusal
/// names what the client can change: the role phrases first, then any other `--option` as the
/// query parameter of the same name (`--max-distance` → `max_distance`, as the routes spell them).
enum RequestWording {
    static func inRequestTerms(_ message: String) -> String {
        guard message.contains("--") else { return message }
        var text = message
        for (commandLine, request) in phrases { text = text.replacingOccurrences(of: commandLine, with: request) }
        return text.replacing(/--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)/) { match in
            match.output.1.replacingOccurrences(of: "-", with: "_")
        }
    }

    private static let signIn = "an account of the town office or of a grid worker of that grid"
    private static let phrases: [(String, String)] = [
        ("use --role office or grid-worker:CODE of the area's grid", "sign in with \(signIn)"),
        ("use --counts for counts by category and grid, or --role office / grid-worker:CODE",
         "/jobs/counts gives counts by category and grid; the residents need \(signIn)"),
        ("`gridmap select --counts` gives counts by category and grid; the residents layer needs --role office or grid-worker:CODE",
         "/jobs/counts gives counts by category and grid; the residents need \(signIn)"),
        ("--role ", "the role "),
    ]
}
