import Foundation
import GridMapApp
import GridMapCore
import GridMapServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The register and the survey over HTTP: history by role, changes within one's grid, as-of counts, campaigns and visits")
struct RegisterAPITests {
    static let office = "office"
    static let worker = "grid-worker:DC-001"

    /// The first resident of `grid` on today's register, and their home, as the office sees them.
    static func resident(in grid: String, _ client: some TestClientProtocol) async throws -> (id: String, home: String) {
        let rows = try await client.send("/jobs/select?grid=\(grid)", viewer: office)
        let lines = String(decoding: rows.body, as: UTF8.self).split(separator: "\n")
        let header = try #require(lines.first).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let row = try #require(lines.dropFirst().first).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let id = try #require(header.firstIndex(of: "id")), home = try #require(header.firstIndex(of: "home"))
        return (row[id], row[home])
    }

    static func today() -> String { RegisterDay(Date()).description }

    @Test("a grid worker records a change of their grid's resident; the office sees the history whole, the public only that something was recorded")
    func changeAndHistoryByRole() async throws {
        let server = try TestServer(writable: true)
        let start = Date(timeIntervalSinceNow: -1)
        try await server.application.test(.router) { client in
            let (id, _) = try await Self.resident(in: "DC-001", client)
            let body = #"{"do":"change","resident":"\#(id)","addCategories":["disabled"],"effective":"\#(Self.today())","reason":"disability certificate"}"#
            let recorded = try await client.send("/register/changes", .post, viewer: Self.worker, type: "application/json", body: body)
            #expect(recorded.status == .created, "\(String(decoding: recorded.body, as: UTF8.self))")
            let entry = try jsonValue(recorded.body) as? [String: Any]
            #expect(entry?["subject"] as? String == "resident \(id)" && entry?["withheld"] as? Bool == false)
            #expect(entry?["recorded_by"] as? String == Self.worker)

            let whole = try jsonValue(try await client.send("/register/residents/\(id)/history", viewer: Self.office).body) as? [[String: Any]]
            #expect(whole?.count == 1 && whole?.first?["reason"] as? String == "disability certificate")
            let fields = whole?.first?["fields"] as? [[String: Any]]
            #expect(fields?.first?["field"] as? String == "categories")

            let publicView = try jsonValue(try await client.send("/register/residents/\(id)/history").body) as? [[String: Any]]
            #expect(publicView?.count == 1)
            #expect(publicView?.first?["subject"] as? String == "resident (withheld)" && publicView?.first?["withheld"] as? Bool == true)
            #expect(publicView?.first?["reason"] == nil && (publicView?.first?["fields"] as? [Any])?.isEmpty == true)
            let publicText = String(decoding: try await client.send("/register/history").body, as: UTF8.self)
            #expect(!publicText.contains(id))
        }
        let writes = try server.services.accounts.auditRecords(since: start).filter { $0.method == "POST" && $0.path == "/register/changes" }
        #expect(writes.map(\.status) == [201], "the change is in the audit log")
    }

    @Test("a change is refused by role and by rule with a problem document, and nothing is recorded",
          arguments: [
              ("public", #"{"do":"change","resident":"ID","addCategories":["disabled"],"effective":"TODAY"}"#, 403),
              ("grid-worker:DC-002", #"{"do":"change","resident":"ID","addCategories":["disabled"],"effective":"TODAY"}"#, 403),
              ("office", #"{"do":"change","resident":"ID","addCategories":["disabled"],"effective":"2023-06-30"}"#, 409),
              ("office", #"{"do":"move","resident":"ID","home":"home-99999","effective":"TODAY"}"#, 409),
              ("office", #"{"do":"change","resident":"R-999999","addCategories":["disabled"],"effective":"TODAY"}"#, 404),
              ("office", #"{"do":"wed"}"#, 400),
          ])
    func changeRefused(viewer: String, template: String, status: Int) async throws {
        let server = try TestServer(writable: true)
        try await server.application.test(.router) { client in
            let (id, _) = try await Self.resident(in: "DC-001", client)
            let body = template.replacingOccurrences(of: "ID", with: id).replacingOccurrences(of: "TODAY", with: Self.today())
            let answer = try await client.send("/register/changes", .post, viewer: viewer, type: "application/json", body: body)
            #expect(Int(answer.status.code) == status, "\(String(decoding: answer.body, as: UTF8.self))")
            #expect(answer.headers[.contentType] == "application/problem+json")
            let history = try jsonValue(try await client.send("/register/history", viewer: Self.office).body) as? [Any]
            #expect(history?.isEmpty == true)
        }
    }

    @Test("the category × grid table as of a day, and at every month's end, through the as-of reads; a day before the register is refused")
    func countsAsOf() async throws {
        let server = try TestServer(writable: true)
        try await server.application.test(.router) { client in
            let (id, _) = try await Self.resident(in: "DC-001", client)
            let before = String(decoding: try await client.send("/register/counts?category=disabled&as_of=\(Self.today())", viewer: Self.office).body, as: UTF8.self)
            let body = #"{"do":"remove","resident":"\#(id)","effective":"\#(Self.today())","reason":"died"}"#
            #expect(try await client.send("/register/changes", .post, viewer: Self.office, type: "application/json", body: body).status == .created)
            let yesterday = RegisterDay(Date(timeIntervalSinceNow: -86_400)).description
            let then = String(decoding: try await client.send("/register/counts?as_of=\(yesterday)", viewer: Self.office).body, as: UTF8.self)
            let now = String(decoding: try await client.send("/register/counts", viewer: Self.office).body, as: UTF8.self)
            func total(_ csv: String) -> Int? {
                csv.split(separator: "\n").first { $0.hasPrefix("town,") }.flatMap { $0.split(separator: ",").last.flatMap { Int($0) } }
            }
            #expect(before.hasPrefix("grid,disabled"))
            #expect(total(then) != nil && total(now) != nil)
            let year = Calendar(identifier: .gregorian).component(.year, from: Date())
            let monthly = String(decoding: try await client.send("/register/counts?monthly=\(year)", viewer: Self.office).body, as: UTF8.self)
            #expect(monthly.hasPrefix("month_end,grid,"))
            let refused = try await client.send("/register/counts?as_of=2023-12-31", viewer: Self.office)
            #expect(refused.status == .badRequest && refused.headers[.contentType] == "application/problem+json")
        }
    }

    @Test("the office starts a campaign, the grid's worker records visits (one that found a change), progress, to-do and visits follow; others are refused")
    func surveyFlow() async throws {
        let server = try TestServer(writable: true)
        let start = Date(timeIntervalSinceNow: -1)
        try await server.application.test(.router) { client in
            let name = "冬季摸排"
            let path = "/survey/campaigns/" + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name)
            let campaign = #"{"campaign":"\#(name)","grids":["DC-001"],"start":"\#(Self.today())"}"#
            #expect(try await client.send("/survey/campaigns", .post, viewer: Self.worker, type: "application/json", body: campaign).status == .forbidden)
            #expect(try await client.send("/survey/campaigns", .post, viewer: Self.office, type: "application/json", body: campaign).status == .created)
            #expect(try await client.send("/survey/campaigns", .post, viewer: Self.office, type: "application/json", body: campaign).status == .conflict)
            let campaigns = try jsonValue(try await client.send("/survey/campaigns").body) as? [[String: Any]]
            #expect(campaigns?.map { $0["name"] as? String } == [name])

            let (id, home) = try await Self.resident(in: "DC-001", client)
            let visit = #"{"home":"\#(home)","as":"DC-001/liaison","found":"changed","resident":"\#(id)","add_categories":["disabled"]}"#
            #expect(try await client.send("\(path)/visits", .post, type: "application/json", body: visit).status == .forbidden)
            #expect(try await client.send("\(path)/visits", .post, viewer: "grid-worker:DC-002", type: "application/json", body: visit).status == .forbidden)
            let recorded = try await client.send("\(path)/visits", .post, viewer: Self.worker, type: "application/json", body: visit)
            #expect(recorded.status == .created, "\(String(decoding: recorded.body, as: UTF8.self))")
            let answer = try jsonValue(recorded.body) as? [String: Any]
            #expect(answer?["found"] as? String == "changed" && (answer?["changes"] as? [Any])?.count == 1)

            let progress = String(decoding: try await client.send("\(path)/progress").body, as: UTF8.self)
            let first = progress.split(separator: "\n").dropFirst().first.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            #expect(progress.hasPrefix("grid,micro_grid,homes,surveyed,nobody_home,share_pct\n") && first?[3] == "1")
            let todo = String(decoding: try await client.send("\(path)/todo?grid=DC-001", viewer: Self.worker).body, as: UTF8.self)
            #expect(todo.hasPrefix("order,home,residents,leg_m\n") && !todo.contains(",\(home),"))
            let visits = String(decoding: try await client.send("\(path)/visits?grid=DC-001").body, as: UTF8.self)
            #expect(visits.contains(",\(home),DC-001,") && visits.contains(",changed,"))
            #expect(try await client.send("/survey/campaigns/nope/progress").status == .notFound)
            let history = try jsonValue(try await client.send("/register/residents/\(id)/history", viewer: Self.office).body) as? [[String: Any]]
            #expect((history?.first?["reason"] as? String)?.hasPrefix("survey '\(name)'") == true)
        }
        let writes = try server.services.accounts.auditRecords(since: start).filter { $0.method == "POST" && $0.path.hasPrefix("/survey/") }
        #expect(writes.count == 6, "every POST, refused ones too, is in the audit log")
    }
}
