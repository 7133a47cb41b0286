import Foundation
import GridMapApp
import HTTPTypes
import Hummingbird
import NIOPosix

extension GridMapServer {
    /// Sign-in and sessions (the authentication middleware that sets the viewer is
    /// ``AuthenticationMiddleware``; users are made with `gridmap user add`):
    /// - `POST /auth/login` — JSON `{"name","password"}` → the `gridmap_session` cookie (HttpOnly,
    ///   SameSite=Strict, Path=/; Secure behind an HTTPS proxy) and `{"account","role","csrf","expires"}`;
    ///   an HTML form (`name`, `password`, optional `next`) → the cookie and 303 to `next` or `/map/`
    ///   (on failure 303 to `/map/?signin=failed` or `?signin=throttled`).
    /// - `POST /auth/token` — JSON `{"name","password"}`, or an empty body from a signed-in session →
    ///   `{"token","expires","account","role"}`, for `Authorization: Bearer …`.
    /// - `POST /auth/logout` — ends the request's session or token (and clears the cookie): 204.
    /// - `GET /auth/me` — who the credential stands for: `{"account","role","actingAs","expires"}`,
    ///   and a session's `csrf`; 401 for the public.
    /// A wrong name or password is 401 whether or not the name exists; too many failures, 429 with
    /// `Retry-After` (``SignInThrottle``).
    static func addAccountRoutes(to router: Router<ServerContext>, _ services: ServerServices) {
        router.post("auth/login") { request, context in try await AccountsAPI.login(request, context, services) }
        router.post("auth/token") { request, context in try await AccountsAPI.token(request, context, services) }
        router.post("auth/logout") { request, context in try AccountsAPI.logout(request, context, services) }
        router.get("auth/me") { request, context in try AccountsAPI.me(request, context, services) }
    }
}

/// The account routes' work: reading credentials, signing in off the event loop (bcrypt is slow
/// on purpose), and writing the answers.
enum AccountsAPI {
    struct Credentials: Decodable {
        var name: String
        var password: String
        /// Where a form's sign-in goes afterwards (a path on this server).
        var next: String?
    }

    struct LoginAnswer: ResponseEncodable {
        var account: String
        var role: String
        var csrf: String?
        var expires: String
    }

    struct TokenAnswer: ResponseEncodable {
        var token: String
        var expires: String
        var account: String
        var role: String
    }

    struct MeAnswer: ResponseEncodable {
        var account: String
        var role: String
        var actingAs: String?
        var expires: String?
        /// A session's CSRF value: a page signed in by a plain form post (no script saw the
        /// login's answer) learns it here. Another site cannot read this answer (no CORS) nor make
        /// the browser send the SameSite=Strict cookie with it.
        var csrf: String?
    }

    static func login(_ request: Request, _ context: ServerContext, _ services: ServerServices) async throws -> Response {
        let form = request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
        let credentials = try await Self.credentials(request, services, form: form, route: "POST /auth/login")
        let result = await signIn(credentials, address: context.clientAddress, as: .session, services.accounts)
        guard case .success(let signedIn) = result else {
            if form, case .failure(let error) = result, !Self.isFailure(error) {
                let reason = if case .throttled = error { "throttled" } else { "failed" }
                return Response(status: .seeOther, headers: [.location: signInOutcome(reason, next: credentials.next)])
            }
            return try refusal(result, request, context)
        }
        context.note.account = signedIn.account.name
        var response = form
            ? Response(status: .seeOther, headers: [.location: safeNext(credentials.next)])
            : try LoginAnswer(account: signedIn.account.name, role: signedIn.account.role.description, csrf: signedIn.csrf,
                              expires: timestamp(signedIn.expires)).response(from: request, context: context)
        response.setCookie(Cookie(name: AuthenticationMiddleware.sessionCookie, value: signedIn.secret, path: "/",
                                  secure: behindHTTPS(request), httpOnly: true, sameSite: .strict))
        return response
    }

    static func token(_ request: Request, _ context: ServerContext, _ services: ServerServices) async throws -> Response {
        let body = try await services.body(of: request)
        let result: Result<SignedIn, SignInError>
        if body.readableBytes == 0, let account = context.viewer.account {
            result = Result { () throws(SignInError) in
                do throws(JobError) { return try services.accounts.token(for: account) } catch { throw .failed(error) }
            }
        } else {
            let credentials = try decode(body, form: false, route: "POST /auth/token")
            result = await signIn(credentials, address: context.clientAddress, as: .token, services.accounts)
        }
        guard case .success(let signedIn) = result else { return try refusal(result, request, context) }
        context.note.account = signedIn.account.name
        return try TokenAnswer(token: signedIn.secret, expires: timestamp(signedIn.expires), account: signedIn.account.name,
                               role: signedIn.account.role.description).response(from: request, context: context)
    }

    static func logout(_ request: Request, _ context: ServerContext, _ services: ServerServices) throws -> Response {
        var response = Response(status: .noContent)
        if let token = AuthenticationMiddleware.bearerToken(request) {
            try services.accounts.signOut(token)
        } else if let secret = AuthenticationMiddleware.sessionSecret(request) {
            try services.accounts.signOut(secret)
            response.setCookie(Cookie(name: AuthenticationMiddleware.sessionCookie, value: "", maxAge: 0, path: "/",
                                      secure: behindHTTPS(request), httpOnly: true, sameSite: .strict))
        }
        return response
    }

    static func me(_ request: Request, _ context: ServerContext, _ services: ServerServices) throws -> Response {
        guard let name = context.viewer.account else {
            return try AuthenticationMiddleware.unauthorized("Not signed in: POST /auth/login or send a bearer token.").response(from: request, context: context)
        }
        let user = try services.accounts.user(named: name)
        var credential: Authentication?
        if let token = AuthenticationMiddleware.bearerToken(request) {
            credential = try services.accounts.authenticate(token, as: .token)
        } else if let secret = AuthenticationMiddleware.sessionSecret(request) {
            credential = try services.accounts.authenticate(secret, as: .session)
        }
        return try MeAnswer(account: user.name, role: user.role.description, actingAs: user.actingAs,
                            expires: credential.map { timestamp($0.expires) }, csrf: credential?.csrf)
            .response(from: request, context: context)
    }

    // MARK: - Parts

    static func credentials(_ request: Request, _ services: ServerServices, form: Bool, route: String) async throws -> Credentials {
        try decode(try await services.body(of: request), form: form, route: route)
    }

    static func decode(_ body: ByteBuffer, form: Bool, route: String) throws -> Credentials {
        do {
            return form
                ? try URLEncodedFormDecoder().decode(Credentials.self, from: String(buffer: body))
                : try JSONDecoder().decode(Credentials.self, from: Data(buffer: body))
        } catch {
            throw JobError.invalidRequest("\(route) wants JSON {\"name\": …, \"password\": …} or a form with name and password.")
        }
    }

    /// Signs in on NIO's thread pool: bcrypt takes a quarter of a second of CPU by design, which
    /// must not stall the event loop's other requests.
    static func signIn(_ credentials: Credentials, address: String?, as kind: CredentialKind, _ accounts: Accounts) async -> Result<SignedIn, SignInError> {
        do {
            return try await NIOThreadPool.singleton.runIfActive {
                Result { () throws(SignInError) in
                    try accounts.signIn(name: credentials.name, password: credentials.password, address: address, as: kind)
                }
            }
        } catch {
            return .failure(.failed(.failed(error, while: "signing in")))
        }
    }

    /// Whether a sign-in failed for the server's sake (not the credentials').
    static func isFailure(_ error: SignInError) -> Bool {
        if case .failed = error { true } else { false }
    }

    /// The answer to a sign-in that got no credential: 401 (whether or not the name exists), 429
    /// with `Retry-After`, or the store's failure.
    static func refusal(_ result: Result<SignedIn, SignInError>, _ request: Request, _ context: ServerContext) throws -> Response {
        guard case .failure(let error) = result else { throw JobError(.failed, "a sign-in neither succeeded nor failed") }
        switch error {
        case .refused:
            return try AuthenticationMiddleware.unauthorized("The name or the password is wrong.").response(from: request, context: context)
        case .throttled(let seconds):
            let problem = ProblemDocument(status: .tooManyRequests, detail: "Too many failed sign-ins for this name or from this address: try again in \(seconds) seconds.")
            return try HeadedProblem(problem, headers: [.retryAfter: String(seconds)]).response(from: request, context: context)
        case .failed(let error):
            throw error
        }
    }

    /// Where a failed form sign-in goes back to: the form's own page (`next`, so that `?lang=en`
    /// is kept) with `signin` saying why, for the page to show.
    static func signInOutcome(_ reason: String, next: String?) -> String {
        guard var page = URLComponents(string: safeNext(next)) else { return "/map/?signin=\(reason)" }
        page.queryItems = (page.queryItems ?? []).filter { $0.name != "signin" } + [URLQueryItem(name: "signin", value: reason)]
        return page.string ?? "/map/?signin=\(reason)"
    }

    /// A form's `next` when it is a path on this server (not `//host`, which a browser reads as
    /// another site), else the web map.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
              !next.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return "/map/" }
        return next
    }

    /// Behind a TLS proxy (`X-Forwarded-Proto: https`) the cookie is marked Secure; on plain HTTP
    /// (loopback) a browser would not keep a Secure cookie.
    static func behindHTTPS(_ request: Request) -> Bool {
        request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    static func timestamp(_ date: Date) -> String { date.formatted(.iso8601) }
}
