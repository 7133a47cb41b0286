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
        self.init(status: Self.status(for: error.kind), detail: error.message, errors: error.details)
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
        } catch let problem as ProblemDocument {
            return try problem.response(from: request, context: context)
        } catch let error as JobError {
            if error.kind == .failed { context.logger.error("\(request.method) \(request.uri.path): \(error)") }
            return try ProblemDocument(error).response(from: request, context: context)
        } catch let error as HTTPError {
            return try ProblemDocument(status: error.status, detail: error.body).response(from: request, context: context)
        } catch {
            context.logger.error("\(request.method) \(request.uri.path): \(error)")
            return try ProblemDocument(status: .internalServerError, detail: "The server failed while answering; the access log has the request.")
                .response(from: request, context: context)
        }
    }
}
