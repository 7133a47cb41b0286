import Foundation
import GridMapApp
import Hummingbird
import Logging
import NIOCore

/// `gridmap serve`: GridMap over HTTP. A thin shell: each route parses its request, asks the
/// application layer (GridMapApp) with the request's ``Viewer``, and writes the answer; what a
/// viewer may see is decided there, in one place.
///
/// The routes, by file: Health (`/healthz`), FeaturesAPI (OGC API – Features), Open311API
/// (GeoReport v2), JobsAPI (locate, nearest, select, assign, tours, maps), RegisterAPI (the register's history and the survey), EventsAPI (the whistle
/// flow and its rates), AccountsAPI (sign-in, sessions, users), WebMap (the browser's map).
public enum GridMapServer {
    /// The router with every route and middleware, over `services`. The tests drive it directly
    /// (HummingbirdTesting) as well as through a real listening server.
    /// `viewer`, when given, runs before every route to set the request's viewer: the tests' stand-in
    /// for sign-in until the accounts' middleware exists.
    public static func router(_ services: ServerServices, accessLog: AccessLogSink? = nil,
                              viewer: (any MiddlewareProtocol<Request, Response, ServerContext>)? = nil) -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        // Outermost first: the access log sees the final status, security headers go on every
        // answer, the audit log records writes and personal reads with their status, the problem
        // middleware turns every error below it into a problem document, and authentication sets
        // the viewer before any route.
        if let accessLog { router.add(middleware: AccessLogMiddleware(log: accessLog.log)) }
        router.add(middleware: SecurityHeadersMiddleware<ServerContext>())
        router.add(middleware: AuditMiddleware(accounts: services.accounts, storeIsReadOnly: services.settings.stores.readOnly))
        router.add(middleware: ProblemMiddleware<ServerContext>())
        router.add(middleware: AuthenticationMiddleware(accounts: services.accounts))
        if let viewer { router.add(middleware: viewer) }
        addAccountRoutes(to: router, services)
        addHealthRoutes(to: router, services)
        addFeatureRoutes(to: router, services)
        addOpen311Routes(to: router, services)
        addJobRoutes(to: router, services)
        addEventRoutes(to: router, services)
        addRegisterRoutes(to: router, services)
        addDistrictRoutes(to: router, services)
        addWebMapRoutes(to: router, services)
        return router
    }

    /// Opens the store, listens, and serves until SIGINT or SIGTERM, then finishes the requests
    /// in flight and returns. `announce` is told the address once the server listens (with port
    /// 0, the one the system chose).
    public static func run(_ settings: ServerSettings, announce: @escaping @Sendable (String) -> Void) async throws {
        let log = try AccessLogSink(path: settings.accessLog)
        let town = try TownService(stores: settings.stores)
        let district = try settings.stores.district().map(DistrictService.init)
        let services = ServerServices(settings: settings, town: town, district: district)
        var logger = Logger(label: "gridmap.serve")
        logger.logLevel = .warning
        let (seconds, attoseconds) = settings.idleTimeout.components
        let app = Application(
            router: router(services, accessLog: log),
            server: .http1(configuration: .init(idleTimeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "GridMap"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? settings.port
                let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
                announce("http://\(host):\(port)/")
            },
            logger: logger)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}

/// Where the access log goes (a file, or standard error), opened before the server listens so
/// that a log that cannot be opened stops the start with a clear message.
public struct AccessLogSink: Sendable {
    let log: AccessLog

    public init(path: String?) throws(JobError) {
        log = try AccessLog(path: path)
    }
}
