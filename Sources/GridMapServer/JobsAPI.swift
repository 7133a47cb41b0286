import Hummingbird

extension GridMapServer {
    /// The routes of the jobs as endpoints (not yet built).
    static func addJobRoutes(to router: Router<ServerContext>, _ services: ServerServices) {}
}
