import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
@testable import GridMapServer
import Testing

/// The town the browser's users work in: a writable copy of Dacun with ``TestAccounts`` (made
/// through the application layer, as `gridmap user add` makes them) and four events raised through
/// the event desk before the server starts:
/// - in DC-017, about nobody, its description naming a DC-017 resident (``dc017``);
/// - in DC-018, about nobody, its description naming a DC-018 resident (``dc018``): drawn for
///   everyone, its text only for DC-018's worker and the office;
/// - in DC-018, about ``dc018``: its point and residents only for them;
/// - in DC-017, about ``dc017``, whistled to the civil-affairs office (``whistled``).
struct BrowserTown {
    struct Person {
        var id: String
        var name: String
        var homeAddress: String
        var home: Position
        var microGrid: String
    }

    let server: TestServer
    let dc017: Person
    let dc018: Person
    /// Names of DC-018's residents and of its team beyond the public's (chief and liaison), that
    /// no resident or team member of DC-017 and no public team member bears: none may reach a
    /// DC-017 worker's page.
    let dc018Names: Set<String>
    let whistled: String

    init() throws {
        server = try TestServer(writable: true, signedIn: true)
        let town = server.services.town
        let selection = try ResidentSelection(store: town.store)
        typealias Located = (id: String, name: String, home: String, microGrid: String)
        func residents(_ grid: String) throws -> [Located] {
            let area = try #require(try RequestParsing.area(grid: grid, microGrid: nil))
            return try selection.residents(of: [], in: .code(area), as: .office).map {
                ($0.resident.id, $0.resident.name, $0.resident.homeID, $0.microGrid?.description ?? "")
            }
        }
        let (in017, in018) = (try residents("DC-017"), try residents("DC-018"))
        let team = town.town.data.team
        let seenElsewhere = Set(in017.map(\.name) + team.filter { $0.gridCode.description == "DC-017" || Disclosure.publicTeamRoles.contains($0.role) }.map(\.name))
        let hidden = in018.map(\.name) + team.filter { $0.gridCode.description == "DC-018" && !Disclosure.publicTeamRoles.contains($0.role) }.map(\.name)
        let dc018Names = Set(hidden).subtracting(seenElsewhere)
        self.dc018Names = dc018Names
        let homes = Dictionary(uniqueKeysWithValues: town.town.data.features.filter { $0.kind == .home }.map { ($0.id, $0) })
        func person(_ located: Located?) throws -> Person {
            let located = try #require(located)
            let home = try #require(homes[located.home])
            guard case .point(let point) = home.geometry, case .string(let address)? = home.properties["address"] else {
                throw TestSetupError("home \(home.id) has no point or address")
            }
            return Person(id: located.id, name: located.name, homeAddress: address, home: point, microGrid: located.microGrid)
        }
        let names018 = Set(in018.map(\.name))
        dc017 = try person(in017.first { !names018.contains($0.name) })
        dc018 = try person(in018.first { dc018Names.contains($0.name) && $0.name.count >= 3 })

        let desk = town.desk
        let now = Date().addingTimeInterval(-60)
        let (liaison017, liaison018) = (try desk.actor("DC-017/liaison"), try desk.actor("DC-018/liaison"))
        _ = try desk.raise(RaiseRequest(category: "environment", description: "\(dc017.name)家门口垃圾堆放", location: dc017.home), by: liaison017, at: now)
        _ = try desk.raise(RaiseRequest(category: "environment", description: "\(dc018.name)家门口垃圾堆放", location: dc018.home), by: liaison018, at: now)
        _ = try desk.raise(RaiseRequest(category: "welfare-assistance", description: "看望独居老人\(dc018.name)", location: dc018.home,
                                        residents: [dc018.id]), by: liaison018, at: now)
        let event = try desk.raise(RaiseRequest(category: "welfare-assistance", description: "\(dc017.name)家中取暖器坏了", location: dc017.home,
                                                residents: [dc017.id]), by: liaison017, at: now)
        _ = try desk.act(on: event.id, .whistle(departments: ["civil-affairs"], resolutionDeadline: nil), by: liaison017, at: now.addingTimeInterval(1))
        whistled = event.id
    }

    static func signIn(_ account: TestAccounts.Account, plainForm: Bool = false) -> [String: Any] {
        ["do": "signin", "name": account.name, "password": TestAccounts.password, "plainForm": plainForm]
    }

    /// Every text the steps saw, as one string (for names that must never appear).
    static func everything(_ steps: [[String: Any]]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: steps), as: UTF8.self)
    }
}

/// The web map used as each role uses it, in Debian's headless Chromium against a real `gridmap
/// serve`: signing in through the page's form, searching, clicking grids, reporting a problem by
/// clicking on the map, a department's queue, the dashboard, an outreach route. Screenshots are
/// saved in the run's temporary folder (named in each step's facts).
@Suite("The web map used like a user, each role signed in through the page", .serialized)
struct WebMapUserTests {
    @Test("a grid worker of DC-017 signs in through the form and never sees a name from DC-018: not in search, grid card, residents layer or events")
    func gridWorkerSeesOnlyTheirGrid() async throws {
        let town = try BrowserTown()
        #expect(town.dc018Names.count > 50, "the check has names to look for")
        let plan: [[String: Any]] = [
            ["do": "open", "path": "map/"],
            BrowserTown.signIn(TestAccounts.dc017),
            ["do": "search", "kind": "resident", "q": town.dc017.name],
            ["do": "search", "kind": "resident", "q": town.dc018.name],
            ["do": "search", "kind": "resident", "q": String(town.dc018.name.prefix(1))],
            ["do": "card", "microGrid": "DC-018-1"],
            ["do": "card", "microGrid": "DC-017-1"],
            ["do": "report", "microGrid": town.dc017.microGrid, "category": "roads-and-water", "description": "村口路灯不亮"],
            ["do": "events"],
            ["do": "search", "kind": "address", "q": town.dc018.homeAddress, "click": 0],
            ["do": "screenshot", "name": "grid-worker-at-dc018"],
            ["do": "search", "kind": "address", "q": town.dc017.homeAddress, "click": 0],
            ["do": "screenshot", "name": "grid-worker-at-dc017"],
            ["do": "text"],
        ]
        let (steps, errors) = try await WebMapBrowser.run(plan, on: town.server.store)
        try #require(steps.count == plan.count)
        #expect(errors.isEmpty, "\(errors)")
        let signedIn = steps[1]
        #expect(signedIn["role"] as? String == "grid-worker:DC-017")
        #expect(signedIn["tabs"] as? [String] == ["info", "search", "report", "dashboard", "route", "account"])

        let own = steps[2]["results"] as? [String] ?? []
        #expect(own.contains { $0.contains(town.dc017.name) }, "the worker finds their own grid's resident: \(own)")
        #expect((steps[3]["results"] as? [String])?.allSatisfy { !$0.contains(town.dc018.name) } == true)
        let family = steps[4]["results"] as? [String] ?? []
        #expect(!family.isEmpty && family.allSatisfy { $0.contains("DC-017") }, "\(family)")

        let otherCard = steps[5]["team"] as? [[String]] ?? []
        #expect(steps[5]["grid"] as? String == "DC-018")
        #expect(!otherCard.isEmpty && Set(otherCard.map { $0[0] }).isSubset(of: ["网格长", "民情联络员"]), "\(otherCard)")
        let ownTeam = town.server.services.town.town.data.team.filter { $0.gridCode.description == "DC-017" }
        #expect((steps[6]["team"] as? [[String]])?.count == ownTeam.count, "the worker's own grid: the whole team")

        let report = steps[7]
        let id = try #require(report["request"] as? String, "\(report)")
        let raised = try town.server.services.town.desk.event(id)
        #expect(raised.report.grid.description == "DC-017")
        if case .teamMember(let grid, let role, _) = raised.raisedBy { #expect(grid.description == "DC-017" && role == .liaison) } else {
            Issue.record("raised by \(raised.raisedBy), not the worker's team member")
        }

        let popups = steps[8]["popups"] as? [[String: Any]] ?? []
        let texts = popups.compactMap { $0["text"] as? String }
        #expect(texts.contains { $0.contains(town.dc017.name) }, "the worker reads their own grid's events: \(texts)")
        #expect(texts.count == 4, "DC-017's three (about nobody, about its resident, the report) and DC-018's about nobody; DC-018's about a resident has no point for this worker: \(texts)")
        #expect(texts.filter { $0.contains("垃圾堆放") }.count == 1, "DC-018's description is not shown to DC-017's worker")

        let atOther = steps[9]["inView"] as? [String: Any] ?? [:]
        #expect(atOther["zoom"] as? Int == 18 && (atOther["homes"] as? Int ?? 0) > 0)
        #expect(atOther["residents"] as? Int == 0, "no resident drawn in DC-018 for DC-017's worker")
        let atOwn = steps[11]["inView"] as? [String: Any] ?? [:]
        #expect((atOwn["residents"] as? Int ?? 0) > 0, "the worker's own residents are drawn at their homes")
        for shot in [steps[10], steps[12]] {
            #expect((shot["colours"] as? Int ?? 0) > 20, "\(shot)")
        }

        let seen = try BrowserTown.everything(steps)
        let leaked = town.dc018Names.filter { seen.contains($0) }
        #expect(leaked.isEmpty, "names from DC-018 on a DC-017 worker's page: \(leaked.sorted())")
        #expect(seen.contains(town.dc017.name))
    }

    @Test("a department signs in, sees its queue with deadlines, reports in and resolves; the dashboard's report-in counts go up")
    func departmentReportsIn() async throws {
        let town = try BrowserTown()
        let plan: [[String: Any]] = [
            ["do": "open", "path": "map/"],
            BrowserTown.signIn(TestAccounts.civilAffairs),
            ["do": "dashboard"],
            ["do": "queue"],
            ["do": "act", "event": town.whistled, "action": "report-in"],
            ["do": "act", "event": town.whistled, "action": "resolve"],
            ["do": "dashboard"],
            ["do": "screenshot", "name": "department"],
        ]
        let (steps, errors) = try await WebMapBrowser.run(plan, on: town.server.store)
        try #require(steps.count == plan.count)
        #expect(errors.isEmpty, "\(errors)")
        #expect(steps[1]["role"] as? String == "department:civil-affairs")
        #expect((steps[1]["tabs"] as? [String])?.contains("queue") == true)

        let queue = steps[3]["items"] as? [[String: Any]] ?? []
        #expect(queue.map { $0["event"] as? String } == [town.whistled])
        let item = queue.first ?? [:]
        #expect((item["deadlines"] as? [String])?.count == 3, "report-in, resolution and next deadline: \(item)")
        #expect((item["text"] as? String)?.contains("待报到") == true)
        #expect((item["text"] as? String)?.contains(town.dc017.name) == true, "the department reads the event whistled to it")
        #expect(item["buttons"] as? [String] == ["report-in", "resolve"])
        let afterReportIn = steps[4]["items"] as? [[String: Any]] ?? []
        #expect((afterReportIn.first?["text"] as? String)?.contains("办理中") == true, "\(afterReportIn)")
        #expect((steps[5]["items"] as? [[String: Any]])?.isEmpty == true, "resolved: the queue is empty")
        let part = try town.server.services.town.desk.event(town.whistled).parts.first
        #expect(part?.state == .resolved && part?.reportedInAt != nil)

        let before = steps[2]["figures"] as? [String: String] ?? [:]
        let after = steps[6]["figures"] as? [String: String] ?? [:]
        for key in ["reported_in", "reported_in_on_time"] {
            #expect(Int(after[key] ?? "") == (Int(before[key] ?? "") ?? -10) + 1, "\(key): \(before[key] ?? "none") then \(after[key] ?? "none")")
        }
        #expect((steps[6]["chartWidth"] as? Int ?? 0) > 0)
    }

    @Test("the public and a resident report a problem by clicking on the map; the office signs in by the form's own post and its report and outreach route go through")
    func publicResidentAndOffice() async throws {
        let town = try BrowserTown()
        let plan: [[String: Any]] = [
            ["do": "open", "path": "map/"],
            ["do": "report", "microGrid": "DC-005-1", "category": "roads-and-water", "description": "水渠堵了"],
            BrowserTown.signIn(TestAccounts.resident),
            ["do": "report", "microGrid": "DC-005-1", "description": "路面塌陷"],
            ["do": "signout"],
            ["do": "signin", "name": TestAccounts.office.name, "password": "not the password", "plainForm": true],
            BrowserTown.signIn(TestAccounts.office, plainForm: true),
            ["do": "report", "microGrid": "DC-017-1", "description": "桥栏杆松动"],
            ["do": "route", "grid": "DC-017", "categories": "elderly-living-alone,disabled"],
            ["do": "screenshot", "name": "office-route"],
        ]
        let (steps, errors) = try await WebMapBrowser.run(plan, on: town.server.store)
        try #require(steps.count == plan.count)
        #expect(errors.isEmpty, "\(errors)")
        let desk = town.server.services.town.desk
        let liaison = try #require(town.server.services.town.town.data.team.first { $0.gridCode.description == "DC-005" && $0.role == .liaison })
        for index in [1, 3] {
            let id = try #require(steps[index]["request"] as? String, "\(steps[index])")
            let event = try desk.event(id)
            #expect(event.raisedBy == .teamMember(grid: liaison.gridCode, role: .liaison, name: liaison.name), "raised on the reporter's behalf by the grid's liaison")
            // The point is where the user clicked: the page shows it, and the town places it in the micro-grid clicked.
            #expect(event.report.microGrid.description == "DC-005-1")
            #expect((steps[index]["result"] as? String)?.contains("DC-005") == true)
        }
        #expect(steps[2]["role"] as? String == "resident")
        #expect(steps[2]["tabs"] as? [String] == ["info", "search", "report", "dashboard", "account"])
        #expect(steps[4]["role"] as? String == "public")
        #expect(steps[5]["role"] as? String == "public")
        #expect(steps[5]["loginResult"] as? String == "账号或密码错误")
        #expect(steps[6]["role"] as? String == "office", "\(steps[6])")
        let officeReport = try #require(steps[7]["request"] as? String, "the form-signed-in page writes with the CSRF value /auth/me gave: \(steps[7])")
        #expect(try desk.event(officeReport).raisedBy == .office(person: "张主任"))
        #expect((steps[8]["stops"] as? Int ?? 0) > 0, "\(steps[8])")
        #expect((steps[8]["routePaths"] as? Int ?? 0) > 0)
        #expect((steps[9]["colours"] as? Int ?? 0) > 20)
    }
}
