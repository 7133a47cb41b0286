import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
import GridMapServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// Until accounts exist, the tests say who is asking with a header the test middleware reads:
/// `Test-Viewer: ROLE` or `Test-Viewer: ROLE as ACTOR` (ROLE as `--role` spells it, ACTOR as
/// `--as`, e.g. `grid-worker:DC-001 as DC-001/liaison`, `public as department:civil-affairs`).
/// Replaced by real sign-in at the merge.
struct TestViewerMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let desk: EventDesk

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        var context = context
        if let text = request.headers[HTTPField.Name("Test-Viewer")!] {
            let parts = text.components(separatedBy: " as ")
            let role = try RequestParsing.role(parts[0])
            let actor = try parts.count > 1 ? desk.actor(parts[1]) : nil
            context.viewer = Viewer(account: text, role: role, actor: actor)
        }
        return try await next(request, context)
    }
}

/// A server over a writable copy of Dacun (or the shared one, read-only), with the test viewer.
struct TestServer {
    let services: ServerServices

    init(writable: Bool) throws {
        let path = writable ? try DacunStore.writableCopy().path : try DacunStore.shared().path
        let settings = ServerSettings(stores: TownStores(path: path, readOnly: !writable), maxRequestBytes: 1 << 20)
        services = ServerServices(settings: settings, town: try TownService(stores: settings.stores))
    }

    var application: some ApplicationProtocol {
        Application(router: GridMapServer.router(services, viewer: TestViewerMiddleware(desk: services.town.desk)))
    }

    /// A home's point in `grid` (WGS84), found by the atlas.
    func point(in grid: String) throws -> Position {
        let town = services.town.town
        for feature in town.data.features where feature.kind == .home {
            guard case .point(let position) = feature.geometry else { continue }
            if case .inside(let place) = try town.atlas.locate(longitude: position.x, latitude: position.y), place.microGrid.gridCode.description == grid {
                return position
            }
        }
        throw TestSetupError("no home in \(grid)")
    }
}

extension TestClientProtocol {
    /// Sends a request and hands back the status, headers and body.
    func send(_ uri: String, _ method: HTTPRequest.Method = .get, viewer: String? = nil, type: String? = nil,
              body: String? = nil) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: Data) {
        var headers = HTTPFields()
        if let viewer { headers[HTTPField.Name("Test-Viewer")!] = viewer }
        if let type { headers[.contentType] = type }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            (response.status, response.headers, Data(buffer: response.body))
        }
    }
}

/// The body as a JSON value.
func jsonValue(_ data: Data) throws -> Any {
    try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
}
