import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
import GridMapServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The events API: the whistle flow as the viewer's own actor, queues, rates")
struct EventsAPITests {
    static let liaison = "grid-worker:DC-001 as DC-001/liaison"

    static func raiseBody(_ point: Position, category: String = "welfare-assistance", extra: String = "") -> String {
        #"{"category":"\#(category)","description":"独居老人家中取暖器坏了","lon":\#(point.x),"lat":\#(point.y)\#(extra)}"#
    }

    @Test("a grid's liaison raises, whistles, the department reports in and resolves, the grid verifies and closes")
    func wholeFlow() async throws {
        let server = try TestServer(writable: true)
        let point = try server.point(in: "DC-001")
        try await server.application.test(.router) { client in
            let raised = try await client.send("/events", .post, viewer: Self.liaison, type: "application/json", body: Self.raiseBody(point))
            #expect(raised.status == .created)
            let record = try jsonValue(raised.body) as? [String: Any]
            let id = try #require(record?["id"] as? String)
            #expect(record?["grid"] as? String == "DC-001")
            #expect(record?["state"] as? String == "raised")
            #expect((record?["raised_by"] as? String)?.hasPrefix("DC-001 liaison") == true)

            let steps: [(String, String, String)] = [
                ("whistle", Self.liaison, #"{"departments":["civil-affairs"],"note":"请民政办上门"}"#),
                ("report-in", "public as department:civil-affairs/钱", ""),
                ("resolve", "public as department:civil-affairs", #"{"note":"已送取暖器"}"#),
                ("verify", Self.liaison, ""),
                ("close", Self.liaison, #"{"satisfaction":"satisfied"}"#),
            ]
            var state = ""
            for (action, viewer, body) in steps {
                let answer = try await client.send("/events/\(id)/\(action)", .post, viewer: viewer, type: "application/json", body: body)
                #expect(answer.status == .ok, "\(action): \(String(decoding: answer.body, as: UTF8.self))")
                state = (try jsonValue(answer.body) as? [String: Any])?["state"] as? String ?? ""
            }
            #expect(state == "closed")
            let shown = try await client.send("/events/\(id)")
            let history = (try jsonValue(shown.body) as? [String: Any])?["history"] as? [[String: Any]]
            #expect(history?.map { $0["action"] as? String ?? "" } == ["raise", "whistle", "report-in", "resolve", "verify", "close"])
        }
    }

    @Test("acting without an actor, or as someone the flow does not let act, is 403; a step the state does not allow is 409")
    func refusals() async throws {
        let server = try TestServer(writable: true)
        let point = try server.point(in: "DC-001")
        try await server.application.test(.router) { client in
            #expect(try await client.send("/events", .post, type: "application/json", body: Self.raiseBody(point)).status == .forbidden)
            #expect(try await client.send("/events", .post, viewer: "public as department:police", type: "application/json", body: Self.raiseBody(point)).status == .forbidden)
            let raised = try await client.send("/events", .post, viewer: Self.liaison, type: "application/json", body: Self.raiseBody(point))
            let id = try #require((try jsonValue(raised.body) as? [String: Any])?["id"] as? String)
            // Another grid's liaison, a department not whistled, the public: 403.
            #expect(try await client.send("/events/\(id)/whistle", .post, viewer: "grid-worker:DC-002 as DC-002/liaison").status == .forbidden)
            #expect(try await client.send("/events/\(id)/report-in", .post, viewer: "public as department:police").status == .forbidden)
            #expect(try await client.send("/events/\(id)/take", .post).status == .forbidden)
            // The right person, the wrong moment: 409, as a problem document naming the rule.
            let verify = try await client.send("/events/\(id)/verify", .post, viewer: Self.liaison)
            #expect(verify.status == .conflict)
            #expect(verify.headers[.contentType] == "application/problem+json")
            #expect(((try jsonValue(verify.body) as? [String: Any])?["detail"] as? String)?.contains("only a resolved event is verified") == true)
            #expect(try await client.send("/events/EV-999999").status == .notFound)
            #expect(try await client.send("/events/EV-999999/take", .post, viewer: Self.liaison).status == .notFound)
            #expect(try await client.send("/events/\(id)/dance", .post, viewer: Self.liaison).status == .notFound)
            #expect(try await client.send("/events/\(id)/close", .post, viewer: Self.liaison, type: "application/json", body: "{}").status == .badRequest)
            #expect(try await client.send("/events/\(id)/take", .post, viewer: Self.liaison, type: "application/json", body: "{not json").status == .badRequest)
            #expect(try await client.send("/events", .post, viewer: Self.liaison, type: "application/json", body: #"{"category":"welfare-assistance"}"#).status == .badRequest)
            #expect(try await client.send("/events?state=asleep").status == .badRequest)
            #expect(try await client.send("/events?grid=DC-999").status == .badRequest)
        }
    }

    @Test("the residents an event concerns and its exact point are shown only to those who see the grid's residents")
    func personalPartsByRole() async throws {
        let server = try TestServer(writable: true)
        let point = try server.point(in: "DC-001")
        let selection = try ResidentSelection(store: server.services.town.store)
        let area = try #require(try RequestParsing.area(grid: "DC-001", microGrid: nil))
        let resident = try #require(try selection.residents(of: [], in: .code(area), as: .office).first?.resident.id)
        try await server.application.test(.router) { client in
            let raised = try await client.send("/events", .post, viewer: Self.liaison, type: "application/json",
                                               body: Self.raiseBody(point, extra: #","residents":["\#(resident)"]"#))
            #expect(raised.status == .created)
            let id = try #require((try jsonValue(raised.body) as? [String: Any])?["id"] as? String)
            let seen = try jsonValue(try await client.send("/events/\(id)", viewer: "grid-worker:DC-001").body) as? [String: Any]
            #expect(seen?["residents"] as? [String] == [resident])
            #expect(seen?["lon"] as? Double == point.x)
            for viewer in [nil, "grid-worker:DC-002"] {
                let body = try await client.send("/events/\(id)", viewer: viewer).body
                let record = try jsonValue(body) as? [String: Any]
                #expect(record?["residents"] == nil && record?["lon"] == nil && record?["resident_count"] as? Int == 1)
                #expect(!String(decoding: body, as: UTF8.self).contains(resident))
            }
        }
    }

    @Test("a department's queue lists its parts not yet resolved with their deadlines; rates and the chart answer")
    func queueRatesAndChart() async throws {
        let server = try TestServer(writable: true)
        let point = try server.point(in: "DC-001")
        try await server.application.test(.router) { client in
            let raised = try await client.send("/events", .post, viewer: Self.liaison, type: "application/json", body: Self.raiseBody(point, extra: #","urgency":"urgent""#))
            let id = try #require((try jsonValue(raised.body) as? [String: Any])?["id"] as? String)
            #expect(try await client.send("/events/\(id)/whistle", .post, viewer: Self.liaison).status == .ok)
            let queue = try jsonValue(try await client.send("/departments/social-security/queue").body) as? [[String: Any]]
            #expect(queue?.count == 1)
            #expect(queue?.first?["state"] as? String == "awaiting-report-in")
            let due = try #require(queue?.first?["report_in_due"] as? String)
            let raisedAt = try #require((try jsonValue(raised.body) as? [String: Any])?["raised_at"] as? String)
            let hours = try Date(due, strategy: .iso8601).timeIntervalSince(try Date(raisedAt, strategy: .iso8601)) / 3600
            #expect(abs(hours - 2) < 0.01, "an urgent whistle is reported in within 2 hours")
            #expect(try await client.send("/departments/nobody/queue").status == .notFound)

            let rates = try jsonValue(try await client.send("/events/rates?by=grid").body) as? [String: Any]
            #expect((rates?["total"] as? [String: Any])?["collected"] as? Int == 1)
            #expect((rates?["total"] as? [String: Any])?["whistled"] as? Int == 1)
            #expect((rates?["rows"] as? [[String: Any]])?.first?["group"] as? String == "DC-001")
            #expect(try await client.send("/events/rates?by=planet").status == .badRequest)
            let chart = try await client.send("/events/chart.svg")
            #expect(chart.status == .ok)
            #expect(String(decoding: chart.body, as: UTF8.self).contains("<svg"))
            let overdue = try await client.send("/events/overdue")
            #expect(overdue.status == .ok)
            #expect((try jsonValue(overdue.body) as? [Any])?.isEmpty == true)
        }
    }

    @Test("200 clients reporting and reading events at once lose nothing: every report is counted afterwards")
    func concurrentReportsLoseNothing() async throws {
        let server = try TestServer(writable: true)
        let point = try server.point(in: "DC-001")
        let (clients, reportsEach) = (200, 2)
        try await server.application.test(.router) { client in
            let ids = try await withThrowingTaskGroup(of: [String].self) { group in
                for index in 0..<clients {
                    group.addTask {
                        var ids: [String] = []
                        for report in 0..<reportsEach {
                            let form = "service_code=environment&lat=\(point.y)&long=\(point.x)&description=client+\(index)+report+\(report)"
                            let posted = try await client.send("/open311/v2/requests.json", .post, type: "application/x-www-form-urlencoded", body: form)
                            guard posted.status == .created else { throw TestSetupError("report \(index)/\(report): \(posted.status)") }
                            let answer = try jsonValue(posted.body) as? [[String: Any]]
                            ids.append(answer?.first?["service_request_id"] as? String ?? "")
                            _ = try await client.send("/events?grid=DC-001")
                        }
                        return ids
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(Set(ids).count == clients * reportsEach, "every report got its own id")
            let listed = try jsonValue(try await client.send("/events?category=environment").body) as? [[String: Any]]
            #expect(listed?.count == clients * reportsEach)
            #expect(Set(listed?.compactMap { $0["id"] as? String } ?? []) == Set(ids))
        }
    }
}
