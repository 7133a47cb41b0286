import Hummingbird

extension GridMapServer {
    /// The routes of the whistle flow, its actions and rates (not yet built).
    static func addEventRoutes(to router: Router<ServerContext>, _ services: ServerServices) {}
}
