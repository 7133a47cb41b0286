import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
import GridMapServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// A stand-in for sign-in where a test is about a route's answers rather than who signed in: the
/// test says who is asking with a header this middleware reads, `Test-Viewer: ROLE` or
/// `Test-Viewer: ROLE as ACTOR` (ROLE as `--role` spells it, ACTOR as `--as`, e.g.
/// `grid-worker:DC-001 as DC-001/liaison`, `public as department:civil-affairs`). Each API also has
/// tests through the real sign-in (``TestServer/init(writable:signedIn:)``, SignedInTests.swift).
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

/// A server over a writable copy of Dacun (or the shared one, read-only): with the test viewer's
/// stand-in, or (`signedIn`) with the real sign-in alone and ``TestAccounts`` made in its store.
struct TestServer {
    let services: ServerServices
    let signedIn: Bool
    /// The store file served.
    let store: URL

    init(writable: Bool, signedIn: Bool = false) throws {
        store = writable || signedIn ? try DacunStore.writableCopy() : try DacunStore.shared()
        let settings = ServerSettings(stores: TownStores(path: store.path, readOnly: !writable && !signedIn), maxRequestBytes: 1 << 20)
        let town = try TownService(stores: settings.stores)
        services = ServerServices(settings: settings, town: town, accounts: Accounts(service: town, passwordCost: 4))
        self.signedIn = signedIn
        if signedIn { try TestAccounts.add(to: services.accounts) }
    }

    var application: some ApplicationProtocol {
        Application(router: signedIn ? GridMapServer.router(services) : GridMapServer.router(services, viewer: TestViewerMiddleware(desk: services.town.desk)))
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
