import Foundation
import GridMapApp
import GridMapCore
import Hummingbird

extension GridMapServer {
    /// The browser's web map: `/map/` (the page, in Chinese, English with `?lang=en`), its files
    /// under `/map/assets/` (its own script and style, and Debian's Leaflet: ``WebMapAssets``),
    /// `/map/api/grids/{code}`, the card shown when a micro-grid is clicked, and
    /// `/map/api/address?q=…`, the search box's homes (``WebMapAddressSearch``). Everything else
    /// the page shows it reads from the server's public APIs (OGC API – Features, accounts,
    /// Open311, events, jobs) as the signed-in viewer, so the map sees what its viewer may see,
    /// decided by the server and never by the page.
    static func addWebMapRoutes(to router: Router<ServerContext>, _ services: ServerServices) {
        addWebMapRoutes(to: router, services, assets: WebMapAssets())
    }

    static func addWebMapRoutes(to router: Router<ServerContext>, _ services: ServerServices, assets: WebMapAssets) {
        // "/map" and "/map/" are one route (the router ignores a trailing slash); the page names
        // its files by absolute paths, so either works.
        router.get("map") { request, _ -> Response in
            try assets.checkLeaflet()
            let english = request.uri.queryParameters.get("lang") == "en"
            return Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: WebMapPage.html(english: english, town: services.town.name))))
        }
        router.get("map/assets/:file") { _, context -> Response in
            try assetResponse(assets.file(context.parameters.require("file")))
        }
        router.get("map/assets/images/:file") { _, context -> Response in
            try assetResponse(assets.file("images/" + context.parameters.require("file")))
        }
        router.get("map/api/grids/:code") { _, context -> GridCard in
            try gridCard(context.parameters.require("code"), services, context)
        }
        let addresses = WebMapAddressSearch(town: services.town.town)
        router.get("map/api/address") { request, _ -> WebMapAddressSearch.Answer in
            guard let text = request.uri.queryParameters.get("q")?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
                throw JobError.invalidRequest("q, the address to search for, is missing or empty.")
            }
            return addresses.search(text)
        }
    }

    private static func assetResponse(_ file: WebMapAssets.File) -> Response {
        Response(status: .ok, headers: [.contentType: file.contentType, .cacheControl: "no-cache"], body: ResponseBody(byteBuffer: file.body))
    }

    /// What the map shows of a grid when one of its micro-grids is clicked: its names, counts
    /// and team, as the viewer may see them (``TownOverview/grid(_:in:as:)`` applies the
    /// disclosure: the public sees each grid's chief and liaison, and suppressed small counts).
    struct GridCard: ResponseEncodable {
        struct Member: Encodable {
            var role: String
            var name: String
            var unit: String?
            var phone: String?
        }
        struct CategoryCount: Encodable {
            var category: String
            var count: String
        }
        var code: String
        var name: String
        var village: String
        var villageName: String?
        var microGrids: [String]
        var features: Int
        /// A number, or "<5" where the viewer may not see a small count exactly.
        var residents: String
        var residentsByCategory: [CategoryCount]
        var team: [Member]
        /// Whether the viewer sees this grid's residents and whole team (then the card is personal data).
        var seesResidents: Bool
    }

    private static func gridCard(_ text: String, _ services: ServerServices, _ context: ServerContext) throws -> GridCard {
        let data = services.town.town.data
        guard let code = GridCode(text), let grid = data.grids.first(where: { $0.code == code }) else {
            throw JobError.notFound("No grid \(text) in this town.")
        }
        let viewer = context.viewer
        let detail = try TownOverview.grid(code, in: services.town.store, as: viewer.role)
        let sees = viewer.disclosure.seesResidents(inGrid: code)
        if sees {
            context.note.readPersonalData("grid card of \(code): team of \(detail.team.count), resident counts by category")
        }
        return GridCard(
            code: code.description, name: grid.name, village: grid.villageCode,
            villageName: data.villages.first(where: { $0.code == grid.villageCode })?.name,
            microGrids: detail.microGrids.map(\.description), features: detail.features,
            residents: detail.residents.description,
            residentsByCategory: detail.residentsByCategory.map { GridCard.CategoryCount(category: $0.category.rawValue, count: $0.count.description) },
            team: detail.team.map { GridCard.Member(role: $0.role.rawValue, name: $0.name, unit: $0.unit, phone: $0.phone) },
            seesResidents: sees)
    }
}
