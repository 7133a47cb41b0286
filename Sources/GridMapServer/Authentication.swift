import Foundation
import GridMapApp
import HTTPTypes
import Hummingbird

/// Sets ``ServerContext/viewer`` from the request's credential, once, before any route runs:
/// - `Authorization: Bearer TOKEN`: a live token's account; a bad or expired token is answered
///   401 with `WWW-Authenticate: Bearer` (a client that sends one expects it to count).
/// - otherwise the `gridmap_session` cookie: a live session's account. A stale cookie counts for
///   nothing (the request is the public's), so that a browser can still reach the sign-in page.
///   A cookie-authenticated request that changes anything (POST, PUT, PATCH, DELETE) must carry
///   `X-CSRF-Token` with the session's value, or it is refused 403: another site's form can make
///   the browser send the cookie, never the header. `POST /auth/login` ignores the cookie.
/// A disabled account's credentials stop at once: every request asks the store afresh.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let accounts: Accounts

    static let sessionCookie = "gridmap_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = Self.bearerToken(request) {
            guard let authentication = try accounts.authenticate(token, as: .token) else {
                return try Self.unauthorized("The bearer token is unknown, expired or revoked: sign in again (POST /auth/token).")
                    .response(from: request, context: context)
            }
            context.viewer = authentication.viewer
        } else if request.uri.path != "/auth/login", let secret = Self.sessionSecret(request),
                  let authentication = try accounts.authenticate(secret, as: .session) {
            if Self.changesState(request.method), !authentication.accepts(csrf: request.headers[Self.csrfHeader]) {
                throw ProblemDocument(status: .forbidden, detail: "A request signed in by the session cookie that changes anything must carry the X-CSRF-Token header with the value POST /auth/login returned.")
            }
            context.viewer = authentication.viewer
        }
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer …` header (the scheme in any case, RFC 7235).
    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    static func sessionSecret(_ request: Request) -> String? {
        request.cookies[sessionCookie]?.value
    }

    /// Whether `method` may change something (everything but GET, HEAD, OPTIONS and TRACE).
    static func changesState(_ method: HTTPRequest.Method) -> Bool {
        ![.get, .head, .options, .trace].contains(method)
    }

    /// 401 with `WWW-Authenticate: Bearer` (RFC 6750), as a problem document.
    static func unauthorized(_ detail: String) -> HeadedProblem {
        HeadedProblem(ProblemDocument(status: .unauthorized, detail: detail),
                      headers: [.wwwAuthenticate: #"Bearer realm="GridMap", error="invalid_token""#])
    }
}

/// A problem document answered with headers of its own: 401's `WWW-Authenticate`, 429's
/// `Retry-After`. Returned as the answer, not thrown (``ProblemMiddleware`` would not keep the
/// headers).
struct HeadedProblem: ResponseGenerator {
    let problem: ProblemDocument
    let headers: HTTPFields

    init(_ problem: ProblemDocument, headers: HTTPFields) {
        self.problem = problem
        self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try problem.response(from: request, context: context)
        for field in headers { response.headers.append(field) }
        return response
    }
}
