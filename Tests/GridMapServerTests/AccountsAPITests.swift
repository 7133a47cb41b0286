import Foundation
import GridMapApp
import GridMapServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// One writable copy of Dacun, opened once, that the account tests share (each test uses its
/// own account names); bcrypt at its cheapest cost, since the rules do not depend on it.
enum AccountsFixture {
    static let password = "correct horse battery"
    private static let made = Mutex<ServerServices?>(nil)

    static func services() throws -> ServerServices {
        try made.withLock { made in
            if let made { return made }
            let settings = ServerSettings(stores: TownStores(path: try DacunStore.writableCopy().path))
            let town = try TownService(stores: settings.stores)
            let services = ServerServices(settings: settings, town: town, accounts: Accounts(service: town, passwordCost: 4))
            made = services
            return services
        }
    }

    /// The server's router, with one more route that hands out "personal data" as a real route
    /// would (``RequestNote/readPersonalData(_:)``), to see the audit log at work.
    static func router(_ services: ServerServices) -> Router<ServerContext> {
        let router = GridMapServer.router(services)
        router.get("test/personal") { _, context -> String in
            context.note.readPersonalData("residents of DC-017: 3")
            return "three residents"
        }
        return router
    }

    /// A new account `name` of `role` in the shared store.
    static func add(_ name: String, role: String = "office", actingAs: String? = nil) throws -> ServerServices {
        let services = try services()
        try services.accounts.add(name: name, role: role, actingAs: actingAs, password: password)
        return services
    }

    static func json(_ object: [String: String]) -> ByteBuffer {
        ByteBuffer(data: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    /// Signs `name` in through `POST /auth/login`; returns the cookie's value and the CSRF value.
    static func login(_ client: some TestClientProtocol, _ name: String) async throws -> (cookie: String, csrf: String) {
        try await client.execute(uri: "/auth/login", method: .post, headers: [.contentType: "application/json"],
                                 body: json(["name": name, "password": password])) { response in
            #expect(response.status == .ok)
            let cookie = try #require(response.headers[.setCookie])
            let value = try #require(cookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last)
            let csrf = try #require(try object(response)["csrf"] as? String)
            return (String(value), csrf)
        }
    }

    static func token(_ client: some TestClientProtocol, _ name: String) async throws -> String {
        try await client.execute(uri: "/auth/token", method: .post, headers: [.contentType: "application/json"],
                                 body: json(["name": name, "password": password])) { response in
            #expect(response.status == .ok)
            return try #require(try object(response)["token"] as? String)
        }
    }
}

@Suite("Accounts over HTTP: sign-in, sessions, tokens, CSRF, the audit log and security headers")
struct AccountsAPITests {
    typealias Fixture = AccountsFixture

    @Test("signing in with JSON sets an HttpOnly, SameSite=Strict session cookie and answers the account, role, CSRF value and expiry")
    func jsonLogin() async throws {
        let services = try Fixture.add("api-json", role: "grid-worker:DC-017", actingAs: "liaison")
        try await Application(router: Fixture.router(services)).test(.router) { client in
            try await client.execute(uri: "/auth/login", method: .post, headers: [.contentType: "application/json"],
                                     body: Fixture.json(["name": "api-json", "password": Fixture.password])) { response in
                #expect(response.status == .ok)
                let cookie = try #require(response.headers[.setCookie])
                #expect(cookie.hasPrefix("gridmap_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
                #expect(!cookie.contains("Secure"), "plain HTTP on loopback: a browser would drop a Secure cookie")
                let body = try Fixture.object(response)
                #expect(body["account"] as? String == "api-json" && body["role"] as? String == "grid-worker:DC-017")
                #expect((body["csrf"] as? String)?.count == 43)
                let expires = try #require(body["expires"] as? String)
                #expect(try Date(expires, strategy: .iso8601) > Date().addingTimeInterval(11 * 3600))
            }
            let (cookie, _) = try await Fixture.login(client, "api-json")
            try await client.execute(uri: "/auth/me", method: .get, headers: [.cookie: "gridmap_session=\(cookie)"]) { response in
                #expect(response.status == .ok)
                let body = try Fixture.object(response)
                #expect(body["account"] as? String == "api-json" && (body["actingAs"] as? String)?.hasPrefix("DC-017/") == true)
                #expect(body["expires"] != nil)
            }
            try await client.execute(uri: "/auth/me", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
        }
    }

    @Test("a wrong password and an unknown name get the same 401 problem; after 5 failures the name gets 429 with Retry-After")
    func refusalsAndThrottle() async throws {
        let services = try Fixture.add("api-throttle")
        try await Application(router: Fixture.router(services)).test(.router) { client in
            var bodies: [String] = []
            for name in ["api-throttle", "api-nobody"] {
                try await client.execute(uri: "/auth/login", method: .post, headers: [.contentType: "application/json"],
                                         body: Fixture.json(["name": name, "password": "not the password"])) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.contentType] == "application/problem+json")
                    #expect(response.headers[.setCookie] == nil)
                    bodies.append(String(buffer: response.body))
                }
            }
            #expect(bodies[0] == bodies[1], "nothing tells a known name from an unknown one")
            for _ in 0..<4 {
                try await client.execute(uri: "/auth/token", method: .post, headers: [.contentType: "application/json"],
                                         body: Fixture.json(["name": "api-throttle", "password": "still not it"])) { response in
                    #expect(response.status == .unauthorized)
                }
            }
            try await client.execute(uri: "/auth/login", method: .post, headers: [.contentType: "application/json"],
                                     body: Fixture.json(["name": "api-throttle", "password": Fixture.password])) { response in
                #expect(response.status == .tooManyRequests)
                let seconds = try #require(response.headers[.retryAfter].flatMap { Int($0) })
                #expect((1...900).contains(seconds))
                #expect(try Fixture.object(response)["status"] as? Int == 429)
            }
            try await client.execute(uri: "/auth/login", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: "{\"name\": 3}")) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("a write signed in by the cookie needs the session's X-CSRF-Token (403 without it or with another); with it, it goes through")
    func csrf() async throws {
        let services = try Fixture.add("api-csrf")
        try await Application(router: Fixture.router(services)).test(.router) { client in
            let (cookie, csrf) = try await Fixture.login(client, "api-csrf")
            for header in [nil, "forged", String(csrf.dropLast()) + (csrf.hasSuffix("A") ? "B" : "A")] {
                var headers: HTTPFields = [.cookie: "gridmap_session=\(cookie)"]
                if let header { headers[HTTPField.Name("X-CSRF-Token")!] = header }
                try await client.execute(uri: "/auth/logout", method: .post, headers: headers) { response in
                    #expect(response.status == .forbidden, "X-CSRF-Token: \(header ?? "none")")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
            try await client.execute(uri: "/auth/me", method: .get, headers: [.cookie: "gridmap_session=\(cookie)"]) { response in
                #expect(response.status == .ok, "the refused logout left the session alone")
            }
            try await client.execute(uri: "/auth/logout", method: .post,
                                     headers: [.cookie: "gridmap_session=\(cookie)", HTTPField.Name("X-CSRF-Token")!: csrf]) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.setCookie]?.contains("Max-Age=0") == true)
            }
            try await client.execute(uri: "/auth/me", method: .get, headers: [.cookie: "gridmap_session=\(cookie)"]) { response in
                #expect(response.status == .unauthorized, "signed out")
            }
            try await client.execute(uri: "/auth/logout", method: .post, headers: [.cookie: "gridmap_session=\(cookie)"]) { response in
                #expect(response.status == .noContent, "a stale cookie has no authority, so no CSRF value is asked of it")
            }
        }
    }

    @Test("a bearer token needs no CSRF value; a bad or expired one is 401 with WWW-Authenticate: Bearer")
    func bearer() async throws {
        let services = try Fixture.add("api-bearer", role: "department:water", actingAs: "周工")
        try await Application(router: Fixture.router(services)).test(.router) { client in
            let token = try await Fixture.token(client, "api-bearer")
            try await client.execute(uri: "/auth/me", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                #expect(response.status == .ok)
                let body = try Fixture.object(response)
                #expect(body["role"] as? String == "department:water" && body["actingAs"] as? String == "department:water/周工")
            }
            try await client.execute(uri: "/healthz", method: .get, headers: [.authorization: "Bearer made-up"]) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            try await client.execute(uri: "/auth/logout", method: .post, headers: [.authorization: "bearer \(token)"]) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/auth/me", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test("a signed-in session (with its CSRF value) gets a bearer token for the same account from an empty POST /auth/token")
    func tokenFromSession() async throws {
        let services = try Fixture.add("api-session-token")
        try await Application(router: Fixture.router(services)).test(.router) { client in
            let (cookie, csrf) = try await Fixture.login(client, "api-session-token")
            let token = try await client.execute(uri: "/auth/token", method: .post,
                                                 headers: [.cookie: "gridmap_session=\(cookie)", HTTPField.Name("X-CSRF-Token")!: csrf]) { response in
                #expect(response.status == .ok)
                return try #require(try Fixture.object(response)["token"] as? String)
            }
            try await client.execute(uri: "/auth/me", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                let body = try Fixture.object(response)
                #expect(body["account"] as? String == "api-session-token")
            }
            try await client.execute(uri: "/auth/token", method: .post) { response in
                #expect(response.status == .badRequest, "the public has no session to make a token from")
            }
        }
    }

    @Test("a disabled account's token and session stop at once")
    func disabledStops() async throws {
        let services = try Fixture.add("api-disabled")
        try await Application(router: Fixture.router(services)).test(.router) { client in
            let token = try await Fixture.token(client, "api-disabled")
            let (cookie, _) = try await Fixture.login(client, "api-disabled")
            try services.accounts.disable("api-disabled")
            try await client.execute(uri: "/auth/me", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/auth/me", method: .get, headers: [.cookie: "gridmap_session=\(cookie)"]) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test("an HTML form sign-in is redirected to the web map (or a path of this server) with the cookie; a failed one back to its page with signin=failed")
    func formLogin() async throws {
        let services = try Fixture.add("api-form")
        let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        try await Application(router: Fixture.router(services)).test(.router) { client in
            try await client.execute(uri: "/auth/login", method: .post, headers: form,
                                     body: ByteBuffer(string: "name=api-form&password=correct+horse+battery")) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/map/")
                #expect(response.headers[.setCookie]?.hasPrefix("gridmap_session=") == true)
            }
            try await client.execute(uri: "/auth/login", method: .post, headers: form,
                                     body: ByteBuffer(string: "name=api-form&password=correct+horse+battery&next=%2Fmap%2F%23grid%3DDC-017")) { response in
                #expect(response.headers[.location] == "/map/#grid=DC-017")
            }
            try await client.execute(uri: "/auth/login", method: .post, headers: form,
                                     body: ByteBuffer(string: "name=api-form&password=correct+horse+battery&next=%2F%2Fevil.example%2F")) { response in
                #expect(response.headers[.location] == "/map/", "another site is no place to go after signing in")
            }
            try await client.execute(uri: "/auth/login", method: .post, headers: form,
                                     body: ByteBuffer(string: "name=api-form&password=wrong+password")) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/map/?signin=failed")
                #expect(response.headers[.setCookie] == nil)
            }
            try await client.execute(uri: "/auth/login", method: .post, headers: form,
                                     body: ByteBuffer(string: "name=api-form&password=wrong+password&next=%2Fmap%2F%3Flang%3Den%26signin%3Dok")) { response in
                #expect(response.headers[.location] == "/map/?lang=en&signin=failed", "the English page stays English")
            }
        }
    }

    @Test("every answer carries the security headers, errors included")
    func securityHeaders() async throws {
        let services = try Fixture.services()
        try await Application(router: Fixture.router(services)).test(.router) { client in
            for uri in ["/healthz", "/no/such/thing", "/auth/me"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'; img-src 'self' data:") == true, "\(uri)")
                    #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(uri)")
                    #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", "\(uri)")
                    #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(uri)")
                }
            }
        }
    }

    @Test("a write and a read of personal data go to the audit log with the account and status; a public read of nothing personal does not")
    func auditLog() async throws {
        let services = try Fixture.add("api-audit")
        try await Application(router: Fixture.router(services)).test(.router) { client in
            let token = try await Fixture.token(client, "api-audit")
            let start = Date().addingTimeInterval(-1)
            try await client.execute(uri: "/test/personal", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/healthz", method: .get, headers: [.authorization: "Bearer \(token)"]) { _ in }
            try await client.execute(uri: "/auth/login", method: .post, headers: [.contentType: "application/json"],
                                     body: Fixture.json(["name": "api-audit", "password": "wrong password"])) { _ in }
            let mine = try services.accounts.auditRecords(since: start).filter { $0.account == "api-audit" && $0.method == "GET" }
            #expect(mine.map(\.path) == ["/test/personal"], "a read of personal data; /healthz is not audited")
            #expect(mine.first?.personalData == ["residents of DC-017: 3"] && mine.first?.status == 200 && mine.first?.method == "GET")
            let logins = try services.accounts.auditRecords(since: nil).filter { $0.path == "/auth/login" && $0.method == "POST" }
            #expect(logins.contains { $0.status == 401 && $0.account == nil }, "a refused sign-in is a write attempt, recorded without an account")
            let tokens = try services.accounts.auditRecords(since: nil).filter { $0.path == "/auth/token" && $0.account == "api-audit" }
            #expect(tokens.map(\.status) == [200], "the sign-in that made the token, with the account it signed in")
        }
    }

    @Test("an answer with personal data is withheld (500) when the audit log cannot be written")
    func unauditedPersonalDataIsWithheld() async throws {
        let settings = ServerSettings(stores: TownStores(path: try DacunStore.shared().path, readOnly: true))
        let services = ServerServices(settings: settings, town: try TownService(stores: settings.stores))
        try await Application(router: Fixture.router(services)).test(.router) { client in
            try await client.execute(uri: "/test/personal", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(!String(buffer: response.body).contains("three residents"))
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok, "what carries nothing personal is answered")
            }
        }
    }
}

@Suite("Accounts with a real server process")
struct AccountsProcessTests {
    @Test("gridmap user add, then a real gridmap serve signs the account in over HTTP, and gridmap audit list shows the sign-in")
    func userAddThenLogin() async throws {
        let db = try DacunStore.writableCopy().path
        let add = Process()
        add.executableURL = Repository.gridmap
        add.arguments = ["user", "add", "admin", "--role", "office", "--as", "张主任", "--db", db]
        let input = Pipe(), output = Pipe()
        add.standardInput = input
        add.standardOutput = output
        add.standardError = FileHandle.nullDevice
        try add.run()
        input.fileHandleForWriting.write(Data("correct horse battery\n".utf8))
        try input.fileHandleForWriting.close()
        add.waitUntilExit()
        #expect(add.terminationStatus == 0)
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).hasPrefix("added admin\toffice\toffice/张主任\tactive"))

        let server = try ServerProcess(["--db", db])
        let body = try JSONSerialization.data(withJSONObject: ["name": "admin", "password": "correct horse battery"])
        let login = try await server.request("auth/login", method: "POST", body: body, headers: ["Content-Type": "application/json"])
        let cookie = login.headers["set-cookie"]?.split(separator: ";").first.map(String.init) ?? ""
        let me = try await server.request("auth/me", headers: ["Cookie": cookie])
        let wrong = try await server.request("auth/login", method: "POST", body: try JSONSerialization.data(withJSONObject: ["name": "admin", "password": "guessing it now"]),
                                             headers: ["Content-Type": "application/json"])
        let (status, stderr) = server.stop()
        #expect(login.status == 200)
        #expect(cookie.hasPrefix("gridmap_session="))
        #expect(me.status == 200)
        #expect((try JSONSerialization.jsonObject(with: me.body) as? [String: Any])?["account"] as? String == "admin")
        #expect(wrong.status == 401)
        #expect(status == 0, "\(stderr)")

        let audit = Process()
        audit.executableURL = Repository.gridmap
        audit.arguments = ["audit", "list", "--db", db]
        let listing = Pipe()
        audit.standardOutput = listing
        try audit.run()
        audit.waitUntilExit()
        let lines = String(decoding: listing.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(audit.terminationStatus == 0)
        #expect(lines.count == 2, "the two sign-ins; /auth/me carried nothing personal")
        #expect(lines.first.map { Array($0[1...4]) } == ["admin", "127.0.0.1", "POST /auth/login", "200"])
        #expect(lines.last.map { Array($0[1...4]) } == ["-", "127.0.0.1", "POST /auth/login", "401"])
    }
}
