import Foundation
import GridMapApp
import GridMapCore
@testable import GridMapServer
import Hummingbird
import HummingbirdTesting
import Testing

/// The web map's routes, in-process: the page, its files, Leaflet from Debian (and the clear
/// error without it), and the grid card as each role may see it.
@Suite("The web map's page, files and grid card")
struct WebMapTests {
    @Test("/map/ is the Chinese page, English with ?lang=en, with no inline script or style (it runs under default-src 'self')")
    func pageHasNoInlineCode() async throws {
        let app = Application(router: GridMapServer.router(try ServerShellTests.services()))
        try await app.test(.router) { client in
            for (uri, language) in [("/map/", "zh-CN"), ("/map", "zh-CN"), ("/map/?lang=en", "en")] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    let page = String(buffer: response.body)
                    #expect(page.contains(#"<html lang="\#(language)">"#), "\(uri)")
                    #expect(page.contains(#"<script src="/map/assets/leaflet.js" defer></script>"#))
                    #expect(page.contains(#"<script src="/map/assets/gridmap.js" defer></script>"#))
                    #expect(page.contains("大村镇"))
                    // Every script has a src, and nothing carries a style of its own.
                    #expect(page.components(separatedBy: "<script").count == page.components(separatedBy: "<script src=").count)
                    #expect(!page.contains("<style") && !page.contains(" style="))
                    #expect(page.range(of: #"\son[a-z]+="#, options: .regularExpression) == nil, "an inline event handler")
                }
            }
        }
    }

    @Test("Leaflet and its images are served from Debian's libjs-leaflet, byte for byte")
    func leafletIsDebians() async throws {
        let app = Application(router: GridMapServer.router(try ServerShellTests.services()))
        let debian = URL(fileURLWithPath: WebMapAssets.debianLeaflet)
        try await app.test(.router) { client in
            for (path, type) in [("leaflet.js", "text/javascript; charset=utf-8"), ("leaflet.css", "text/css; charset=utf-8"), ("images/layers.png", "image/png")] {
                let expected = try Data(contentsOf: debian.appendingPathComponent(path))
                try await client.execute(uri: "/map/assets/\(path)", method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.headers[.contentType] == type)
                    #expect(Data(buffer: response.body) == expected, "\(path)")
                }
            }
            try await client.execute(uri: "/map/assets/gridmap.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("'use strict';"))
            }
            try await client.execute(uri: "/map/assets/nothing.js", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
    }

    @Test("without Leaflet the page and Leaflet's files answer 503 naming Debian's libjs-leaflet, and the map's own files are still served")
    func missingLeafletIsAClearError() async throws {
        let router = Router(context: ServerContext.self)
        router.add(middleware: ProblemMiddleware<ServerContext>())
        GridMapServer.addWebMapRoutes(to: router, try ServerShellTests.services(), assets: WebMapAssets(leafletDirectory: "/nonexistent/leaflet"))
        try await Application(router: router).test(.router) { client in
            for uri in ["/map/", "/map/assets/leaflet.js", "/map/assets/images/layers.png"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .serviceUnavailable, "\(uri)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                    let problem = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    let detail = problem?["detail"] as? String ?? ""
                    #expect(detail.contains("libjs-leaflet") && detail.contains("/nonexistent/leaflet/leaflet.js"), "\(detail)")
                }
            }
            try await client.execute(uri: "/map/assets/gridmap.css", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("the public's grid card shows the grid's chief and liaison only, and marks no personal read")
    func publicGridCard() async throws {
        let services = try ServerShellTests.services()
        let expected = try TownOverview.grid(GridCode("DC-017")!, in: services.town.store, as: .public)
        let card = try await gridCard("DC-017", as: .anonymous, services)
        #expect(card.json["code"] as? String == "DC-017")
        #expect(card.json["seesResidents"] as? Bool == false)
        let team = card.json["team"] as? [[String: Any]] ?? []
        #expect(Set(team.compactMap { $0["role"] as? String }).isSubset(of: ["chief", "liaison"]))
        #expect(team.compactMap { $0["name"] as? String } == expected.team.map(\.name))
        #expect(card.json["microGrids"] as? [String] == expected.microGrids.map(\.description))
        #expect(card.personalData.isEmpty)
    }

    @Test("a grid worker's card of their own grid has the whole team and is recorded as a personal read; of another grid, the public's card")
    func gridWorkerGridCard() async throws {
        let services = try ServerShellTests.services(writable: true)
        let worker = Viewer(account: "w17", role: .gridWorker(GridCode("DC-017")!), actor: nil)
        let own = try await gridCard("DC-017", as: worker, services)
        let wholeTeam = try services.town.store.team(of: GridCode("DC-017")!)
        #expect((own.json["team"] as? [[String: Any]])?.count == wholeTeam.count)
        #expect(wholeTeam.count > 2)
        #expect(own.json["seesResidents"] as? Bool == true)
        #expect(own.personalData.count == 1)
        let other = try await gridCard("DC-018", as: worker, services)
        let publicTeam = try TownOverview.grid(GridCode("DC-018")!, in: services.town.store, as: .public).team
        #expect((other.json["team"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == publicTeam.map(\.name))
        #expect(other.personalData.isEmpty)
    }

    @Test("a grid the town does not have is a 404 problem")
    func unknownGridCard() async throws {
        let app = Application(router: GridMapServer.router(try ServerShellTests.services()))
        try await app.test(.router) { client in
            for code in ["DC-999", "not-a-code"] {
                try await client.execute(uri: "/map/api/grids/\(code)", method: .get) { response in
                    #expect(response.status == .notFound, "\(code)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
        }
    }

    @Test("the address search finds a home as the ledger matcher does: exact text, a ledger's spelling, and says why nothing matched")
    func addressSearch() async throws {
        let app = Application(router: GridMapServer.router(try ServerShellTests.services()))
        try await app.test(.router) { client in
            for (query, method) in [("大村镇石龙村1号", "exact"), ("石龙庄一号", "normalized")] {
                let uri = "/map/api/address?q=" + query.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(query)")
                    let answer = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    let homes = answer?["homes"] as? [[String: Any]] ?? []
                    #expect(homes.count == 1 && homes.first?["id"] as? String == "home-00001", "\(query): \(homes)")
                    #expect(homes.first?["address"] as? String == "大村镇石龙村1号")
                    #expect(homes.first?["lon"] is Double && homes.first?["lat"] is Double)
                    #expect(answer?["method"] as? String == method, "\(query)")
                }
            }
            let unknown = "/map/api/address?q=" + "石龙村99999号".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            try await client.execute(uri: unknown, method: .get) { response in
                let answer = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect((answer?["homes"] as? [Any])?.isEmpty == true)
                #expect((answer?["unmatched"] as? String)?.contains("99999") == true, "\(answer ?? [:])")
            }
            try await client.execute(uri: "/map/api/address?q=", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    /// The card of `grid` as `viewer` sees it, and the personal reads its answer noted.
    private func gridCard(_ grid: String, as viewer: Viewer, _ services: ServerServices) async throws -> (json: [String: Any], personalData: [String]) {
        let note = NoteKeeper()
        let app = Application(responder: ViewerStandIn(viewer: viewer, note: note, inner: GridMapServer.router(services).buildResponder()))
        let body = try await app.test(.router) { client in
            try await client.execute(uri: "/map/api/grids/\(grid)", method: .get) { response in
                #expect(response.status == .ok)
                return Data(buffer: response.body)
            }
        }
        let json = try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
        return (json, note.personalData)
    }
}

/// Keeps the request note of the last request a ``ViewerStandIn`` answered.
final class NoteKeeper: @unchecked Sendable {
    private let lock = NSLock()
    private var note: RequestNote?
    func keep(_ note: RequestNote) { lock.withLock { self.note = note } }
    var personalData: [String] { lock.withLock { note?.personalData ?? [] } }
}

/// Answers every request as `viewer`, as the accounts' authentication will once it is merged.
struct ViewerStandIn<Inner: HTTPResponder>: HTTPResponder where Inner.Context == ServerContext {
    let viewer: Viewer
    let note: NoteKeeper
    let inner: Inner

    func respond(to request: Request, context: ServerContext) async throws -> Response {
        var context = context
        context.viewer = viewer
        note.keep(context.note)
        return try await inner.respond(to: request, context: context)
    }
}
