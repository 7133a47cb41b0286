import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
import GridMapServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every API through the real sign-in, no stand-in: accounts made as `gridmap user add` makes
/// them (``TestAccounts``), signed in through `POST /auth/login` (a browser's session cookie with
/// its CSRF value) or `POST /auth/token` (a bearer token), and the role each account's requests
/// are answered for, end to end.
@Suite("Every API through real sign-in: who each account acts as and what each sees")
struct SignedInTests {
    typealias Accounts = TestAccounts

    static func body(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func object(_ data: Data) throws -> [String: Any] {
        try #require(try jsonValue(data) as? [String: Any], "\(String(decoding: data, as: UTF8.self))")
    }

    /// A resident whose home is in `grid`.
    static func resident(in grid: String, _ server: TestServer) throws -> String {
        let selection = try ResidentSelection(store: server.services.town.store)
        let area = try #require(try RequestParsing.area(grid: grid, microGrid: nil))
        return try #require(try selection.residents(of: [], in: .code(area), as: .office).first?.resident.id)
    }

    /// Raises, as the DC-001 chief's session, an event at `point` about `resident`, whistled to the civil-affairs office.
    static func whistledEvent(_ client: some TestClientProtocol, at point: Position, about resident: String, as chief: Credential) async throws -> String {
        let raise = try body(["category": "welfare-assistance", "description": "独居老人\(resident)家中取暖器坏了", "lon": point.x, "lat": point.y,
                              "residents": [resident]])
        let raised = try await client.send("/events", .post, as: chief, type: "application/json", body: raise)
        #expect(raised.status == .created, "\(String(decoding: raised.body, as: UTF8.self))")
        let id = try #require(try object(raised.body)["id"] as? String)
        let whistle = try await client.send("/events/\(id)/whistle", .post, as: chief, type: "application/json", body: #"{"departments":["civil-affairs"]}"#)
        #expect(whistle.status == .ok, "\(String(decoding: whistle.body, as: UTF8.self))")
        return id
    }

    @Test("the whole flow through sign-in: the grid worker's account acts as its team member, the department's as the department on its own part, the office's as the office")
    func wholeFlow() async throws {
        let server = try TestServer(writable: true, signedIn: true)
        let point = try server.point(in: "DC-001")
        let resident = try Self.resident(in: "DC-001", server)
        let chief = try #require(server.services.town.town.data.team.first { $0.gridCode.description == "DC-001" && $0.role == .chief })
        try await server.application.test(.router) { client in
            let liu = try await client.login(Accounts.dc001)
            let qian = try await client.token(Accounts.civilAffairs)
            let zhou = try await client.token(Accounts.police)
            let office = try await client.login(Accounts.office)
            let id = try await Self.whistledEvent(client, at: point, about: resident, as: liu)
            let raised = try Self.object(try await client.send("/events/\(id)", as: liu).body)
            #expect(raised["raised_by"] as? String == "DC-001 chief \(chief.name)", "the worker's account acts as its team member")

            // A department acts on its own part only; the wrong one is 403 and changes nothing.
            #expect(try await client.send("/events/\(id)/report-in", .post, as: zhou).status == .forbidden)
            // A session's write without its CSRF value is refused before any route runs.
            #expect(try await client.send("/events/\(id)/verify", .post, as: liu.cookieOnly).status == .forbidden)
            let steps: [(String, Credential, String, String)] = [
                ("report-in", qian, "", "department civil-affairs 钱"),
                ("resolve", qian, #"{"note":"已送取暖器"}"#, "department civil-affairs 钱"),
                ("verify", office, "", "town office 张主任"),
                ("close", liu, #"{"satisfaction":"satisfied"}"#, "DC-001 chief \(chief.name)"),
            ]
            for (action, credential, body, actor) in steps {
                let answer = try await client.send("/events/\(id)/\(action)", .post, as: credential, type: "application/json", body: body)
                #expect(answer.status == .ok, "\(action): \(String(decoding: answer.body, as: UTF8.self))")
                let history = try Self.object(answer.body)["history"] as? [[String: Any]]
                #expect(history?.last?["action"] as? String == action)
                #expect(history?.last?["by"] as? String == actor, "\(action)")
            }
            let closed = try Self.object(try await client.send("/events/\(id)", as: nil).body)
            #expect(closed["state"] as? String == "closed")
            #expect((closed["history"] as? [[String: Any]])?.map { $0["action"] as? String ?? "" } == ["raise", "whistle", "report-in", "resolve", "verify", "close"])
            // A resident's account has no part in the flow: 403, as for the public.
            let li = try await client.token(Accounts.resident)
            #expect(try await client.send("/events/\(id)/take", .post, as: li).status == .forbidden)
        }
    }

    @Test("a department sees the residents and free text of the events whistled to it (in the events API, OGC API and Open311), and another department does not")
    func departmentSeesItsWhistles() async throws {
        let server = try TestServer(writable: true, signedIn: true)
        let point = try server.point(in: "DC-001")
        let resident = try Self.resident(in: "DC-001", server)
        let start = Date().addingTimeInterval(-1)
        try await server.application.test(.router) { client in
            let liu = try await client.login(Accounts.dc001)
            let qian = try await client.token(Accounts.civilAffairs)
            let zhou = try await client.token(Accounts.police)
            // Raised but not whistled yet: the department sees no more than the public.
            let early = try Self.object(try await client.send("/events", .post, as: liu, type: "application/json",
                                                              body: try Self.body(["category": "welfare-assistance", "description": "\(resident)需要救助",
                                                                                   "lon": point.x, "lat": point.y, "residents": [resident]])).body)
            let earlyID = try #require(early["id"] as? String)
            let unseen = try Self.object(try await client.send("/events/\(earlyID)", as: qian).body)
            #expect(unseen["residents"] == nil && unseen["description"] == nil && unseen["lon"] == nil)

            let id = try await Self.whistledEvent(client, at: point, about: resident, as: liu)
            let seen = try Self.object(try await client.send("/events/\(id)", as: qian).body)
            #expect(seen["residents"] as? [String] == [resident])
            #expect((seen["description"] as? String)?.contains(resident) == true)
            #expect(seen["lon"] as? Double == point.x)
            let other = try await client.send("/events/\(id)", as: zhou)
            let hidden = try Self.object(other.body)
            #expect(hidden["residents"] == nil && hidden["description"] == nil && hidden["lon"] == nil && hidden["resident_count"] as? Int == 1)
            #expect(!String(decoding: other.body, as: UTF8.self).contains(resident))

            let feature = try Self.object(try await client.send("/collections/events/items/\(id)?f=json", as: qian).body)
            #expect((feature["properties"] as? [String: Any])?["residents"] as? [String] == [resident])
            let publicFeature = try await client.send("/collections/events/items/\(id)?f=json", as: zhou)
            #expect(!String(decoding: publicFeature.body, as: UTF8.self).contains(resident))

            let request = try #require((try jsonValue(try await client.send("/open311/v2/requests/\(id).json", as: qian).body) as? [[String: Any]])?.first)
            #expect((request["description"] as? String)?.contains(resident) == true)
            let publicRequest = try #require((try jsonValue(try await client.send("/open311/v2/requests/\(id).json", as: nil).body) as? [[String: Any]])?.first)
            #expect(publicRequest["description"] is NSNull && publicRequest["lat"] is NSNull)

            let queue = try jsonValue(try await client.send("/departments/civil-affairs/queue", as: qian).body) as? [[String: Any]]
            #expect(queue?.count == 1)
            #expect((queue?.first?["event"] as? [String: Any])?["residents"] as? [String] == [resident])
        }
        let reads = try server.services.accounts.auditRecords(since: start).filter { $0.account == Accounts.civilAffairs.name && $0.method == "GET" }
        #expect(reads.map(\.path).contains("/departments/civil-affairs/queue"), "the department's reads of residents are audited with its account")
        #expect(reads.allSatisfy { !$0.personalData.isEmpty })
    }

    @Test("residents through sign-in: the office's token reads every grid, a DC-001 worker's session only DC-001, a department's and a resident's token are 403")
    func featuresResidents() async throws {
        let server = try TestServer(writable: true, signedIn: true)
        try await server.application.test(.router) { client in
            let office = try await client.token(Accounts.office)
            let all = try Self.object(try await client.send("/collections/residents/items?limit=1&f=json", as: office).body)
            let town = try #require(all["numberMatched"] as? Int)
            let liu = try await client.login(Accounts.dc001)
            let own = try Self.object(try await client.send("/collections/residents/items?limit=10000&f=json", as: liu).body)
            let features = own["features"] as? [[String: Any]] ?? []
            #expect(!features.isEmpty && features.count < town)
            #expect(features.allSatisfy { ($0["properties"] as? [String: Any])?["grid"] as? String == "DC-001" })
            let elsewhere = try Self.object(try await client.send("/collections/residents/items?grid=DC-002&f=json", as: liu).body)
            #expect(elsewhere["numberMatched"] as? Int == 0)
            for account in [Accounts.civilAffairs, Accounts.resident] {
                let token = try await client.token(account)
                #expect(try await client.send("/collections/residents/items?f=json", as: token).status == .forbidden, "\(account.role)")
            }
            #expect(try await client.send("/collections/residents/items?f=json", as: nil).status == .forbidden)
        }
    }

    @Test("jobs through sign-in: a grid worker selects and routes its own grid; another grid, a department and the public are 403; the office routes any grid")
    func jobs() async throws {
        let server = try TestServer(writable: true, signedIn: true)
        try await server.application.test(.router) { client in
            let liu = try await client.token(Accounts.dc001)
            let own = try await client.send("/jobs/select?category=disabled", as: liu)
            #expect(own.status == .ok)
            let rows = String(decoding: own.body, as: UTF8.self).split(separator: "\n").dropFirst()
            #expect(!rows.isEmpty && rows.allSatisfy { $0.contains(",DC-001,") })
            let other = try await client.send("/jobs/select?category=disabled&grid=DC-002", as: liu)
            #expect(other.status == .forbidden)
            #expect(other.headers[.contentType] == "application/problem+json")
            #expect(try await client.send("/jobs/select?category=disabled", as: try await client.token(Accounts.civilAffairs)).status == .forbidden)
            #expect(try await client.send("/jobs/select?category=disabled&grid=DC-001", as: nil).status == .forbidden)
            #expect(try await client.send("/jobs/route?category=disabled&grid=DC-001&workers=2", as: liu).status == .ok)
            #expect(try await client.send("/jobs/route?category=disabled&grid=DC-002", as: liu).status == .forbidden)
            let office = try await client.login(Accounts.office)
            let route = try await client.send("/jobs/route?category=disabled&grid=DC-002", as: office)
            #expect(route.status == .ok, "\(String(decoding: route.body, as: UTF8.self))")
            #expect(try GeoJSONReader.read(route.body).features.count >= 1)
        }
    }

    @Test("Open311 through sign-in: a grid worker's report in its grid is raised as itself, the public's by the grid's liaison; a session's report without its CSRF value is 403")
    func open311() async throws {
        let server = try TestServer(writable: true, signedIn: true)
        let point = try server.point(in: "DC-001")
        let team = server.services.town.town.data.team.filter { $0.gridCode.description == "DC-001" }
        let chief = try #require(team.first { $0.role == .chief })
        let liaison = try #require(team.first { $0.role == .liaison })
        let form = Open311Tests.form(point)
        try await server.application.test(.router) { client in
            let liu = try await client.login(Accounts.dc001)
            #expect(try await client.send("/open311/v2/requests.json", .post, as: liu.cookieOnly, type: "application/x-www-form-urlencoded", body: form).status == .forbidden)
            var raisedBy: [EventActor] = []
            for credential in [liu, nil, try await client.token(Accounts.resident)] {
                let posted = try await client.send("/open311/v2/requests.json", .post, as: credential, type: "application/x-www-form-urlencoded", body: form)
                #expect(posted.status == .created)
                let id = try #require((try jsonValue(posted.body) as? [[String: Any]])?.first?["service_request_id"] as? String)
                raisedBy.append(try server.services.town.desk.event(id).raisedBy)
            }
            let (asChief, asLiaison) = (EventActor.teamMember(grid: chief.gridCode, role: .chief, name: chief.name),
                                        EventActor.teamMember(grid: liaison.gridCode, role: .liaison, name: liaison.name))
            #expect(raisedBy == [asChief, asLiaison, asLiaison], "a resident's account reports as the public does")
        }
    }

    @Test("GET /auth/me gives a session its CSRF value (a page signed in by a plain form needs it) and a token none")
    func meGivesTheSessionsCSRF() async throws {
        let server = try TestServer(writable: true, signedIn: true)
        try await server.application.test(.router) { client in
            let session = try await client.login(Accounts.civilAffairs)
            guard case .session(_, let csrf) = session else { throw TestSetupError("not a session") }
            let me = try Self.object(try await client.send("/auth/me", as: session.cookieOnly).body)
            #expect(me["csrf"] as? String == csrf)
            #expect(me["role"] as? String == "department:civil-affairs" && me["actingAs"] as? String == "department:civil-affairs/钱")
            let token = try Self.object(try await client.send("/auth/me", as: try await client.token(Accounts.civilAffairs)).body)
            #expect(token["csrf"] == nil && token["account"] as? String == "qian")
        }
    }

    @Test("the register through sign-in: a grid worker's account changes its own grid's resident, recorded by the account; a team's change is the office's alone; a department is 403")
    func registerChanges() async throws {
        let server = try TestServer(writable: true, signedIn: true)
        let resident = try Self.resident(in: "DC-001", server)
        let member = try #require(server.services.town.town.data.team.first { $0.gridCode.description == "DC-001" && $0.role == .volunteer })
        let today = RegisterDay(Date()).description
        let change = #"{"do":"change","resident":"\#(resident)","phone":"139****0000","effective":"\#(today)","reason":"new phone"}"#
        let team = #"{"do":"change","teamMember":"DC-001/\#(member.name)","phone":"138****0000","effective":"\#(today)","reason":"new phone"}"#
        try await server.application.test(.router) { client in
            let liu = try await client.login(Accounts.dc001)
            let office = try await client.token(Accounts.office)
            let qian = try await client.token(Accounts.civilAffairs)
            let recorded = try await client.send("/register/changes", .post, as: liu, type: "application/json", body: change)
            #expect(recorded.status == .created, "\(String(decoding: recorded.body, as: UTF8.self))")
            #expect(try Self.object(recorded.body)["recorded_by"] as? String == "liu")
            #expect(try await client.send("/register/changes", .post, as: qian, type: "application/json", body: change).status == .forbidden)
            #expect(try await client.send("/register/changes", .post, as: liu.cookieOnly, type: "application/json", body: change).status == .forbidden,
                    "a session's write without its CSRF value")
            let refused = try await client.send("/register/changes", .post, as: liu, type: "application/json", body: team)
            #expect(refused.status == .forbidden, "\(String(decoding: refused.body, as: UTF8.self))")
            let teamChange = try await client.send("/register/changes", .post, as: office, type: "application/json", body: team)
            #expect(teamChange.status == .created, "\(String(decoding: teamChange.body, as: UTF8.self))")
            #expect(try Self.object(teamChange.body)["subject"] as? String == "team-member DC-001/\(member.name)")
        }
        #expect(try server.services.town.store.team(of: member.gridCode).first { $0.name == member.name }?.phone == "138****0000")
        #expect(try server.services.town.store.registerChanges(.all).count == 2, "the two accepted changes, nothing of the refused")
    }
}
