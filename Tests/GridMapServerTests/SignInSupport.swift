import Foundation
import GridMapApp
import GridMapServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// The accounts the signed-in tests use, one per role, made through the application layer's
/// ``Accounts`` as `gridmap user add` makes them (bcrypt at its cheapest cost: the rules do not
/// depend on it).
enum TestAccounts {
    static let password = "correct horse battery"

    struct Account: Sendable {
        var name: String
        var role: String
        var actingAs: String?
    }

    static let office = Account(name: "office", role: "office", actingAs: "张主任")
    static let dc001 = Account(name: "liu", role: "grid-worker:DC-001", actingAs: "chief")
    static let dc002 = Account(name: "ma", role: "grid-worker:DC-002", actingAs: "liaison")
    static let dc017 = Account(name: "wang", role: "grid-worker:DC-017", actingAs: "liaison")
    static let civilAffairs = Account(name: "qian", role: "department:civil-affairs", actingAs: "钱")
    static let police = Account(name: "zhou", role: "department:police", actingAs: nil)
    static let resident = Account(name: "li", role: "resident", actingAs: nil)
    static let all = [office, dc001, dc002, dc017, civilAffairs, police, resident]

    /// Adds every account of ``all`` to `accounts`.
    static func add(to accounts: Accounts) throws {
        for account in all {
            try accounts.add(name: account.name, role: account.role, actingAs: account.actingAs, password: password)
        }
    }

    /// Adds every account of ``all`` to the store at `path` (a town imported there), as `gridmap
    /// user add` would, before a real server is started over it.
    static func add(toStoreAt path: URL) throws {
        let store = try TownStores(path: path.path).open()
        try add(to: Accounts(store: store, desk: try EventDesk(store: store), passwordCost: 4))
    }
}

/// How a test request is signed in: a bearer token (`POST /auth/token`), or a browser's session
/// cookie with its CSRF value (`POST /auth/login`).
enum Credential: Sendable {
    case bearer(String)
    case session(cookie: String, csrf: String)
    /// The session's cookie without the CSRF header: what another site's form would send.
    case cookieOnly(String)

    var headers: HTTPFields {
        switch self {
        case .bearer(let token): [.authorization: "Bearer \(token)"]
        case .session(let cookie, let csrf): [.cookie: "gridmap_session=\(cookie)", HTTPField.Name("X-CSRF-Token")!: csrf]
        case .cookieOnly(let cookie): [.cookie: "gridmap_session=\(cookie)"]
        }
    }

    var cookieOnly: Credential {
        if case .session(let cookie, _) = self { .cookieOnly(cookie) } else { self }
    }
}

extension TestClientProtocol {
    /// Signs `account` in through `POST /auth/login` (JSON): the session cookie and the CSRF value.
    func login(_ account: TestAccounts.Account) async throws -> Credential {
        let body = try JSONSerialization.data(withJSONObject: ["name": account.name, "password": TestAccounts.password])
        return try await execute(uri: "/auth/login", method: .post, headers: [.contentType: "application/json"],
                                 body: ByteBuffer(data: body)) { response in
            guard response.status == .ok, let cookie = response.headers[.setCookie],
                  let value = cookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last,
                  let csrf = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["csrf"] as? String
            else { throw TestSetupError("POST /auth/login as \(account.name): \(response.status) \(String(buffer: response.body))") }
            return .session(cookie: String(value), csrf: csrf)
        }
    }

    /// Signs `account` in through `POST /auth/token`: a bearer token.
    func token(_ account: TestAccounts.Account) async throws -> Credential {
        let body = try JSONSerialization.data(withJSONObject: ["name": account.name, "password": TestAccounts.password])
        return try await execute(uri: "/auth/token", method: .post, headers: [.contentType: "application/json"],
                                 body: ByteBuffer(data: body)) { response in
            guard response.status == .ok,
                  let token = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["token"] as? String
            else { throw TestSetupError("POST /auth/token as \(account.name): \(response.status) \(String(buffer: response.body))") }
            return .bearer(token)
        }
    }

    /// Sends a request signed in with `credential` (the public without one) and hands back the
    /// status, headers and body.
    func send(_ uri: String, _ method: HTTPRequest.Method = .get, as credential: Credential?, type: String? = nil,
              body: String? = nil) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: Data) {
        var headers = credential?.headers ?? [:]
        if let type { headers[.contentType] = type }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            (response.status, response.headers, Data(buffer: response.body))
        }
    }
}

extension ServerProcess {
    /// A bearer token for `account` from the real server's `POST /auth/token`.
    func token(_ account: TestAccounts.Account) async throws -> String {
        let body = try JSONSerialization.data(withJSONObject: ["name": account.name, "password": TestAccounts.password])
        let answer = try await request("auth/token", method: "POST", body: body, headers: ["Content-Type": "application/json"])
        guard answer.status == 200, let token = (try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any])?["token"] as? String else {
            throw TestSetupError("POST /auth/token as \(account.name): \(answer.status) \(String(decoding: answer.body, as: UTF8.self))")
        }
        return token
    }
}
